/**
 * The bot under load, in a process of its own (started by scripts/load.ts with `fork`): the real
 * Slack or Discord adapter, the real engine over the real fact base, logging JSON at info level to
 * its stdout (which the load script sends to /dev/null), as the hosted process does. No rate limit:
 * the load test measures how much the adapters and the engine carry, not the per-user limit.
 *
 * It talks to the load script over the IPC channel: `ready` once listening or connected, `stats`
 * (CPU, event-loop delay, memory) on request, and it stops on `stop` or SIGTERM.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startDiscordAdapter } from '../../adapters/discord/index.js';
import { startSlackAdapter } from '../../adapters/slack/index.js';
import { createBot } from '../../src/bot/bot.js';
import { createEngine } from '../../src/engine/engine.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { createLogger } from '../../src/bot/log.js';
import { LOOP_RESOLUTION_MS, type BotMessage, type BotProcessSpec } from './protocol.js';

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as BotProcessSpec;
  const send = (message: BotMessage): void => {
    process.send?.(message);
  };
  const engine = createEngine(await loadKnowledge(spec.knowledgeDir));
  const bot = createBot({ getEngine: () => engine });
  // Not a TTY: JSON lines on stdout, like the hosted process.
  const logger = createLogger(spec.logLevel);

  let stop: () => Promise<void>;
  let port: number | undefined;
  if (spec.platform === 'slack') {
    const adapter = await startSlackAdapter({
      config: spec.slack,
      bot,
      logger,
      host: '127.0.0.1',
      port: 0,
    });
    port = adapter.port;
    stop = () => adapter.stop();
  } else {
    const adapter = await startDiscordAdapter({ config: spec.discord, bot, logger });
    stop = () => adapter.stop();
  }

  const delay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  delay.enable();
  let cpu = process.cpuUsage();
  let wall = performance.now();
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    delay.disable();
    void stop().finally(() => process.exit(0));
  };
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'stats') {
      const used = process.cpuUsage(cpu);
      const now = performance.now();
      send({
        type: 'stats',
        stats: {
          cpuPercent: ((used.user + used.system) / 1000 / (now - wall)) * 100,
          // The histogram's values include the sampling interval: the lag is what is beyond it.
          loopDelayP99Ms: Math.max(0, delay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS),
          loopDelayMaxMs: Math.max(0, delay.max / 1e6 - LOOP_RESOLUTION_MS),
          rssMb: process.memoryUsage().rss / 1e6,
        },
      });
      cpu = process.cpuUsage();
      wall = now;
      delay.reset();
    } else if (message.type === 'stop') {
      shutdown();
    }
  });
  process.on('SIGTERM', shutdown);
  // The load script going away (crash, Ctrl-C) must not leave this process behind.
  process.on('disconnect', shutdown);
  send({ type: 'ready', ...(port !== undefined ? { port } : {}) });
}

main().catch((error: unknown) => {
  process.send?.({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
  } satisfies BotMessage);
  process.exitCode = 1;
  process.disconnect?.();
});
