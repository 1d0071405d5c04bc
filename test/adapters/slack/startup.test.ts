import { afterEach, describe, expect, it } from 'vitest';
import { startSlackAdapter } from '../../../adapters/slack/index.js';
import { createSilentLogger } from '../../../src/bot/log.js';
import { slackError, startFakeSlack, type FakeSlack } from '../../fakes/fake-slack.js';
import { BOT_TOKEN, realBot, SIGNING_SECRET } from './harness.js';

let fake: FakeSlack | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('Slack adapter start-up and shutdown', () => {
  it('fails start-up on a rejected bot token, before listening', async () => {
    fake = await startFakeSlack();
    fake.failNext('auth.test', 1, slackError('invalid_auth'));
    const starting = startSlackAdapter({
      config: { mode: 'http', botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, command: 'haidian' },
      bot: await realBot(),
      logger: createSilentLogger(),
      host: '127.0.0.1',
      port: 0,
    });
    await expect(starting).rejects.toThrow(/invalid_auth/);
  });

  it('listens on the port it reports and frees it on stop()', async () => {
    fake = await startFakeSlack();
    const adapter = await startSlackAdapter({
      config: { mode: 'http', botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, command: 'haidian' },
      bot: await realBot(),
      logger: createSilentLogger(),
      host: '127.0.0.1',
      port: 0,
    });
    expect(adapter.mode).toBe('http');
    expect(adapter.port).toBeGreaterThan(0);
    const url = `http://127.0.0.1:${adapter.port ?? 0}/slack/events`;
    expect((await fetch(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(401);
    await adapter.stop();
    await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow();
  });

  it('fails start-up in Socket Mode when apps.connections.open is refused', async () => {
    fake = await startFakeSlack();
    fake.failNext('apps.connections.open', 1, slackError('invalid_auth'));
    const starting = startSlackAdapter({
      config: { mode: 'socket', botToken: BOT_TOKEN, appToken: 'xapp-1-bad', apiUrl: fake.apiUrl, command: 'haidian' },
      bot: await realBot(),
      logger: createSilentLogger(),
      host: '127.0.0.1',
      port: 0,
      webApiRetryConfig: { retries: 0 },
    });
    await expect(starting).rejects.toThrow();
  });
});
