import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import type { ConversationContext, Engine, Reply } from '../../src/engine/types.js';
import { loadKnowledge } from '../../src/knowledge/load.js';

let engine: Engine;
beforeAll(async () => {
  engine = createEngine(await loadKnowledge('knowledge'));
});

/** Asks each question in turn, passing each reply's context to the next, as an adapter does. */
const converse = (questions: readonly string[]): Reply[] => {
  let context: ConversationContext | undefined;
  return questions.map((question) => {
    const reply = engine.ask(question, context ? { context } : {});
    context = reply.context;
    return reply;
  });
};

describe('follow-up questions resolve against the conversation', () => {
  it('answers another year of the same series', () => {
    const [first, second, third] = converse(["What was Haidian's GDP in 2016?", 'and in 2017?', '2019 呢？']);
    expect(first?.factId).toBe('gdp-2016');
    expect(second?.factId).toBe('gdp-2017');
    expect(second?.body).toMatch(/594 billion/);
    expect(second?.sources.length).toBeGreaterThan(0);
    expect(third?.factId).toBe('gdp-2019');
    expect(third?.body).toMatch(/7926亿/);
  });

  it('answers another year in Chinese', () => {
    const [, second] = converse(['海淀区2016年的GDP是多少？', '2017年呢？']);
    expect(second?.factId).toBe('gdp-2017');
    expect(second?.body).toMatch(/5940亿/);
  });

  it('answers another attribute of the same subject', () => {
    const [, built] = converse(['Is the Summer Palace a world heritage site?', 'when was it built?']);
    expect(built?.factId).toBe('summer-palace-history');
    expect(built?.body).toMatch(/1750/);
  });

  it('does not answer an attribute of another subject that happens to match', () => {
    const [, area] = converse(['Is the Summer Palace a world heritage site?', 'what about its area?']);
    expect(area?.kind).toBe('no-match');
    expect(area?.confidence).toBe(0);
  });

  it('gives the source of the last answer', () => {
    const [first, source] = converse(["What was Haidian's GDP in 2016?", 'source?']);
    expect(source?.factId).toBe(first?.factId);
    expect(source?.sources).toEqual(first?.sources);
  });

  it('reads "get there" as the subject in hand and "what\'s the source" as asking for the source', () => {
    const [, there, source] = converse(['How big is the Summer Palace?', 'how do I get there by subway?', "what's the source"]);
    expect(there?.factId).toBe('summer-palace-subway');
    expect(source?.factId).toBe('summer-palace-subway');
    expect(source?.sources.length).toBeGreaterThan(0);
    // "there" alone is no subject: this is a question of its own.
    expect(engine.ask('How many universities are there in Haidian?').kind).toBe('answer');
  });

  it('starts over on a full new question', () => {
    const [, fresh] = converse(["What was Haidian's GDP in 2016?", 'How many universities are in Haidian?']);
    expect(fresh?.factId).toBe('universities-and-research-count');
  });

  it('keeps the context after a no-match so the conversation can go on', () => {
    const [, missing, back] = converse(["What was Haidian's GDP in 2016?", 'and in 1990?', 'and in 2017?']);
    expect(missing?.kind).toBe('no-match');
    expect(missing?.body).toMatch(/1990/);
    expect(back?.factId).toBe('gdp-2017');
  });
});

describe('an elliptical question without context is not guessed', () => {
  it.each(['and in 2017?', '2019 呢？', 'what about its area?', 'tell me more', 'source?', 'when was it built?', 'how do I get there?', "what's the source?"])('%s', (question) => {
    const reply = engine.ask(question);
    expect(reply.kind).toBe('clarify');
    expect(reply.confidence).toBe(0);
    expect(reply.factId).toBeUndefined();
    expect(reply.suggestions.length).toBeGreaterThan(0);
  });

  it('suggests the figures of the year it names', () => {
    const reply = engine.ask('and in 2017?');
    expect(reply.suggestions.map((s) => s.factId)).toContain('gdp-2017');
  });
});
