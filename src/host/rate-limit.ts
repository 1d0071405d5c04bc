import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AskContext, AskGate } from '../bot/bot.js';
import type { Language, Reply } from '../engine/types.js';

/** The window the per-user limit counts questions in. */
export const RATE_LIMIT_WINDOW_MS = 60_000;
/** Key prefix of the per-user counters in Redis (after REDIS_KEY_PREFIX, which the client adds). */
export const RATE_LIMIT_KEY_PREFIX = 'ratelimit';

export interface RateLimitGateOptions {
  /** Questions a user may ask within {@link RATE_LIMIT_WINDOW_MS}. */
  readonly perMinute: number;
  /**
   * Counts in Redis, shared by every replica, when given; the in-process counters stand in while
   * Redis is unreachable (each replica then limits on its own: lenient, never a lost answer).
   */
  readonly redis?: Redis;
}

/**
 * The bot's gate: at most `perMinute` questions per user per minute, counted per platform and user,
 * on rate-limiter-flexible (a fixed window that starts with a user's first question). Blocked
 * attempts are not counted. Questions without a user id (none of the adapters send those) are not
 * limited: there is nobody to attribute them to, and one shared bucket would let one person lock
 * everyone out.
 */
export function createRateLimitGate(options: RateLimitGateOptions): AskGate {
  const limits = { points: options.perMinute, duration: RATE_LIMIT_WINDOW_MS / 1000, keyPrefix: RATE_LIMIT_KEY_PREFIX };
  const memory = new RateLimiterMemory(limits);
  const limiter: RateLimiterAbstract = options.redis
    ? // rejectIfRedisNotReady: while Redis is away, go to memory at once instead of waiting on a dead link.
      new RateLimiterRedis({ ...limits, storeClient: options.redis, rejectIfRedisNotReady: true, insuranceLimiter: memory })
    : memory;
  return {
    async check(context: AskContext, language: Language) {
      if (!context.userId) return undefined;
      try {
        await limiter.consume(`${context.platform}:${context.userId}`);
        return undefined;
      } catch (rejection) {
        // Over the limit. Anything else (the store and its insurance both failed) lets the question
        // through: a missed limit is better than a lost answer.
        if (rejection instanceof RateLimiterRes) return rateLimitNotice(language, rejection.msBeforeNext);
        return undefined;
      }
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
