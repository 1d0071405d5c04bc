/**
 * Developer tool: where haidian-bot's time and accuracy go on the benchmark corpus.
 *
 *   npx tsx bench/profile.ts [--facts 10000] [--examples 6]
 *
 * Times each stage of `ask` (normalise, small-talk check, tokenise, index search, the rest of the
 * reply), splits the build between the index and the rest of createEngine, and explains every miss:
 * for in-scope questions whether the right fact was declined (and its score) or beaten (and by what),
 * for out-of-scope ones which fact answered and with what score, with examples and their tokens.
 * Uses the engine's internal modules the way scripts/explain.ts does; the numbers are for reading,
 * not for CI.
 */
import { ANSWER_THRESHOLD, CANDIDATES_MAX } from '../src/engine/defaults.js';
import { createEngine } from '../src/engine/engine.js';
import { FactIndex, type Candidate } from '../src/engine/fact-index.js';
import { normalizeText } from '../src/engine/normalize.js';
import { detectIntent } from '../src/engine/smalltalk.js';
import { tokenizeNormalized } from '../src/engine/tokenize.js';
import {
  CATEGORIES,
  defaultQueryCounts,
  generateCorpus,
  generateQueries,
  type BenchQuery,
  type Category,
} from './corpus.js';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const size = arg('facts', 10_000);
const examples = arg('examples', 6);

const corpus = generateCorpus(size);
const queries = generateQueries(corpus, defaultQueryCounts(1000));
const warmup = generateQueries(corpus, defaultQueryCounts(300), corpus.seed + 1);
const facts = corpus.facts;

let t = performance.now();
const engine = createEngine(corpus.kb, { genericTerms: [] });
const engineMs = performance.now() - t;
t = performance.now();
const index = new FactIndex(
  facts.map((f) => ({
    questions: [...f.questions.en, ...f.questions.zh],
    keywords: f.keywords,
    aliases: f.aliases,
    answers: [f.answer.en],
  })),
  { genericTerms: [] },
);
const indexMs = performance.now() - t;
console.log(
  `${size} facts: createEngine ${engineMs.toFixed(0)} ms, of which FactIndex alone ≈ ${indexMs.toFixed(0)} ms`,
);

// ---- Stage timing ----
const stages = ['normalize', 'intent', 'tokenize', 'search', 'ask (whole)'] as const;
const samples: Record<(typeof stages)[number], number[]> = {
  normalize: [],
  intent: [],
  tokenize: [],
  search: [],
  'ask (whole)': [],
};
for (const q of warmup) engine.ask(q.text);
for (let pass = 0; pass < 3; pass++) {
  for (const q of queries) {
    let s = performance.now();
    const normalized = normalizeText(q.text);
    let e = performance.now();
    samples.normalize.push(e - s);
    s = e;
    const intent = detectIntent(normalized);
    e = performance.now();
    samples.intent.push(e - s);
    s = e;
    const tokens = tokenizeNormalized(intent.rest);
    e = performance.now();
    samples.tokenize.push(e - s);
    s = e;
    index.search(tokens, CANDIDATES_MAX);
    e = performance.now();
    samples.search.push(e - s);
    s = performance.now();
    engine.ask(q.text);
    samples['ask (whole)'].push(performance.now() - s);
  }
}
const quantile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
};
console.log('\nstage                p50 µs   p99 µs   mean µs');
for (const stage of stages) {
  const v = samples[stage];
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  console.log(
    `${stage.padEnd(18)} ${(quantile(v, 0.5) * 1000).toFixed(1).padStart(8)} ${(quantile(v, 0.99) * 1000).toFixed(1).padStart(8)} ${(mean * 1000).toFixed(1).padStart(9)}`,
  );
}
const byCategory = new Map<Category, number[]>();
queries.forEach((q, i) => {
  const list = byCategory.get(q.category) ?? [];
  list.push(samples['ask (whole)'][i] as number);
  byCategory.set(q.category, list);
});
console.log(
  `ask p50/p99 by category (µs): ${CATEGORIES.map((c) => `${c} ${(quantile(byCategory.get(c) ?? [], 0.5) * 1000).toFixed(0)}/${(quantile(byCategory.get(c) ?? [], 0.99) * 1000).toFixed(0)}`).join(', ')}`,
);

// ---- Intrinsic latency: each query's best of 9 runs, so preemption and GC pauses drop out ----
const REPEATS = 9;
const fastest = queries.map((q) => {
  let min = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    const s = performance.now();
    engine.ask(q.text);
    min = Math.min(min, performance.now() - s);
  }
  return { q, us: min * 1000 };
});
const bestUs = fastest.map((b) => b.us / 1000);
console.log(
  `\nintrinsic ask latency (best of ${REPEATS} per query): p50 ${(quantile(bestUs, 0.5) * 1000).toFixed(1)} µs, ` +
    `p99 ${(quantile(bestUs, 0.99) * 1000).toFixed(1)} µs, max ${(Math.max(...bestUs) * 1000).toFixed(1)} µs; slowest:`,
);
for (const { q, us } of [...fastest].sort((a, b) => b.us - a.us).slice(0, examples)) {
  console.log(`  ${us.toFixed(0).padStart(5)} µs  ${q.category.padEnd(10)} ${q.text}`);
}

