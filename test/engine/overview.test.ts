import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import type { Engine } from '../../src/engine/types.js';
import type { KnowledgeBase } from '../../src/knowledge/schema.js';
import { loadKnowledge } from '../../src/knowledge/load.js';

let kb: KnowledgeBase;
let engine: Engine;
beforeAll(async () => {
  kb = await loadKnowledge('knowledge');
  engine = createEngine(kb);
});

describe('overview (the front page of the fact base)', () => {
  it('shares the help reply’s intro and topics', () => {
    for (const language of ['en', 'zh'] as const) {
      const help = engine.help(language);
      const overview = engine.overview(language);
      expect(overview.intro).toBe(help.body);
      expect(overview.topics).toEqual(help.topics);
      expect(overview.factCount).toBe(engine.factCount);
    }
  });

  it('suggests a few questions, each answered by its own fact', () => {
    const { suggestions } = engine.overview('en');
    expect(suggestions.length).toBeGreaterThanOrEqual(2);
    for (const suggestion of suggestions) {
      expect(engine.answerFact(suggestion.factId, 'en').kind).toBe('answer');
      expect(suggestion.question.trim()).not.toBe('');
    }
    expect(engine.overview('zh').suggestions.every((s) => /\p{Script=Han}/u.test(s.question))).toBe(true);
  });

  it('dates the base by its newest as_of, whatever the precision of the dates', () => {
    const newest = kb.facts.map((fact) => fact.as_of).sort().at(-1);
    expect(engine.overview().asOf).toBe(newest);
    const [first, second] = kb.facts;
    if (!first || !second) throw new Error('the fact base has fewer than two facts');
    const dated = createEngine({ ...kb, facts: [{ ...first, as_of: '2019-12-31' }, { ...second, as_of: '2020' }] });
    expect(dated.overview().asOf).toBe('2020');
  });
});
