/**
 * Measures the engines on one corpus size: build time, memory after build, query latency after
 * warm-up, and top-1 accuracy per query category. All engines see the same facts and queries; the
 * slow ones answer a stratified sample of them (the `queries` column says how many).
 */
import {
  CATEGORIES,
  IN_SCOPE_CATEGORIES,
  defaultQueryCounts,
  generateCorpus,
  generateQueries,
  type BenchQuery,
  type Category,
  type CorpusStats,
} from './corpus.js';
import { ENGINE_NAMES, PEER_FACTORIES, type EngineName, type Peer } from './peers.js';

export interface Accuracy {
  readonly exact: number | null;
  readonly paraphrase: number | null;
  readonly typo: number | null;
  readonly unseen: number | null;
  readonly in_scope: number | null;
}

/** One row of the benchmark; this shape is read by tools (`--json`). */
export interface EngineResult {
  readonly engine: EngineName;
  readonly facts: number;
  readonly queries: number;
  readonly build_ms: number;
  readonly p50_us: number;
  readonly p99_us: number;
  readonly rss_mb: number;
  readonly heap_mb: number;
  readonly accuracy: Accuracy;
  readonly oos_declined: number | null;
}

export interface SizeReport {
  readonly facts: number;
  readonly corpus: CorpusStats & { readonly generate_ms: number };
  /** Memory with the corpus and queries loaded and no engine built, for reading rss_mb/heap_mb. */
  readonly baseline: { readonly rss_mb: number; readonly heap_mb: number };
  readonly results: readonly EngineResult[];
}

export interface QueryPlan {
  /** Measured queries (a stratified sample when fewer than the full set). */
  readonly queries: number;
  /** Queries run on the built index before measuring. */
  readonly warmup: number;
  /** Queries run on a small throw-away instance first, to compile the hot paths. */
  readonly primer: number;
}

export interface SizeOptions {
  readonly facts: number;
  /** Queries per size for engines that run them all (default 1,000: 200 per category). */
  readonly total: number;
  readonly smoke: boolean;
  readonly engines: readonly EngineName[];
  readonly seed?: number;
  readonly log?: (line: string) => void;
}

export const DEFAULT_TOTAL_QUERIES = 1000;
export const SMOKE_TOTAL_QUERIES = 50;
const PRIMER_FACTS = 200;
/** Distinct warm-up questions generated per size. */
const WARMUP_QUERIES = 1000;

/**
 * How many queries each engine answers at each size, so that the default run finishes within 10
 * minutes on 2 cores. fuse.js costs about 0.4 ms per fact per query and MiniSearch about 2.5 µs per
 * fact per query here, so they are sampled at the larger sizes.
 */
export function planFor(
  engine: EngineName,
  facts: number,
  total: number,
  smoke: boolean,
): QueryPlan {
  const all = (warmup: number): QueryPlan => ({ queries: total, warmup, primer: smoke ? 20 : 100 });
  if (engine === 'fuse.js') {
    const cap = smoke
      ? facts <= 100
        ? 25
        : 5
      : facts <= 100
        ? 250
        : facts <= 1000
          ? 100
          : facts <= 10_000
            ? 20
            : 5;
    if (smoke) return { queries: Math.min(total, cap), warmup: 3, primer: 3 };
    return {
      queries: Math.min(total, cap),
      warmup: facts <= 100 ? 20 : facts <= 1000 ? 3 : 0,
      primer: 20,
    };
  }
  if (engine === 'minisearch') {
    if (facts > 10_000)
      return { queries: Math.min(total, smoke ? 10 : 100), warmup: 3, primer: 50 };
    return all(facts > 1000 ? 30 : 100);
  }
  // The fast engines answer in microseconds: a thousand distinct questions first let the JIT compile
  // every path they take, so the timings are of the steady state a running bot is in.
  return all(smoke ? 50 : 1000);
}

/** `n` queries with the categories represented equally, in generation order (which is random). */
export function stratify(queries: readonly BenchQuery[], n: number): BenchQuery[] {
  if (n >= queries.length) return [...queries];
  const byCategory = new Map<Category, BenchQuery[]>(
    CATEGORIES.map((c) => [c, queries.filter((q) => q.category === c)]),
  );
  const out: BenchQuery[] = [];
  for (let round = 0; out.length < n; round++) {
    let added = false;
    for (const category of CATEGORIES) {
      const next = byCategory.get(category)?.[round];
      if (next && out.length < n) {
        out.push(next);
        added = true;
      }
    }
    if (!added) break;
  }
  return out;
}

const MB = 1024 * 1024;
const round = (value: number, digits: number): number =>
  Math.round(value * 10 ** digits) / 10 ** digits;

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

function memory(): { rss_mb: number; heap_mb: number } {
  collectGarbage();
  const usage = process.memoryUsage();
  return { rss_mb: round(usage.rss / MB, 1), heap_mb: round(usage.heapUsed / MB, 1) };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] as number;
}

