import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import { createEngine } from '../../src/engine/engine.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { createRateLimitGate, RATE_LIMIT_WINDOW_MS } from '../../src/host/rate-limit.js';

// rate-limiter-flexible reads Date.now() and expires its counters with timers: the fake clock drives both.
beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the per-user rate limit', () => {
  it('lets 20 questions a minute through and answers the 21st with a polite notice in the asker’s language', async () => {
    const engine = createEngine(await loadKnowledge('knowledge'));
    const bot = createBot({ getEngine: () => engine, gate: createRateLimitGate({ perMinute: 20 }) });
    const asker = { platform: 'slack', userId: 'U1' } as const;
    for (let i = 0; i < 20; i += 1) {
      expect((await bot.ask('How many incubators are on Zhongguancun street?', asker)).kind).toBe('answer');
      vi.advanceTimersByTime(1_000);
    }
    const notice = await bot.ask('How many incubators are on Zhongguancun street?', asker);
    expect(notice).toMatchObject({ kind: 'notice', language: 'en', sources: [], suggestions: [] });
    // The window began with the first question 20 s ago, so it ends in 40 s.
    expect(notice.body).toBe("You're asking faster than I can keep up with. Please wait about 40 s and ask again. Thanks for your patience!");
    const zh = await bot.ask('中关村大街有多少孵化器？', asker);
    expect(zh).toMatchObject({ kind: 'notice', language: 'zh' });
    expect(zh.body).toMatch(/请稍等约 40 秒再问我/);
    // A button click (answerFact) counts against the same limit.
    expect((await bot.answerFact('gdp-2016', 'en', asker)).kind).toBe('notice');
  });

  it('counts per platform and user: one user’s flood does not limit another', async () => {
    const gate = createRateLimitGate({ perMinute: 2 });
    const a = { platform: 'slack', userId: 'U1' } as const;
    expect(await gate.check(a, 'en')).toBeUndefined();
    expect(await gate.check(a, 'en')).toBeUndefined();
    expect((await gate.check(a, 'en'))?.kind).toBe('notice');
    expect(await gate.check({ platform: 'slack', userId: 'U2' }, 'en')).toBeUndefined();
    expect(await gate.check({ platform: 'discord', userId: 'U1' }, 'en')).toBeUndefined();
    // Without a user id there is nobody to attribute the question to: not limited.
    for (let i = 0; i < 5; i += 1) expect(await gate.check({ platform: 'slack' }, 'en')).toBeUndefined();
  });

  it('lets the user ask again once the window is over, and does not count blocked attempts', async () => {
    const gate = createRateLimitGate({ perMinute: 3 });
    const u = { platform: 'discord', userId: 'u' } as const;
    for (let i = 0; i < 3; i += 1) expect(await gate.check(u, 'en')).toBeUndefined();
    vi.advanceTimersByTime(RATE_LIMIT_WINDOW_MS - 1_000);
    expect((await gate.check(u, 'en'))?.body).toMatch(/wait about 1 s/);
    vi.advanceTimersByTime(1_000);
    for (let i = 0; i < 3; i += 1) expect(await gate.check(u, 'en')).toBeUndefined();
    expect((await gate.check(u, 'en'))?.kind).toBe('notice');
  });
});
