import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../fakes/fake-slack.js';
import { postEvent } from '../fakes/slack-signing.js';
import { eventCallback, mentionEvent } from '../adapters/slack/payloads.js';
import { copyKnowledge, eventually, startBot, tempDir, type BotProcess } from './process.js';

/**
 * The real bot process (`node --import tsx src/main.ts`) in Slack HTTP mode against the fake Slack:
 * one port for /slack/events and the health routes, metrics, logs, the unanswered log, SIGHUP reload,
 * the rate limit, and a SIGTERM while a reply is in flight. The tests share one process, in order.
 */

const BOT_TOKEN = 'xoxb-1111-process-test-secret-token';
const SIGNING_SECRET = 'process-test-signing-secret';
const INCUBATORS = 'How many incubators are on Zhongguancun street?';
// Distinctive wordings, so a test can prove they never reach the logs at info level.
const UNKNOWN = 'Which noodle shop near Wudaokou has the shortest queue, asks zebra-quokka-42?';
const UNKNOWN_WITH_PII = 'Please email me at li.lei@example.com or call 13812345678 about the ferry schedule';
/** The post-SIGTERM drain must cover this Slack delay; the exit must come well before the 10 s cap. */
const SLOW_POST_MS = 1_500;

let fake: FakeSlack;
let bot: BotProcess;
let scratch: { dir: string; remove: () => Promise<void> };
let knowledgeDir: string;
let unansweredLog: string;
let base: string;
let eventsUrl: string;

beforeAll(async () => {
  fake = await startFakeSlack();
  scratch = await tempDir('slack-process');
  knowledgeDir = await copyKnowledge(scratch.dir);
  unansweredLog = path.join(scratch.dir, 'unanswered.jsonl');
  bot = startBot({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    KNOWLEDGE_DIR: knowledgeDir,
    // SIGHUP is the reload under test here; the file watcher has its own test.
    WATCH_KNOWLEDGE: 'false',
    UNANSWERED_LOG: unansweredLog,
    LOG_LEVEL: 'info',
  });
  const ready = await bot.waitForLog((record) => record['msg'] === 'ready');
  base = `http://127.0.0.1:${String(ready['port'])}`;
  eventsUrl = `${base}/slack/events`;
});

afterAll(async () => {
  await bot.kill();
  await fake.close();
  await scratch.remove();
});

