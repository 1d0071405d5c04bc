/** End to end with the real Bolt App: an answer past its fact's review date carries the out-of-date line. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../../src/bot/bot.js';
import { freshnessBot } from '../../helpers/real-bot.js';
import { postEvent } from '../../fakes/slack-signing.js';
import { shown, SIGNING_SECRET, startHarness, type Harness } from './harness.js';
import { eventCallback, mentionEvent } from './payloads.js';

const signed = { signingSecret: SIGNING_SECRET };
let harness: Harness | undefined;
let bot: Bot;

beforeAll(async () => {
  bot = await freshnessBot();
});

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('Slack: an answer past its review date, end to end', () => {
  it.each([
    ['English', 'How many bakeries are there?', '42 bakeries', ':warning: This figure may be out of date (as of 2020-03-01).'],
    ['Chinese', '有多少家面包店？', '42家面包店', ':warning: 此数据可能已过时（截至2020-03-01）。'],
  ])('%s: answers with the out-of-date line in a context block', async (_language, question, answer, line) => {
    harness = await startHarness({ bot });
    const { fake, eventsUrl } = harness;
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@${fake.identity.botUserId}> ${question}` })), signed);
    const [post] = await fake.waitForCalls('chat.postMessage', 1);
    if (!post) throw new Error('no reply');
    expect(shown(post)).toContain(answer);
    const blocks = post.body['blocks'] as { type: string; elements?: { text: string }[] }[];
    expect(blocks.filter((b) => b.type === 'context').map((b) => b.elements?.[0]?.text)).toContain(line);
  });

  it('answers a fact not yet due without the line', async () => {
    harness = await startHarness({ bot });
    const { fake, eventsUrl } = harness;
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@${fake.identity.botUserId}> How many museums are there?` })), signed);
    const [post] = await fake.waitForCalls('chat.postMessage', 1);
    if (!post) throw new Error('no reply');
    expect(shown(post)).toContain('3 museums');
    expect(shown(post)).not.toMatch(/out of date/);
  });
});
