import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_SHARE } from '../../../adapters/slack/format.js';
import { APP_TOKEN, BOT_TOKEN, settle, shown, startHarness, type Harness } from './harness.js';
import { blockActions, buttonsIn, CHANNEL, commandFields, eventCallback, mentionEvent, nextTs } from './payloads.js';

const GDP_QUESTION = "What was Haidian's GDP in 2016?";

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(): Promise<Harness> {
  harness = await startHarness({ mode: 'socket' });
  return harness;
}

describe('Slack adapter, Socket Mode, end to end with the real Bolt App', () => {
  it('opens the connection through apps.connections.open on SLACK_API_URL and completes the hello handshake', async () => {
    const { fake, adapter } = await start();
    expect(adapter.mode).toBe('socket');
    expect(adapter.port).toBeUndefined();
    const [open] = fake.callsTo('apps.connections.open', 200);
    expect(open?.headers.authorization).toBe(`Bearer ${APP_TOKEN}`);
    expect(fake.callsTo('auth.test', 200)[0]?.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(fake.socketConnections).toBe(1);
  });

  it('acks an events_api envelope and answers the mention in its thread', async () => {
    const { fake } = await start();
    const ts = nextTs();
    const sentAt = performance.now();
    const ack = await fake.sendEnvelope({ envelope_id: 'env-mention', type: 'events_api', payload: eventCallback(mentionEvent({ text: `<@UBOT0001> ${GDP_QUESTION}`, ts })) });
    expect(ack.envelope_id).toBe('env-mention');
    const [post] = await fake.waitForCalls('chat.postMessage', 1);
    if (!post) throw new Error('no post');
    console.log(`socket mode: envelope → chat.postMessage ${(post.at - sentAt).toFixed(1)} ms`);
    expect(post.body).toMatchObject({ channel: CHANNEL, thread_ts: ts });
    expect(shown(post)).toContain('Figure for 2016');
  });

  it('answers a Socket Mode retry of the same event exactly once', async () => {
    const { fake, logs } = await start();
    const payload = eventCallback(mentionEvent({ text: `<@UBOT0001> ${GDP_QUESTION}` }), 'EvSOCKRETRY');
    await fake.sendEnvelope({ type: 'events_api', payload });
    await fake.waitForCalls('chat.postMessage', 1);
    const retry = await fake.sendEnvelope({ type: 'events_api', payload, retry_attempt: 1, retry_reason: 'timeout' });
    expect(retry.envelope_id).toBeTruthy();
    await settle();
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(logs.some((line) => line.includes('duplicate event dropped') && line.includes('EvSOCKRETRY') && line.includes('"retryNum":1'))).toBe(true);
  });

  it('acks a slash_commands envelope and answers ephemerally; Share posts publicly', async () => {
    const { fake } = await start();
    const ack = await fake.sendEnvelope({ type: 'slash_commands', accepts_response_payload: true, payload: commandFields(GDP_QUESTION, fake.responseUrl('sock-cmd')) });
    expect(ack.envelope_id).toBeTruthy();
    const [response] = await fake.waitForCalls('response', 1);
    expect(response?.body).toMatchObject({ response_type: 'ephemeral' });
    const share = buttonsIn(response?.body['blocks']).find((b) => b.action_id === ACTION_SHARE);
    if (!share) throw new Error('no share button');
    await fake.sendEnvelope({ type: 'interactive', payload: blockActions(share, { channel: CHANNEL, responseUrl: fake.responseUrl('sock-share'), ephemeral: true }) });
    const [post] = await fake.waitForCalls('chat.postMessage', 1);
    expect(post?.body['channel']).toBe(CHANNEL);
  });
});
