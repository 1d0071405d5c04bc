/**
 * `npm run fuzz`: hostile input against the normaliser, the engine and both platform formatters,
 * 100,000 generated user messages by default plus made-up reply models for the formatters alone.
 * Prints how many cases ran, every broken property with its first example, and the slowest case;
 * exits 1 on any failure or when one case took longer than the bound.
 *
 *   npm run fuzz -- [--cases 100000] [--models 20000] [--seed N] [--max-case-ms 250] [--json]
 *
 * The properties and generators are in test/reliability/hostile-input.ts (the CI test runs fewer).
 */
import path from 'node:path';
import fc from 'fast-check';
import {
  defineCommand,
  runCommand,
  wholeNumber,
  type CommandValues,
} from '../src/bot/command-line.js';
import { createEngine } from '../src/engine/engine.js';
import { loadKnowledge } from '../src/knowledge/load.js';
import {
  createHostileChecker,
  hostileInput,
  hostileReply,
  loadRealQuestions,
  sourceUrls,
  type CaseTimings,
  zeroTimings,
} from '../test/reliability/hostile-input.js';

/** The bound on one case (every path: normalise, ask three times, format twice, autocomplete). Generous: GC pauses included. */
const DEFAULT_MAX_CASE_MS = 250;
const DEFAULT_CASES = 100_000;
/** A progress line on stderr every this many messages (the run takes minutes). */
const PROGRESS_EVERY = 10_000;
const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * Shapes that are slow for a reason, run first and reported by name (the random cases find them only
 * now and then): one long word (the typo lookup's deletion neighbourhood grows with its length), long
 * runs of e-mail-address characters (the unanswered log's scrubbing is quadratic in them: the adapters'
 * cuts keep it small), and the pastes the issue names.
 */
const KNOWN_SHAPES: Readonly<Record<string, string>> = {
  'one 500-letter word': 'qwertyuiopasdfghjklzxcvbnm'.repeat(20).slice(0, 500),
  'a question, then a 300-letter word': `What was Haidian's GDP in 2016? ${'haidianzhongguancun'.repeat(16).slice(0, 300)}`,
  '40,000 letters (Slack’s longest message)': 'x'.repeat(40_000),
  '100 KB of letters': 'x'.repeat(100_000),
  '100 KB of "a."': 'a.'.repeat(50_000),
  '100 KB of mathematical letters (NFKC → haidian…)': '𝔥𝔞𝔦𝔡𝔦𝔞𝔫'.repeat(7_200),
  '100 KB of <!channel>': '<!channel> '.repeat(9_100),
  '100 KB of Chinese': '海淀区的人口是多少'.repeat(11_100),
  '100 KB of digits': '1234567890'.repeat(10_000),
  '100 KB of whitespace and zero-width joiners': ' \u200d'.repeat(50_000),
};

interface Failure {
  count: number;
  example: string;
  input: string;
}

const FUZZ_COMMAND = defineCommand({
  command: 'npm run fuzz',
  summary:
    'Sends generated hostile user messages through the normaliser, the engine and both platform formatters, plus made-up reply models through the formatters alone. Prints every broken property with its first example and the slowest case; exits 1 on any failure or a case slower than the bound.',
  options: {
    cases: { type: 'string', value: 'N', default: String(DEFAULT_CASES), parse: wholeNumber(0), description: 'generated user messages' },
    models: { type: 'string', value: 'N', parse: wholeNumber(0), description: 'generated reply models (default: a fifth of --cases)' },
    seed: { type: 'string', value: 'N', parse: wholeNumber(0), description: 'the generators\' seed (default: random; the report prints it)' },
    'max-case-ms': { type: 'string', value: 'MS', default: String(DEFAULT_MAX_CASE_MS), parse: wholeNumber(0), description: 'the bound on one case, every path' },
    json: { type: 'boolean', description: 'print one JSON object instead of the report' },
  },
  notes: 'exit codes: 0 no failure, 1 a broken property or a case over the bound, 2 usage error',
  example: 'npm run fuzz -- --cases 10000 --seed 42',
});

function resolveOptions(values: CommandValues<typeof FUZZ_COMMAND.options>) {
  return {
    cases: values.cases,
    models: values.models ?? Math.ceil(values.cases / 5),
    seed: values.seed ?? Math.floor(Math.random() * 2 ** 31),
    maxCaseMs: values['max-case-ms'],
    json: values.json,
  };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function preview(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
}

async function main(options: ReturnType<typeof resolveOptions>): Promise<number> {
  const kb = await loadKnowledge(path.join(ROOT, 'knowledge'));
  const engine = createEngine(kb);
  const checker = createHostileChecker(engine, sourceUrls(kb));
  const questions = loadRealQuestions(ROOT);

  const failures = new Map<string, Failure>();
  const record = (kind: string, property: string, detail: string, input: string): void => {
    const key = `${kind}: ${property}`;
    const failure = failures.get(key);
    if (failure) failure.count += 1;
    else failures.set(key, { count: 1, example: detail, input: preview(input) });
  };

  const totals = new Float64Array(options.cases);
  let ran = 0;
  let failedCases = 0;
  let longCases = 0;
  // Assigned inside the property callback: the assertion keeps TypeScript from narrowing it to undefined here.
  let slowest = undefined as
    { ms: number; length: number; input: string; timings: CaseTimings } | undefined;
  const started = performance.now();
  const stageMax = zeroTimings();

  const shapes: { name: string; ms: number; askMs: number; scrubMs: number; failed: number }[] = [];
  for (const [name, input] of Object.entries(KNOWN_SHAPES)) {
    const { violations, timings } = checker.checkInput(input);
    shapes.push({
      name,
      ms: round(timings.total),
      askMs: round(timings.ask),
      scrubMs: round(timings.scrub),
      failed: violations.length,
    });
    for (const violation of violations)
      record('known shape', violation.property, violation.detail, input);
    if (!slowest || timings.total > slowest.ms)
      slowest = {
        ms: timings.total,
        length: input.length,
        input: `${name}: ${preview(input)}`,
        timings,
      };
  }

  // Properties that always hold so fast-check neither stops nor shrinks: every case is counted here.
  fc.assert(
    fc.property(hostileInput({ questions }), (input) => {
      const { violations, timings } = checker.checkInput(input);
      totals[ran] = timings.total;
      ran += 1;
      if (input.length >= 10_000) longCases += 1;
      for (const stage of Object.keys(stageMax) as (keyof CaseTimings)[])
        stageMax[stage] = Math.max(stageMax[stage], timings[stage]);
      if (!slowest || timings.total > slowest.ms)
        slowest = { ms: timings.total, length: input.length, input: preview(input), timings };
      if (violations.length > 0) failedCases += 1;
      for (const violation of violations)
        record('input', violation.property, violation.detail, input);
      if (!options.json && ran % PROGRESS_EVERY === 0) {
        process.stderr.write(
          `fuzz: ${ran}/${options.cases} messages, ${failedCases} failed, slowest ${round(slowest.ms)} ms, ${round((performance.now() - started) / 1000)} s\n`,
        );
      }
      return true;
    }),
    { numRuns: options.cases, seed: options.seed },
  );

  let modelsRan = 0;
  let failedModels = 0;
  fc.assert(
    fc.property(hostileReply(), (reply) => {
      modelsRan += 1;
      const violations = checker.checkReplyModel(reply);
      if (violations.length > 0) failedModels += 1;
      for (const violation of violations)
        record('reply model', violation.property, violation.detail, reply.body);
      return true;
    }),
    { numRuns: options.models, seed: options.seed },
  );
  const elapsedS = (performance.now() - started) / 1000;

  const sorted = totals.slice(0, ran).sort();
  const tooSlow = slowest !== undefined && slowest.ms > options.maxCaseMs;
  const summary = {
    seed: options.seed,
    inputCases: ran,
    longInputCases: longCases,
    replyModelCases: modelsRan,
    failedInputCases: failedCases,
    failedReplyModelCases: failedModels,
    knownShapes: shapes,
    failures: Object.fromEntries(failures),
    caseMs: {
      p50: round(percentile(sorted, 50)),
      p99: round(percentile(sorted, 99)),
      max: round(slowest?.ms ?? 0),
      bound: options.maxCaseMs,
    },
    stageMaxMs: Object.fromEntries(roundAll(stageMax)),
    slowest: slowest && {
      ms: round(slowest.ms),
      length: slowest.length,
      input: slowest.input,
      timings: Object.fromEntries(roundAll(slowest.timings)),
    },
    elapsedS: round(elapsedS),
  };

  if (options.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    const lines = [
      `fuzz: seed ${options.seed} (repeat with --seed ${options.seed})`,
      `  user messages: ${ran} (${longCases} of 10–100 KB), failed: ${failedCases}`,
      `  reply models:  ${modelsRan}, failed: ${failedModels}`,
      `  time per message (every path): p50 ${summary.caseMs.p50} ms, p99 ${summary.caseMs.p99} ms, max ${summary.caseMs.max} ms (bound ${options.maxCaseMs} ms)`,
      `  slowest stage maxima (ms): ${Object.entries(summary.stageMaxMs)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
      '  known slow shapes (ms: every path, of which one engine.ask, and the unanswered-log scrub):',
      ...shapes.map(
        (shape) => `    ${shape.name}: ${shape.ms} (ask ${shape.askMs}, scrub ${shape.scrubMs})`,
      ),
      `  slowest message: ${summary.slowest?.ms} ms, ${summary.slowest?.length} chars, ${summary.slowest?.input}`,
      `  ran in ${summary.elapsedS} s`,
    ];
    if (failures.size > 0) {
      lines.push('  failures:');
      for (const [property, failure] of failures)
        lines.push(
          `    ${failure.count} × ${property}\n      e.g. ${failure.example}\n      input ${failure.input}`,
        );
    } else {
      lines.push('  failures: none');
    }
    if (tooSlow)
      lines.push(
        `  TOO SLOW: one message took ${summary.caseMs.max} ms, over the ${options.maxCaseMs} ms bound`,
      );
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return failures.size > 0 || tooSlow ? 1 : 0;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function roundAll(timings: CaseTimings): [string, number][] {
  return (Object.entries(timings) as [string, number][]).map(([stage, ms]) => [stage, round(ms)]);
}

process.exitCode = await runCommand(FUZZ_COMMAND, process.argv.slice(2), ({ values }) =>
  main(resolveOptions(values)),
);
