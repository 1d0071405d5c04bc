/**
 * `npm run bench`: the project's engine against fuse.js, MiniSearch and FlexSearch on synthetic fact
 * bases of 100 to 100,000 facts, plus the time for the Haidian bot to be ready to answer.
 *
 *   tsx bench/run.ts [--facts 100,1000,10000,100000] [--queries 1000] [--smoke] [--json]
 *                    [--engines haidian-bot,fuse.js] [--seed N] [--startup-runs 5]
 *
 * Each size runs in its own `node --expose-gc --import tsx` process (so a full GC can be forced
 * before memory is read, and one size's heap does not weigh on the next); progress goes to stderr.
 * `--json` prints exactly one JSON object on stdout: {"results": [...], "startup": {...}, "meta": {...}}.
 */
import { execFileSync, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED } from './corpus.js';
import {
  DEFAULT_TOTAL_QUERIES,
  SMOKE_TOTAL_QUERIES,
  measureSize,
  type SizeReport,
} from './measure.js';
import { ENGINE_NAMES, type EngineName } from './peers.js';
import {
  formatReport,
  speedUps,
  type RunMeta,
  type StartupReport,
  type StartupStages,
} from './report.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const DEFAULT_SIZES = [100, 1000, 10_000, 100_000];

interface Args {
  readonly sizes: number[];
  readonly total: number;
  readonly smoke: boolean;
  readonly json: boolean;
  readonly worker: boolean;
  readonly engines: EngineName[];
  readonly seed: number;
  readonly startupRuns: number;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const next = argv[i + 1];
    if (inline !== undefined) flags.set(name, inline);
    else if (
      ['facts', 'queries', 'engines', 'seed', 'startup-runs'].includes(name) &&
      next !== undefined &&
      !next.startsWith('--')
    ) {
      flags.set(name, next);
      i++;
    } else flags.set(name, true);
  }
  const known = new Set([
    'facts',
    'queries',
    'smoke',
    'json',
    'worker',
    'engines',
    'seed',
    'startup-runs',
  ]);
  for (const name of flags.keys())
    if (!known.has(name)) throw new UsageError(`unknown option --${name}`);
  const value = (name: string): string | undefined => {
    const v = flags.get(name);
    if (v === true) throw new UsageError(`--${name} needs a value`);
    return v;
  };
  const positive = (name: string, text: string): number => {
    const n = Number(text.replace(/[_,]/g, ''));
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`--${name}: "${text}" is not a positive integer`);
    return n;
  };
  const smoke = flags.has('smoke');
  const factsArg = value('facts');
  const sizes = factsArg
    ? factsArg.split(',').map((s) => positive('facts', s.trim()))
    : DEFAULT_SIZES;
  const queriesArg = value('queries');
  const total = queriesArg
    ? positive('queries', queriesArg)
    : smoke
      ? SMOKE_TOTAL_QUERIES
      : DEFAULT_TOTAL_QUERIES;
  if (total < 5) throw new UsageError('--queries must be at least 5 (one per category)');
  const enginesArg = value('engines');
  const engines = enginesArg ? enginesArg.split(',').map((e) => e.trim()) : [...ENGINE_NAMES];
  for (const engine of engines) {
    if (!(ENGINE_NAMES as readonly string[]).includes(engine))
      throw new UsageError(
        `--engines: unknown engine "${engine}" (known: ${ENGINE_NAMES.join(', ')})`,
      );
  }
  const seedArg = value('seed');
  const runsArg = value('startup-runs');
  return {
    sizes,
    total,
    smoke,
    json: flags.has('json'),
    worker: flags.has('worker'),
    engines: engines as EngineName[],
    seed: seedArg ? positive('seed', seedArg) : DEFAULT_SEED,
    startupRuns: runsArg ? positive('startup-runs', runsArg) : smoke ? 2 : 5,
  };
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Runs one size in a child process with --expose-gc and returns its report. */
function runSizeInChild(size: number, args: Args): Promise<SizeReport> {
  const childArgs = [
    '--expose-gc',
    '--import',
    'tsx',
    path.join(HERE, 'run.ts'),
    '--worker',
    '--facts',
    String(size),
    '--queries',
    String(args.total),
    '--engines',
    args.engines.join(','),
    '--seed',
    String(args.seed),
    ...(args.smoke ? ['--smoke'] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, childArgs, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`benchmark of ${size} facts failed (${signal ?? `exit code ${code}`})`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as SizeReport);
      } catch (error) {
        reject(
          new Error(`benchmark of ${size} facts printed no report: ${(error as Error).message}`),
        );
      }
    });
  });
}

