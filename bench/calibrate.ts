/**
 * Calibrates MiniSearch's decline threshold once, on a corpus and queries the benchmark never uses
 * (another seed), by the best rate of "answered right or rightly declined" over all queries.
 * Usage: npx tsx bench/calibrate.ts [--facts 1000]
 */
import { defaultQueryCounts, generateCorpus, generateQueries } from './corpus.js';
import { createMiniSearchPeer, MINISEARCH_MIN_SCORE } from './peers.js';

const CALIBRATION_SEED = 424242;

function main(): void {
  const at = process.argv.indexOf('--facts');
  const size = at >= 0 ? Number(process.argv[at + 1]) : 1000;
  const corpus = generateCorpus(size, CALIBRATION_SEED);
  const queries = generateQueries(corpus, defaultQueryCounts(1000));
  const peer = createMiniSearchPeer();
  peer.build(corpus.facts);
  const scored = queries.map((q) => ({ q, top: peer.topScore(q.text) }));

  const candidates = [...new Set(scored.map((s) => Math.floor(s.top?.score ?? 0)))].sort(
    (a, b) => a - b,
  );
  let best = { threshold: 0, rate: -1 };
  for (const threshold of [0, ...candidates]) {
    let good = 0;
    for (const { q, top } of scored) {
      const answer = top && top.score >= threshold ? top.id : null;
      if (answer === q.expected) good++;
    }
    const rate = good / scored.length;
    if (rate > best.rate) best = { threshold, rate };
  }
  const pct = (xs: number[], p: number): number =>
    xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0;
  const inScope = scored
    .filter((s) => s.q.expected !== null && s.top?.id === s.q.expected)
    .map((s) => s.top?.score ?? 0);
  const oos = scored.filter((s) => s.q.expected === null).map((s) => s.top?.score ?? 0);
  console.log(
    `calibration corpus: ${size} facts, seed ${CALIBRATION_SEED}, ${queries.length} queries`,
  );
  console.log(
    `right in-scope top scores: p10 ${pct(inScope, 0.1).toFixed(1)}, p50 ${pct(inScope, 0.5).toFixed(1)}`,
  );
  console.log(
    `out-of-scope top scores:   p50 ${pct(oos, 0.5).toFixed(1)}, p90 ${pct(oos, 0.9).toFixed(1)}`,
  );
  console.log(
    `best threshold ${best.threshold} (overall ${(best.rate * 100).toFixed(1)} %); peers.ts uses ${MINISEARCH_MIN_SCORE}`,
  );
}

main();