// ---- Misses ----
interface Miss {
  readonly q: BenchQuery;
  readonly reason: string;
  readonly detail: string;
}
const misses: Miss[] = [];
const label = (c: Candidate | undefined): string =>
  c
    ? `${facts[c.doc]?.id} ${c.score.toFixed(2)} (cov ${c.coverage.toFixed(2)}, dice ${c.bestQuestion.toFixed(2)})`
    : 'none';
const rightScores: number[] = [];
const oosScores: number[] = [];
for (const q of queries) {
  const reply = engine.ask(q.text);
  const answered = reply.kind === 'answer' ? (reply.factId ?? null) : null;
  const tokens = tokenizeNormalized(detectIntent(normalizeText(q.text)).rest);
  const candidates = index.search(tokens, CANDIDATES_MAX);
  const top = candidates[0];
  if (q.expected === null) oosScores.push(top?.score ?? 0);
  else if (top && facts[top.doc]?.id === q.expected) rightScores.push(top.score);
  if (answered === q.expected) continue;
  const terms = tokens.map((tk) => tk.term).join(' ');
  if (q.expected === null) {
    misses.push({
      q,
      reason: `answered (${q.oosKind})`,
      detail: `→ ${label(top)} | terms: ${terms}`,
    });
    continue;
  }
  const rank = candidates.findIndex((c) => facts[c.doc]?.id === q.expected);
  const right = candidates[rank];
  let reason: string;
  if (answered === null) {
    if (rank === 0)
      reason =
        top && top.score >= ANSWER_THRESHOLD
          ? 'declined: right fact on top, engine guard'
          : 'declined: right fact on top, score < threshold';
    else
      reason =
        rank > 0
          ? 'declined: right fact not on top, top < threshold'
          : 'declined: right fact not a candidate';
  } else
    reason =
      rank > 0 ? 'wrong fact: right fact ranked lower' : 'wrong fact: right fact not a candidate';
  misses.push({
    q,
    reason,
    detail: `top ${label(top)}; right #${rank + 1} ${label(right)} | terms: ${terms}`,
  });
}

console.log(`\nmisses of ${queries.length} queries (threshold ${ANSWER_THRESHOLD}):`);
const groups = new Map<string, Miss[]>();
for (const miss of misses) {
  const key = `${miss.q.category}: ${miss.reason}`;
  groups.set(key, [...(groups.get(key) ?? []), miss]);
}
for (const [key, list] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
  console.log(`\n${String(list.length).padStart(4)}  ${key}`);
  for (const miss of list.slice(0, examples))
    console.log(`        "${miss.q.text}" [${miss.q.expected ?? 'oos'}]\n          ${miss.detail}`);
}

// ---- Does the score separate right answers from out-of-scope questions? ----
let auc = 0;
for (const r of rightScores) for (const o of oosScores) auc += r > o ? 1 : r === o ? 0.5 : 0;
auc /= Math.max(1, rightScores.length * oosScores.length);
let best = { threshold: 0, good: -1 };
for (const threshold of [...new Set([...rightScores, ...oosScores])].sort((a, b) => a - b)) {
  const good =
    rightScores.filter((s) => s >= threshold).length +
    oosScores.filter((s) => s < threshold).length;
  if (good > best.good) best = { threshold, good };
}
const inScopeCount = queries.filter((q) => q.expected !== null).length;
console.log(
  `\nscore separation: right-on-top ${rightScores.length}/${inScopeCount} in-scope, AUC(right top score vs OOS top score) ${auc.toFixed(3)}; ` +
    `best single threshold on this set ${best.threshold.toFixed(3)} → ${((best.good / queries.length) * 100).toFixed(1)} % answered-right-or-declined ` +
    `(at ${ANSWER_THRESHOLD}: ${(((rightScores.filter((s) => s >= ANSWER_THRESHOLD).length + oosScores.filter((s) => s < ANSWER_THRESHOLD).length) / queries.length) * 100).toFixed(1)} %)`,
);
console.log(
  `OOS top score quantiles: p50 ${quantile(oosScores, 0.5).toFixed(2)}, p90 ${quantile(oosScores, 0.9).toFixed(2)}; right in-scope p10 ${quantile(rightScores, 0.1).toFixed(2)}, p50 ${quantile(rightScores, 0.5).toFixed(2)}`,
);
