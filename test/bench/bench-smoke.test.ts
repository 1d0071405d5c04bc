import { describe, expect, it } from 'vitest';
import { FactSchema } from '../../src/knowledge/schema.js';
import {
  CATEGORIES,
  defaultQueryCounts,
  generateCorpus,
  generateQueries,
} from '../../bench/corpus.js';
import { measureSize, scoreAnswers, stratify, type EngineResult, type SizeReport } from '../../bench/measure.js';
import { guardCosts, targetChecks } from '../../bench/report.js';
import { ENGINE_NAMES, PEER_FACTORIES } from '../../bench/peers.js';
import { guardBench, guardChecks } from '../../bench/guard-checks.js';

describe('benchmark corpus', () => {
  const corpus = generateCorpus(100);
  const queries = generateQueries(corpus, defaultQueryCounts(100));

  it('generates the asked number of facts, each valid for the fact schema, with unique ids', () => {
    expect(corpus.facts).toHaveLength(100);
    for (const fact of corpus.facts) expect(() => FactSchema.parse(fact)).not.toThrow();
    expect(new Set(corpus.facts.map((f) => f.id)).size).toBe(100);
    for (const fact of corpus.facts) {
      expect(fact.questions.en.length).toBeGreaterThanOrEqual(4);
      for (const source of fact.sources) expect(corpus.kb.sources.has(source)).toBe(true);
      expect(corpus.kb.topics.some((t) => t.id === fact.topic)).toBe(true);
    }
  });

  it('is deterministic for a size and seed', () => {
    const again = generateCorpus(100);
    expect(again.facts).toEqual(corpus.facts);
    expect(generateQueries(again, defaultQueryCounts(100))).toEqual(queries);
  });

  it('gives every in-scope query an existing fact and every out-of-scope query none, 20 % of them', () => {
    const ids = new Set(corpus.facts.map((f) => f.id));
    for (const q of queries) {
      if (q.category === 'oos') expect(q.expected).toBeNull();
      else expect(ids.has(q.expected ?? '')).toBe(true);
    }
    expect(queries.filter((q) => q.category === 'oos')).toHaveLength(20);
    for (const category of CATEGORIES)
      expect(queries.filter((q) => q.category === category)).toHaveLength(20);
  });

  it('words paraphrase, typo and unseen queries differently from the example questions of their fact', () => {
    const norm = (s: string): string =>
      s
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, ' ')
        .trim();
    for (const q of queries.filter((x) => x.category !== 'exact' && x.category !== 'oos')) {
      const fact = corpus.facts.find((f) => f.id === q.expected);
      expect(fact?.questions.en.map(norm)).not.toContain(norm(q.text));
    }
  });

  it('samples queries with the categories represented equally', () => {
    const sample = stratify(queries, 10);
    for (const category of CATEGORIES)
      expect(sample.filter((q) => q.category === category)).toHaveLength(2);
  });

  it('scores answers per category', () => {
    const score = scoreAnswers(
      [
        { text: 'a', category: 'exact', expected: 'x' },
        { text: 'b', category: 'typo', expected: 'y' },
        { text: 'c', category: 'oos', expected: null },
      ],
      ['x', null, null],
    );
    expect(score.accuracy).toEqual({
      exact: 1,
      paraphrase: null,
      typo: 0,
      unseen: null,
      in_scope: 0.5,
    });
    expect(score.oos_declined).toBe(1);
  });
});

