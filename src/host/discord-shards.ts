import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager, type Shard } from 'discord.js';
import { AggregatorRegistry, Counter, Gauge, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { DISCONNECT_GRACE_MS, type PlatformLauncher } from './app.js';
import { DISCORD_READY_TIMEOUT_MS, type DiscordConfig } from '../config.js';
import type { Logger } from '../bot/log.js';
import { METRIC_PREFIX, type Metrics } from './metrics.js';

/**
 * DISCORD_SHARDS: the Discord gateway under discord.js's ShardingManager, one child process per shard.
 *
 * This process (the manager) opens no gateway connection itself. It forks `src/main.ts --discord-shard`
 * once per shard; each child loads the fact base, runs the bot and the Discord adapter for its shard
 * (discord.js's Client reads its shard id from the SHARDS / SHARD_COUNT variables the manager sets)
 * and logs JSON to the same stdout. The manager keeps `/healthz`, `/readyz` and `/metrics`: ready once
 * every shard has reported ready, metrics summed over the shards. A shard process that dies is
 * respawned; SIGTERM here is passed on to every shard, which drains its replies and exits.
 */

/** Between two shard spawns: Discord allows one IDENTIFY per 5 s (per `max_concurrency` bucket). */
export const SHARD_SPAWN_DELAY_MS = 5_500;
/** How long one shard process gets to start, load the fact base and become ready. */
export const SHARD_READY_TIMEOUT_MS = DISCORD_READY_TIMEOUT_MS + 30_000;
/** How long `/metrics` waits for a shard's metrics before leaving that shard out. */
export const SHARD_METRICS_TIMEOUT_MS = 1_000;

/** IPC messages between the manager and a shard process (besides discord.js's own). */
export const SHARD_METRICS_REQUEST = 'haidian:metrics-request';
export const SHARD_METRICS_REPLY = 'haidian:metrics-reply';

export interface ShardMetricsRequest {
  readonly type: typeof SHARD_METRICS_REQUEST;
  readonly id: number;
}

export interface ShardMetricsReply {
  readonly type: typeof SHARD_METRICS_REPLY;
  readonly id: number;
  readonly metrics: MetricObjectWithValues<MetricValue<string>>[];
}

export function isShardMetricsRequest(message: unknown): message is ShardMetricsRequest {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === SHARD_METRICS_REQUEST;
}

function isShardMetricsReply(message: unknown): message is ShardMetricsReply {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === SHARD_METRICS_REPLY;
}

/**
 * The shard processes' own metrics that `/metrics` sums with this process's: questions, latency,
 * abstentions and platform errors. The fact base metrics come from this process alone (it loads and
 * reloads the same KNOWLEDGE_DIR), and the shards' `process_*` / `nodejs_*` metrics are not exported.
 */
function summedFromShards(name: string): boolean {
  return name.startsWith(METRIC_PREFIX) && !name.startsWith(`${METRIC_PREFIX}fact_base_`);
}

/** The flag that makes `src/main.ts` run as one shard process (src/host/discord-shard-child.ts). */
export const DISCORD_SHARD_FLAG = '--discord-shard';

/**
 * The script each shard process runs, and how: the composition root itself (`src/main.ts`, which sees
 * {@link DISCORD_SHARD_FLAG}), through tsx from the TypeScript sources, with plain node from `dist/`.
 */
export function shardScript(): { file: string; execArgv: string[] } {
  const fromSources = import.meta.url.endsWith('.ts');
  const file = fileURLToPath(new URL(`../main.${fromSources ? 'ts' : 'js'}`, import.meta.url));
  return { file, execArgv: fromSources ? ['--import', import.meta.resolve('tsx')] : [] };
}

/**
 * Discord's recommended shard count (`GET /gateway/bot`), through the configured REST API. Not
 * discord.js's `fetchRecommendedShardCount`: that one always calls discord.com, whatever DISCORD_API_URL says.
 */
export async function recommendedShardCount(config: Pick<DiscordConfig, 'token' | 'apiUrl'>): Promise<number> {
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const body = (await rest.get(Routes.gatewayBot())) as { shards?: unknown };
  if (typeof body.shards !== 'number' || !Number.isInteger(body.shards) || body.shards < 1) {
    throw new Error(`Discord: GET /gateway/bot returned no usable shard count (${JSON.stringify(body.shards)})`);
  }
  return body.shards;
}

export interface ShardedDiscordOptions {
  /** The Discord configuration, with DISCORD_SHARDS set. */
  readonly config: DiscordConfig;
  readonly logger: Logger;
  /** This process's metrics: the shard gauges are registered on its registry. */
  readonly metrics: Metrics;
  /** Overrides for tests. */
  readonly script?: { file: string; execArgv: string[] };
  readonly spawnDelayMs?: number;
  readonly readyTimeoutMs?: number;
}

export interface ShardedDiscord {
  /** The `discord` platform of this process: starts the shard processes and stops them. */
  readonly launcher: PlatformLauncher;
  /** `metrics` with `render()` summing the shard processes' metrics in: what `/metrics` serves. */
  readonly metrics: Metrics;
  /** Sends a signal to every shard process that has been ready since it started (SIGHUP: each reloads its fact base). */
  signal(signal: NodeJS.Signals): void;
}

type ShardState = 'starting' | 'ready' | 'reconnecting' | 'disconnected' | 'dead';

/** Creates the ShardingManager wiring; nothing is spawned until the launcher starts. */
export function createShardedDiscord(options: ShardedDiscordOptions): ShardedDiscord {
  const { config, metrics } = options;
  const logger = options.logger.child({ adapter: 'discord' });
  const script = options.script ?? shardScript();
  const states = new Map<number, ShardState>();
  const pending = new Map<number, (reply: ShardMetricsReply | undefined) => void>();
  let nextRequestId = 0;
  let manager: ShardingManager | undefined;
  let totalShards = 0;
  let stopping = false;

  const readyCount = (): number => [...states.values()].filter((state) => state === 'ready').length;
  const allReady = (): boolean => totalShards > 0 && states.size === totalShards && readyCount() === totalShards;

  new Gauge({
    name: `${METRIC_PREFIX}discord_shards`,
    help: 'Discord shards configured (DISCORD_SHARDS, or the recommended count for auto).',
    registers: [metrics.registry],
    collect() {
      this.set(totalShards);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}discord_shards_ready`,
    help: 'Discord shard processes whose gateway connection is ready.',
    registers: [metrics.registry],
    collect() {
      this.set(readyCount());
    },
  });
  const deaths = new Counter({
    name: `${METRIC_PREFIX}discord_shard_deaths_total`,
    help: 'Discord shard processes that exited unexpectedly (each is respawned).',
    registers: [metrics.registry],
  });

  const watch = (shard: Shard): void => {
    const id = shard.id;
    const pidOf = (): number | undefined => shard.process?.pid;
    states.set(id, 'starting');
    shard.on('spawn', (child) => {
      states.set(id, 'starting');
      logger.info({ shard: id, pid: (child as ChildProcess).pid }, 'discord: shard process started');
    });
    shard.on('ready', () => {
      states.set(id, 'ready');
      logger.info({ shard: id, pid: pidOf(), ready: readyCount(), total: totalShards }, 'discord: shard ready');
    });
    shard.on('resume', () => {
      states.set(id, 'ready');
      logger.info({ shard: id, pid: pidOf() }, 'discord: shard resumed');
    });
    shard.on('reconnecting', () => {
      states.set(id, 'reconnecting');
      // A shard closing its gateway on the way out says "reconnecting" too.
      if (!stopping) logger.info({ shard: id, pid: pidOf() }, 'discord: shard reconnecting');
    });
    shard.on('disconnect', () => {
      states.set(id, 'disconnected');
      logger.warn({ shard: id, pid: pidOf() }, 'discord: shard disconnected');
    });
    shard.on('death', (child) => {
      states.set(id, 'dead');
      const { pid, exitCode, signalCode } = child as ChildProcess;
      if (stopping) {
        logger.info({ shard: id, pid, exitCode, signal: signalCode }, 'discord: shard process exited');
        return;
      }
      deaths.inc();
      logger.error({ shard: id, pid, exitCode, signal: signalCode, respawn: manager?.respawn ?? false }, 'discord: shard process died; respawning');
    });
    // Without a listener, a respawn that fails (not ready in time, died again) would crash this process.
    shard.on('error', (error) => {
      if (!stopping) logger.warn({ shard: id, err: error }, 'discord: respawned shard process did not become ready');
    });
    shard.on('message', (message: unknown) => {
      if (!isShardMetricsReply(message)) return;
      pending.get(message.id)?.(message);
    });
  };

  const shardMetrics = (shard: Shard): Promise<ShardMetricsReply['metrics'] | undefined> => {
    if (!shard.process?.connected) return Promise.resolve(undefined);
    const id = ++nextRequestId;
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(undefined), SHARD_METRICS_TIMEOUT_MS);
      const done = (reply: ShardMetricsReply | undefined): void => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(reply?.metrics);
      };
      pending.set(id, done);
      const request: ShardMetricsRequest = { type: SHARD_METRICS_REQUEST, id };
      shard.send(request).catch(() => done(undefined));
    });
  };

  const render = async (): Promise<string> => {
    const own = await metrics.registry.getMetricsAsJSON();
    const shards = manager ? [...manager.shards.values()] : [];
    const replies = await Promise.all(shards.map(shardMetrics));
    const fromShards = replies.flatMap((list) => (list ? [list.filter((metric) => summedFromShards(metric.name))] : []));
    return AggregatorRegistry.aggregate([own, ...fromShards]).metrics();
  };

  /** SIGTERM to every shard process, SIGKILL to those still running after `boundMs`; resolves once all have exited. */
  const stopShards = async (boundMs: number): Promise<void> => {
    stopping = true;
    if (!manager) return;
    // The exit listener reads this when a process exits: no respawn from now on.
    manager.respawn = false;
    const children = [...manager.shards.values()].flatMap((shard) => (shard.process ? [shard.process] : []));
    const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
    const exits = Promise.all(running.map((child) => once(child, 'exit')));
    logger.info({ processes: running.length }, 'discord: stopping shard processes');
    for (const child of running) child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), boundMs)));
    const outcome = await Promise.race([exits, deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      const left = running.filter((child) => child.exitCode === null && child.signalCode === null);
      logger.warn({ processes: left.map((child) => child.pid) }, 'discord: shard processes did not stop in time; killing them');
      for (const child of left) child.kill('SIGKILL');
      await exits;
    }
  };

  const launcher: PlatformLauncher = {
    platform: 'discord',
    servesRoutes: false,
    async start() {
      const shards = config.shards ?? 1;
      totalShards = shards === 'auto' ? await recommendedShardCount(config) : shards;
      if (shards === 'auto') logger.info({ shards: totalShards }, 'discord: recommended shard count');
      const shardList = Array.from({ length: totalShards }, (_, i) => i);
      const current = new ShardingManager(script.file, {
        totalShards,
        shardList,
        token: config.token,
        mode: 'process',
        respawn: true,
        execArgv: script.execArgv,
        shardArgs: [DISCORD_SHARD_FLAG],
      });
      manager = current;
      current.on('shardCreate', watch);
      logger.info({ shards: totalShards, script: script.file }, 'discord: starting one process per shard');
      // ShardingManager#spawn() does the same, but its wait between shards cannot be cancelled: a failed
      // start would keep the process alive for that long before it exits 1.
      const spacing = new AbortController();
      try {
        for (const id of shardList) {
          const last = id === shardList.length - 1;
          await Promise.all([
            current.createShard(id).spawn(options.readyTimeoutMs ?? SHARD_READY_TIMEOUT_MS),
            last ? undefined : sleep(options.spawnDelayMs ?? SHARD_SPAWN_DELAY_MS, undefined, { signal: spacing.signal }),
          ]);
        }
      } catch (error) {
        spacing.abort();
        await stopShards(DISCONNECT_GRACE_MS);
        throw error;
      }
      let guilds: number | undefined;
      try {
        const counts = await current.fetchClientValues('guilds.cache.size');
        guilds = counts.reduce<number>((sum, count) => sum + (typeof count === 'number' ? count : 0), 0);
      } catch {
        guilds = undefined;
      }
      return {
        details: { mode: 'gateway', sharding: 'processes', shards: totalShards, ...(guilds !== undefined ? { guilds } : {}) },
        isConnected: allReady,
        // Each shard process drains its own replies (within the same limit) on SIGTERM; the rest is margin to exit.
        stop: ({ drainTimeoutMs }) => stopShards(drainTimeoutMs + DISCONNECT_GRACE_MS / 2),
      };
    },
  };

  return {
    launcher,
    metrics: { ...metrics, render },
    signal(signal) {
      // A shard process still starting has no handler yet (SIGHUP would kill it) and loads the current fact base anyway.
      for (const shard of manager?.shards.values() ?? []) {
        const state = states.get(shard.id);
        if (state !== 'starting' && state !== 'dead') shard.process?.kill(signal);
      }
    },
  };
}
