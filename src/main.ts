import { Status } from 'discord.js';
import { startDiscordAdapter } from '../adapters/discord/index.js';
import { startSlackAdapter } from '../adapters/slack/index.js';
import { runTerminalChat } from '../adapters/terminal/chat.js';
import { ConfigError, loadConfig, type Config, type DiscordConfig } from './config.js';
import { PlatformStartError, startApp, type PlatformLauncher } from './host/app.js';
import { RedisUnavailableError } from './host/redis-store.js';
import { runDiscordShardChild, SHARD_ID } from './host/discord-shard-child.js';
import { createShardedDiscord, DISCORD_SHARD_FLAG, type ShardedDiscord } from './host/discord-shards.js';
import { createMetrics } from './host/metrics.js';
import { createProcessLogger } from './host/process-log.js';
import { installSignalHandlers } from './host/shutdown.js';
import { KnowledgeError } from './knowledge/errors.js';

/**
 * Composition root of the hosted bot: config → knowledge → engine → the platforms configured (Slack,
 * Discord or both), or the terminal chat when none is. `npm start` runs this. With `--discord-shard`
 * it is one Discord shard process instead, forked by the shard supervisor (src/host/discord-shards.ts).
 * With src/cli.ts, the only module of src/ that knows the adapters (docs/architecture.md).
 */

/** The terminal chat's stdout is the conversation: logs go to stderr, and only warnings and errors. */
const TERMINAL_MIN_LOG_LEVEL = 'warn';
const LEVEL_ORDER = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/**
 * One launcher per platform whose variables are set; this is the only place that knows the adapters.
 * With DISCORD_SHARDS, `sharded` runs Discord in one process per shard instead (src/host/discord-shards.ts).
 */
function platformLaunchers(config: Config, sharded?: ShardedDiscord): PlatformLauncher[] {
  const launchers: PlatformLauncher[] = [];
  const { slack, discord } = config;
  if (slack) {
    launchers.push({
      platform: 'slack',
      // In HTTP mode Bolt's server on PORT serves /slack/events and the health routes: one port.
      servesRoutes: slack.mode === 'http',
      async start({ bot, logger, routes, store, feedback }) {
        const adapter = await startSlackAdapter({
          config: slack,
          bot,
          logger,
          store,
          feedback,
          host: config.host,
          port: config.port,
          ...(slack.mode === 'http' ? { customRoutes: routes } : {}),
        });
        return {
          details: { mode: adapter.mode, ...(adapter.port !== undefined ? { port: adapter.port } : {}) },
          stop: (options) => adapter.stop(options),
        };
      },
    });
  }
  if (sharded) launchers.push(sharded.launcher);
  else if (discord) launchers.push(discordLauncher(discord));
  return launchers;
}

/** The Discord platform in this process: every shard of `discord` (one, or DISCORD_SHARDS without the supervisor). */
function discordLauncher(discord: DiscordConfig): PlatformLauncher {
  return {
    platform: 'discord',
    servesRoutes: false,
    async start({ bot, logger, store, feedback }) {
      const adapter = await startDiscordAdapter({ config: discord, bot, logger, store, feedback });
      return {
        details: { mode: 'gateway', shardCount: adapter.client.options.shardCount ?? 1, guilds: adapter.client.guilds.cache.size },
        // Every shard, live: the client's own ready flag stays true while a shard reconnects.
        isConnected: () => adapter.client.isReady() && adapter.client.ws.shards.every((shard) => shard.status === Status.Ready),
        stop: (options) => adapter.stop(options),
      };
    },
  };
}

async function main(): Promise<number | undefined> {
  if (process.argv.includes(DISCORD_SHARD_FLAG)) {
    await runDiscordShardChild(discordLauncher);
    return undefined;
  }
  const config = loadConfig(process.env);
  const hosted = config.slack !== undefined || config.discord !== undefined;
  const processMetrics = createMetrics({ processMetrics: hosted });
  const level = hosted ? config.logLevel : LEVEL_ORDER[Math.max(LEVEL_ORDER.indexOf(config.logLevel), LEVEL_ORDER.indexOf(TERMINAL_MIN_LOG_LEVEL))]!;
  const logger = createProcessLogger({ level, output: hosted ? 1 : 2, onPlatformError: processMetrics.platformError });
  const sharded = config.discord?.shards !== undefined ? createShardedDiscord({ config: config.discord, logger, metrics: processMetrics }) : undefined;
  const platforms = platformLaunchers(config, sharded);
  // With shards, /metrics also sums the shard processes' metrics.
  const metrics = sharded?.metrics ?? processMetrics;

  const app = await startApp({ config, logger, platforms, metrics });
  const exit = (code: number): void => process.exit(code);
  if (hosted) {
    const reload = (): Promise<boolean> => {
      sharded?.signal('SIGHUP');
      return app.reload('SIGHUP');
    };
    installSignalHandlers({ stop: app.stop, reload, logger, exit });
    // The platforms' connections keep the process alive; a signal ends it.
    return undefined;
  }
  installSignalHandlers({ stop: app.stop, logger, exit });
  await runTerminalChat({ bot: app.bot, input: process.stdin, output: process.stdout, feedback: { service: app.feedback, persisted: app.feedbackPersisted } });
  await app.stop();
  return 0;
}

try {
  const code = await main();
  if (code !== undefined) process.exitCode = code;
} catch (error) {
  // Misconfiguration: say what is wrong (each variable, each fact base problem) and stop with 1.
  if (error instanceof ConfigError || error instanceof KnowledgeError || error instanceof PlatformStartError || error instanceof RedisUnavailableError) {
    const shard = process.argv.includes(DISCORD_SHARD_FLAG);
    process.stderr.write(`${shard ? `shard ${SHARD_ID}: ` : ''}${error.message}\n`);
    // A shard's IPC channel to the manager would keep it alive: leave explicitly.
    if (shard) process.exit(1);
    process.exitCode = 1;
  } else throw error;
}