describe('benchmark run (100 facts, every engine, a few queries)', () => {
  const report = measureSize({ facts: 100, total: 25, smoke: true, engines: [...ENGINE_NAMES] });

  it('reports one row per engine in the published shape', () => {
    expect(report.results.map((r) => r.engine)).toEqual([...ENGINE_NAMES]);
    for (const row of report.results) {
      expect(Object.keys(row).sort()).toEqual(
        [
          'accuracy',
          'build_ms',
          'engine',
          'facts',
          'heap_mb',
          'oos_declined',
          'p50_us',
          'p99_us',
          'queries',
          'rss_mb',
        ].sort(),
      );
      expect(Object.keys(row.accuracy).sort()).toEqual([
        'exact',
        'in_scope',
        'paraphrase',
        'typo',
        'unseen',
      ]);
      expect(row.facts).toBe(100);
      expect(row.queries).toBeGreaterThanOrEqual(5);
      for (const key of ['build_ms', 'p50_us', 'p99_us', 'rss_mb', 'heap_mb'] as const)
        expect(row[key]).toBeGreaterThanOrEqual(0);
      expect(row.p99_us).toBeGreaterThanOrEqual(row.p50_us);
    }
  });

  it('keeps every fraction within 0..1', () => {
    const fractions = (row: EngineResult): (number | null)[] => {
      const { exact, paraphrase, typo, unseen, in_scope } = row.accuracy;
      return [exact, paraphrase, typo, unseen, in_scope, row.oos_declined];
    };
    for (const row of report.results) {
      for (const value of fractions(row)) {
        expect(value).not.toBeNull();
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
  });

  it('answers exact example questions with the project engine', () => {
    const ours = report.results.find((r) => r.engine === 'haidian-bot');
    expect(ours?.accuracy.exact).toBeGreaterThan(0.5);
  });
});

describe('issue-6 target checks', () => {
  const row = (engine: EngineResult['engine'], inScope: number, oos: number): EngineResult => ({
    engine,
    facts: 10_000,
    queries: 1000,
    build_ms: 300,
    p50_us: 40,
    p99_us: 120,
    rss_mb: 160,
    heap_mb: 33,
    accuracy: { exact: 1, paraphrase: 0.99, typo: 0.97, unseen: 0.76, in_scope: inScope },
    oos_declined: oos,
  });
  const size = (results: EngineResult[]): SizeReport => ({
    facts: 10_000,
    corpus: { facts: 10_000, entities: 1, placeEntities: 1, serviceFacts: 0, topics: 1, questions: 1, distinctWords: 1, generate_ms: 1 },
    baseline: { rss_mb: 100, heap_mb: 20 },
    results,
  });

  it('compares with the peers only when peers ran', () => {
    const labels = (results: EngineResult[]) => targetChecks([size(results)], undefined).map((c) => c.label);
    expect(labels([row('haidian-bot', 0.93, 0.97)])).not.toContain('10k: in-scope ahead of every peer');
    const withPeer = targetChecks([size([row('haidian-bot', 0.93, 0.97), row('minisearch', 0.86, 0.31)])], undefined);
    expect(withPeer.find((c) => c.label === '10k: in-scope ahead of every peer')?.pass).toBe(true);
    expect(withPeer.find((c) => c.label === '10k: in-scope top-1 ≥ 95 %')?.pass).toBe(false);
  });

  it('prices the subject guard against the unguarded engine, and holds it to 10 %', () => {
    const timed = (engine: EngineResult['engine'], p50: number, p99: number): EngineResult => ({ ...row(engine, 0.93, 0.97), p50_us: p50, p99_us: p99 });
    expect(guardCosts([size([timed('haidian-bot', 44, 132)])])).toEqual([]);
    const sizes = [size([timed('haidian-bot', 44, 150), timed('haidian-bot-unguarded', 40, 120)])];
    const [cost] = guardCosts(sizes);
    expect(cost?.p50).toBeCloseTo(0.1);
    expect(cost?.p99).toBeCloseTo(0.25);
    const checks = targetChecks(sizes, undefined);
    expect(checks.find((c) => c.label === '10,000: subject guard p50 cost ≤ 10 %')).toMatchObject({ pass: true, detail: '+10 %' });
    expect(checks.find((c) => c.label === '10,000: subject guard p99 cost ≤ 10 %')).toMatchObject({ pass: false, detail: '+25 %' });
    // The unguarded engine is the same engine: it is no peer to be ahead of.
    expect(checks.map((c) => c.label)).not.toContain('10k: in-scope ahead of every peer');
  });
});

describe('bench:guard times the checks the guarded engine makes', () => {
  it('gets from its own guard the verdict the guarded engine acts on, for every question the unguarded one answers', () => {
    const corpus = generateCorpus(300);
    const bench = guardBench(corpus);
    const checks = guardChecks(corpus, bench.unguarded, corpus.seed, 200);
    const guarded = PEER_FACTORIES['haidian-bot']();
    guarded.build(corpus.facts);
    const guard = bench.newGuard();
    expect(checks.length).toBeGreaterThan(100);
    let verdicts = 0;
    for (const [raw, normalized, doc] of checks) {
      const verdict = guard.check(raw, normalized, doc);
      if (verdict !== undefined) verdicts++;
      const answered = guarded.query(raw);
      // No verdict: the guarded engine answers with the same fact; a verdict: it does not.
      if (verdict === undefined) expect(answered, raw).toBe(corpus.facts[doc]?.id);
      else expect(answered, raw).not.toBe(corpus.facts[doc]?.id);
    }
    // Both kinds were met (seven checks of 155 get a verdict on this corpus).
    expect(verdicts).toBeGreaterThan(0);
  });
});
