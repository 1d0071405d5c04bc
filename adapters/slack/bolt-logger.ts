import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/bot/log.js';

/**
 * Routes Bolt's and the Web API client's logs into the process logger. Bolt's `debug` goes to pino's
 * `trace`, because at debug Bolt and the Web API client print request bodies, which hold message text.
 */
export function createBoltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'bolt' });
  const write = (level: 'trace' | 'info' | 'warn' | 'error', parts: unknown[]): void => {
    const error = parts.find((part): part is Error => part instanceof Error);
    const message = parts
      .filter((part) => !(part instanceof Error))
      .map((part) => (typeof part === 'string' ? part : safeJson(part)))
      .join(' ');
    if (error) log[level]({ err: error }, message || error.message);
    else log[level](message);
  };
  return {
    debug: (...parts: unknown[]) => write('trace', parts),
    info: (...parts: unknown[]) => write('info', parts),
    warn: (...parts: unknown[]) => write('warn', parts),
    error: (...parts: unknown[]) => write('error', parts),
    // The process logger's level rules; Bolt would otherwise force its default (INFO) on it.
    setLevel: () => undefined,
    getLevel: () => toBoltLevel(log.level),
    setName: () => undefined,
  };
}

function toBoltLevel(level: string): LogLevel {
  if (level === 'trace') return LogLevel.DEBUG;
  if (level === 'debug' || level === 'info') return LogLevel.INFO;
  if (level === 'warn') return LogLevel.WARN;
  return LogLevel.ERROR;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
