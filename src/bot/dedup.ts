import { createMemoryStore, type KeyValueStore } from './store.js';

/** How long an event id is remembered: Slack retries up to 3 times within about 5 minutes; twice that is safe. */
export const EVENT_DEDUP_TTL_MS = 10 * 60_000;
/** Bound on remembered keys in memory, so a flood cannot grow memory without limit (oldest are forgotten first). */
export const EVENT_DEDUP_MAX_ENTRIES = 50_000;
/** Key prefix of de-duplication marks in a shared store. */
export const DEDUP_KEY_PREFIX = 'dedup:';

export interface DedupCache {
  /**
   * True the first time `key` is seen within the TTL; false for every repeat. On a shared store the
   * check is one atomic set-if-absent, so of two replicas given the same event exactly one gets true.
   */
  firstSeen(key: string): Promise<boolean>;
}

export interface DedupOptions {
  /** Where the marks live; defaults to an in-process store bounded by {@link EVENT_DEDUP_MAX_ENTRIES}. */
  readonly store?: KeyValueStore;
  readonly ttlMs?: number;
}

/** De-duplication of deliveries by key, on the given store (in-process by default). */
export function createDedupCache(options: DedupOptions = {}): DedupCache {
  const store = options.store ?? createMemoryStore({ maxEntries: EVENT_DEDUP_MAX_ENTRIES });
  const ttlMs = options.ttlMs ?? EVENT_DEDUP_TTL_MS;
  return {
    firstSeen: (key) => store.setIfAbsent(`${DEDUP_KEY_PREFIX}${key}`, '1', ttlMs),
  };
}
