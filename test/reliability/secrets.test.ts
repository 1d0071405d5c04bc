/**
 * The secrets (Slack bot token, signing secret, app token, Discord token) never appear in logs (at
 * every level, trace included, through faults), in the errors of failed start-ups, or in /metrics.
 */
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/index.js';
import { startSlackAdapter } from '../../adapters/slack/index.js';
import { PlatformStartError, startApp } from '../../src/host/app.js';
import type { Bot } from '../../src/bot/bot.js';
import { loadConfig } from '../../src/config.js';
import { createSilentLogger } from '../../src/bot/log.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { slackError, startFakeSlack } from '../fakes/fake-slack.js';
import { postEvent } from '../fakes/slack-signing.js';
import { eventCallback, mentionEvent } from '../adapters/slack/payloads.js';
import {
  APP_TOKEN,
  BOT_TOKEN,
  captureLogs,
  DISCORD_TOKEN,
  FAST_RETRY_CONFIG,
  KNOWLEDGE_DIR,
  realBot,
  SECRETS,
  sendMention,
  settle,
  SIGNING_SECRET,
  slackConfig,
  slackLauncher,
} from './harness.js';

const QUESTION = "What was Haidian's GDP in 2016?";

let cleanup: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

/** Everything an error shows wherever it ends up: message, stack, fields and causes, as printed. */
function everythingIn(error: unknown): string {
  return [
    String(error),
    error instanceof Error ? (error.stack ?? '') : '',
    inspect(error, { depth: 8, showHidden: true }),
  ].join('\n');
}

function expectNoSecret(text: string, where: string): void {
  for (const secret of SECRETS)
    expect(text.includes(secret), `${where} contains a secret`).toBe(false);
  // An Authorization header printed whole would show the scheme even with a masked value.
  expect(text, where).not.toMatch(/Bearer\s+xox|Bot\s+RELIABILITY/);
}

/** A Bot that fails on questions containing "boom", like an engine bug would. */
async function flakyBot(): Promise<Bot> {
  const bot = await realBot();
  return {
    ...bot,
    ask: (question, context) =>
      question.includes('boom')
        ? Promise.reject(new Error('engine exploded'))
        : bot.ask(question, context),
  };
}


