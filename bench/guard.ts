/**
 * Developer tool: what the subject guard costs on its own, on the benchmark corpus.
 *
 *   npx tsx bench/guard.ts [--facts 1000,10000] [--passes 12] [--slowest 10]
 *
 * The guard is asked about every question the unguarded engine answers, with the fact it answers
 * (the guarded engine asks it the same, before answering). Each pass builds a fresh guard, warms it
 * with another seed's questions (as `npm run bench` warms the engine), then times each check; a
 * check's time is its fastest over the passes, so that the machine's hiccups drop out. Printed: p50,
 * p90, p99 and mean per check, and the slowest checks. Inside the engine (`npm run bench -- --engines
 * haidian-bot,haidian-bot-unguarded`) the same checks cost more: the engine's search in between
 * leaves the guard's data out of the CPU caches. The numbers are for reading, not for CI.
 */
import { defineCommand, listOf, runCommand, wholeNumber, type CommandValues } from '../src/bot/command-line.js';
import { generateCorpus } from './corpus.js';
import { guardBench, guardChecks } from './guard-checks.js';

const GUARD_COMMAND = defineCommand({
  command: 'npm run bench:guard',
  summary:
    "Times the subject guard on its own: the checks the guarded engine makes for the bench's questions, each the fastest of several passes on fresh guards (p50, p90, p99, mean, and the slowest checks). Takes about a minute.",
  options: {
    facts: { type: 'string', value: 'N[,N…]', default: '1000,10000', parse: listOf(wholeNumber(), 'positive whole numbers'), description: 'fact-base sizes' },
    passes: { type: 'string', value: 'N', default: '12', parse: wholeNumber(), description: 'passes over the checks, each on a fresh guard' },
    slowest: { type: 'string', value: 'N', default: '10', parse: wholeNumber(0), description: 'how many of the slowest checks to list' },
  },
  example: 'npm run bench:guard -- --facts 1000 --passes 20',
});

/** The bench's own settings: 1,000 questions, warmed with 1,000 from the next seed. */
const QUERIES = 1000;

const quantile = (sorted: Float64Array, q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;

function main({ facts: sizes, passes, slowest }: CommandValues<typeof GUARD_COMMAND.options>): number {
  for (const size of sizes) {
    const corpus = generateCorpus(size);
    const bench = guardBench(corpus);
    const warm = guardChecks(corpus, bench.unguarded, corpus.seed + 1, QUERIES);
    const timed = guardChecks(corpus, bench.unguarded, corpus.seed, QUERIES);
    const best = new Float64Array(timed.length).fill(Infinity);
    let verdicts = 0;
    for (let pass = 0; pass < passes; pass++) {
      const guard = bench.newGuard();
      for (const [raw, normalized, doc] of warm) guard.check(raw, normalized, doc);
      timed.forEach(([raw, normalized, doc], i) => {
        const start = performance.now();
        const verdict = guard.check(raw, normalized, doc);
        best[i] = Math.min(best[i] as number, performance.now() - start);
        if (pass === 0 && verdict !== undefined) verdicts++;
      });
    }
    const sorted = Float64Array.from(best).sort();
    const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;
    const mean = sorted.reduce((sum, t) => sum + t, 0) / sorted.length;
    console.log(`\n${size.toLocaleString('en')} facts: ${timed.length} checks (${verdicts} with a verdict), fastest of ${passes} passes each`);
    console.log(`  p50 ${us(quantile(sorted, 0.5))}   p90 ${us(quantile(sorted, 0.9))}   p99 ${us(quantile(sorted, 0.99))}   mean ${us(mean)}`);
    console.log('  slowest:');
    for (const i of [...best.keys()].sort((a, b) => (best[b] as number) - (best[a] as number)).slice(0, slowest)) {
      console.log(`  ${us(best[i] as number).padStart(10)}  ${timed[i]?.[0]}`);
    }
  }
  return 0;
}

process.exitCode = await runCommand(GUARD_COMMAND, process.argv.slice(2), ({ values }) => main(values));
