/**
 * Shared set-up of the reliability tests: the real engine over the real fact base, loggers whose
 * every line is kept (to look for secrets), and the real Slack adapter against the fake Slack.
 */
import path from 'node:path';
import type { webApi } from '@slack/bolt';
import { startSlackAdapter, type SlackAdapter } from '../../adapters/slack/index.js';
import type { PlatformLauncher } from '../../src/host/app.js';
import type { Bot } from '../../src/bot/bot.js';
import type { SlackConfig } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/bot/log.js';
import type { FakeSlack, RecordedCall } from '../fakes/fake-slack.js';
import { postEvent, type SlackHttpResult } from '../fakes/slack-signing.js';
import { launchSlack } from '../adapters/slack/harness.js';
import { eventCallback, mentionEvent } from '../adapters/slack/payloads.js';
import { lineSink } from '../helpers/log-lines.js';
import { realBot, realEngine } from '../helpers/real-bot.js';

export { realBot, realEngine };

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const KNOWLEDGE_DIR = path.join(ROOT, 'knowledge');

// Distinctive values, so that any leak into a log line, an error or /metrics is found by a plain search.
export const BOT_TOKEN = 'xoxb-1111-2222-RELIABILITYBOTTOKEN';
export const SIGNING_SECRET = 'reliability-signing-secret-5c0ffee';
export const APP_TOKEN = 'xapp-1-A0001-3333-RELIABILITYAPPTOKEN';
export const DISCORD_TOKEN = 'RELIABILITY.DISCORD.TOKEN-abc123';
export const SECRETS = [BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, DISCORD_TOKEN] as const;


export interface CapturedLogs {
  readonly logger: Logger;
  /** Every line written, as written (JSON). */
  readonly lines: string[];
  text(): string;
}

/** A process logger at `level` whose output is kept in memory. */
export function captureLogs(level = 'info'): CapturedLogs {
  const { sink, lines } = lineSink();
  return { logger: createLogger(level, sink), lines, text: () => lines.join('\n') };
}

export interface SlackRig {
  readonly fake: FakeSlack;
  readonly adapter: SlackAdapter;
  /** `http://127.0.0.1:<port>/slack/events` */
  readonly eventsUrl: string;
  readonly logs: CapturedLogs;
  stop(): Promise<void>;
}

export interface SlackRigOptions {
  readonly bot?: Bot;
  /** The Web API client's retry policy; default: the adapter's own shape with millisecond waits. */
  readonly retryConfig?: webApi.RetryOptions;
  readonly logLevel?: string;
}

/** Fast retries with the production policy's shape (a few attempts, backoff), so a test waits milliseconds. */
export const FAST_RETRY_CONFIG: webApi.RetryOptions = {
  retries: 5,
  factor: 2,
  minTimeout: 10,
  maxTimeout: 50,
  randomize: false,
};

/** A Slack config in HTTP mode against `fake`. */
export function slackConfig(fake: FakeSlack): SlackConfig {
  return {
    mode: 'http',
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    apiUrl: fake.apiUrl,
    command: 'haidian',
  };
}

/** Starts the fake Slack, then the real Slack adapter (real Bolt App, HTTP mode) against it. */
export async function startSlackRig(options: SlackRigOptions = {}): Promise<SlackRig> {
  const logs = captureLogs(options.logLevel ?? 'info');
  const launched = await launchSlack({
    config: slackConfig,
    logger: logs.logger,
    ...(options.bot ? { bot: options.bot } : {}),
    retryConfig: options.retryConfig ?? FAST_RETRY_CONFIG,
  });
  return { ...launched, logs };
}

let tsCounter = 0;
/** A message timestamp no other test in the process uses (the answer's `thread_ts` names it). */
export function uniqueTs(): string {
  tsCounter += 1;
  return `1720000${String(tsCounter % 1000).padStart(3, '0')}.${String(tsCounter).padStart(6, '0')}`;
}

/** Sends a correctly signed app_mention asking `question`; its `ts` is the thread the answer must go to. */
export async function sendMention(
  eventsUrl: string,
  question: string,
  options: { ts?: string; eventId?: string; user?: string } = {},
): Promise<SlackHttpResult & { ts: string }> {
  const ts = options.ts ?? uniqueTs();
  const body = eventCallback(
    mentionEvent({
      text: `<@UBOT0001> ${question}`,
      ts,
      ...(options.user ? { user: options.user } : {}),
    }),
    options.eventId,
  );
  const sent = await postEvent(eventsUrl, body, { signingSecret: SIGNING_SECRET });
  return { ...sent, ts };
}

/** Successful chat.postMessage calls grouped by the thread they answered. */
export function postsByThread(fake: FakeSlack): Map<string, RecordedCall[]> {
  const byThread = new Map<string, RecordedCall[]>();
  for (const call of fake.callsTo('chat.postMessage', 200)) {
    const thread = String(call.body['thread_ts']);
    byThread.set(thread, [...(byThread.get(thread) ?? []), call]);
  }
  return byThread;
}

/** Lets anything wrongly sent arrive before asserting that it did not. */
export function settle(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The Slack platform as the composition root starts it, against the fake, with the test's retry policy. */
export function slackLauncher(fake: FakeSlack): PlatformLauncher {
  return {
    platform: 'slack',
    servesRoutes: true,
    async start({ bot, logger, routes }) {
      const adapter = await startSlackAdapter({
        config: slackConfig(fake),
        bot,
        logger,
        host: '127.0.0.1',
        port: 0,
        customRoutes: routes,
        webApiRetryConfig: FAST_RETRY_CONFIG,
      });
      return { details: { mode: adapter.mode, port: adapter.port ?? 0 }, stop: () => adapter.stop() };
    },
  };
}
