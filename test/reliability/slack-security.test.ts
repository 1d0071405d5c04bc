/**
 * Who may talk to the Slack endpoint: only requests signed with the signing secret, with a timestamp
 * within five minutes of now in either direction. A replayed event (same event_id) is answered once.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSlackHttpReceiver,
  SLACK_REQUEST_MAX_SKEW_SECONDS,
  timestampSkewSeconds,
} from '../../adapters/slack/receiver.js';
import type { Bot } from '../../src/bot/bot.js';
import { signSlackRequest } from '../fakes/slack-signing.js';
import { eventCallback, mentionEvent } from '../adapters/slack/payloads.js';
import {
  postsByThread,
  realBot,
  settle,
  SIGNING_SECRET,
  startSlackRig,
  uniqueTs,
  type SlackRig,
} from './harness.js';

const QUESTION = "What was Haidian's GDP in 2016?";
const MINUTE_S = 60;

let rig: SlackRig | undefined;
let asked = 0;

afterEach(async () => {
  await rig?.stop();
  rig = undefined;
  asked = 0;
});

/** The real bot, counting the questions that reach it. */
async function countingBot(): Promise<Bot> {
  const bot = await realBot();
  return {
    ...bot,
    ask: (question, context) => {
      asked += 1;
      return bot.ask(question, context);
    },
  };
}

function mentionBody(ts = uniqueTs(), eventId?: string): string {
  return JSON.stringify(
    eventCallback(mentionEvent({ text: `<@UBOT0001> ${QUESTION}`, ts }), eventId),
  );
}

function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

/** POSTs a raw body with exactly the given headers (nothing added). */
async function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  await response.arrayBuffer();
  return response.status;
}

function signature(secret: string, timestampSec: number, body: string, version = 'v0'): string {
  return `${version}=${createHmac('sha256', secret).update(`${version}:${timestampSec}:${body}`).digest('hex')}`;
}