describe('secrets in logs, errors and metrics', () => {
  it('Slack: no secret in any log line at trace level, through answers, forged requests, rate limits and failures, nor in /metrics', async () => {
    const fake = await startFakeSlack();
    cleanup.push(() => fake.close());
    const logs = captureLogs('trace');
    const config = loadConfig({
      KNOWLEDGE_DIR,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'trace',
      WATCH_KNOWLEDGE: 'false',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
    });
    const app = await startApp({
      config,
      logger: logs.logger,
      platforms: [slackLauncher(fake)],
      drainTimeoutMs: 1_000,
    });
    cleanup.push(() => app.stop());
    const base = `http://127.0.0.1:${app.httpPort ?? 0}`;
    const eventsUrl = `${base}/slack/events`;

    await sendMention(eventsUrl, QUESTION);
    await fake.waitForCalls('chat.postMessage', 1);
    // Forged: wrong secret, and a timestamp from the future.
    const forged = eventCallback(mentionEvent({ text: `<@UBOT0001> ${QUESTION}` }));
    expect((await postEvent(eventsUrl, forged, { signingSecret: 'wrong-secret' })).status).toBe(
      401,
    );
    expect(
      (
        await postEvent(eventsUrl, forged, {
          signingSecret: SIGNING_SECRET,
          timestampSec: Math.floor(Date.now() / 1000) + 3_600,
        })
      ).status,
    ).toBe(401);
    // Rate limited, then a delivery that fails for good (the error, with the response, is logged).
    fake.failNext('chat.postMessage', 1, { status: 429, headers: { 'retry-after': '0' } });
    await sendMention(eventsUrl, QUESTION);
    await fake.waitForCalls('chat.postMessage', 2);
    fake.failNext('chat.postMessage', (FAST_RETRY_CONFIG.retries as number) + 1, {
      status: 500,
      body: { ok: false, error: 'internal_error' },
    });
    await sendMention(eventsUrl, QUESTION);
    await fake.waitForCalls('chat.postMessage', 3, 5_000);
    fake.failNext('chat.postMessage', 1, slackError('invalid_auth'));
    await sendMention(eventsUrl, QUESTION);
    await fake.waitForCalls('chat.postMessage', 4, 5_000);
    await settle();

    expect(logs.lines.length).toBeGreaterThan(20);
    // Trace lines were written, the Web API client's request headers among them (with the token masked).
    expect(logs.text()).toContain('http request headers');
    expectNoSecret(logs.text(), 'the logs');

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('haidian_questions_total');
    expectNoSecret(metrics, '/metrics');
    for (const route of ['/readyz', '/healthz'])
      expectNoSecret(await (await fetch(`${base}${route}`)).text(), route);
  });

  it('Slack: the errors of failed start-ups name the problem, not the secret', async () => {
    const fake = await startFakeSlack();
    cleanup.push(() => fake.close());
    const bot = await realBot();

    fake.failNext('auth.test', 1, slackError('invalid_auth'));
    const rejected = await startSlackAdapter({
      config: slackConfig(fake),
      bot,
      logger: createSilentLogger(),
      host: '127.0.0.1',
      port: 0,
    }).catch((error: unknown) => error);
    expect(String(rejected)).toMatch(/invalid_auth/);
    expectNoSecret(everythingIn(rejected), 'the invalid_auth error');

    fake.failNext('apps.connections.open', 1, slackError('invalid_auth'));
    const socket = await startSlackAdapter({
      config: {
        mode: 'socket',
        botToken: BOT_TOKEN,
        appToken: APP_TOKEN,
        apiUrl: fake.apiUrl,
        command: 'haidian',
      },
      bot,
      logger: createSilentLogger(),
      host: '127.0.0.1',
      port: 0,
      webApiRetryConfig: { retries: 0 },
    }).catch((error: unknown) => error);
    expect(socket).toBeInstanceOf(Error);
    expectNoSecret(everythingIn(socket), 'the Socket Mode error');

    // The Web API unreachable (nothing listens on the port).
    const closed = await startFakeSlack();
    await closed.close();
    const unreachable = await startSlackAdapter({
      config: { ...slackConfig(fake), apiUrl: closed.apiUrl },
      bot,
      logger: createSilentLogger(),
      host: '127.0.0.1',
      port: 0,
      webApiRetryConfig: { retries: 0 },
    }).catch((error: unknown) => error);
    expect(unreachable).toBeInstanceOf(Error);
    expectNoSecret(everythingIn(unreachable), 'the unreachable-API error');

    // Through the hosted process: the start error main.ts prints.
    fake.failNext('auth.test', 1, slackError('invalid_auth'));
    const logs = captureLogs('trace');
    const config = loadConfig({
      KNOWLEDGE_DIR,
      HOST: '127.0.0.1',
      PORT: '0',
      WATCH_KNOWLEDGE: 'false',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
    });
    const appError = await startApp({
      config,
      logger: logs.logger,
      platforms: [slackLauncher(fake)],
    }).catch((error: unknown) => error);
    expect(appError).toBeInstanceOf(PlatformStartError);
    expectNoSecret(everythingIn(appError), 'the PlatformStartError');
    expectNoSecret(logs.text(), 'the start-up logs');
  });

  it('config errors about secret variables never echo their values', () => {
    const cases: Record<string, string | undefined>[] = [
      { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: `not-${APP_TOKEN}` },
      {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_APP_TOKEN: APP_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
      },
      { SLACK_SIGNING_SECRET: SIGNING_SECRET },
      { SLACK_APP_TOKEN: APP_TOKEN },
      { DISCORD_TOKEN, DISCORD_APPLICATION_ID: 'not-a-number' },
      { DISCORD_TOKEN },
      {
        DISCORD_TOKEN,
        DISCORD_APPLICATION_ID: '123456789012345678',
        DISCORD_API_URL: `not a url ${DISCORD_TOKEN}`,
      },
      {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: `ftp://x/${SIGNING_SECRET}`,
      },
    ];
    for (const env of cases) {
      let thrown: unknown;
      try {
        loadConfig(env);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(Object.keys(env))).toBeInstanceOf(Error);
      expectNoSecret(everythingIn(thrown), `the config error for ${Object.keys(env).join(', ')}`);
    }
  });

  it('Discord: no token (bot or interaction) in any log line at trace level, through answers, 429s, failures and a dropped gateway, nor in start-up errors', async () => {
    const fake: FakeDiscord = await startFakeDiscord({ heartbeatIntervalMs: 250 });
    cleanup.push(() => fake.close());
    const logs = captureLogs('trace');
    const config = {
      token: DISCORD_TOKEN,
      applicationId: fake.applicationId,
      apiUrl: fake.apiUrl,
      command: 'haidian',
    };
    const adapter: DiscordAdapter = await startDiscordAdapter({
      config,
      bot: await flakyBot(),
      logger: logs.logger,
    });
    cleanup.push(() => adapter.stop());

    const tokens: string[] = [];
    const ask = async (question: string): Promise<void> => {
      const { payload } = fake.sendSlashCommand({ options: { question } });
      tokens.push(payload.token);
      await fake.waitFor(() =>
        fake
          .requestsTo(`POST /interactions/${payload.id}/*/callback`)
          .find((r) => r.status === 200 || r.status === 204), // 204: the apology is private, its id not asked for
      );
    };
    await ask(QUESTION);
    fake.failNext('POST /interactions/*/*/callback', 1, { status: 429 });
    await ask(QUESTION);
    await ask('boom'); // the bot fails: an apology, and an error logged
    expect(logs.text()).toContain('discord: interaction failed');
    fake.failNext('POST /interactions/*/*/callback', 1, { status: 500 }); // retried by discord.js
    await ask(QUESTION);
    fake.dropConnection({ code: 4000 });
    await fake.waitFor(() => fake.gateway.resumed >= 1);
    await ask(QUESTION);
    await settle();

    expectNoSecret(logs.text(), 'the Discord logs');
    for (const token of tokens) expect(logs.text()).not.toContain(token);

    fake.failNext('GET /gateway/bot', 1, {
      status: 401,
      body: { message: '401: Unauthorized', code: 0 },
    });
    const refused = await startDiscordAdapter({
      config,
      bot: await realBot(),
      logger: logs.logger,
    }).catch((error: unknown) => error);
    expect(String(refused)).toMatch(/token/i);
    expectNoSecret(everythingIn(refused), 'the refused-token error');
    expectNoSecret(logs.text(), 'the Discord logs after a refused start');
  });
});
