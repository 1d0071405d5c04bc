import type { AskContext, AskGate } from '../bot/bot.js';
import type { Language, Reply } from '../engine/types.js';

/** The window the per-user limit counts questions in. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * Users whose history is kept at most. Beyond it the least recently active user is forgotten (they
 * get a fresh window: lenient, never wrong the other way). 10,000 users × 20 timestamps ≈ 2 MB.
 */
export const RATE_LIMIT_MAX_TRACKED_USERS = 10_000;

export interface RateLimiterOptions {
  /** Questions a user may ask within {@link RATE_LIMIT_WINDOW_MS}. */
  readonly perMinute: number;
  /** Milliseconds clock; injectable for tests. */
  readonly now?: () => number;
  readonly maxTrackedUsers?: number;
}

/** A sliding-window limiter keyed by any string; memory stays bounded. */
export interface RateLimiter {
  /** Records an attempt; returns 0 when allowed, or the milliseconds until the key may ask again. */
  hit(key: string): number;
  /** Keys currently tracked (for tests and debugging). */
  readonly size: number;
}

/**
 * A sliding window log: each key keeps the times of its last `perMinute` allowed questions. A key is
 * allowed when fewer than `perMinute` of them fall inside the window. Blocked attempts are not
 * recorded, so a user who keeps trying is let through again as soon as the oldest question ages out.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const limit = options.perMinute;
  const maxKeys = options.maxTrackedUsers ?? RATE_LIMIT_MAX_TRACKED_USERS;
  // A Map iterates in insertion order; re-inserting a key on every hit keeps it least-recent-first (LRU).
  const windows = new Map<string, number[]>();
  let lastSweep = now();

  /** Forgets users with no question inside the window: the memory follows the active users only. */
  const sweep = (at: number): void => {
    for (const [key, times] of windows) {
      const newest = times[times.length - 1];
      if (newest === undefined || newest <= at - RATE_LIMIT_WINDOW_MS) windows.delete(key);
    }
    lastSweep = at;
  };

  return {
    hit(key) {
      const at = now();
      if (at - lastSweep >= RATE_LIMIT_WINDOW_MS) sweep(at);
      const times = windows.get(key) ?? [];
      windows.delete(key);
      while (times.length > 0 && (times[0] as number) <= at - RATE_LIMIT_WINDOW_MS) times.shift();
      let waitMs = 0;
      if (times.length >= limit) waitMs = (times[0] as number) + RATE_LIMIT_WINDOW_MS - at;
      else times.push(at);
      windows.set(key, times);
      while (windows.size > maxKeys) {
        const oldest = windows.keys().next().value;
        if (oldest === undefined) break;
        windows.delete(oldest);
      }
      return waitMs;
    },
    get size() {
      return windows.size;
    },
  };
}

/** The polite reply a user gets instead of an answer when over the limit, in the question's language. */
export function rateLimitNotice(language: Language, waitMs: number): Reply {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const body =
    language === 'zh'
      ? `您提问得有点快了，请稍等约 ${seconds} 秒再问我。谢谢您的耐心！`
      : `You're asking faster than I can keep up with. Please wait about ${seconds} s and ask again. Thanks for your patience!`;
  return { kind: 'notice', language, body, sources: [], suggestions: [], topics: [], confidence: 1 };
}

/**
 * The bot's gate: at most `perMinute` questions per user per minute, counted per platform and user.
 * Questions without a user id (none of the adapters send those) are not limited: there is nobody
 * to attribute them to, and one shared bucket would let one person lock everyone out.
 */
export function createRateLimitGate(options: RateLimiterOptions): AskGate & { readonly limiter: RateLimiter } {
  const limiter = createRateLimiter(options);
  return {
    limiter,
    check(context: AskContext, language: Language) {
      if (!context.userId) return undefined;
      const waitMs = limiter.hit(`${context.platform}:${context.userId}`);
      return waitMs > 0 ? rateLimitNotice(language, waitMs) : undefined;
    },
  };
}
