import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../../src/bot/bot.js';
import type { Engine } from '../../../src/engine/types.js';
import { ACTION_SHARE, SLACK_MAX_BLOCKS, SLACK_MAX_SECTION_TEXT_CHARS } from '../../../adapters/slack/format.js';
import { postCommand, postEvent, postInteraction } from '../../fakes/slack-signing.js';
import { BOT_TOKEN, realBot, realEngine, settle, shown, SIGNING_SECRET, startHarness, type Harness } from './harness.js';
import {
  blockActions,
  buttonsIn,
  CHANNEL,
  commandFields,
  DM_CHANNEL,
  eventCallback,
  HUMAN,
  mentionEvent,
  messageEvent,
  nextTs,
} from './payloads.js';

const GDP_QUESTION = "What was Haidian's GDP in 2016?";
const UNKNOWN_QUESTION = 'What is the capital of France?';
const APOLOGY = 'Sorry, something went wrong while answering. Please try again.';
const MASS_MENTIONS = /<!(channel|here|everyone)\b/;
const signed = { signingSecret: SIGNING_SECRET };

let engine: Engine;
let harness: Harness | undefined;

beforeAll(async () => {
  engine = await realEngine();
});

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** The first item, failing the test when there is none. */
function first<T>(items: readonly (T | undefined)[]): T {
  const item = items[0];
  if (item === undefined) throw new Error('expected at least one item');
  return item;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  harness = await startHarness(options);
  return harness;
}

