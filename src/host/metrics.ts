import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ReplyObserver } from '../bot/bot.js';

/**
 * Latency buckets in seconds for producing a reply. The engine answers in well under a millisecond
 * to a few milliseconds, so the buckets are dense at the low end; anything above 100 ms is a problem.
 */
export const ANSWER_LATENCY_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** Prefix of every metric this bot defines (the default process metrics keep their standard names). */
export const METRIC_PREFIX = 'haidian_';

/** The process's Prometheus metrics, on a registry of its own (so tests can run several apps in one process). */
export interface Metrics {
  readonly registry: Registry;
  /** Counts a reply by platform and kind, times it, and counts abstentions. */
  readonly observeReply: ReplyObserver;
  /** Records a fact base (re)load: its size and when it happened. */
  factBaseLoaded(factCount: number, at: Date): void;
  /** Counts a reload that failed validation; the previous fact base keeps serving. */
  reloadFailed(): void;
  /** Starts a platform's error count at 0, so alerts on its rate work before the first error. */
  readonly trackPlatform: (platform: string) => void;
  /** Counts an error a platform adapter reported (logged at error level with an `adapter` binding). */
  readonly platformError: (platform: string) => void;
  /** Records whether the shared store (Redis) is reachable; each change to unreachable counts an outage. */
  sharedStoreHealth(healthy: boolean): void;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Also collect Node's default process metrics (CPU, memory, event loop lag, GC); default true. */
  readonly processMetrics?: boolean;
}

/** Creates the bot's metrics on a fresh registry. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  const questions = new Counter({
    name: `${METRIC_PREFIX}questions_total`,
    help: 'Questions answered, by platform and reply kind (answer, no-match, smalltalk, help, notice).',
    labelNames: ['platform', 'kind'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: `${METRIC_PREFIX}answer_latency_seconds`,
    help: 'Time to produce a reply inside the bot (engine and gate), by platform; platform delivery is not included.',
    labelNames: ['platform'] as const,
    buckets: ANSWER_LATENCY_BUCKETS_SECONDS,
    registers: [registry],
  });
  const abstentions = new Counter({
    name: `${METRIC_PREFIX}abstentions_total`,
    help: 'Questions the bot declined to answer (no-match, or related: the subject is known, not what was asked), by platform.',
    labelNames: ['platform'] as const,
    registers: [registry],
  });
  const facts = new Gauge({
    name: `${METRIC_PREFIX}fact_base_facts`,
    help: 'Facts in the fact base currently serving.',
    registers: [registry],
  });
  const lastReload = new Gauge({
    name: `${METRIC_PREFIX}fact_base_last_reload_timestamp_seconds`,
    help: 'Unix time the fact base currently serving was loaded.',
    registers: [registry],
  });
  const reloadFailures = new Counter({
    name: `${METRIC_PREFIX}fact_base_reload_failures_total`,
    help: 'Reloads of the fact base rejected as invalid (the previous fact base kept serving).',
    registers: [registry],
  });
  const platformErrors = new Counter({
    name: `${METRIC_PREFIX}platform_errors_total`,
    help: 'Errors reported by the platform adapters (failed deliveries, client errors), by platform.',
    labelNames: ['platform'] as const,
    registers: [registry],
  });

  const storeUp = new Gauge({
    name: `${METRIC_PREFIX}shared_store_up`,
    help: 'Whether the shared store (Redis) is reachable: 1 yes, 0 no (state held in this process only meanwhile). Absent without REDIS_URL.',
    registers: [registry],
  });
  const storeOutages = new Counter({
    name: `${METRIC_PREFIX}shared_store_outages_total`,
    help: 'Times the shared store (Redis) became unreachable while the process ran.',
    registers: [registry],
  });

  return {
    registry,
    observeReply(reply, context, _question, elapsedMs) {
      questions.inc({ platform: context.platform, kind: reply.kind });
      latency.observe({ platform: context.platform }, elapsedMs / 1000);
      if (reply.kind === 'no-match' || reply.kind === 'related') abstentions.inc({ platform: context.platform });
    },
    factBaseLoaded(factCount, at) {
      facts.set(factCount);
      lastReload.set(at.getTime() / 1000);
    },
    reloadFailed: () => reloadFailures.inc(),
    trackPlatform: (platform) => platformErrors.inc({ platform }, 0),
    platformError: (platform) => platformErrors.inc({ platform }),
    sharedStoreHealth(healthy) {
      storeUp.set(healthy ? 1 : 0);
      if (!healthy) storeOutages.inc();
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
