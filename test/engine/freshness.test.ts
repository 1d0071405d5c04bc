import { beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import { createEngine } from '../../src/engine/engine.js';
import type { Engine } from '../../src/engine/types.js';
import { daysBetween, findDueReviews } from '../../src/knowledge/freshness.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import type { KnowledgeBase } from '../../src/knowledge/schema.js';

/** The freshness fixture: bakeries past review (2021-03-01), bridges due 2026-12-20, museums 2999, river none. */
const FIXTURE = 'test/fixtures/fresh-knowledge';

let kb: KnowledgeBase;
let engine: Engine;
beforeAll(async () => {
  kb = await loadKnowledge(FIXTURE);
  engine = createEngine(kb);
});

describe('answers past their review date', () => {
  it('marks an answer stale when the day asked is after the fact’s review_by, in both languages', () => {
    for (const question of ['How many bakeries are there?', '有多少家面包店？']) {
      const reply = engine.ask(question, { today: '2026-12-07' });
      expect(reply).toMatchObject({ kind: 'answer', factId: 'fixture-bakeries', stale: { reviewBy: '2021-03-01', asOf: '2020-03-01' } });
    }
  });

  it('does not mark it on or before the review date, for facts without one, or when no day is given', () => {
    expect(engine.ask('How many bakeries are there?', { today: '2021-03-01' }).stale).toBeUndefined();
    expect(engine.ask('How many bakeries are there?', { today: '2021-03-02' }).stale).toBeDefined();
    expect(engine.ask('How many bakeries are there?').stale).toBeUndefined();
    expect(engine.ask('Which river is the town on?', { today: '2999-12-31' }).stale).toBeUndefined();
    expect(engine.ask('How many museums are there?', { today: '2026-12-07' }).stale).toBeUndefined();
  });

  it('marks a clicked suggestion (answerFact) and a follow-up answer too, never a non-answer', () => {
    expect(engine.answerFact('fixture-bakeries', 'en', { today: '2026-12-07' }).stale).toBeDefined();
    expect(engine.answerFact('fixture-bakeries', 'en').stale).toBeUndefined();
    expect(engine.ask('What is the capital of France?', { today: '2026-12-07' }).stale).toBeUndefined();
    const first = engine.ask('How many bakeries are there?', { today: '2026-12-07' });
    const source = engine.ask('source?', { today: '2026-12-07', ...(first.context ? { context: first.context } : {}) });
    expect(source).toMatchObject({ kind: 'answer', factId: 'fixture-bakeries', stale: { reviewBy: '2021-03-01' } });
  });

  it('the Bot gives the engine the day from its clock', async () => {
    const bot = createBot({ getEngine: () => engine, today: () => '2026-12-07' });
    expect((await bot.ask('How many bakeries are there?', { platform: 'cli' })).stale).toEqual({ reviewBy: '2021-03-01', asOf: '2020-03-01' });
    expect((await bot.answerFact('fixture-bakeries', 'zh', { platform: 'cli' })).stale).toBeDefined();
    const early = createBot({ getEngine: () => engine, today: () => '2020-06-01' });
    expect((await early.ask('How many bakeries are there?', { platform: 'cli' })).stale).toBeUndefined();
  });
});

describe('facts due for review', () => {
  it('lists facts past review_by or within 30 days of it, most overdue first', () => {
    expect(findDueReviews(kb, '2026-12-07').map((f) => [f.factId, f.status, f.daysLeft])).toEqual([
      ['fixture-bakeries', 'past', -2107],
      ['fixture-bridges', 'soon', 13],
    ]);
    expect(findDueReviews(kb, '2026-11-19').map((f) => f.factId)).toEqual(['fixture-bakeries']);
    expect(findDueReviews(kb, '2026-11-20').map((f) => f.factId)).toEqual(['fixture-bakeries', 'fixture-bridges']);
    expect(findDueReviews(kb, '2021-03-01')[0]).toMatchObject({ factId: 'fixture-bakeries', status: 'soon', daysLeft: 0 });
  });

  it('counts days across month and leap-year ends', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2026-12-01')).toBe(-30);
  });
});
