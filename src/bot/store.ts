/**
 * The key-value store behind the bot's short-lived shared state: conversation context, "clicked once"
 * marks for feedback buttons, and (later) event de-duplication. Asynchronous, so that a shared store
 * (Redis, for several replicas) can stand behind the same interface as the in-process one. Values are
 * strings: callers serialise (JSON) and choose a key prefix per use (`context:`, `feedback:`).
 */
export interface KeyValueStore {
  /** The value under `key`, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key` for `ttlMs`, replacing any value. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Stores `value` only when `key` is absent (atomically); true when it was stored. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
}

/** Entries the in-memory store keeps at most; beyond it the least recently used is forgotten. */
export const MEMORY_STORE_MAX_ENTRIES = 50_000;

export interface MemoryStoreOptions {
  readonly maxEntries?: number;
  /** Clock in ms; injectable for tests. */
  readonly now?: () => number;
}

/** The in-process store: an LRU map with a TTL per entry, bounded in entries. */
export function createMemoryStore(options: MemoryStoreOptions = {}): KeyValueStore & { readonly size: number } {
  const maxEntries = options.maxEntries ?? MEMORY_STORE_MAX_ENTRIES;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order; re-inserting on every use keeps it least-recently-used first.
  const entries = new Map<string, { value: string; expires: number }>();

  const live = (key: string): { value: string; expires: number } | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    entries.delete(key);
    if (entry.expires <= now()) return undefined;
    entries.set(key, entry);
    return entry;
  };
  const put = (key: string, value: string, ttlMs: number): void => {
    entries.delete(key);
    entries.set(key, { value, expires: now() + ttlMs });
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
  };

  return {
    get: (key) => Promise.resolve(live(key)?.value),
    set(key, value, ttlMs) {
      put(key, value, ttlMs);
      return Promise.resolve();
    },
    setIfAbsent(key, value, ttlMs) {
      if (live(key)) return Promise.resolve(false);
      put(key, value, ttlMs);
      return Promise.resolve(true);
    },
    delete(key) {
      entries.delete(key);
      return Promise.resolve();
    },
    get size() {
      return entries.size;
    },
  };
}
