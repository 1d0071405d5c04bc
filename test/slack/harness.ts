import { Writable } from 'node:stream';
import type { Bot } from '../../src/bot.js';
import type { SlackConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startSlackAdapter, type SlackAdapter } from '../../adapters/slack/index.js';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../fakes/fake-slack.js';
import { realBot, realEngine } from '../helpers/real-bot.js';

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
  readonly customRoutes?: Parameters<typeof startSlackAdapter>[0]['customRoutes'];
}

/** Starts a fake Slack, then the real adapter (real Bolt App) against it. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeSlack();
  const logs: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
  const mode = options.mode ?? 'http';
  const config: SlackConfig =
    mode === 'http'
      ? { mode, botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, command: 'haidian' }
      : { mode, botToken: BOT_TOKEN, appToken: APP_TOKEN, apiUrl: fake.apiUrl, command: 'haidian' };
  let adapter: SlackAdapter;
  try {
    adapter = await startSlackAdapter({
      config,
      bot: options.bot ?? (await realBot()),
      logger,
      host: '127.0.0.1',
      port: 0,
      ...(options.customRoutes ? { customRoutes: options.customRoutes } : {}),
      // Small so a retried call costs milliseconds in tests.
      webApiRetryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 },
    });
  } catch (error) {
    await fake.close();
    throw error;
  }
  return {
    fake,
    adapter,
    eventsUrl: `http://127.0.0.1:${adapter.port ?? 0}/slack/events`,
    logs,
    async stop() {
      await adapter.stop();
      await fake.close();
    },
  };
}

/** Everything a posted message shows, as one string: text plus blocks JSON. */
export function shown(call: RecordedCall): string {
  return `${String(call.body['text'])}\n${JSON.stringify(call.body['blocks'])}`;
}

/** Waits a little so that anything wrongly sent would have arrived (asserting absence). */
export function settle(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
