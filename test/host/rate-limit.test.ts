import { describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import { createEngine } from '../../src/engine/engine.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { createRateLimiter, createRateLimitGate, RATE_LIMIT_WINDOW_MS } from '../../src/host/rate-limit.js';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('the per-user rate limit', () => {
  it('lets 20 questions a minute through and answers the 21st with a polite notice in the asker’s language', async () => {
    const engine = createEngine(await loadKnowledge('knowledge'));
    const time = clock();
    const bot = createBot({ getEngine: () => engine, gate: createRateLimitGate({ perMinute: 20, now: time.now }) });
    const asker = { platform: 'slack', userId: 'U1' } as const;
    for (let i = 0; i < 20; i += 1) {
      expect((await bot.ask('How many incubators are on Zhongguancun street?', asker)).kind).toBe('answer');
      time.advance(1_000);
    }
    const notice = await bot.ask('How many incubators are on Zhongguancun street?', asker);
    expect(notice).toMatchObject({ kind: 'notice', language: 'en', sources: [], suggestions: [] });
    // The first question was 20 s ago, so it leaves the window in 40 s.
    expect(notice.body).toBe("You're asking faster than I can keep up with. Please wait about 40 s and ask again. Thanks for your patience!");
    const zh = await bot.ask('中关村大街有多少孵化器？', asker);
    expect(zh).toMatchObject({ kind: 'notice', language: 'zh' });
    expect(zh.body).toMatch(/请稍等约 40 秒再问我/);
  });

  it('counts per platform and user: one user’s flood does not limit another', () => {
    const time = clock();
    const gate = createRateLimitGate({ perMinute: 2, now: time.now });
    const a = { platform: 'slack', userId: 'U1' } as const;
    expect(gate.check(a, 'en')).toBeUndefined();
    expect(gate.check(a, 'en')).toBeUndefined();
    expect(gate.check(a, 'en')?.kind).toBe('notice');
    expect(gate.check({ platform: 'slack', userId: 'U2' }, 'en')).toBeUndefined();
    expect(gate.check({ platform: 'discord', userId: 'U1' }, 'en')).toBeUndefined();
    // Without a user id there is nobody to attribute the question to: not limited.
    for (let i = 0; i < 5; i += 1) expect(gate.check({ platform: 'slack' }, 'en')).toBeUndefined();
  });

  it('slides: a question leaves the window exactly one minute after it was asked', () => {
    const time = clock();
    const limiter = createRateLimiter({ perMinute: 3, now: time.now });
    expect(limiter.hit('u')).toBe(0);
    time.advance(10_000);
    expect(limiter.hit('u')).toBe(0);
    expect(limiter.hit('u')).toBe(0);
    expect(limiter.hit('u')).toBe(RATE_LIMIT_WINDOW_MS - 10_000);
    time.advance(RATE_LIMIT_WINDOW_MS - 10_000 - 1);
    expect(limiter.hit('u')).toBe(1);
    time.advance(1);
    // Blocked attempts were not recorded, so the slot of the first question is free now.
    expect(limiter.hit('u')).toBe(0);
    expect(limiter.hit('u')).toBeGreaterThan(0);
  });

  it('keeps memory bounded: idle users are forgotten, and never more than the cap are tracked', () => {
    const time = clock();
    const limiter = createRateLimiter({ perMinute: 5, now: time.now, maxTrackedUsers: 100 });
    for (let i = 0; i < 50; i += 1) limiter.hit(`idle-${i}`);
    expect(limiter.size).toBe(50);
    time.advance(RATE_LIMIT_WINDOW_MS + 1);
    limiter.hit('active');
    expect(limiter.size).toBe(1);
    for (let i = 0; i < 1_000; i += 1) limiter.hit(`burst-${i}`);
    expect(limiter.size).toBe(100);
  });
});
