import { startApp, type PlatformLauncher, type RunningApp } from './app.js';
import { loadConfig, type Config, type DiscordConfig } from '../config.js';
import { isShardMetricsRequest, SHARD_METRICS_REPLY, type ShardMetricsReply } from './discord-shards.js';
import type { Logger } from '../bot/log.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createProcessLogger } from './process-log.js';
import { installSignalHandlers } from './shutdown.js';

/**
 * One Discord shard process, forked by the ShardingManager of the main process when DISCORD_SHARDS is
 * set (src/host/discord-shards.ts runs `src/main.ts --discord-shard`); not started by hand. The
 * composition root passes in the Discord launcher: this layer does not know the adapters. It runs the same bot as the main process (fact
 * base, hot reload, rate limit, logs, unanswered log: `startApp`) with the Discord adapter only, and no
 * HTTP server: the manager serves `/healthz`, `/readyz` and `/metrics`, and asks this process for its
 * metrics over IPC. discord.js's Client takes this shard's id and the shard count from the SHARDS and
 * SHARD_COUNT variables the manager sets.
 */

/** This shard's id, as the manager passed it; on every log line as `shard`. */
export const SHARD_ID = Number(process.env['SHARDS']);

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

/** Runs this process as one shard: the Discord platform only, from `discordLauncher`, and no HTTP server. */
export async function runDiscordShardChild(discordLauncher: (discord: DiscordConfig) => PlatformLauncher): Promise<void> {
  if (!process.send) throw new Error('--discord-shard runs a shard process of the ShardingManager (set DISCORD_SHARDS and start src/main.ts)');
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
