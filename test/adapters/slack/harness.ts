import type { webApi } from '@slack/bolt';
import type { Bot } from '../../../src/bot/bot.js';
import type { FeedbackService } from '../../../src/bot/feedback.js';
import type { SlackConfig } from '../../../src/config.js';
import { createLogger, type Logger } from '../../../src/bot/log.js';
import { startSlackAdapter, type SlackAdapter } from '../../../adapters/slack/index.js';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../../fakes/fake-slack.js';
import { lineSink } from '../../helpers/log-lines.js';
import { realBot, realEngine } from '../../helpers/real-bot.js';

export { realBot, realEngine };

export const SIGNING_SECRET = 'test-signing-secret';
export const BOT_TOKEN = 'xoxb-test-token';
export const APP_TOKEN = 'xapp-1-test-token';


export interface Harness {
  readonly fake: FakeSlack;
  readonly adapter: SlackAdapter;
  /** `http://127.0.0.1:<port>/slack/events` in HTTP mode. */
  readonly eventsUrl: string;
  /** Log lines the adapter wrote (JSON). */
  readonly logs: string[];
  stop(): Promise<void>;
}

export interface HarnessOptions {
  readonly mode?: 'http' | 'socket';
  readonly bot?: Bot;
  readonly feedback?: FeedbackService;
  readonly customRoutes?: Parameters<typeof startSlackAdapter>[0]['customRoutes'];
}

/** A fake Slack and the real adapter (real Bolt App) started against it. */
export interface LaunchedSlack {
  readonly fake: FakeSlack;
  readonly adapter: SlackAdapter;
  /** `http://127.0.0.1:<port>/slack/events` in HTTP mode. */
  readonly eventsUrl: string;
  stop(): Promise<void>;
}

export interface LaunchOptions {
  /** The adapter's config, made once the fake is listening (it needs the fake's API URL). */
  readonly config: (fake: FakeSlack) => SlackConfig;
  readonly logger: Logger;
  readonly bot?: Bot;
  readonly feedback?: FeedbackService;
  readonly retryConfig: webApi.RetryOptions;
  readonly customRoutes?: Parameters<typeof startSlackAdapter>[0]['customRoutes'];
}

/** Starts a fake Slack, then the real adapter on 127.0.0.1 (any free port) against it; closes the fake if the adapter fails. */
export async function launchSlack(options: LaunchOptions): Promise<LaunchedSlack> {
  const fake = await startFakeSlack();
  let adapter: SlackAdapter;
  try {
    adapter = await startSlackAdapter({
      config: options.config(fake),
      bot: options.bot ?? (await realBot()),
      logger: options.logger,
      host: '127.0.0.1',
      port: 0,
      ...(options.customRoutes ? { customRoutes: options.customRoutes } : {}),
      ...(options.feedback ? { feedback: options.feedback } : {}),
      webApiRetryConfig: options.retryConfig,
    });
  } catch (error) {
    await fake.close();
    throw error;
  }
  return {
    fake,
    adapter,
    eventsUrl: `http://127.0.0.1:${adapter.port ?? 0}/slack/events`,
    async stop() {
      await adapter.stop();
      await fake.close();
    },
  };
}

/** Starts a fake Slack, then the real adapter (real Bolt App) against it. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const { sink, lines } = lineSink();
  const mode = options.mode ?? 'http';
  const launched = await launchSlack({
    config: (fake) =>
      mode === 'http'
        ? { mode, botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, command: 'haidian' }
        : { mode, botToken: BOT_TOKEN, appToken: APP_TOKEN, apiUrl: fake.apiUrl, command: 'haidian' },
    logger: createLogger('info', sink),
    ...(options.bot ? { bot: options.bot } : {}),
    ...(options.feedback ? { feedback: options.feedback } : {}),
    ...(options.customRoutes ? { customRoutes: options.customRoutes } : {}),
    // Small so a retried call costs milliseconds in tests.
    retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 },
  });
  return { ...launched, logs: lines };
}

/** Everything a posted message shows, as one string: text plus blocks JSON. */
export function shown(call: RecordedCall): string {
  return `${String(call.body['text'])}\n${JSON.stringify(call.body['blocks'])}`;
}

/** Waits a little so that anything wrongly sent would have arrived (asserting absence). */
export function settle(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