describe('Slack request authentication', () => {
  it('rejects bad, missing, misapplied and foreign signatures with 401, and no question reaches the bot', async () => {
    rig = await startSlackRig({ bot: await countingBot() });
    const { eventsUrl } = rig;
    const body = mentionBody();
    const ts = nowSec();
    const good = signature(SIGNING_SECRET, ts, body);
    // A valid signature captured from another request, replayed on this body.
    const otherBody = mentionBody();
    const captured = signSlackRequest(SIGNING_SECRET, otherBody, ts);

    const cases: [string, Record<string, string>][] = [
      ['no signature, no timestamp', {}],
      ['no signature', { 'x-slack-request-timestamp': String(ts) }],
      ['no timestamp', { 'x-slack-signature': good }],
      ['empty signature', { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': '' }],
      [
        'signature of zeros',
        { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': `v0=${'0'.repeat(64)}` },
      ],
      [
        'signed with another secret',
        {
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': signature('not-the-secret', ts, body),
        },
      ],
      [
        'unknown signature version',
        {
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': signature(SIGNING_SECRET, ts, body, 'v1'),
        },
      ],
      ['signature of another body', { ...captured }],
      [
        'signature for another timestamp',
        { 'x-slack-request-timestamp': String(ts + 1), 'x-slack-signature': good },
      ],
      [
        'truncated signature',
        { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': good.slice(0, 40) },
      ],
      ['non-numeric timestamp', { 'x-slack-request-timestamp': 'soon', 'x-slack-signature': good }],
    ];
    for (const [name, headers] of cases) {
      expect(await post(eventsUrl, body, headers), name).toBe(401);
    }
    // A body changed after signing (one character) is refused too.
    expect(
      await post(eventsUrl, body.replace('GDP', 'GDp'), {
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': good,
      }),
    ).toBe(401);
    await settle();
    expect(rig.fake.callsTo('chat.postMessage')).toHaveLength(0);
    expect(asked).toBe(0);

    // The same request correctly signed is accepted: the refusals above were about the signature.
    expect(
      await post(eventsUrl, body, {
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': good,
      }),
    ).toBe(200);
    await rig.fake.waitForCalls('chat.postMessage', 1);
  });

  it('rejects correctly signed requests whose timestamp is more than 5 minutes off, in either direction', async () => {
    rig = await startSlackRig({ bot: await countingBot() });
    const { eventsUrl } = rig;
    const offsetsSec = {
      '6 minutes ago': -6 * MINUTE_S,
      '6 minutes ahead': 6 * MINUTE_S,
      '5 minutes and 5 s ahead': 5 * MINUTE_S + 5,
      'a year ahead': 365 * 24 * 60 * MINUTE_S,
      'in milliseconds': Date.now() - nowSec(),
    };
    for (const [name, offset] of Object.entries(offsetsSec)) {
      const body = mentionBody();
      const ts = nowSec() + offset;
      expect(
        await post(eventsUrl, body, {
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': signature(SIGNING_SECRET, ts, body),
        }),
        name,
      ).toBe(401);
    }
    await settle();
    expect(rig.fake.callsTo('chat.postMessage')).toHaveLength(0);
    expect(asked).toBe(0);
    expect(rig.logs.text()).toContain('slack: request refused: its timestamp is');

    // Within the window both ways (clocks drift), the request is answered.
    for (const offset of [-4 * MINUTE_S, 4 * MINUTE_S]) {
      const body = mentionBody();
      const ts = nowSec() + offset;
      expect(
        await post(eventsUrl, body, {
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': signature(SIGNING_SECRET, ts, body),
        }),
      ).toBe(200);
    }
    await rig.fake.waitForCalls('chat.postMessage', 2);
  });

  it('answers a replayed event once: the exact same request again, and the same event freshly signed', async () => {
    rig = await startSlackRig({ bot: await countingBot() });
    const { eventsUrl, fake } = rig;
    const thread = uniqueTs();
    const body = mentionBody(thread, 'EvREPLAY0001');
    const ts = nowSec();
    const original = {
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': signature(SIGNING_SECRET, ts, body),
    };
    expect(await post(eventsUrl, body, original)).toBe(200);
    await fake.waitForCalls('chat.postMessage', 1);

    // A captured request replayed within the window passes the signature check: the event id stops it.
    expect(await post(eventsUrl, body, original)).toBe(200);
    // The same event signed afresh (as Slack's own retries are), with and without the retry headers.
    const later = ts + 2;
    const fresh = {
      'x-slack-request-timestamp': String(later),
      'x-slack-signature': signature(SIGNING_SECRET, later, body),
    };
    expect(await post(eventsUrl, body, fresh)).toBe(200);
    expect(
      await post(eventsUrl, body, {
        ...fresh,
        'x-slack-retry-num': '1',
        'x-slack-retry-reason': 'http_timeout',
      }),
    ).toBe(200);
    // Concurrent replays race the dedup check: still one answer.
    const racing = mentionBody(uniqueTs(), 'EvREPLAY0002');
    await Promise.all(
      Array.from({ length: 5 }, () =>
        post(eventsUrl, racing, {
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': signature(SIGNING_SECRET, ts, racing),
        }),
      ),
    );
    await fake.waitForCalls('chat.postMessage', 2);
    await settle(300);

    expect(postsByThread(fake).get(thread)).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
    expect(asked).toBe(2);
  });

  it('checks the timestamp window on the events path only, as Bolt routes it', () => {
    const refused: string[] = [];
    const passed: string[] = [];
    const nowMs = 1_700_000_000_000;
    const receiver = createSlackHttpReceiver({ signingSecret: SIGNING_SECRET, now: () => nowMs });
    const original = receiver.requestListener;
    expect(original).toBeTypeOf('function');
    const request = (url: string, method: string, timestamp?: string) => {
      const headers: Record<string, string> =
        timestamp === undefined ? {} : { 'x-slack-request-timestamp': timestamp };
      const res = {
        writeHead: (status: number) => ({ end: () => refused.push(`${status} ${method} ${url}`) }),
      };
      return [{ url, method, headers }, res] as unknown as Parameters<
        typeof receiver.requestListener
      >;
    };
    const future = String(nowMs / 1000 + SLACK_REQUEST_MAX_SKEW_SECONDS + 1);
    for (const [url, method] of [
      ['/slack/events', 'POST'],
      ['/slack/events?x=1', 'POST'],
      ['/slack/events#f', 'POST'],
    ] as const) {
      receiver.requestListener(...request(url, method, future));
    }
    expect(refused).toEqual([
      '401 POST /slack/events',
      '401 POST /slack/events?x=1',
      '401 POST /slack/events#f',
    ]);
    // Other paths and methods are Bolt's to route (a 404 or a custom route): not touched here.
    refused.length = 0;
    for (const [url, method] of [
      ['/healthz', 'GET'],
      ['/slack/events', 'GET'],
      ['/slack/events/', 'POST'],
    ] as const) {
      try {
        receiver.requestListener(...request(url, method, future));
      } catch {
        passed.push(`${method} ${url}`);
      }
    }
    expect(refused).toEqual([]);
    expect(passed).toHaveLength(3);
  });

  it('computes the skew from the header, leaving missing and malformed ones to Bolt (which refuses them)', () => {
    const nowMs = 1_700_000_000_000;
    expect(timestampSkewSeconds('1700000000', nowMs)).toBe(0);
    expect(timestampSkewSeconds('1700000301', nowMs)).toBe(301);
    expect(timestampSkewSeconds('1699999699', nowMs)).toBe(-301);
    expect(timestampSkewSeconds('1700000000000', nowMs)).toBeGreaterThan(
      SLACK_REQUEST_MAX_SKEW_SECONDS,
    );
    expect(timestampSkewSeconds('Infinity', nowMs)).toBe(Infinity);
    for (const header of [undefined, '', ' ', 'soon', ['1700000000', '1700000000']])
      expect(timestampSkewSeconds(header, nowMs)).toBeUndefined();
  });
});