export function scoreAnswers(
  queries: readonly BenchQuery[],
  answers: readonly (string | null)[],
): { accuracy: Accuracy; oos_declined: number | null } {
  const rate = (
    filter: (q: BenchQuery) => boolean,
    good: (q: BenchQuery, a: string | null) => boolean,
  ): number | null => {
    let n = 0;
    let hits = 0;
    queries.forEach((q, i) => {
      if (!filter(q)) return;
      n++;
      if (good(q, answers[i] ?? null)) hits++;
    });
    return n === 0 ? null : round(hits / n, 4);
  };
  const right = (q: BenchQuery, a: string | null): boolean => a === q.expected;
  const inScope = new Set<Category>(IN_SCOPE_CATEGORIES);
  return {
    accuracy: {
      exact: rate((q) => q.category === 'exact', right),
      paraphrase: rate((q) => q.category === 'paraphrase', right),
      typo: rate((q) => q.category === 'typo', right),
      unseen: rate((q) => q.category === 'unseen', right),
      in_scope: rate((q) => inScope.has(q.category), right),
    },
    oos_declined: rate(
      (q) => q.category === 'oos',
      (_, a) => a === null,
    ),
  };
}

/** Runs every engine on one corpus size, one engine at a time (each is dropped before the next is built). */
export function measureSize(options: SizeOptions): SizeReport {
  const log = options.log ?? ((): void => undefined);
  const t0 = performance.now();
  const corpus = generateCorpus(options.facts, options.seed);
  const generateMs = performance.now() - t0;
  const all = generateQueries(corpus, defaultQueryCounts(options.total));
  // Warm-up questions come from another seed: the measured questions are never asked before they are timed.
  const primerQueries = generateQueries(
    corpus,
    defaultQueryCounts(WARMUP_QUERIES),
    corpus.seed + 1,
  );
  log(
    `[${options.facts}] corpus: ${corpus.stats.entities} entities, ${corpus.stats.distinctWords} distinct words, generated in ${Math.round(generateMs)} ms; ${all.length} queries`,
  );
  const baseline = memory();
  const results: EngineResult[] = [];

  /** An engine built and warmed up, with room for its timings. */
  interface Timed {
    readonly name: EngineName;
    readonly peer: Peer;
    readonly queries: readonly BenchQuery[];
    readonly buildMs: number;
    readonly mem: { readonly rss_mb: number; readonly heap_mb: number };
    readonly durations: Float64Array;
    readonly answers: (string | null)[];
  }
  const prepare = (name: EngineName): Timed => {
    const plan = planFor(name, options.facts, all.length, options.smoke);
    const queries = stratify(all, plan.queries);

    // Prime: a small instance compiles the build and query paths, then is dropped.
    const primer = PEER_FACTORIES[name]();
    primer.build(corpus.facts.slice(0, PRIMER_FACTS));
    for (const q of primerQueries.slice(0, plan.primer)) primer.query(q.text);
    collectGarbage();

    const peer = PEER_FACTORIES[name]();
    const start = performance.now();
    peer.build(corpus.facts);
    const buildMs = performance.now() - start;
    const mem = memory();
    for (let i = 0; i < plan.warmup; i++)
      peer.query((primerQueries[i % primerQueries.length] as BenchQuery).text);

    log(
      `[${options.facts}] ${name}: built in ${Math.round(buildMs)} ms, ${queries.length} queries…`,
    );
    return { name, peer, queries, buildMs, mem, durations: new Float64Array(queries.length), answers: new Array<string | null>(queries.length) };
  };
  const timeQuery = (timed: Timed, i: number): void => {
    const text = (timed.queries[i] as BenchQuery).text;
    const t = performance.now();
    const answer = timed.peer.query(text);
    timed.durations[i] = performance.now() - t;
    timed.answers[i] = answer;
  };
  const finish = (timed: Timed): void => {
    const { name, queries, durations, mem } = timed;
    durations.sort();
    const { accuracy, oos_declined } = scoreAnswers(queries, timed.answers);
    results.push({
      engine: name,
      facts: options.facts,
      queries: queries.length,
      build_ms: round(timed.buildMs, 1),
      p50_us: round(percentile(durations, 0.5) * 1000, 1),
      p99_us: round(percentile(durations, 0.99) * 1000, 1),
      rss_mb: mem.rss_mb,
      heap_mb: mem.heap_mb,
      accuracy,
      oos_declined,
    });
    log(
      `[${options.facts}] ${name}: p50 ${round(percentile(durations, 0.5) * 1000, 1)} µs, in-scope ${accuracy.in_scope}, oos declined ${oos_declined}`,
    );
  };

  const names = ENGINE_NAMES.filter((e) => options.engines.includes(e));
  // The engine with and without its subject guard are timed question by question in turn, each
  // going first every other question: run one after the other, the first pays for warming the
  // process up (measured: the guard's p50 cost at 1,000 facts read 17-24 % or 59-81 % by the order alone).
  const paired = names.includes('haidian-bot') && names.includes('haidian-bot-unguarded');
  for (const name of names) {
    if (paired && name === 'haidian-bot-unguarded') continue;
    const group = paired && name === 'haidian-bot' ? [prepare('haidian-bot'), prepare('haidian-bot-unguarded')] : [prepare(name)];
    const count = Math.min(...group.map((timed) => timed.queries.length));
    for (let i = 0; i < count; i++) for (const timed of i % 2 === 0 ? group : [...group].reverse()) timeQuery(timed, i);
    group.forEach(finish);
  }
  collectGarbage();
  return {
    facts: options.facts,
    corpus: { ...corpus.stats, generate_ms: round(generateMs, 1) },
    baseline,
    results,
  };
}
