import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The process logger: JSON lines by default (for log collectors), readable when stdout is a terminal.
 * Log ids, kinds, fact ids, confidence and latency at info level; never message text or tokens.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { app: 'haidian-bot' },
    // Belt and braces: even if a token-bearing object reaches a log call, these paths are masked.
    redact: {
      paths: ['token', '*.token', 'botToken', '*.botToken', 'appToken', '*.appToken', 'signingSecret', '*.signingSecret', 'authorization', '*.authorization', 'headers.authorization'],
      censor: '[redacted]',
    },
  };
  if (destination) return pino(options, destination);
  if (process.stdout.isTTY) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss' } } });
  }
  return pino(options);
}

/** A logger that drops everything: for tests and for the terminal chat, whose stdout is the chat. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
