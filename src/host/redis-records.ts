import { Redis } from 'ioredis';
import type { RedisConfig } from '../config.js';
import { redactUrl, REDIS_CONNECT_TIMEOUT_MS } from './redis-store.js';
import type { Logger } from '../bot/log.js';

/**
 * The curator's records on Redis: every replica appends to the same stream (`XADD`), and
 * `npm run report` reads it back (`XRANGE`). One stream per kind of record, under the store's key
 * prefix: `records:unanswered` (what the bot could not answer) and `records:curator` (feedback votes
 * and suggested corrections). Each entry holds one field, `json`, the record as the file logs write
 * it, so a report reads a stream and a file alike.
 *
 * Nothing is lost while Redis is away: an append that fails waits in this process (at most
 * {@link PENDING_MAX} records; beyond that the oldest are dropped and counted in a warning) and is
 * written, in order, with the next append or flush once Redis is back. An append never waits on Redis
 * longer than the client's command timeout, and never throws.
 */

export const RECORD_STREAMS = {
  unanswered: 'records:unanswered',
  curator: 'records:curator',
} as const;
export type RecordStream = keyof typeof RECORD_STREAMS;

/** Streams are trimmed to about this many entries (`MAXLEN ~`): months of questions for a district bot, a few MB. */
export const STREAM_MAX_ENTRIES = 100_000;
/** Records kept in memory while Redis is unreachable. */
export const PENDING_MAX = 10_000;
/** While Redis is away, waiting records are retried this often (besides with every append). */
export const RETRY_MS = 2_000;
/** Entries read per XRANGE call. */
const READ_PAGE = 1_000;

export interface StreamLog<T> {
  /** Queues the record; resolves once it is written or, with Redis away, kept for later. Never rejects. */
  append(record: T): Promise<void>;
  /** Tries to write every record still waiting; resolves when done (or when Redis is still away). */
  flush(): Promise<void>;
  /** Records waiting for Redis to return. */
  readonly pending: number;
}

export interface StreamLogOptions {
  readonly redis: Redis;
  readonly stream: RecordStream;
  readonly logger: Logger;
  readonly maxEntries?: number;
  readonly pendingMax?: number;
}

/** Appends records (any JSON value) to one of the {@link RECORD_STREAMS}. */
export function createStreamLog<T>(options: StreamLogOptions): StreamLog<T> {
  const { redis, logger } = options;
  const key = RECORD_STREAMS[options.stream];
  const maxEntries = options.maxEntries ?? STREAM_MAX_ENTRIES;
  const pendingMax = options.pendingMax ?? PENDING_MAX;
  const waiting: string[] = [];
  let dropped = 0;
  let outage = false;
  let retry: NodeJS.Timeout | undefined;
  // One chain of writes keeps records in order, as the file logs do.
  let chain: Promise<void> = Promise.resolve();

  const drain = async (): Promise<void> => {
    while (waiting.length > 0) {
      try {
        await redis.xadd(key, 'MAXLEN', '~', String(maxEntries), '*', 'json', waiting[0] as string);
      } catch (error) {
        if (!outage) logger.warn({ err: error, stream: key, waiting: waiting.length }, 'records: Redis unreachable; keeping records in memory until it returns');
        outage = true;
        // Written when Redis returns even if no record follows; the timer never keeps the process alive.
        retry ??= setTimeout(() => {
          retry = undefined;
          chain = chain.then(drain);
        }, RETRY_MS).unref();
        return;
      }
      waiting.shift();
      if (outage) {
        outage = false;
        logger.info({ stream: key, dropped }, 'records: Redis reachable again; waiting records written');
        dropped = 0;
      }
    }
  };

  return {
    append(record) {
      waiting.push(JSON.stringify(record));
      if (waiting.length > pendingMax) {
        waiting.shift();
        dropped += 1;
        if (dropped === 1 || dropped % 1_000 === 0) logger.warn({ stream: key, dropped }, 'records: too many waiting for Redis; dropping the oldest');
      }
      chain = chain.then(drain);
      return chain;
    },
    flush() {
      chain = chain.then(drain);
      return chain;
    },
    get pending() {
      return waiting.length;
    },
  };
}

/** Every record of a stream, oldest first, as the JSON text lines a file log holds. */
export async function readStreamLines(redis: Redis, stream: RecordStream): Promise<string[]> {
  const key = RECORD_STREAMS[stream];
  const lines: string[] = [];
  let start = '-';
  for (;;) {
    const page = await redis.xrange(key, start, '+', 'COUNT', READ_PAGE);
    for (const [, fields] of page) {
      const at = fields.indexOf('json');
      if (at >= 0 && at + 1 < fields.length) lines.push(fields[at + 1] as string);
    }
    if (page.length < READ_PAGE) return lines;
    // Exclusive start after the last id read (Redis 6.2+).
    start = `(${(page[page.length - 1] as [string, string[]])[0]}`;
  }
}

/**
 * Both streams, read once for `npm run report` on a machine that reaches the replicas' Redis. Throws
 * an error naming REDIS_URL when it cannot be read (no retries: a report is run again by hand).
 */
export async function readSharedRecords(config: RedisConfig): Promise<{ source: string; unanswered: string[]; records: string[] }> {
  const redis = new Redis(config.url, {
    keyPrefix: config.keyPrefix,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    retryStrategy: () => null,
  });
  // Failures reach the caller through the commands; the client's own 'error' events add nothing.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return {
      source: `${redactUrl(config.url)} (${config.keyPrefix}${RECORD_STREAMS.unanswered}, ${config.keyPrefix}${RECORD_STREAMS.curator})`,
      unanswered: await readStreamLines(redis, 'unanswered'),
      records: await readStreamLines(redis, 'curator'),
    };
  } catch (error) {
    throw new Error(`REDIS_URL: cannot read the shared records at ${redactUrl(config.url)} (${(error as Error).message})`);
  } finally {
    redis.disconnect();
  }
}
