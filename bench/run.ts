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
import {
  defineCommand,
  listOf,
  oneOf,
  runCommand,
  wholeNumber,
  type CommandValues,
} from '../src/bot/command-line.js';
import { DEFAULT_SEED } from './corpus.js';
import {
  DEFAULT_TOTAL_QUERIES,
  SMOKE_TOTAL_QUERIES,
  measureSize,
  type SizeReport,
} from './measure.js';
import { DEFAULT_ENGINES, ENGINE_NAMES } from './peers.js';
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

const BENCH_COMMAND = defineCommand({
  command: 'npm run bench',
  summary:
    'Benchmarks the engine against fuse.js, MiniSearch and FlexSearch on synthetic fact bases (speed, memory, accuracy), and times the Haidian bot from start to its first answer (compiled and through tsx). Progress goes to stderr; takes minutes.',
  options: {
    facts: { type: 'string', value: 'N[,N…]', default: DEFAULT_SIZES.join(','), parse: listOf(wholeNumber(), 'positive whole numbers'), description: 'fact-base sizes, one child process each' },
    queries: { type: 'string', value: 'N', parse: wholeNumber(5), description: `questions per size, at least one per category (default: ${DEFAULT_TOTAL_QUERIES}, with --smoke ${SMOKE_TOTAL_QUERIES})` },
    smoke: { type: 'boolean', description: 'a quick run that checks the benchmark works (fewer queries and start-up runs)' },
    json: { type: 'boolean', description: 'print exactly one JSON object on stdout: {"results": […], "startup": {…}, "meta": {…}}' },
    engines: { type: 'string', value: 'a,b', default: DEFAULT_ENGINES.join(','), parse: listOf(oneOf(...ENGINE_NAMES), `engines (${ENGINE_NAMES.join(', ')})`), description: 'the engines to measure; add haidian-bot-unguarded to see what the subject guard costs' },
    seed: { type: 'string', value: 'N', default: String(DEFAULT_SEED), parse: wholeNumber(), description: 'the seed of the synthetic corpus and questions' },
    'startup-runs': { type: 'string', value: 'N', parse: wholeNumber(), description: 'start-up measurements of each kind (default: 5, with --smoke 2)' },
    worker: { type: 'boolean', hidden: true, description: 'measure one size and print its JSON report (run.ts runs itself so)' },
  },
  example: 'npm run bench -- --facts 1000,10000 --engines haidian-bot,fuse.js',
});

type Args = CommandValues<typeof BENCH_COMMAND.options>;

const totalQueries = (args: Args): number =>
  args.queries ?? (args.smoke ? SMOKE_TOTAL_QUERIES : DEFAULT_TOTAL_QUERIES);

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
    String(totalQueries(args)),
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

async function main(args: Args): Promise<number> {
  if (args.worker) {
    const [size] = args.facts;
    const report = measureSize({
      facts: size as number,
      total: totalQueries(args),
      smoke: args.smoke,
      engines: args.engines,
      seed: args.seed,
      log,
    });
    process.stdout.write(JSON.stringify(report));
    return 0;
  }
  const started = performance.now();
  const loadBefore = os.loadavg()[0] ?? 0;
  const startupRuns = args['startup-runs'] ?? (args.smoke ? 2 : 5);
  log(`startup: ${startupRuns} runs of bench/startup.ts…`);
  const startup = await measureStartup(startupRuns);
  const sizes: SizeReport[] = [];
  for (const size of args.facts) sizes.push(await runSizeInChild(size, args));
  const meta: RunMeta = {
    seed: args.seed,
    node: process.version,
    cpus: os.cpus().length,
    commit: gitDescription(),
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    total_queries: totalQueries(args),
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
  return 0;
}

process.exitCode = await runCommand(BENCH_COMMAND, process.argv.slice(2), ({ values }) =>
  main(values),
);
