import { Redis } from 'ioredis';
import type { Logger } from '../bot/log.js';
import { createMemoryStore, type KeyValueStore } from '../bot/store.js';
import type { RedisConfig } from '../config.js';

/**
 * The shared store of several replicas on one Redis, with the in-process store as its fallback.
 *
 * Every command is bounded ({@link REDIS_COMMAND_TIMEOUT_MS}) and never queued while Redis is away
 * (`enableOfflineQueue: false`): a question never waits on a lost Redis longer than that. While Redis
 * is unreachable the store answers from memory (de-duplication then holds per replica only), logs one
 * warning per outage and reports `degraded`; ioredis reconnects by itself and the next command that
 * succeeds ends the outage.
 */

/** The longest a command may take before the store gives up on Redis for it and uses memory. */
export const REDIS_COMMAND_TIMEOUT_MS = 250;
/** How long start-up waits for the first connection before failing (naming REDIS_URL). */
export const REDIS_CONNECT_TIMEOUT_MS = 3_000;
/** Reconnect back-off: 100 ms, 200 ms … at most this, for ever. */
export const REDIS_RECONNECT_MAX_DELAY_MS = 2_000;

export class RedisUnavailableError extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `REDIS_URL: cannot reach Redis at ${redactUrl(url)} (${(cause as Error).message ?? String(cause)}); start it, fix REDIS_URL, ` +
        'or set REDIS_OPTIONAL=true to start without it',
    );
    this.name = 'RedisUnavailableError';
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unparseable URL';
  }
}

export interface SharedStore extends KeyValueStore {
  /** False while Redis is unreachable and answers come from memory. */
  readonly healthy: boolean;
  /** The Redis client, for the other shared parts (rate limits, records). */
  readonly redis: Redis;
  close(): Promise<void>;
}

export interface RedisStoreOptions {
  readonly config: RedisConfig;
  readonly logger: Logger;
  /** Told of every change between healthy and degraded (metrics, readiness). */
  readonly onHealthChange?: (healthy: boolean) => void;
  readonly commandTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
}

/**
 * Connects to Redis and returns the shared store. Throws {@link RedisUnavailableError} when Redis
 * cannot be reached at start, unless `config.optional`: then it starts degraded and keeps trying.
 */
export async function connectRedisStore(options: RedisStoreOptions): Promise<SharedStore> {
  const { config, logger } = options;
  const commandTimeoutMs = options.commandTimeoutMs ?? REDIS_COMMAND_TIMEOUT_MS;
  const redis = new Redis(config.url, {
    keyPrefix: config.keyPrefix,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: options.connectTimeoutMs ?? REDIS_CONNECT_TIMEOUT_MS,
    retryStrategy: (times) => Math.min(times * 100, REDIS_RECONNECT_MAX_DELAY_MS),
  });
  const fallback = createMemoryStore();
  let healthy = true;
  const setHealthy = (value: boolean, error?: unknown): void => {
    if (value === healthy) return;
    healthy = value;
    if (value) logger.info('redis: reachable again; shared state resumed');
    else logger.warn({ err: error }, 'redis: unreachable; answering from this process\'s memory until it returns');
    options.onHealthChange?.(value);
  };
  // ioredis emits 'error' on every failed reconnect: one warning per outage is enough.
  redis.on('error', (error) => setHealthy(false, error));
  redis.on('ready', () => setHealthy(true));

  try {
    await redis.connect();
  } catch (error) {
    if (!config.optional) {
      redis.disconnect();
      throw new RedisUnavailableError(config.url, error);
    }
    setHealthy(false, error);
  }

  /** Runs `command` on Redis; on any failure answers with `local` from memory instead. */
  const withFallback = async <T>(command: () => Promise<T>, local: () => Promise<T>): Promise<T> => {
    if (redis.status !== 'ready') {
      setHealthy(false);
      return local();
    }
    try {
      const result = await command();
      setHealthy(true);
      return result;
    } catch (error) {
      setHealthy(false, error);
      return local();
    }
  };

  return {
    get healthy() {
      return healthy;
    },
    redis,
    get: (key) =>
      withFallback(
        async () => (await redis.get(key)) ?? undefined,
        () => fallback.get(key),
      ),
    set: (key, value, ttlMs) =>
      withFallback(
        async () => void (await redis.set(key, value, 'PX', ttlMs)),
        () => fallback.set(key, value, ttlMs),
      ),
    // SET NX PX is atomic: of two replicas given the same retried event, exactly one wins.
    setIfAbsent: (key, value, ttlMs) =>
      withFallback(
        async () => (await redis.set(key, value, 'PX', ttlMs, 'NX')) === 'OK',
        () => fallback.setIfAbsent(key, value, ttlMs),
      ),
    delete: (key) =>
      withFallback(
        async () => void (await redis.del(key)),
        () => fallback.delete(key),
      ),
    async close() {
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
}
