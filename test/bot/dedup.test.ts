import { describe, expect, it } from 'vitest';
import { createDedupCache, EVENT_DEDUP_TTL_MS } from '../../src/bot/dedup.js';

describe('createDedupCache', () => {
  it('remembers an event id for at least 10 minutes', () => {
    expect(EVENT_DEDUP_TTL_MS).toBeGreaterThanOrEqual(10 * 60_000);
    let now = 0;
    const cache = createDedupCache({ now: () => now });
    expect(cache.firstSeen('Ev1')).toBe(true);
    now = EVENT_DEDUP_TTL_MS - 1;
    expect(cache.firstSeen('Ev1')).toBe(false);
    now = EVENT_DEDUP_TTL_MS + 1;
    expect(cache.firstSeen('Ev1')).toBe(true);
  });

  it('forgets expired keys so memory stays small', () => {
    let now = 0;
    const cache = createDedupCache({ ttlMs: 100, now: () => now });
    for (let i = 0; i < 1_000; i += 1) cache.firstSeen(`Ev${i}`);
    now = 101;
    cache.firstSeen('later');
    expect(cache.size).toBe(1);
  });

  it('stays bounded under a flood, forgetting the oldest first', () => {
    const cache = createDedupCache({ maxEntries: 3, now: () => 0 });
    for (const key of ['a', 'b', 'c', 'd']) expect(cache.firstSeen(key)).toBe(true);
    expect(cache.size).toBe(3);
    expect(cache.firstSeen('d')).toBe(false);
    expect(cache.firstSeen('a')).toBe(true);
  });
});
