import { Status } from 'discord.js';
import { startDiscordAdapter } from '../adapters/discord/index.js';
import { startSlackAdapter } from '../adapters/slack/index.js';
import { runTerminalChat } from '../adapters/terminal/chat.js';
import { PlatformStartError, startApp, type PlatformLauncher } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createShardedDiscord, type ShardedDiscord } from './discord-shards.js';
import { KnowledgeError } from './knowledge/errors.js';
import { createMetrics } from './metrics.js';
import { createProcessLogger } from './process-log.js';
import { installSignalHandlers } from './shutdown.js';

/**
 * Composition root: config → knowledge → engine → the platforms configured (Slack, Discord or both),
 * or the terminal chat when none is. `npm start` runs this.
 */

/** The terminal chat's stdout is the conversation: logs go to stderr, and only warnings and errors. */
const TERMINAL_MIN_LOG_LEVEL = 'warn';
const LEVEL_ORDER = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/**
 * One launcher per platform whose variables are set; this is the only place that knows the adapters.
 * With DISCORD_SHARDS, `sharded` runs Discord in one process per shard instead (src/discord-shards.ts).
 */
function platformLaunchers(config: Config, sharded?: ShardedDiscord): PlatformLauncher[] {
  const launchers: PlatformLauncher[] = [];
  const { slack, discord } = config;
  if (slack) {
    launchers.push({
      platform: 'slack',
      // In HTTP mode Bolt's server on PORT serves /slack/events and the health routes: one port.
      servesRoutes: slack.mode === 'http',
      async start({ bot, logger, routes }) {
        const adapter = await startSlackAdapter({
          config: slack,
          bot,
          logger,
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
  else if (discord) {
    launchers.push({
      platform: 'discord',
      servesRoutes: false,
      async start({ bot, logger }) {
        const adapter = await startDiscordAdapter({ config: discord, bot, logger });
        return {
          details: { mode: 'gateway', guilds: adapter.client.guilds.cache.size, ...(discord.shards !== undefined ? { shards: discord.shards } : {}) },
          // Every shard, live: the client's own ready flag stays true while a shard reconnects.
          isConnected: () => adapter.client.isReady() && adapter.client.ws.shards.every((shard) => shard.status === Status.Ready),
          stop: (options) => adapter.stop(options),
        };
      },
    });
  }
  return launchers;
}

async function main(): Promise<number | undefined> {
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
  await runTerminalChat({ bot: app.bot, input: process.stdin, output: process.stdout });
  await app.stop();
  return 0;
}

try {
  const code = await main();
  if (code !== undefined) process.exitCode = code;
} catch (error) {
  // Misconfiguration: say what is wrong (each variable, each fact base problem) and stop with 1.
  if (error instanceof ConfigError || error instanceof KnowledgeError || error instanceof PlatformStartError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else throw error;
}
