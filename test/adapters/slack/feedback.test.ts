import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ACTION_FEEDBACK_CORRECT,
  ACTION_FEEDBACK_DOWN,
  ACTION_FEEDBACK_REASON_PREFIX,
  ACTION_FEEDBACK_UP,
  CORRECTION_LINK_BLOCK,
  CORRECTION_TEXT_BLOCK,
  decodeFeedbackRef,
  encodeFeedbackRef,
  formatCorrectionModal,
  formatReasonMessage,
  VIEW_CORRECTION,
} from '../../../adapters/slack/feedback.js';
import { createFeedbackService } from '../../../src/bot/feedback.js';
import { createLogger } from '../../../src/bot/log.js';
import { createFileRecordLog, hashUserId, latestVotes, type RecordLog } from '../../../src/bot/records.js';
import { createMemoryStore } from '../../../src/bot/store.js';
import { recordsIn } from '../../helpers/records.js';
import { postEvent, postInteraction } from '../../fakes/slack-signing.js';
import { SIGNING_SECRET, startHarness, type Harness } from './harness.js';
import { blockActions, buttonsIn, CHANNEL, commandFields, eventCallback, HUMAN, mentionEvent, nextTs, viewSubmission, type ButtonInBlocks } from './payloads.js';

const signed = { signingSecret: SIGNING_SECRET };
const HASH_KEY = 'slack-feedback-test-key';
const OTHER = 'U0OTHER';
// The phone number must not reach the file: the question is scrubbed like the unanswered log's.
const QUESTION = "What was Haidian's GDP in 2016? My phone is 13812345678";

let harness: Harness | undefined;
let dir: string | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(mode: 'http' | 'socket' = 'http'): Promise<{ harness: Harness; log: RecordLog; file: string }> {
  dir = await mkdtemp(join(tmpdir(), 'slack-feedback-'));
  const file = join(dir, 'feedback.jsonl');
  const log = createFileRecordLog({ file, logger: createLogger('silent') });
  const feedback = createFeedbackService({ log, store: createMemoryStore(), hashKey: HASH_KEY });
  harness = await startHarness({ feedback, mode });
  return { harness, log, file };
}

function find(buttons: readonly ButtonInBlocks[], actionId: string): ButtonInBlocks {
  const button = buttons.find((b) => b.action_id === actionId);
  if (!button) throw new Error(`no ${actionId} button in ${JSON.stringify(buttons)}`);
  return button;
}