/** What bench/startup.ts prints: its stage times, and what it asked. */
interface StartupLine extends StartupStages {
  readonly facts: number;
  readonly question: string;
  readonly kind: string;
}

/** The bot as production runs it: compiled by `npm run build` (the Dockerfile does the same). */
const STARTUP_COMPILED = [path.join(ROOT, 'dist', 'bench', 'startup.js')];
/** The bot as `npm start` runs it in development: TypeScript through tsx. */
const STARTUP_TSX = ['--import', 'tsx', path.join(HERE, 'startup.ts')];

/** Compiles src/, adapters/ and bench/startup.ts into dist/ (tsconfig.build.json). */
function buildForStartup(): void {
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      path.join(ROOT, 'tsconfig.build.json'),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

/** Spawns the start-up probe and times it from spawn to the answer line on its stdout. */
function startupOnce(args: readonly string[]): Promise<{ wall: number; line: StartupLine }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    let wall: number | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (wall === undefined && stdout.includes('\n')) wall = performance.now() - start;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || wall === undefined) {
        reject(new Error(`bench/startup.ts failed (exit code ${code})`));
        return;
      }
      resolve({ wall, line: JSON.parse(stdout.split('\n')[0] as string) as StartupLine });
    });
  });
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function measureStartup(runs: number): Promise<StartupReport> {
  buildForStartup();
  await startupOnce(STARTUP_COMPILED); // a first run warms the file cache, as any restart of the bot would find it
  const samples: { wall: number; line: StartupLine }[] = [];
  for (let i = 0; i < runs; i++) samples.push(await startupOnce(STARTUP_COMPILED));
  await startupOnce(STARTUP_TSX); // fills tsx's transform cache
  const tsxWalls: number[] = [];
  for (let i = 0; i < runs; i++) tsxWalls.push((await startupOnce(STARTUP_TSX)).wall);
  const walls = samples.map((s) => s.wall);
  const stage = (key: keyof StartupStages): number =>
    Math.round(median(samples.map((s) => s.line[key])) * 10) / 10;
  const first = (samples[0] as { line: StartupLine }).line;
  return {
    runs,
    median_ms: Math.round(median(walls) * 10) / 10,
    min_ms: Math.round(Math.min(...walls) * 10) / 10,
    max_ms: Math.round(Math.max(...walls) * 10) / 10,
    stages: {
      runtime_ms: stage('runtime_ms'),
      import_ms: stage('import_ms'),
      load_ms: stage('load_ms'),
      build_ms: stage('build_ms'),
      ask_ms: stage('ask_ms'),
    },
    facts: first.facts,
    question: first.question,
    answered: samples.every((s) => s.line.kind === 'answer'),
    tsx_median_ms: Math.round(median(tsxWalls) * 10) / 10,
  };
}

function gitDescription(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--', 'src'], {
        cwd: ROOT,
        encoding: 'utf8',
      }).trim() !== '';
    return `commit ${commit}${dirty ? ' (src/ has uncommitted changes)' : ''}`;
  } catch {
    return 'commit unknown';
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.worker) {
    const [size] = args.sizes;
    const report = measureSize({
      facts: size as number,
      total: args.total,
      smoke: args.smoke,
      engines: args.engines,
      seed: args.seed,
      log,
    });
    process.stdout.write(JSON.stringify(report));
    return;
  }
  const started = performance.now();
  const loadBefore = os.loadavg()[0] ?? 0;
  log(`startup: ${args.startupRuns} runs of bench/startup.ts…`);
  const startup = await measureStartup(args.startupRuns);
  const sizes: SizeReport[] = [];
  for (const size of args.sizes) sizes.push(await runSizeInChild(size, args));
  const meta: RunMeta = {
    seed: args.seed,
    node: process.version,
    cpus: os.cpus().length,
    commit: gitDescription(),
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    total_queries: args.total,
    smoke: args.smoke,
    load: [loadBefore, os.loadavg()[0] ?? 0],
  };
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (args.json) {
    const results = sizes.flatMap((s) => s.results);
    const corpus = sizes.map((s) => ({
      ...s.corpus,
      baseline_rss_mb: s.baseline.rss_mb,
      baseline_heap_mb: s.baseline.heap_mb,
    }));
    process.stdout.write(
      `${JSON.stringify({ results, startup, speedup_vs_fuse: speedUps(sizes), corpus, meta })}\n`,
    );
  } else {
    process.stdout.write(`${formatReport(sizes, startup, meta)}\n`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(
      `bench: ${error.message}\nusage: tsx bench/run.ts [--facts N[,N…]] [--queries N] [--smoke] [--json] [--engines a,b] [--seed N] [--startup-runs N]\n`,
    );
    process.exitCode = 2;
    return;
  }
  process.stderr.write(
    `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