/** Sends a signed mention; returns its event id. */
async function mention(text: string, fields: { channel?: string; user?: string } = {}): Promise<string> {
  const eventId = `Ev${Math.random().toString(36).slice(2, 10)}`;
  const sent = await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@${fake.identity.botUserId}> ${text}`, ...fields }), eventId), {
    signingSecret: SIGNING_SECRET,
  });
  expect(sent.status).toBe(200);
  return eventId;
}

const postsTo = (channel: string): RecordedCall[] => fake.callsTo('chat.postMessage', 200).filter((call) => call.body['channel'] === channel);
const textOf = (call: RecordedCall | undefined): string => String(call?.body['text']);

describe('the bot process in Slack HTTP mode', () => {
  it('logs one start-up line for Slack with its mode and port, and no secret', () => {
    const started = bot.logs().filter((record) => record['msg'] === 'slack: started');
    expect(started).toEqual([expect.objectContaining({ platform: 'slack', mode: 'http', port: expect.any(Number) })]);
  });

  it('serves /healthz, /readyz and /metrics on the port of /slack/events', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok\n');

    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { knowledge: 'ok', slack: 'ok' }, reasons: [] });

    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await metrics.text()).toMatch(/^haidian_fact_base_facts \d+$/m);
  });

  it('counts questions by platform and kind, latency, abstentions and the fact base in /metrics', async () => {
    await mention(INCUBATORS, { channel: 'C0METRICS' });
    await mention(INCUBATORS, { channel: 'C0METRICS' });
    await mention(UNKNOWN, { channel: 'C0METRICS' });
    await eventually(() => postsTo('C0METRICS').length === 3);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/^haidian_questions_total\{platform="slack",kind="answer"\} 2$/m);
    expect(text).toMatch(/^haidian_questions_total\{platform="slack",kind="no-match"\} 1$/m);
    expect(text).toMatch(/^haidian_abstentions_total\{platform="slack"\} 1$/m);
    expect(text).toMatch(/^haidian_answer_latency_seconds_count\{platform="slack"\} 3$/m);
    expect(text).toMatch(/^haidian_answer_latency_seconds_bucket\{le="0\.1",platform="slack"\} 3$/m);
    expect(text).toMatch(/^haidian_fact_base_last_reload_timestamp_seconds \d{10}/m);
    expect(text).toMatch(/^haidian_fact_base_reload_failures_total 0$/m);
    expect(text).toMatch(/^haidian_platform_errors_total\{platform="slack"\} 0$/m);
    // Node's default process metrics.
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('logs ids, kind, fact, confidence and latency, but neither the question text nor a secret', async () => {
    const eventId = await mention(UNKNOWN, { channel: 'C0LOGS' });
    const record = await bot.waitForLog((r) => r['msg'] === 'reply' && r['eventId'] === eventId);
    expect(record).toMatchObject({ level: 30, platform: 'slack', conversationId: 'C0LOGS', kind: 'no-match', confidence: expect.any(Number), latencyMs: expect.any(Number) });
    await eventually(() => postsTo('C0LOGS').length === 1);
    const output = [...bot.stdout, ...bot.stderr].join('\n');
    expect(output).not.toContain('zebra-quokka');
    expect(output).not.toContain('noodle');
    expect(output).not.toContain(BOT_TOKEN);
    expect(output).not.toContain(SIGNING_SECRET);
  });

  it('appends abstentions to UNANSWERED_LOG with personal data scrubbed', async () => {
    await mention(UNKNOWN_WITH_PII, { channel: 'C0CURATOR' });
    const lines = await eventually(async () => {
      const text = await readFile(unansweredLog, 'utf8').catch(() => '');
      return text.includes('ferry') ? text.trim().split('\n') : undefined;
    });
    const entry = JSON.parse(lines.at(-1) ?? '{}') as Record<string, unknown>;
    expect(entry).toMatchObject({ platform: 'slack', kind: 'no-match', confidence: expect.any(Number), question: 'Please email me at [email] or call [phone] about the ferry schedule' });
    expect(Date.parse(String(entry['time']))).toBeGreaterThan(Date.now() - 60_000);
  });

  it('reloads the fact base on SIGHUP: the next question gets the edited answer', async () => {
    const file = path.join(knowledgeDir, 'zhongguancun.yaml');
    const original = await readFile(file, 'utf8');
    expect(original).toContain('more than 400 business incubators');
    await writeFile(file, original.replace('more than 400 business incubators', 'more than 444 business incubators'));
    const sentAt = Date.now();
    bot.child.kill('SIGHUP');
    await bot.waitForLog((r) => r['msg'] === 'knowledge: reloaded' && r['reason'] === 'SIGHUP');
    await mention(INCUBATORS, { channel: 'C0RELOAD' });
    const [post] = await eventually(() => (postsTo('C0RELOAD').length === 1 ? postsTo('C0RELOAD') : undefined));
    expect(textOf(post)).toContain('more than 444 business incubators');
    console.log(`SIGHUP → edited answer posted: ${Date.now() - sentAt} ms`);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const reloadedAt = Number(/^haidian_fact_base_last_reload_timestamp_seconds (\S+)$/m.exec(metrics)?.[1]);
    expect(reloadedAt * 1000).toBeGreaterThanOrEqual(sentAt - 1_000);
  });

  it('answers the 21st question of a user within a minute with a polite notice, not silence', async () => {
    for (let i = 0; i < 21; i += 1) await mention(INCUBATORS, { channel: 'C0RATE', user: 'U0EAGER' });
    const posts = await eventually(() => (postsTo('C0RATE').length === 21 ? postsTo('C0RATE') : undefined));
    const notices = posts.filter((post) => /asking faster than I can keep up/.test(textOf(post)));
    expect(notices).toHaveLength(1);
    expect(posts.filter((post) => textOf(post).includes('business incubators'))).toHaveLength(20);
    // Another user is not affected.
    await mention(INCUBATORS, { channel: 'C0RATE2', user: 'U0CALM' });
    await eventually(() => postsTo('C0RATE2').length === 1);
    expect(textOf(postsTo('C0RATE2')[0])).toContain('business incubators');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^haidian_questions_total\{platform="slack",kind="notice"\} 1$/m);
  });

  it('on SIGTERM stops taking questions, still delivers the reply in flight, and exits 0', async () => {
    fake.setDelay('chat.postMessage', SLOW_POST_MS);
    const eventId = await mention(INCUBATORS, { channel: 'C0DRAIN' });
    // The engine has answered; the post to Slack is now in flight (held by the fake for SLOW_POST_MS).
    await bot.waitForLog((r) => r['msg'] === 'reply' && r['eventId'] === eventId);
    expect(postsTo('C0DRAIN')).toHaveLength(0);
    const signalledAt = performance.now();
    bot.child.kill('SIGTERM');
    // No new questions: the HTTP server closes while the reply is still being delivered.
    await eventually(async () => (await fetch(`${base}/healthz`).then(() => false, () => true)) || undefined, 2_000);
    expect(postsTo('C0DRAIN')).toHaveLength(0);

    expect(await bot.exited).toBe(0);
    const drainMs = performance.now() - signalledAt;
    console.log(`SIGTERM → exit with one reply in flight (Slack delay ${SLOW_POST_MS} ms): ${drainMs.toFixed(0)} ms`);
    expect(postsTo('C0DRAIN')).toHaveLength(1);
    expect(textOf(postsTo('C0DRAIN')[0])).toContain('business incubators');
    expect(drainMs).toBeLessThan(10_000);
    expect(bot.logs().map((r) => r['msg'])).toEqual(expect.arrayContaining(['shutdown: signal received', 'shutdown: done']));
  });
});