describe('Slack feedback buttons, end to end with the real Bolt App', () => {
  it('records 👍, 👎 with a reason and a suggested correction once each, thanks ephemerally, and keeps no user id', async () => {
    const { harness: h, log, file } = await start();
    const { fake, eventsUrl } = h;
    const ts = nextTs();
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@UBOT0001> ${QUESTION}`, ts })), signed);
    const [answer] = await fake.waitForCalls('chat.postMessage', 1);
    const buttons = buttonsIn(answer?.body['blocks']);
    const up = find(buttons, ACTION_FEEDBACK_UP);
    const down = find(buttons, ACTION_FEEDBACK_DOWN);
    expect(up.value).toMatch(/^en:gdp-2016:[A-Za-z0-9_-]{8}$/);
    expect(down.value).toBe(up.value);
    const message = { ts: nextTs(), thread_ts: ts };

    // 👍 clicked twice by the asker: acked within Slack's 3 s, thanked each time, recorded once.
    for (const id of ['up-1', 'up-2']) {
      const click = await postInteraction(eventsUrl, blockActions(up, { channel: CHANNEL, responseUrl: fake.responseUrl(id), message, ephemeral: false }), signed);
      expect(click.status).toBe(200);
      expect(click.elapsedMs).toBeLessThan(3_000);
    }
    const thanks = await fake.waitFor(() => {
      const calls = fake.callsTo('response').filter((c) => c.responseId?.startsWith('up-'));
      return calls.length === 2 ? calls : undefined;
    });
    for (const call of thanks) expect(call.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: 'Thanks for the feedback!' });

    // 👎 clicked twice by another user: each click offers the reasons ephemerally.
    for (const id of ['down-1', 'down-2']) {
      await postInteraction(eventsUrl, blockActions(down, { channel: CHANNEL, responseUrl: fake.responseUrl(id), message, ephemeral: false, user: OTHER }), signed);
    }
    const offer = await fake.waitFor(() => fake.callsTo('response').find((c) => c.responseId === 'down-2'));
    expect(offer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    const reasons = buttonsIn(offer.body['blocks']);
    expect(reasons.map((b) => b.text)).toEqual(['Wrong', 'Out of date', 'Not what I asked', 'Other', 'Suggest a correction']);

    // The reason, clicked twice in the ephemeral message: the thanks replaces the reason buttons.
    const outOfDate = find(reasons, `${ACTION_FEEDBACK_REASON_PREFIX}out-of-date`);
    for (const id of ['reason-1', 'reason-2']) {
      await postInteraction(eventsUrl, blockActions(outOfDate, { channel: CHANNEL, responseUrl: fake.responseUrl(id), ephemeral: true, user: OTHER }), signed);
    }
    const reasonThanks = await fake.waitFor(() => fake.callsTo('response').find((c) => c.responseId === 'reason-2'));
    expect(reasonThanks.body).toMatchObject({ response_type: 'ephemeral', replace_original: true, text: 'Thanks, the curators will look at it.' });

    // "Suggest a correction" opens the modal with the click's trigger_id.
    await postInteraction(eventsUrl, blockActions(find(reasons, ACTION_FEEDBACK_CORRECT), { channel: CHANNEL, responseUrl: fake.responseUrl('correct'), ephemeral: true, user: OTHER }), signed);
    const [opened] = await fake.waitForCalls('views.open', 1);
    expect(opened?.body['trigger_id']).toBe('trigger-2');
    const view = opened?.body['view'] as Record<string, unknown>;
    expect(view).toMatchObject({ type: 'modal', callback_id: VIEW_CORRECTION, private_metadata: up.value });
    expect(JSON.stringify(view['blocks'])).toContain('"max_length":1000');

    // An empty submission is refused in the modal; a real one turns the modal into the thanks, and twice counts once.
    const empty = await postInteraction(eventsUrl, viewSubmission(view, { [CORRECTION_TEXT_BLOCK]: '   ', [CORRECTION_LINK_BLOCK]: null }, OTHER), signed);
    expect(JSON.parse(empty.body)).toEqual({ response_action: 'errors', errors: { [CORRECTION_TEXT_BLOCK]: 'Please say what is wrong.' } });
    const values = { [CORRECTION_TEXT_BLOCK]: 'The 2016 figure was revised; call me on 13812345678', [CORRECTION_LINK_BLOCK]: 'https://tjj.beijing.gov.cn/tjsj_31433/' };
    for (let i = 0; i < 2; i += 1) {
      const submitted = await postInteraction(eventsUrl, viewSubmission(view, values, OTHER), signed);
      expect(submitted.status).toBe(200);
      expect(submitted.elapsedMs).toBeLessThan(3_000);
      const body = JSON.parse(submitted.body) as { response_action: string; view: { blocks: unknown[] } };
      expect(body.response_action).toBe('update');
      expect(JSON.stringify(body.view.blocks)).toContain('Thanks! Your correction goes to the curators');
    }

    const { text, records, skipped } = await recordsIn(file, log, 4);
    expect(skipped).toBe(0);
    expect(records.map((r) => (r.type === 'feedback' ? `${r.vote}:${r.reason ?? ''}` : `correction:${r.text}|${r.link ?? ''}`))).toEqual([
      'up:',
      'down:',
      'down:out-of-date',
      'correction:The 2016 figure was revised; call me on [phone]|https://tjj.beijing.gov.cn/tjsj_31433/',
    ]);
    for (const record of records) {
      expect(record).toMatchObject({ platform: 'slack', factId: 'gdp-2016', language: 'en', question: "What was Haidian's GDP in 2016? My phone is [phone]" });
    }
    expect(records[0]?.user).toBe(hashUserId(HASH_KEY, 'slack', HUMAN));
    expect(records[1]?.user).toBe(hashUserId(HASH_KEY, 'slack', OTHER));
    // One vote per user and answer: the asker's 👍 and the other user's 👎 (out of date).
    expect(latestVotes(records).map((r) => `${r.vote}:${r.reason ?? ''}`)).toEqual(['up:', 'down:out-of-date']);
    expect(text).not.toContain(HUMAN);
    expect(text).not.toContain(OTHER);
    expect(text).not.toContain('13812345678');
  });

  it('works over Socket Mode too: a 👎 reason and a modal submission are recorded, the submission acked with the thanks', async () => {
    const { harness: h, log, file } = await start('socket');
    const { fake } = h;
    await fake.sendEnvelope({ type: 'slash_commands', accepts_response_payload: true, payload: commandFields(QUESTION, fake.responseUrl('sock-cmd')) });
    const [answer] = await fake.waitForCalls('response', 1);
    const down = find(buttonsIn(answer?.body['blocks']), ACTION_FEEDBACK_DOWN);
    await fake.sendEnvelope({ type: 'interactive', payload: blockActions(down, { channel: CHANNEL, responseUrl: fake.responseUrl('sock-down'), ephemeral: true }) });
    const offer = await fake.waitFor(() => fake.callsTo('response').find((c) => c.responseId === 'sock-down'));
    const reasons = buttonsIn(offer.body['blocks']);
    await fake.sendEnvelope({ type: 'interactive', payload: blockActions(find(reasons, `${ACTION_FEEDBACK_REASON_PREFIX}wrong`), { channel: CHANNEL, responseUrl: fake.responseUrl('sock-wrong'), ephemeral: true }) });
    await fake.waitFor(() => fake.callsTo('response').find((c) => c.responseId === 'sock-wrong'));
    await fake.sendEnvelope({ type: 'interactive', payload: blockActions(find(reasons, ACTION_FEEDBACK_CORRECT), { channel: CHANNEL, responseUrl: fake.responseUrl('sock-correct'), ephemeral: true }) });
    const [opened] = await fake.waitForCalls('views.open', 1);
    const view = opened?.body['view'] as Record<string, unknown>;
    const ack = await fake.sendEnvelope({ type: 'interactive', accepts_response_payload: true, payload: viewSubmission(view, { [CORRECTION_TEXT_BLOCK]: 'Revised in 2018', [CORRECTION_LINK_BLOCK]: null }) });
    expect(ack.payload).toMatchObject({ response_action: 'update' });
    const { records } = await recordsIn(file, log, 3);
    expect(records.map((r) => (r.type === 'feedback' ? `${r.vote}:${r.reason ?? ''}` : `correction:${r.text}`))).toEqual(['down:', 'down:wrong', 'correction:Revised in 2018']);
  });

  it('still answers, without feedback buttons, when the feedback store is down', async () => {
    const down = (): Promise<never> => Promise.reject(new Error('store unreachable'));
    harness = await startHarness({ feedback: { rememberAnswer: down, vote: down, suggestCorrection: down } });
    await postEvent(harness.eventsUrl, eventCallback(mentionEvent({ text: `<@UBOT0001> ${QUESTION}` })), signed);
    const [reply] = await harness.fake.waitForCalls('chat.postMessage', 1);
    expect(String(reply?.body['text'])).toContain('Figure for 2016');
    expect(buttonsIn(reply?.body['blocks']).some((b) => b.action_id.startsWith('haidian_feedback'))).toBe(false);
  });

  it('puts no feedback buttons on a reply that is not an answer', async () => {
    const { harness: h } = await start();
    await postEvent(h.eventsUrl, eventCallback(mentionEvent({ text: '<@UBOT0001> What is the capital of France?' })), signed);
    const [reply] = await h.fake.waitForCalls('chat.postMessage', 1);
    expect(buttonsIn(reply?.body['blocks']).some((b) => b.action_id.startsWith('haidian_feedback'))).toBe(false);
  });
});

describe('Slack feedback values and labels', () => {
  it('round-trips a feedback value and rejects anything else', () => {
    expect(decodeFeedbackRef(encodeFeedbackRef({ factId: 'gdp-2016', language: 'zh', answerId: 'Ab3dE_9x' }))).toEqual({ factId: 'gdp-2016', language: 'zh', answerId: 'Ab3dE_9x' });
    for (const forged of ['en:gdp-2016', 'en:gdp-2016:short', 'fr:gdp-2016:Ab3dE_9x', 'en:<!channel>:Ab3dE_9x', 'en:gdp-2016:Ab3dE_9x:more', undefined]) {
      expect(decodeFeedbackRef(forged)).toBeUndefined();
    }
  });

  it('asks for the reason and offers the correction in Chinese after a Chinese answer', () => {
    const message = formatReasonMessage({ factId: 'gdp-2016', language: 'zh', answerId: 'Ab3dE_9x' });
    expect(message.text).toBe('抱歉。这个回答有什么问题？');
    expect(buttonsIn(message.blocks).map((b) => b.text)).toEqual(['有错误', '已过时', '答非所问', '其他', '提出更正']);
    expect(formatCorrectionModal({ factId: 'gdp-2016', language: 'zh', answerId: 'Ab3dE_9x' }).title.text).toBe('提出更正');
  });
});
