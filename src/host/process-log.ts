import { Writable } from 'node:stream';
import pino, { type DestinationStream, type Level, type StreamEntry } from 'pino';
import PinoPretty from 'pino-pretty';
import type { Config } from '../config.js';
import { createLogger, type Logger } from '../bot/log.js';

/**
 * The bot process's logger: the project logger (JSON, secrets redacted) written to stdout or stderr,
 * pretty on a terminal, plus a tap that counts the platform adapters' errors for `/metrics`.
 */

const ERROR_LEVEL = pino.levels.values['error'] ?? 50;

export interface ProcessLoggerOptions {
  /** LOG_LEVEL: what is written. Errors are counted whatever the level. */
  readonly level: Config['logLevel'];
  /** A file descriptor (1 stdout, 2 stderr) or a stream (tests capture logs with one). */
  readonly output: 1 | 2 | DestinationStream;
  /** Called for every record at error level or above that carries an `adapter` binding (the adapters' child loggers do). */
  readonly onPlatformError?: (platform: string) => void;
}

/** Creates the process logger. Writes are synchronous, so nothing is lost when the process exits right after. */
export function createProcessLogger(options: ProcessLoggerOptions): Logger {
  const streams: StreamEntry<Level>[] = [];
  if (options.level !== 'silent') streams.push({ level: options.level, stream: outputStream(options.output) });
  const { onPlatformError } = options;
  if (onPlatformError) {
    const tap = new Writable({
      write(chunk: Buffer, _encoding, done) {
        const adapter = adapterOf(chunk.toString('utf8'));
        if (adapter) onPlatformError(adapter);
        done();
      },
    });
    streams.push({ level: 'error', stream: tap });
  }
  // The logger must let through everything any stream wants: the written level, and errors for the tap.
  const written = options.level === 'silent' ? Number.POSITIVE_INFINITY : (pino.levels.values[options.level] ?? 0);
  const loggerLevel = onPlatformError && written > ERROR_LEVEL ? 'error' : options.level;
  return createLogger(loggerLevel, pino.multistream(streams));
}

function outputStream(output: ProcessLoggerOptions['output']): DestinationStream {
  if (typeof output !== 'number') return output;
  const isTty = output === 1 ? process.stdout.isTTY : process.stderr.isTTY;
  // On a terminal, readable lines; in a container or under a log collector, one JSON object per line.
  if (isTty) return PinoPretty({ colorize: true, translateTime: 'HH:MM:ss', destination: output, sync: true });
  return pino.destination({ dest: output, sync: true });
}

function adapterOf(line: string): string | undefined {
  try {
    const record = JSON.parse(line) as { adapter?: unknown };
    return typeof record.adapter === 'string' ? record.adapter : undefined;
  } catch {
    return undefined;
  }
}
