import { afterEach, describe, expect, it } from 'vitest';
import { postEvent } from '../../fakes/slack-signing.js';
import { settle, shown, SIGNING_SECRET, startHarness, type Harness } from './harness.js';
import { CHANNEL, eventCallback, mentionEvent, messageEvent, nextTs } from './payloads.js';

const signed = { signingSecret: SIGNING_SECRET };
const GDP_QUESTION = "What was Haidian's GDP in 2016?";
const OTHER_USER = 'U0OTHER';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('Slack follow-ups, end to end with the real Bolt App', () => {
  it('answers a thread reply without a mention in that thread, with the thread’s context', async () => {
    harness = await startHarness();
    const { fake, eventsUrl } = harness;
    const root = nextTs();
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@${fake.identity.botUserId}> ${GDP_QUESTION}`, ts: root })), signed);
    await fake.waitForCalls('chat.postMessage', 1);
    await postEvent(eventsUrl, eventCallback(messageEvent({ text: 'and in 2017?', channel: CHANNEL, channel_type: 'channel', thread_ts: root })), signed);
    const posts = await fake.waitForCalls('chat.postMessage', 2);
    const followUp = posts[1];
    if (!followUp) throw new Error('no follow-up reply');
    expect(followUp.body).toMatchObject({ channel: CHANNEL, thread_ts: root });
    expect(shown(followUp)).toMatch(/594 billion/);
  });

  it('stays silent in a channel thread it was never in, and does not lend another thread’s context', async () => {
    harness = await startHarness();
    const { fake, eventsUrl } = harness;
    const root = nextTs();
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@${fake.identity.botUserId}> ${GDP_QUESTION}`, ts: root })), signed);
    await fake.waitForCalls('chat.postMessage', 1);
    // Another user's own thread: the bot never answered there.
    await postEvent(eventsUrl, eventCallback(messageEvent({ text: 'and in 2017?', user: OTHER_USER, channel: CHANNEL, channel_type: 'channel', thread_ts: nextTs() })), signed);
    await settle(400);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    // Mentioned in a new thread, the elliptical question gets a clarifying question, not the 2017 figure.
    const other = nextTs();
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@${fake.identity.botUserId}> and in 2017?`, user: OTHER_USER, ts: other })), signed);
    const posts = await fake.waitForCalls('chat.postMessage', 2);
    expect(shown(posts[1] as NonNullable<(typeof posts)[1]>)).not.toMatch(/594 billion/);
    expect(shown(posts[1] as NonNullable<(typeof posts)[1]>)).toMatch(/not sure what that refers to/);
  });

  it('answers a thread reply that mentions the bot once, though it arrives as app_mention and message', async () => {
    harness = await startHarness();
    const { fake, eventsUrl } = harness;
    const root = nextTs();
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@${fake.identity.botUserId}> ${GDP_QUESTION}`, ts: root })), signed);
    await fake.waitForCalls('chat.postMessage', 1);
    const ts = nextTs();
    const text = `<@${fake.identity.botUserId}> and in 2017?`;
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text, ts, thread_ts: root })), signed);
    await postEvent(eventsUrl, eventCallback(messageEvent({ text, ts, channel: CHANNEL, channel_type: 'channel', thread_ts: root })), signed);
    await fake.waitForCalls('chat.postMessage', 2);
    await settle(400);
    const posts = fake.callsTo('chat.postMessage');
    expect(posts).toHaveLength(2);
    expect(shown(posts[1] as NonNullable<(typeof posts)[1]>)).toMatch(/594 billion/);
  });

  it('keeps the context of a DM', async () => {
    harness = await startHarness();
    const { fake, eventsUrl } = harness;
    await postEvent(eventsUrl, eventCallback(messageEvent({ text: GDP_QUESTION })), signed);
    await fake.waitForCalls('chat.postMessage', 1);
    await postEvent(eventsUrl, eventCallback(messageEvent({ text: 'and in 2017?' })), signed);
    const posts = await fake.waitForCalls('chat.postMessage', 2);
    expect(shown(posts[1] as NonNullable<(typeof posts)[1]>)).toMatch(/594 billion/);
  });
});
