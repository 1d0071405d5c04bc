/** How long an event id is remembered: Slack retries up to 3 times within about 5 minutes; twice that is safe. */
export const EVENT_DEDUP_TTL_MS = 10 * 60_000;
/** Bound on remembered keys, so a flood cannot grow memory without limit (oldest are forgotten first). */
export const EVENT_DEDUP_MAX_ENTRIES = 50_000;

export interface DedupCache {
  /** True the first time `key` is seen within the TTL; false for every repeat. */
  firstSeen(key: string): boolean;
  readonly size: number;
}

export interface DedupOptions {
  readonly ttlMs?: number;
  readonly maxEntries?: number;
  /** Clock in ms; injectable for tests. */
  readonly now?: () => number;
}

/** A bounded in-memory set of recently seen keys with a fixed TTL. */
export function createDedupCache(options: DedupOptions = {}): DedupCache {
  const ttlMs = options.ttlMs ?? EVENT_DEDUP_TTL_MS;
  const maxEntries = options.maxEntries ?? EVENT_DEDUP_MAX_ENTRIES;
  const now = options.now ?? Date.now;
  // Map keeps insertion order and the TTL is fixed, so the oldest entry always expires first.
  const expiries = new Map<string, number>();

  const prune = (at: number): void => {
    for (const [key, expiry] of expiries) {
      if (expiry > at && expiries.size <= maxEntries) break;
      expiries.delete(key);
    }
  };

  return {
    firstSeen(key) {
      const at = now();
      prune(at);
      if (expiries.has(key)) return false;
      expiries.set(key, at + ttlMs);
      prune(at);
      return true;
    },
    get size() {
      return expiries.size;
    },
  };
}
