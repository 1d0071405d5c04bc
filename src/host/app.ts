import { createBot, type AskGate, type Bot, type Platform, type ReplyObserver } from '../bot/bot.js';
import type { Config } from '../config.js';
import { createEngine } from '../engine/engine.js';
import type { Engine } from '../engine/types.js';
import { createHealthRoutes, startHttpServer, type HttpRoute, type RunningHttpServer } from './http-server.js';
import { loadKnowledge } from '../knowledge/load.js';
import type { KnowledgeBase } from '../knowledge/schema.js';
import type { Logger } from '../bot/log.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createRateLimitGate } from './rate-limit.js';
import { createReadiness, type Readiness } from './readiness.js';
import { createReloader, type Reloader } from './reload.js';
import { createUnansweredLog, type UnansweredEntry, type UnansweredLog } from '../curator/unanswered.js';
import { scrubPersonalData } from '../bot/scrub.js';
import { createMemoryStore, type KeyValueStore } from '../bot/store.js';
import { createFeedbackRecording, type FeedbackService } from '../bot/feedback.js';
import type { CuratorRecord } from '../bot/records.js';
import { createStreamLog } from './redis-records.js';
import { connectRedisStore, type SharedStore } from './redis-store.js';

/**
 * The whole bot process as one start/stop pair, testable in-process: fact base → engine → bot (rate
 * limit, metrics, logs, unanswered log) → HTTP endpoints → the platforms → hot reload; and the
 * graceful way back down. It does not know which platforms exist: the composition root (main.ts)
 * passes one launcher per configured platform.
 */

/** Replies in flight get at most this long to be delivered after a shutdown signal (SIGTERM/SIGINT). */
export const SHUTDOWN_DRAIN_TIMEOUT_MS = 10_000;

/** Time beyond the drain for platforms to disconnect (close the gateway, the Socket Mode link, the HTTP server). */
export const DISCONNECT_GRACE_MS = 2_000;

/** What a platform needs from the process to start. */
export interface PlatformDeps {
  readonly bot: Bot;
  readonly logger: Logger;
  /** `/healthz`, `/readyz`, `/metrics`: served by the platform when its launcher says `servesRoutes`. */
  readonly routes: HttpRoute[];
  /** Short-lived state shared by every replica (Redis when REDIS_URL is set, else this process's memory): de-duplication marks, context. */
  readonly store: KeyValueStore;
  /** Records 👍/👎 and suggested corrections (FEEDBACK_LOG), once per user and answer. */
  readonly feedback: FeedbackService;
}

/** A started platform, as the process sees it. */
export interface StartedPlatform {
  /** Shown in the start-up log line: mode, port…; never a secret. */
  readonly details: Readonly<Record<string, string | number>>;
  /** Live connection state for `/readyz`, when the platform can tell (e.g. the Discord gateway). */
  readonly isConnected?: () => boolean;
  /** Stops taking new questions, lets replies in flight finish within `drainTimeoutMs`, then disconnects. */
  stop(options: { drainTimeoutMs: number }): Promise<void>;
}

/** How to start one configured platform. */
export interface PlatformLauncher {
  readonly platform: Platform;
  /** True when the platform's own HTTP server serves the process's routes (Slack in HTTP mode): then no other server binds PORT. */
  readonly servesRoutes: boolean;
  start(deps: PlatformDeps): Promise<StartedPlatform>;
}

export interface AppOptions {
  readonly config: Config;
  readonly logger: Logger;
  /**
   * The configured platforms. With none the process is the terminal chat's back end: no HTTP server
   * and no rate limit (one local user), but reload, logs and the unanswered log work the same.
   */
  readonly platforms: readonly PlatformLauncher[];
  /** Defaults to fresh metrics with process metrics when any platform runs. */
  readonly metrics?: Metrics;
  /** Loads the fact base; injectable for tests. */
  readonly load?: (dir: string) => Promise<KnowledgeBase>;
  /** Drain limit on shutdown; tests shorten it. */
  readonly drainTimeoutMs?: number;
  /**
   * Serve `/healthz`, `/readyz` and `/metrics` on PORT when a platform runs (default true). A Discord
   * shard process (DISCORD_SHARDS) passes false: its manager process serves them for every shard.
   */
  readonly serveHttp?: boolean;
}

