import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/bot/store.js';

describe('createMemoryStore', () => {
  it('returns what was set until its TTL passes', async () => {
    let clock = 0;
    const store = createMemoryStore({ now: () => clock });
    await store.set('a', '1', 1000);
    expect(await store.get('a')).toBe('1');
    clock = 999;
    expect(await store.get('a')).toBe('1');
    clock = 1000;
    expect(await store.get('a')).toBeUndefined();
  });

  it('sets only when absent, and again once the key expired', async () => {
    let clock = 0;
    const store = createMemoryStore({ now: () => clock });
    expect(await store.setIfAbsent('k', 'first', 100)).toBe(true);
    expect(await store.setIfAbsent('k', 'second', 100)).toBe(false);
    expect(await store.get('k')).toBe('first');
    clock = 100;
    expect(await store.setIfAbsent('k', 'third', 100)).toBe(true);
    expect(await store.get('k')).toBe('third');
  });

  it('forgets the least recently used entry beyond its cap', async () => {
    const store = createMemoryStore({ maxEntries: 2 });
    await store.set('a', '1', 60_000);
    await store.set('b', '2', 60_000);
    await store.get('a'); // a is now more recent than b
    await store.set('c', '3', 60_000);
    expect(store.size).toBe(2);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBe('1');
    expect(await store.get('c')).toBe('3');
  });

  it('deletes a key', async () => {
    const store = createMemoryStore();
    await store.set('a', '1', 60_000);
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
  });
});