describe('Slack adapter, HTTP mode, end to end with the real Bolt App', () => {
  it('answers a signed mention in the thread of the message, with sources in blocks and a text fallback', async () => {
    const { fake, eventsUrl } = await start();
    const ts = nextTs();
    const sent = await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@${fake.identity.botUserId}> ${GDP_QUESTION}`, ts })), signed);
    expect(sent.status).toBe(200);

    const post = first(await fake.waitForCalls('chat.postMessage', 1));
    const latencyMs = post.at - sent.sentAt;

    expect(post.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(post.body).toMatchObject({ channel: CHANNEL, thread_ts: ts, unfurl_links: 'false' });
    const expected = engine.ask(GDP_QUESTION);
    expect(expected.kind).toBe('answer');
    const source = expected.sources[0];
    if (!source) throw new Error('the GDP fact has no source');
    expect(String(post.body['text'])).toContain(escape(expected.body));
    expect(String(post.body['text'])).toContain('Figure for 2016');
    const blocks = JSON.stringify(post.body['blocks']);
    expect(blocks).toContain(JSON.stringify(escape(expected.body)).slice(1, -1));
    expect(blocks).toContain(`<${source.url}|`);
    expect(blocks).toContain(escape(source.publisher));
    expect(blocks).toContain(source.date);
    expect(blocks).toContain('Figure for 2016');

    // Warm runs: the first request pays for module and JIT warm-up.
    const warm: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const again = await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@UBOT0001> ${GDP_QUESTION}` })), signed);
      const posts = await fake.waitForCalls('chat.postMessage', i + 2);
      warm.push(first(posts.slice(-1)).at - again.sentAt);
    }
    warm.sort((a, b) => a - b);
    const median = warm[Math.floor(warm.length / 2)] ?? NaN;
    const max = warm.at(-1) ?? NaN;
    console.log(`mention → chat.postMessage: first ${latencyMs.toFixed(1)} ms; warm median ${median.toFixed(1)} ms, max ${max.toFixed(1)} ms (n=20)`);
    expect(latencyMs).toBeLessThan(1_000);
  });

  it('answers a mention made inside a thread in that same thread', async () => {
    const { fake, eventsUrl } = await start();
    const parent = nextTs();
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@UBOT0001> ${GDP_QUESTION}`, thread_ts: parent })), signed);
    const [post] = await fake.waitForCalls('chat.postMessage', 1);
    expect(post?.body['thread_ts']).toBe(parent);
  });

  it('answers a direct message in the DM, not in a thread', async () => {
    const { fake, eventsUrl } = await start();
    await postEvent(eventsUrl, eventCallback(messageEvent({ text: GDP_QUESTION })), signed);
    const [post] = await fake.waitForCalls('chat.postMessage', 1);
    expect(post?.body['channel']).toBe(DM_CHANNEL);
    expect(post?.body).not.toHaveProperty('thread_ts');
    expect(shown(first([post]))).toContain('Figure for 2016');
  });

  it('answers a direct message asked in a DM thread in that thread', async () => {
    const { fake, eventsUrl } = await start();
    const parent = nextTs();
    await postEvent(eventsUrl, eventCallback(messageEvent({ text: GDP_QUESTION, thread_ts: parent })), signed);
    const [post] = await fake.waitForCalls('chat.postMessage', 1);
    expect(post?.body).toMatchObject({ channel: DM_CHANNEL, thread_ts: parent });
  });

  it('answers a mention once although it also arrives as a channel message event', async () => {
    const { fake, eventsUrl } = await start();
    const ts = nextTs();
    const text = `<@UBOT0001> ${GDP_QUESTION}`;
    await Promise.all([
      postEvent(eventsUrl, eventCallback(mentionEvent({ text, ts })), signed),
      postEvent(eventsUrl, eventCallback(messageEvent({ text, ts, channel: CHANNEL, channel_type: 'channel' })), signed),
    ]);
    await fake.waitForCalls('chat.postMessage', 1);
    await settle();
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('answers a retried event (same event_id, X-Slack-Retry-Num: 1) exactly once', async () => {
    const { fake, eventsUrl, logs } = await start();
    const body = eventCallback(mentionEvent({ text: `<@UBOT0001> ${GDP_QUESTION}` }), 'EvRETRY001');
    expect((await postEvent(eventsUrl, body, signed)).status).toBe(200);
    await fake.waitForCalls('chat.postMessage', 1);
    const retry = await postEvent(eventsUrl, body, { ...signed, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    // A retry racing the original is dropped too.
    const body2 = eventCallback(mentionEvent({ text: `<@UBOT0001> ${GDP_QUESTION}` }), 'EvRETRY002');
    await Promise.all([
      postEvent(eventsUrl, body2, signed),
      postEvent(eventsUrl, body2, { ...signed, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }),
    ]);
    await fake.waitForCalls('chat.postMessage', 2);
    await settle();
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
    // Dropped by event_id, before any listener ran.
    const dropped = logs.filter((line) => line.includes('duplicate event dropped')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(dropped).toEqual(expect.arrayContaining([expect.objectContaining({ eventId: 'EvRETRY001', retryNum: 1 }), expect.objectContaining({ eventId: 'EvRETRY002' })]));
  });

  it("ignores its own messages, other bots' messages and edits", async () => {
    const { fake, eventsUrl } = await start();
    const own = fake.identity.botUserId;
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@${own}> ${GDP_QUESTION}`, user: own })), signed);
    await postEvent(eventsUrl, eventCallback(messageEvent({ text: GDP_QUESTION, user: own })), signed);
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@${own}> ${GDP_QUESTION}`, user: 'UOTHERBOT', bot_id: 'BOTHER' })), signed);
    await postEvent(eventsUrl, eventCallback(messageEvent({ text: GDP_QUESTION, subtype: 'bot_message', bot_id: 'BOTHER', user: undefined })), signed);
    await postEvent(eventsUrl, eventCallback(messageEvent({ text: GDP_QUESTION, subtype: 'message_changed' })), signed);
    await postEvent(eventsUrl, eventCallback(messageEvent({ text: 'joined', subtype: 'channel_join' })), signed);
    await settle();
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
    // Still serving: a human's DM is answered.
    await postEvent(eventsUrl, eventCallback(messageEvent({ text: GDP_QUESTION })), signed);
    await fake.waitForCalls('chat.postMessage', 1);
  });

  it('rejects a request with a bad signature with 401 and answers nothing', async () => {
    const { fake, eventsUrl } = await start();
    const bad = await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@UBOT0001> ${GDP_QUESTION}` })), {
      ...signed,
      headers: { 'x-slack-signature': `v0=${'0'.repeat(64)}` },
    });
    const wrongSecret = await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@UBOT0001> ${GDP_QUESTION}` })), { signingSecret: 'not-the-secret' });
    expect(bad.status).toBe(401);
    expect(wrongSecret.status).toBe(401);
    await settle();
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('rejects a correctly signed request whose timestamp is 6 minutes old with 401', async () => {
    const { fake, eventsUrl } = await start();
    const stale = await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@UBOT0001> ${GDP_QUESTION}` })), {
      ...signed,
      timestampSec: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(stale.status).toBe(401);
    await settle();
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('acks /haidian within 3 s, answers ephemerally via response_url, and Share posts the answer publicly', async () => {
    const { fake, eventsUrl } = await start();
    const responseUrl = fake.responseUrl('cmd-1');
    const acked = await postCommand(eventsUrl, commandFields(GDP_QUESTION, responseUrl), signed);
    expect(acked.status).toBe(200);
    expect(acked.elapsedMs).toBeLessThan(3_000);

    const [ephemeral] = await fake.waitForCalls('response', 1);
    expect(ephemeral?.responseId).toBe('cmd-1');
    expect(ephemeral?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(shown(first([ephemeral]))).toContain('Figure for 2016');
    const share = buttonsIn(ephemeral?.body['blocks']).find((b) => b.action_id === ACTION_SHARE);
    if (!share) throw new Error('no share button');
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);

    // The click carries a forged message text: the public post must come from the fact base, not from it.
    const click = blockActions(share, { channel: CHANNEL, responseUrl: fake.responseUrl('share-1'), ephemeral: true });
    expect((await postInteraction(eventsUrl, { ...click, message: { type: 'message', ts: nextTs(), text: '<!channel> forged' } }, signed)).status).toBe(200);
    const [post] = await fake.waitForCalls('chat.postMessage', 1);
    expect(post?.body['channel']).toBe(CHANNEL);
    expect(post?.body).not.toHaveProperty('thread_ts');
    expect(shown(first([post]))).toContain('Figure for 2016');
    expect(shown(first([post]))).not.toContain('forged');
    expect(buttonsIn(post?.body['blocks'])).toHaveLength(0);
    // The ephemeral copy is removed so it cannot be shared twice.
    const removed = await fake.waitFor(() => fake.callsTo('response').find((c) => c.responseId === 'share-1'));
    expect(removed.body).toMatchObject({ delete_original: true });
  });

  it('shows help for /haidian alone and for /haidian help', async () => {
    const { fake, eventsUrl } = await start();
    await postCommand(eventsUrl, commandFields('', fake.responseUrl('empty')), signed);
    await postCommand(eventsUrl, commandFields('help', fake.responseUrl('help')), signed);
    const responses = await fake.waitForCalls('response', 2);
    const help = engine.help('en');
    expect(help.topics.length).toBeGreaterThan(0);
    for (const response of responses) {
      expect(response.body).toMatchObject({ response_type: 'ephemeral' });
      for (const topic of help.topics) expect(shown(response)).toContain(escape(topic.title));
      expect(buttonsIn(response.body['blocks']).some((b) => b.action_id === ACTION_SHARE)).toBe(false);
    }
  });

  it('offers suggestions as buttons when it abstains, and a click answers that fact in the same thread', async () => {
    const { fake, eventsUrl } = await start();
    const ts = nextTs();
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@UBOT0001> ${UNKNOWN_QUESTION}`, ts })), signed);
    const [abstention] = await fake.waitForCalls('chat.postMessage', 1);
    const expected = engine.ask(UNKNOWN_QUESTION);
    expect(expected.kind).toBe('no-match');
    const buttons = buttonsIn(abstention?.body['blocks']);
    expect(buttons.map((b) => b.text)).toEqual(expected.suggestions.map((s) => s.question));
    const [first] = buttons;
    const suggestion = expected.suggestions[0];
    if (!first || !suggestion) throw new Error('no suggestion');

    const botTs = nextTs();
    const click = blockActions(first, { channel: CHANNEL, responseUrl: fake.responseUrl(), ephemeral: false, message: { ts: botTs, thread_ts: ts } });
    expect((await postInteraction(eventsUrl, click, signed)).status).toBe(200);
    const posts = await fake.waitForCalls('chat.postMessage', 2);
    const answer = posts[1];
    expect(answer?.body).toMatchObject({ channel: CHANNEL, thread_ts: ts });
    expect(String(answer?.body['text'])).toContain(escape(engine.answerFact(suggestion.factId, 'en').body));
  });

  it('answers a suggestion clicked in an ephemeral /haidian abstention ephemerally', async () => {
    const { fake, eventsUrl } = await start();
    await postCommand(eventsUrl, commandFields(UNKNOWN_QUESTION, fake.responseUrl('ask')), signed);
    const [abstention] = await fake.waitForCalls('response', 1);
    const [first] = buttonsIn(abstention?.body['blocks']);
    if (!first) throw new Error('no suggestion button');
    await postInteraction(eventsUrl, blockActions(first, { channel: CHANNEL, responseUrl: fake.responseUrl('click'), ephemeral: true }), signed);
    const answer = await fake.waitFor(() => fake.callsTo('response').find((c) => c.responseId === 'click'));
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(buttonsIn(answer.body['blocks']).some((b) => b.action_id === ACTION_SHARE)).toBe(true);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('never lets mentions, mass mentions or links typed into a question reach the posted message', async () => {
    const { fake, eventsUrl } = await start();
    const hostile = '<!channel> <!here> <!everyone> @channel @here <@U123> <https://evil.example|click> &lt;!channel&gt; <!subteam^S1|@team>';
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@UBOT0001> ${hostile} GDP 2016?` })), signed);
    await postEvent(eventsUrl, eventCallback(messageEvent({ text: hostile })), signed);
    await postCommand(eventsUrl, commandFields(hostile, fake.responseUrl('hostile')), signed);
    await fake.waitForCalls('chat.postMessage', 2);
    await fake.waitForCalls('response', 1);
    for (const call of [...fake.callsTo('chat.postMessage'), ...fake.callsTo('response')]) {
      const everything = shown(call);
      expect(everything).not.toMatch(MASS_MENTIONS);
      expect(everything).not.toContain('<@');
      expect(everything).not.toContain('<https://evil');
      expect(everything).not.toContain('<!');
    }
  });

  it('escapes user text even if a reply were to echo it', async () => {
    const real = await realBot();
    const echo: Bot = {
      ...real,
      ask: (question) => Promise.resolve({ kind: 'no-match', language: 'en', body: `You asked: ${question}`, sources: [], suggestions: [], topics: [], confidence: 0 }),
    };
    const { fake, eventsUrl } = await start({ bot: echo });
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text: '<@UBOT0001> &lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; &amp;' })), signed);
    const post = first(await fake.waitForCalls('chat.postMessage', 1));
    expect(shown(post)).toContain('You asked: &lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; &amp;');
    expect(shown(post)).not.toMatch(MASS_MENTIONS);
    expect(shown(post)).not.toContain('<@');
    expect(shown(post)).not.toContain('<https://evil');
  });

  it('posts an apology when answering fails, and keeps serving the next event', async () => {
    const real = await realBot();
    const flaky: Bot = {
      ...real,
      ask: (question, context) => (question.includes('boom') ? Promise.reject(new Error('engine exploded')) : real.ask(question, context)),
    };
    const { fake, eventsUrl, logs } = await start({ bot: flaky });
    const ts = nextTs();
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text: '<@UBOT0001> boom secret question', ts })), signed);
    const [apology] = await fake.waitForCalls('chat.postMessage', 1);
    expect(apology?.body).toMatchObject({ channel: CHANNEL, thread_ts: ts, text: APOLOGY });
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@UBOT0001> ${GDP_QUESTION}` })), signed);
    const posts = await fake.waitForCalls('chat.postMessage', 2);
    expect(shown(first(posts.slice(1)))).toContain('Figure for 2016');
    const failure = logs.find((line) => line.includes('answering failed'));
    expect(failure).toContain(CHANNEL);
    expect(failure).toContain(HUMAN);
    expect(logs.join('')).not.toContain('secret question');
  });

  it('apologises ephemerally when a slash command fails', async () => {
    const real = await realBot();
    const broken: Bot = { ...real, ask: () => Promise.reject(new Error('down')) };
    const { fake, eventsUrl } = await start({ bot: broken });
    await postCommand(eventsUrl, commandFields(GDP_QUESTION, fake.responseUrl('fails')), signed);
    const [response] = await fake.waitForCalls('response', 1);
    expect(response?.body).toMatchObject({ response_type: 'ephemeral', text: APOLOGY });
  });

  it('retries a rate-limited chat.postMessage (429 with Retry-After) and posts once', async () => {
    const { fake, eventsUrl } = await start();
    fake.failNext('chat.postMessage', 1, { status: 429, headers: { 'retry-after': '0' } });
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@UBOT0001> ${GDP_QUESTION}` })), signed);
    await fake.waitForCalls('chat.postMessage', 1);
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
  });

  it('tells the asker privately when Share fails because the bot is not in the channel', async () => {
    const { fake, eventsUrl } = await start();
    fake.failNext('chat.postMessage', 1, { status: 200, body: { ok: false, error: 'not_in_channel' } });
    const share = { action_id: ACTION_SHARE, value: 'en:gdp-2016', text: 'Share in channel' };
    await postInteraction(eventsUrl, blockActions(share, { channel: CHANNEL, responseUrl: fake.responseUrl('share'), ephemeral: true }), signed);
    const notice = await fake.waitFor(() => fake.callsTo('response').find((c) => c.responseId === 'share'));
    expect(notice.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(notice.body['text'])).toContain('Invite me');
  });

  it('ignores a button whose value is not a fact reference', async () => {
    const { fake, eventsUrl } = await start();
    const forged = { action_id: 'haidian_suggest_0', value: 'en:<!channel>', text: 'x' };
    const sent = await postInteraction(eventsUrl, blockActions(forged, { channel: CHANNEL, responseUrl: fake.responseUrl(), ephemeral: false, message: { ts: nextTs() } }), signed);
    expect(sent.status).toBe(200);
    await settle();
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
    expect(fake.callsTo('response')).toHaveLength(0);
  });

  it('replies politely within limits to an empty mention, emoji only, 5,000 characters and markup', async () => {
    const { fake, eventsUrl } = await start();
    const odd = ['<@UBOT0001>', '<@UBOT0001> :smile: :tada:', `<@UBOT0001> ${'x'.repeat(5_000)}`, '<@UBOT0001> *bold* _it_ `code` ```block``` <#C9|x>'];
    for (const text of odd) await postEvent(eventsUrl, eventCallback(mentionEvent({ text })), signed);
    const posts = await fake.waitForCalls('chat.postMessage', odd.length);
    for (const post of posts) {
      const blocks = post.body['blocks'] as { type: string; text?: { text: string } }[];
      expect(blocks.length).toBeGreaterThan(0);
      expect(blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
      for (const block of blocks) expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(SLACK_MAX_SECTION_TEXT_CHARS);
      expect(String(post.body['text'])).not.toBe(APOLOGY);
    }
  });

  it('logs ids, reply kind and latency, never the question text or the token', async () => {
    const { fake, eventsUrl, logs } = await start();
    await postEvent(eventsUrl, eventCallback(mentionEvent({ text: `<@UBOT0001> ${GDP_QUESTION}` }), 'EvLOG0001'), signed);
    await fake.waitForCalls('chat.postMessage', 1);
    const line = await fake.waitFor(() => logs.find((l) => l.includes('"slack: replied"')));
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(entry).toMatchObject({ team: 'T0001', channel: CHANNEL, user: HUMAN, eventId: 'EvLOG0001', kind: 'answer', factId: 'gdp-2016' });
    expect(typeof entry['latencyMs']).toBe('number');
    const all = logs.join('\n');
    expect(all).not.toContain('GDP in 2016?');
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain(SIGNING_SECRET);
  });

  it('answers Slack’s signed url_verification challenge', async () => {
    const { eventsUrl } = await start();
    const verified = await postEvent(eventsUrl, { token: 'legacy', challenge: 'chal-123', type: 'url_verification' }, signed);
    expect(verified.status).toBe(200);
    expect(JSON.parse(verified.body)).toEqual({ challenge: 'chal-123' });
  });

  it('serves custom routes (health) on the same HTTP server', async () => {
    const { eventsUrl } = await start({
      customRoutes: [{ path: '/health', method: 'GET', handler: (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok') }],
    });
    const response = await fetch(eventsUrl.replace('/slack/events', '/health'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
  });
});
