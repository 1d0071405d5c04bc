import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { eventCallback, mentionEvent } from '../adapters/slack/payloads.js';
import { eventually, startBot, type BotProcess } from './process.js';

/**
 * Slack (Socket Mode) and Discord in one bot process, against both fakes. With no Slack HTTP server,
 * the process serves /healthz, /readyz and /metrics itself on PORT.
 */

const SLACK_BOT_TOKEN = 'xoxb-2222-both-platforms-secret';
const SLACK_APP_TOKEN = 'xapp-1-both-platforms-secret';
const DISCORD_TOKEN = 'discord-both-platforms-secret-token';
const INCUBATORS = 'How many incubators are on Zhongguancun street?';
const SLOW_REPLY_MS = 1_500;

let slack: FakeSlack;
let discord: FakeDiscord;
let bot: BotProcess;
let base: string;

beforeAll(async () => {
  slack = await startFakeSlack();
  discord = await startFakeDiscord();
  bot = startBot({
    SLACK_BOT_TOKEN,
    SLACK_APP_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    WATCH_KNOWLEDGE: 'false',
    LOG_LEVEL: 'info',
  });
  const http = await bot.waitForLog((record) => record['msg'] === 'http: serving /healthz, /readyz and /metrics');
  base = `http://127.0.0.1:${String(http['port'])}`;
  await bot.waitForLog((record) => record['msg'] === 'ready');
});

afterAll(async () => {
  await bot.kill();
  await slack.close();
  await discord.close();
});

describe('the bot process with Slack (Socket Mode) and Discord', () => {
  it('logs one start-up line per platform, and no secret anywhere', () => {
    const started = bot.logs().filter((record) => /^(slack|discord): started$/.test(String(record['msg'])));
    expect(started).toEqual([
      expect.objectContaining({ platform: expect.stringMatching(/^(slack|discord)$/) }),
      expect.objectContaining({ platform: expect.stringMatching(/^(slack|discord)$/) }),
    ]);
    expect(started.find((r) => r['platform'] === 'slack')).toMatchObject({ mode: 'socket' });
    expect(started.find((r) => r['platform'] === 'discord')).toMatchObject({ mode: 'gateway', guilds: 1 });
    const output = [...bot.stdout, ...bot.stderr].join('\n');
    for (const secret of [SLACK_BOT_TOKEN, SLACK_APP_TOKEN, DISCORD_TOKEN]) expect(output).not.toContain(secret);
  });

  it('is ready once both platforms are connected', async () => {
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { knowledge: 'ok', slack: 'ok', discord: 'ok' } });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('answers on both platforms and counts each in /metrics', async () => {
    await slack.sendEnvelope({ type: 'events_api', payload: eventCallback(mentionEvent({ text: `<@UBOT0001> ${INCUBATORS}` })) });
    await slack.waitForCalls('chat.postMessage', 1);
    const { payload } = discord.sendSlashCommand({ options: { question: INCUBATORS } });
    await discord.waitForCallback(payload.id);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^haidian_questions_total\{platform="slack",kind="answer"\} 1$/m);
    expect(metrics).toMatch(/^haidian_questions_total\{platform="discord",kind="answer"\} 1$/m);
    expect(metrics).toMatch(/^haidian_platform_errors_total\{platform="discord"\} 0$/m);
  });

  it('reports not ready while the Discord gateway is disconnected, and ready again once it has resumed', async () => {
    const states: number[] = [];
    const polling = (async () => {
      for (let i = 0; i < 400 && !(states.includes(503) && states.at(-1) === 200); i += 1) {
        states.push((await fetch(`${base}/readyz`)).status);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    discord.dropConnection({ code: 4000 });
    await polling;
    expect(states).toContain(503);
    expect(states.at(-1)).toBe(200);
  });

  it('on SIGTERM delivers a Discord reply in flight before disconnecting, and exits 0', async () => {
    const route = `POST /channels/${discord.channelId}/messages`;
    discord.delayNext(route, 1, SLOW_REPLY_MS);
    discord.sendMessage({ content: `<@${discord.botUser.id}> ${INCUBATORS}`, mentions: [discord.botUser] });
    await eventually(() => discord.requestsTo(route).length === 1);
    const signalledAt = performance.now();
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    console.log(`SIGTERM → exit, Discord reply in flight (delay ${SLOW_REPLY_MS} ms): ${(performance.now() - signalledAt).toFixed(0)} ms`);
    const [post] = discord.requestsTo(route);
    expect(post?.status).toBe(200);
    expect(JSON.stringify(post?.body)).toContain('business incubators');
    // The gateway was closed cleanly after the drain, not dropped by the exit.
    expect(bot.logs().map((r) => r['msg'])).toEqual(expect.arrayContaining(['discord: stopped', 'shutdown: done']));
  });
});