/** The running process. */
export interface RunningApp {
  readonly bot: Bot;
  /** The feedback service the platforms use; the terminal chat's `good` / `bad` use it too. */
  readonly feedback: FeedbackService;
  /** True when feedback goes to FEEDBACK_LOG (false: memory only). */
  readonly feedbackPersisted: boolean;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  /** The port `/healthz`, `/readyz` and `/metrics` are served on (undefined in terminal mode). */
  readonly httpPort: number | undefined;
  /** Reloads the fact base now (SIGHUP); resolves true when the new one serves. */
  readonly reload: (reason: string) => Promise<boolean>;
  /** Graceful shutdown: not ready, no new questions, replies in flight drained, platforms disconnected, logs flushed. Idempotent. */
  readonly stop: () => Promise<void>;
}

/** A platform failed to start; the others were stopped again. */
export class PlatformStartError extends Error {
  constructor(
    readonly platform: string,
    cause: unknown,
  ) {
    super(`${platform}: could not start: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'PlatformStartError';
  }
}

/**
 * Starts everything; resolves once the fact base is loaded and every platform is connected. A
 * KnowledgeError from the first load rejects before anything connects or listens.
 */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { config, logger, platforms } = options;
  const hosted = platforms.length > 0;
  const load = options.load ?? loadKnowledge;
  const metrics = options.metrics ?? createMetrics({ processMetrics: hosted });
  const readiness = createReadiness();
  readiness.add('knowledge', 'the fact base is loading');
  for (const launcher of platforms) {
    readiness.add(launcher.platform, 'connecting');
    metrics.trackPlatform(launcher.platform);
  }

  // Fail fast: an invalid fact base stops start-up here, before any port is bound or platform called.
  let engine: Engine = createEngine(await load(config.knowledgeDir));
  metrics.factBaseLoaded(engine.factCount, new Date());
  readiness.pass('knowledge');
  logger.info({ dir: config.knowledgeDir, facts: engine.factCount }, 'knowledge: loaded');

  // With REDIS_URL the replicas share one store; unreachable at start → RedisUnavailableError naming
  // REDIS_URL (unless REDIS_OPTIONAL), before any port is bound or platform called.
  let shared: SharedStore | undefined;
  if (config.redis) {
    shared = await connectRedisStore({ config: config.redis, logger, onHealthChange: (healthy) => metrics.sharedStoreHealth(healthy) });
    const connected = shared;
    metrics.sharedStoreHealth(connected.healthy);
    readiness.advise('store', () => connected.healthy, "Redis unreachable; de-duplication, rate limits and context hold per replica until it returns");
    logger.info({ keyPrefix: config.redis.keyPrefix, healthy: connected.healthy }, 'redis: shared store connected');
  }
  const store: KeyValueStore = shared ?? createMemoryStore();

  const { feedback, records, persisted: feedbackPersisted } = createFeedbackRecording({
    config,
    store,
    logger,
    quiet: !hosted,
    ...(shared ? { shared: createStreamLog<CuratorRecord>({ redis: shared.redis, stream: 'curator', logger }) } : {}),
  });

  // With Redis every replica's unanswered questions go to one stream that `npm run report` reads; UNANSWERED_LOG, if set, keeps a local copy.
  const unansweredSinks = shared ? [createStreamLog<UnansweredEntry>({ redis: shared.redis, stream: 'unanswered', logger })] : [];
  const unanswered: UnansweredLog | undefined =
    config.unansweredLog || unansweredSinks.length > 0
      ? createUnansweredLog({ ...(config.unansweredLog ? { file: config.unansweredLog } : {}), sinks: unansweredSinks, logger })
      : undefined;
  const gate: AskGate | undefined = hosted
    ? createRateLimitGate({ perMinute: config.rateLimitPerMinute, ...(shared ? { redis: shared.redis } : {}) })
    : undefined;
  const observers: ReplyObserver[] = [metrics.observeReply, createReplyLogger(logger)];
  if (unanswered) observers.push(unanswered.observe);
  const bot = createBot({ getEngine: () => engine, observers, ...(gate ? { gate } : {}) });

  const routes = createHealthRoutes({ readiness, metrics, logger });
  let server: RunningHttpServer | undefined;
  if (hosted && (options.serveHttp ?? true) && !platforms.some((launcher) => launcher.servesRoutes)) {
    // Listening before the platforms connect, so /readyz can say 503 "connecting" meanwhile.
    server = await startHttpServer({ host: config.host, port: config.port, routes });
    logger.info({ host: config.host, port: server.port }, 'http: serving /healthz, /readyz and /metrics');
  }

  const reloader: Reloader = createReloader({
    dir: config.knowledgeDir,
    load,
    watch: config.watchKnowledge,
    logger,
    onLoaded(kb) {
      // The getter above reads this variable per question: the next question uses the new engine,
      // a question being answered keeps the one it started with.
      engine = createEngine(kb);
      metrics.factBaseLoaded(engine.factCount, new Date());
    },
    onFailed: () => metrics.reloadFailed(),
  });

  const started: { launcher: PlatformLauncher; platform: StartedPlatform }[] = [];
  let httpPort = server?.port;
  const results = await Promise.allSettled(
    platforms.map(async (launcher) => {
      const platform = await launcher.start({ bot, logger, routes, store, feedback });
      started.push({ launcher, platform });
      if (launcher.servesRoutes && typeof platform.details['port'] === 'number') httpPort = platform.details['port'];
      if (platform.isConnected) readiness.probe(launcher.platform, platform.isConnected, 'disconnected, reconnecting');
      readiness.pass(launcher.platform);
      logger.info({ platform: launcher.platform, ...platform.details }, `${launcher.platform}: started`);
    }),
  );
  const failure = results.findIndex((result) => result.status === 'rejected');
  if (failure >= 0) {
    const launcher = platforms[failure] as PlatformLauncher;
    const cause = (results[failure] as PromiseRejectedResult).reason as unknown;
    reloader.close();
    await Promise.allSettled(started.map(({ platform }) => platform.stop({ drainTimeoutMs: 0 })));
    await server?.close();
    await shared?.close();
    throw new PlatformStartError(launcher.platform, cause);
  }
  if (hosted) logger.info({ platforms: platforms.map((launcher) => launcher.platform), port: httpPort, facts: engine.factCount }, 'ready');

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    readiness.shuttingDown();
    reloader.close();
    const drainTimeoutMs = options.drainTimeoutMs ?? SHUTDOWN_DRAIN_TIMEOUT_MS;
    const begun = performance.now();
    if (hosted) logger.info({ drainTimeoutMs }, 'shutdown: no new questions; finishing replies in flight');
    const stops = Promise.allSettled(started.map(({ platform }) => platform.stop({ drainTimeoutMs })));
    // Platforms drain within drainTimeoutMs themselves; this bound also covers a disconnect that hangs.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), drainTimeoutMs + DISCONNECT_GRACE_MS)));
    const outcome = await Promise.race([stops, deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') logger.warn({ drainTimeoutMs }, 'shutdown: platforms did not stop in time; exiting anyway');
    else {
      outcome.forEach((result, i) => {
        if (result.status === 'rejected') logger.warn({ platform: started[i]?.launcher.platform, err: result.reason }, 'shutdown: platform stop failed');
      });
    }
    await server?.close();
    await unanswered?.flush();
    await records.flush();
    await shared?.close();
    if (hosted) logger.info({ elapsedMs: Math.round(performance.now() - begun) }, 'shutdown: done');
  };

  return {
    bot,
    feedback,
    feedbackPersisted,
    metrics,
    readiness,
    httpPort,
    reload: (reason) => reloader.reload(reason),
    stop: () => (stopping ??= stop()),
  };
}

/** Logs one line per reply: ids, kind, fact, confidence and latency. The question only at debug, scrubbed. */
function createReplyLogger(logger: Logger): ReplyObserver {
  return (reply, context, question, elapsedMs) => {
    logger.info(
      {
        platform: context.platform,
        userId: context.userId,
        conversationId: context.conversationId,
        eventId: context.eventId,
        kind: reply.kind,
        factId: reply.factId,
        confidence: Math.round(reply.confidence * 1000) / 1000,
        latencyMs: Math.round(elapsedMs * 100) / 100,
      },
      'reply',
    );
    if (logger.isLevelEnabled('debug')) logger.debug({ eventId: context.eventId, question: scrubPersonalData(question) }, 'reply: question');
  };
}
