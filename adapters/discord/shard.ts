import { Status } from 'discord.js';
import { PlatformStartError, startApp, type PlatformLauncher, type RunningApp } from '../../src/app.js';
import { ConfigError, loadConfig, type Config, type DiscordConfig } from '../../src/config.js';
import { isShardMetricsRequest, SHARD_METRICS_REPLY, type ShardMetricsReply } from '../../src/discord-shards.js';
import { KnowledgeError } from '../../src/knowledge/errors.js';
import type { Logger } from '../../src/log.js';
import { createMetrics, type Metrics } from '../../src/metrics.js';
import { createProcessLogger } from '../../src/process-log.js';
import { installSignalHandlers } from '../../src/shutdown.js';
import { startDiscordAdapter } from './index.js';

/**
 * One Discord shard process, forked by the ShardingManager of the main process when DISCORD_SHARDS is
 * set (src/discord-shards.ts); not started by hand. It runs the same bot as the main process (fact
 * base, hot reload, rate limit, logs, unanswered log: `startApp`) with the Discord adapter only, and no
 * HTTP server: the manager serves `/healthz`, `/readyz` and `/metrics`, and asks this process for its
 * metrics over IPC. discord.js's Client takes this shard's id and the shard count from the SHARDS and
 * SHARD_COUNT variables the manager sets.
 */

/** This shard's id, as the manager passed it; on every log line as `shard`. */
const SHARD_ID = Number(process.env['SHARDS']);

function discordLauncher(discord: DiscordConfig): PlatformLauncher {
  return {
    platform: 'discord',
    servesRoutes: false,
    async start({ bot, logger }) {
      const adapter = await startDiscordAdapter({ config: discord, bot, logger });
      // The shard id is on every line already (the logger's `shard`).
      return {
        details: { mode: 'gateway', shardCount: adapter.client.options.shardCount ?? 1, guilds: adapter.client.guilds.cache.size },
        isConnected: () => adapter.client.isReady() && adapter.client.ws.shards.every((shard) => shard.status === Status.Ready),
        stop: (options) => adapter.stop(options),
      };
    },
  };
}

/** Answers the manager's metrics requests with this process's metrics. */
function serveMetricsOverIpc(metrics: Metrics, logger: Logger): void {
  process.on('message', (message: unknown) => {
    if (!isShardMetricsRequest(message)) return;
    metrics.registry.getMetricsAsJSON().then(
      (list) => {
        const reply: ShardMetricsReply = { type: SHARD_METRICS_REPLY, id: message.id, metrics: list };
        if (process.connected) process.send?.(reply);
      },
      (error: unknown) => logger.warn({ err: error }, 'shard: collecting metrics failed'),
    );
  });
}

async function runShard(): Promise<void> {
  if (!process.send) throw new Error('adapters/discord/shard.ts runs as a shard process of the ShardingManager (set DISCORD_SHARDS and start src/main.ts)');
  const config = loadConfig(process.env);
  if (!config.discord) throw new Error('shard process without Discord configuration (DISCORD_TOKEN, DISCORD_APPLICATION_ID)');
  // DISCORD_SHARDS is the manager's business: with `shards` set the adapter would open every shard here.
  const discord: DiscordConfig = { ...config.discord, shards: undefined };
  const shardConfig: Config = { ...config, slack: undefined, discord };

  const metrics = createMetrics({ processMetrics: true });
  const logger = createProcessLogger({ level: config.logLevel, output: 1, onPlatformError: metrics.platformError }).child({ shard: SHARD_ID });
  serveMetricsOverIpc(metrics, logger);
  // discord.js reports shard events to the manager with process.send(); once the manager is gone that
  // emits 'error' on the process, which would otherwise crash it mid-shutdown.
  process.on('error', (error) => logger.debug({ err: error }, 'shard: IPC to the manager failed'));

  // Ctrl-C reaches the whole process group. The manager stops this process with SIGTERM itself; a
  // SIGINT here first would make that SIGTERM a "second signal" and cut the drain short.
  process.on('SIGINT', () => logger.info('shard: SIGINT ignored; the manager process stops this one'));

  const started: { app?: RunningApp } = {};
  const exit = (code: number): void => process.exit(code);
  // The manager gone (killed, crashed): nobody would stop or respawn this process; drain and leave.
  process.once('disconnect', () => {
    logger.warn('shard: the manager process is gone; stopping');
    if (!started.app) exit(1);
    else void started.app.stop().then(() => exit(0), () => exit(1));
  });

  const running = await startApp({ config: shardConfig, logger, platforms: [discordLauncher(discord)], metrics, serveHttp: false });
  started.app = running;
  const everythingButSigint: Pick<NodeJS.Process, 'on'> = {
    on: ((event: string, listener: (...args: unknown[]) => void) => (event === 'SIGINT' ? process : process.on(event, listener))) as NodeJS.Process['on'],
  };
  installSignalHandlers({ stop: running.stop, reload: () => running.reload('SIGHUP'), logger, exit, target: everythingButSigint });
}

try {
  await runShard();
} catch (error) {
  if (error instanceof ConfigError || error instanceof KnowledgeError || error instanceof PlatformStartError) {
    process.stderr.write(`shard ${SHARD_ID}: ${error.message}\n`);
    process.exit(1);
  } else throw error;
}
