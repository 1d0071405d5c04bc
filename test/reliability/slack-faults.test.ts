/**
 * The Slack Web API misbehaving: rate limits, server errors, slowness. The adapter's real retry
 * behaviour (Bolt's WebClient with the adapter's retry policy, waits shortened) must still post every
 * answer exactly once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { formatApology } from '../../adapters/slack/format.js';
import {
  realEngine,
  postsByThread,
  sendMention,
  settle,
  startSlackRig,
  type SlackRig,
} from './harness.js';

const QUESTIONS = [
  "What was Haidian's GDP in 2016?",
  'How many incubators are on Zhongguancun street?',
  'What is the population of Haidian?',
  '海淀区有多少所高校？',
  'How big is Haidian district?',
];
const APOLOGY = formatApology().text;

let rig: SlackRig | undefined;

afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

/** Sends one mention per question (concurrently) and returns the threads the answers must land in. */
async function askAll(eventsUrl: string): Promise<Map<string, string>> {
  const sent = await Promise.all(QUESTIONS.map((question) => sendMention(eventsUrl, question)));
  for (const result of sent) expect(result.status).toBe(200);
  return new Map(sent.map((result, i) => [result.ts, QUESTIONS[i] as string]));
}

describe('Slack Web API faults', () => {
  it('posts every answer exactly once while chat.postMessage answers 429 with Retry-After, then 500s, then slowly', async () => {
    rig = await startSlackRig();
    const { fake, eventsUrl } = rig;
    const engine = await realEngine();
    const expected = new Map<string, string>();

    // 1. Rate limited: the client waits Retry-After (1 s, Slack's unit is whole seconds) and retries.
    fake.failNext('chat.postMessage', 3, {
      status: 429,
      headers: { 'retry-after': '1' },
      body: { ok: false, error: 'ratelimited' },
    });
    for (const [ts, question] of await askAll(eventsUrl)) expected.set(ts, question);
    await fake.waitForCalls('chat.postMessage', expected.size, 5_000);

    // 2. Slack's servers fail: HTTP 500 and 503, retried with backoff.
    fake.failNext('chat.postMessage', 3, { status: 500 });
    fake.failNext('chat.postMessage', 2, {
      status: 503,
      body: { ok: false, error: 'service_unavailable' },
    });
    for (const [ts, question] of await askAll(eventsUrl)) expected.set(ts, question);
    await fake.waitForCalls('chat.postMessage', expected.size, 5_000);

    // 3. Slow: every call takes 400 ms (within the client's timeout), nothing is retried twice.
    fake.setDelay('chat.postMessage', 400);
    for (const [ts, question] of await askAll(eventsUrl)) expected.set(ts, question);
    await fake.waitForCalls('chat.postMessage', expected.size, 5_000);
    await settle(300);

    expect(fake.callsTo('chat.postMessage', 429)).toHaveLength(3);
    expect(fake.callsTo('chat.postMessage', 500)).toHaveLength(3);
    expect(fake.callsTo('chat.postMessage', 503)).toHaveLength(2);
    const byThread = postsByThread(fake);
    expect([...byThread.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [ts, question] of expected) {
      const posts = byThread.get(ts) ?? [];
      expect(posts, `answers in thread ${ts}`).toHaveLength(1);
      const text = String(posts[0]?.body['text']);
      expect(text).not.toBe(APOLOGY);
      // The answer to that question, not another one's (the first sentence is enough to tell).
      expect(text).toContain(
        engine
          .ask(question)
          .body.slice(0, 30)
          .replace(/&/g, '&amp;')
          .replace(/</g, '&lt;')
          .replace(/>/g, '&gt;'),
      );
    }
  });

  it('apologises once, and does not loop, when every attempt fails, then answers the next question', async () => {
    rig = await startSlackRig({
      retryConfig: { retries: 2, minTimeout: 5, maxTimeout: 10, randomize: false },
    });
    const { fake, eventsUrl } = rig;
    // Three attempts at the answer fail; the apology (its own three attempts) then goes through.
    fake.failNext('chat.postMessage', 3, { status: 500 });
    const failed = await sendMention(eventsUrl, QUESTIONS[0] as string);
    const [apology] = await fake.waitForCalls('chat.postMessage', 1, 5_000);
    expect(apology?.body).toMatchObject({ thread_ts: failed.ts, text: APOLOGY });

    const next = await sendMention(eventsUrl, QUESTIONS[1] as string);
    await fake.waitForCalls('chat.postMessage', 2, 5_000);
    await settle();
    const byThread = postsByThread(fake);
    expect(byThread.get(failed.ts)).toHaveLength(1);
    expect(byThread.get(next.ts)).toHaveLength(1);
    expect(String(byThread.get(next.ts)?.[0]?.body['text'])).not.toBe(APOLOGY);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(5);
  });
});
