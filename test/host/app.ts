import { loadConfig, type Config } from '../../src/config.js';
import type { Logger } from '../../src/bot/log.js';
import { createProcessLogger } from '../../src/host/process-log.js';
import type { Metrics } from '../../src/host/metrics.js';
import type { PlatformLauncher, StartedPlatform } from '../../src/host/app.js';
import { lineSink } from '../helpers/log-lines.js';

/** Helpers for in-process tests of `startApp`. */

/** A config as the process would read it, from plain variables (never process.env). */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ HOST: '127.0.0.1', PORT: '0', WATCH_KNOWLEDGE: 'false', ...env });
}

/** A process logger writing JSON lines into memory. */
export function captureLogs(level: Config['logLevel'] = 'info', metrics?: Metrics): { logger: Logger; lines: string[]; records: () => Record<string, unknown>[] } {
  const { sink, lines } = lineSink();
  const logger = createProcessLogger({ level, output: sink, ...(metrics ? { onPlatformError: metrics.platformError } : {}) });
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** A platform whose start and stop the test controls. */
export interface ControlledPlatform {
  readonly launcher: PlatformLauncher;
  /** Completes start(): the platform is connected. */
  connect(): void;
  /** Makes start() fail. */
  fail(error: Error): void;
  /** Completes a pending stop(). */
  finishStop(): void;
  readonly stopCalls: { drainTimeoutMs: number }[];
  /** The bot the app handed to the platform, once started. */
  bot(): Parameters<PlatformLauncher['start']>[0]['bot'];
}

/** A launcher (reported as Discord) that connects, fails and stops when the test says so. */
export function controlledPlatform(options: { stopsImmediately?: boolean } = {}): ControlledPlatform {
  let resolveStart: (() => void) | undefined;
  let rejectStart: ((error: Error) => void) | undefined;
  let resolveStop: (() => void) | undefined;
  let deps: Parameters<PlatformLauncher['start']>[0] | undefined;
  const stopCalls: { drainTimeoutMs: number }[] = [];
  const started: StartedPlatform = {
    details: { mode: 'test' },
    stop(stopOptions) {
      stopCalls.push(stopOptions);
      if (options.stopsImmediately ?? true) return Promise.resolve();
      return new Promise<void>((resolve) => (resolveStop = resolve));
    },
  };
  return {
    launcher: {
      platform: 'discord',
      servesRoutes: false,
      start(startDeps) {
        deps = startDeps;
        return new Promise<StartedPlatform>((resolve, reject) => {
          resolveStart = () => resolve(started);
          rejectStart = reject;
        });
      },
    },
    connect: () => resolveStart?.(),
    fail: (error) => rejectStart?.(error),
    finishStop: () => resolveStop?.(),
    stopCalls,
    bot() {
      if (!deps) throw new Error('the platform was not started');
      return deps.bot;
    },
  };
}

/** An immediately connected platform, to run the app in hosted mode with a bot to ask. */
export function connectedPlatform(): ControlledPlatform {
  const platform = controlledPlatform();
  const start = platform.launcher.start.bind(platform.launcher);
  return {
    ...platform,
    launcher: {
      ...platform.launcher,
      start(deps) {
        const started = start(deps);
        platform.connect();
        return started;
      },
    },
  };
}
