/**
 * Discord misbehaving: the REST API rate-limits interaction callbacks the way Discord does (429 with
 * its headers and JSON body), and the gateway drops the connection in the middle of traffic. The real
 * discord.js Client, started by the adapter, must still answer every interaction exactly once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  rateLimitHeaders,
  type Dispatched,
  type InteractionPayload,
  type RecordedRequest,
} from '../fakes/fake-discord.js';
import { startHarness, type Harness } from '../adapters/discord/harness.js';
import { settle } from './harness.js';

const QUESTIONS = [
  "What was Haidian's GDP in 2016?",
  'How many incubators are on Zhongguancun street?',
  '海淀区有多少所高校？',
  'What is the population of Haidian?',
];
const CALLBACK = 'POST /interactions/*/*/callback';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** Callback requests per interaction id, in arrival order. */
function callbacksById(requests: readonly RecordedRequest[]): Map<string, RecordedRequest[]> {
  const byId = new Map<string, RecordedRequest[]>();
  for (const request of requests) {
    const id = /^\/interactions\/(\d+)\/[^/]+\/callback$/.exec(request.route)?.[1];
    if (request.method !== 'POST' || !id) continue;
    byId.set(id, [...(byId.get(id) ?? []), request]);
  }
  return byId;
}

/** Every interaction got exactly one successful callback (200: public answers ask for the response) carrying an answer embed. */
function expectAnsweredOnce(h: Harness, sent: readonly Dispatched<InteractionPayload>[]): void {
  const byId = callbacksById(h.fake.requests);
  for (const { payload } of sent) {
    const delivered = (byId.get(payload.id) ?? []).filter((request) => request.status === 200);
    expect(delivered, `callbacks of interaction ${payload.id}`).toHaveLength(1);
    const body = delivered[0]?.body as {
      type?: number;
      data?: { embeds?: { description?: string }[] };
    };
    expect(body.type).toBe(4);
    expect(body.data?.embeds?.[0]?.description ?? '').not.toBe('');
  }
}

function waitForAnswers(
  h: Harness,
  sent: readonly Dispatched<InteractionPayload>[],
  timeoutMs = 5_000,
): Promise<true> {
  return h.fake.waitFor(() => {
    const byId = callbacksById(h.fake.requests);
    return (
      sent.every(({ payload }) =>
        (byId.get(payload.id) ?? []).some((request) => request.status === 200),
      ) || undefined
    );
  }, timeoutMs);
}

describe('Discord faults', () => {
  it('lands every reply when the interaction callback is rate limited with Discord’s headers and body', async () => {
    const h = (harness = await startHarness());
    // What Discord sends: retry-after in seconds, the x-ratelimit-* bucket headers, and the JSON body.
    const limited = {
      status: 429,
      headers: rateLimitHeaders(0.2, { bucket: 'interaction-callback' }),
      body: { message: 'You are being rate limited.', retry_after: 0.2, global: false },
    };
    h.fake.failNext(CALLBACK, 3, limited);
    const sent = QUESTIONS.map((question) => h.fake.sendSlashCommand({ options: { question } }));
    await waitForAnswers(h, sent);
    await settle(300);

    expect(h.fake.requestsTo(CALLBACK).filter((request) => request.status === 429)).toHaveLength(3);
    expectAnsweredOnce(h, sent);
    expect(h.logs.some((line) => line['msg'] === 'discord: rate limited')).toBe(true);
    // The interaction token is in the callback's path; it must not reach the logs.
    for (const { payload } of sent) expect(h.logText()).not.toContain(payload.token);
  });

  it('lands the reply when a global rate limit (x-ratelimit-global) hits the callback', async () => {
    const h = (harness = await startHarness());
    h.fake.failNext(CALLBACK, 1, {
      status: 429,
      headers: rateLimitHeaders(0.2, { global: true }),
      body: { message: 'You are being rate limited.', retry_after: 0.2, global: true },
    });
    const sent = [h.fake.sendSlashCommand({ options: { question: QUESTIONS[0] as string } })];
    await waitForAnswers(h, sent);
    await settle(200);
    expectAnsweredOnce(h, sent);
  });

  it('resumes after the gateway drops the connection mid-traffic, and answers every interaction once', async () => {
    const h = (harness = await startHarness({ fake: { heartbeatIntervalMs: 250 } }));
    const sent: Dispatched<InteractionPayload>[] = [];
    const send = (n: number): void => {
      for (let i = 0; i < n; i += 1)
        sent.push(
          h.fake.sendSlashCommand({
            options: { question: QUESTIONS[sent.length % QUESTIONS.length] as string },
          }),
        );
    };

    send(5);
    // A clean close with a resumable code, while answers to the first five are still in flight;
    // dispatches meanwhile are missed by the client and replayed by the fake on RESUME.
    h.fake.dropConnection({ code: 4000 });
    send(5);
    await h.fake.waitFor(() => h.fake.gateway.resumed >= 1);
    send(5);
    await waitForAnswers(h, sent);

    // Then a connection cut without a close frame, as a network failure looks.
    h.fake.dropConnection('terminate');
    send(5);
    await h.fake.waitFor(() => h.fake.gateway.resumed >= 2);
    send(5);
    await waitForAnswers(h, sent);
    await settle(300);

    expect(h.fake.gateway.identifies).toBe(1);
    expect(h.fake.gateway.connections).toBe(3);
    expect(sent).toHaveLength(25);
    expectAnsweredOnce(h, sent);
  });
});
