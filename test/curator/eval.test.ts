import { describe, expect, it } from 'vitest';
import { formatEvalReport, parseEvalFile, runEval } from '../../src/curator/eval.js';
import type { AskOptions, ConversationContext, Engine, Reply } from '../../src/engine/types.js';

const SOURCE = { id: 's', title: 'Stats', publisher: 'Bureau', url: 'https://example.org', date: '2024' };

/**
 * A scripted engine: "gdp 2016" answers the 2016 figure and leaves a context; "and in 2017?" answers
 * 2017 only with that context and asks what it refers to without; "hello" gets small talk and no context.
 */
function scriptedEngine(): Engine & { readonly seen: (ConversationContext | undefined)[] } {
  const seen: (ConversationContext | undefined)[] = [];
  const answer = (year: number): Reply => ({
    kind: 'answer',
    language: 'en',
    body: `GDP in ${year} was ${year === 2016 ? 490 : 594} billion.`,
    factId: `gdp-${year}`,
    sources: [SOURCE],
    suggestions: [],
    topics: [],
    confidence: 0.9,
    context: { factId: `gdp-${year}`, series: 'gdp', year, language: 'en' },
  });
  const plain = (kind: Reply['kind']): Reply => ({ kind, language: 'en', body: kind, sources: [], suggestions: [], topics: [], confidence: 0 });
  return {
    seen,
    ask(question: string, options: AskOptions = {}) {
      seen.push(options.context);
      if (question === 'gdp 2016') return answer(2016);
      if (question === 'and in 2017?') return options.context ? answer(2017) : plain('clarify');
      if (question === 'guess 2017') return answer(2017);
      if (question === 'hello') return plain('smalltalk');
      return plain('no-match');
    },
    answerFact: () => plain('no-match'),
    complete: () => [],
    help: () => plain('help'),
    overview: () => ({ language: 'en', intro: 'help', factCount: 2, topics: [], suggestions: [] }),
    nearest: () => undefined,
    factCount: 2,
  };
}

describe('eval file format', () => {
  it('reads a one-question line as a conversation of one turn', () => {
    expect(parseEvalFile('{"q": "gdp 2016", "expect": ["490"], "category": "year"}\n\n', 'set.jsonl')).toEqual([
      { turns: [{ q: 'gdp 2016', expect: ['490'] }], category: 'year' },
    ]);
  });

  it('reads a multi-turn line: setup turns without a check, checked turns with expect, decline or kind', () => {
    const [c] = parseEvalFile(
      '{"turns": [{"q": "gdp 2016"}, {"q": "and in 2017?", "expect": ["594"]}, {"q": "and in 1990?", "decline": true}], "category": "follow-up"}',
      'set.jsonl',
    );
    expect(c?.turns.map((t) => t.q)).toEqual(['gdp 2016', 'and in 2017?', 'and in 1990?']);
    expect(c?.category).toBe('follow-up');
  });

  it('accepts clarify as a reply kind', () => {
    expect(parseEvalFile('{"q": "and in 2017?", "kind": "clarify"}', 'set.jsonl')[0]?.turns[0]?.kind).toBe('clarify');
  });

  it.each([
    ['{"turns": [{"q": "gdp 2016", "expect": ["490"]}]}', /at least two turns/],
    ['{"turns": [{"q": "gdp 2016"}, {"q": "and in 2017?"}]}', /at least one turn needs/],
    ['{"turns": [{"q": "gdp 2016"}, {"q": "and in 2017?", "expect": ["594"], "decline": true}]}', /at most one/],
    ['{"turns": [{"q": "gdp 2016"}, {"q": "and in 2017?", "expect": ["(594"]}]}', /invalid regex/],
    ['{"q": "and in 2017?"}', /exactly one/],
  ])('names the line of a bad conversation: %s', (line, message) => {
    expect(() => parseEvalFile(`{"q": "hello", "kind": "smalltalk"}\n${line}`, 'set.jsonl')).toThrow(/^set\.jsonl:2: /);
    expect(() => parseEvalFile(line, 'set.jsonl')).toThrow(message);
  });
});

describe('running conversations', () => {
  const file = [
    '{"turns": [{"q": "gdp 2016", "expect": ["490"]}, {"q": "and in 2017?", "expect": ["594"]}], "category": "year"}',
    '{"turns": [{"q": "hello"}, {"q": "and in 2017?", "kind": "clarify"}], "category": "kept"}',
    '{"q": "and in 2017?", "kind": "clarify", "category": "no-context"}',
    '{"q": "and in 2017?", "expect": ["594"], "category": "alone"}',
  ].join('\n');

  it('passes each reply’s context to the next turn, and starts each line with none', () => {
    const engine = scriptedEngine();
    runEval(engine, parseEvalFile(file, 'set.jsonl'));
    expect(engine.seen.map((context) => context?.factId)).toEqual([undefined, 'gdp-2016', undefined, undefined, undefined, undefined]);
  });

  it('scores every checked turn and reports the conversation before the question', () => {
    const summary = runEval(scriptedEngine(), parseEvalFile(file, 'set.jsonl'));
    expect(summary.outcomes.map((o) => [o.question, o.ok])).toEqual([
      ['gdp 2016', true],
      ['gdp 2016 → and in 2017?', true],
      ['hello → and in 2017?', true],
      ['and in 2017?', true],
      ['and in 2017?', false],
    ]);
    expect(summary.all).toEqual({ total: 5, ok: 4 });
    expect(summary.inScope).toEqual({ total: 3, ok: 2 });
    expect(summary.byCategory.get('year')).toEqual({ total: 2, ok: 2 });
  });

  it('counts a follow-up answered with no conversation as a confident wrong answer', () => {
    const guessing = parseEvalFile('{"q": "guess 2017", "kind": "clarify"}\n{"q": "and in 2017?", "kind": "clarify"}', 'set.jsonl');
    const summary = runEval(scriptedEngine(), guessing);
    expect(summary.noContext).toEqual({ total: 2, answered: 1 });
    expect(summary.outcomes[0]?.guessedWithoutContext).toBe(true);
    const report = formatEvalReport('set.jsonl', summary);
    expect(report).toContain('follow-ups with no context answered (confident wrong): 1/2');
    expect(report).toContain('✗ [kind:clarify] guess 2017');
  });

  it('does not count a clarify expected later in a conversation as a no-context case', () => {
    const summary = runEval(scriptedEngine(), parseEvalFile(file, 'set.jsonl'));
    expect(summary.noContext).toEqual({ total: 1, answered: 0 });
  });
});
