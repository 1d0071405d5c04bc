import { describe, expect, it } from 'vitest';
import { createDedupCache, EVENT_DEDUP_TTL_MS } from '../../src/bot/dedup.js';
import { createMemoryStore } from '../../src/bot/store.js';

describe('createDedupCache', () => {
  it('remembers an event id for at least 10 minutes', async () => {
    expect(EVENT_DEDUP_TTL_MS).toBeGreaterThanOrEqual(10 * 60_000);
    let now = 0;
    const cache = createDedupCache({ store: createMemoryStore({ now: () => now }) });
    expect(await cache.firstSeen('Ev1')).toBe(true);
    now = EVENT_DEDUP_TTL_MS - 1;
    expect(await cache.firstSeen('Ev1')).toBe(false);
    now = EVENT_DEDUP_TTL_MS + 1;
    expect(await cache.firstSeen('Ev1')).toBe(true);
  });

  it('keeps its marks under its own prefix in a shared store, so other users of the store never collide', async () => {
    const store = createMemoryStore();
    await store.set('Ev1', 'context', 60_000);
    const cache = createDedupCache({ store });
    expect(await cache.firstSeen('Ev1')).toBe(true);
    expect(await store.get('Ev1')).toBe('context');
    expect(await store.get('dedup:Ev1')).toBe('1');
  });

  it('answers true exactly once when the same key arrives concurrently', async () => {
    const cache = createDedupCache();
    const results = await Promise.all(Array.from({ length: 10 }, () => cache.firstSeen('Ev-retry')));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('stays bounded under a flood, forgetting the oldest first', async () => {
    const store = createMemoryStore({ maxEntries: 3, now: () => 0 });
    const cache = createDedupCache({ store });
    for (const key of ['a', 'b', 'c', 'd']) expect(await cache.firstSeen(key)).toBe(true);
    expect(store.size).toBe(3);
    expect(await cache.firstSeen('d')).toBe(false);
    expect(await cache.firstSeen('a')).toBe(true);
  });
});
