/**
 * Follow-up questions on Discord, end to end: the real discord.js Client against the fake Discord,
 * answering from the real fact base. Reply chains in a guild channel, DMs, slash-command answers.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../../src/bot/bot.js';
import { CONTEXT_TTL_MS } from '../../../src/bot/conversation.js';
import { createMemoryStore } from '../../../src/bot/store.js';
import type { FakeUser, MessageOptions, RecordedRequest, SlashCommandOptions } from '../../fakes/fake-discord.js';
import { realBot, startHarness, type CallbackBody, type Harness } from './harness.js';

const GDP_QUESTION = "What was Haidian's GDP in 2016?";
const FIGURE_2016 = /490 billion yuan/;
const FIGURE_2017 = /594 billion/;
const CLARIFY = /not sure what that refers to/;

const OTHER_USER: FakeUser = {
  id: '1099999999999999999',
  username: 'other',
  global_name: 'other',
  discriminator: '0',
  avatar: null,
};

let harness: Harness | undefined;
let bot: Bot;

beforeAll(async () => {
  bot = await realBot();
});

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

interface PostedMessage {
  readonly id: string;
  readonly description: string;
  readonly replyTo?: string;
}

function posted(request: RecordedRequest): PostedMessage {
  const sent = request.body as NonNullable<CallbackBody['data']> & {
    message_reference?: { message_id: string };
  };
  const replyTo = sent.message_reference?.message_id;
  return {
    id: (request.response as { id: string }).id,
    description: sent.embeds?.[0]?.description ?? '',
    ...(replyTo ? { replyTo } : {}),
  };
}

/**
 * Sends a message and waits until the handler is done with it (its "answered" log line comes after
 * the context is kept, so a follow-up sent next sees it); returns the bot's answer to it.
 */
async function say(h: Harness, options: MessageOptions): Promise<PostedMessage> {
  const { payload } = h.fake.sendMessage(options);
  await h.fake.waitFor(() => h.logs.some((line) => line.msg === 'discord: answered' && line.messageId === payload.id));
  const posts = h.fake.requestsTo(`POST /channels/${options.dm ? h.fake.dmChannelId : h.fake.channelId}/messages`).map(posted);
  const answer = options.dm ? posts.at(-1) : posts.find((post) => post.replyTo === payload.id);
  if (!answer) throw new Error('no answer posted');
  return answer;
}

/** Sends a slash command and waits until the handler is done with it; returns its callback. */
async function command(h: Harness, options: SlashCommandOptions): Promise<RecordedRequest> {
  const { payload } = h.fake.sendSlashCommand(options);
  const callback = await h.fake.waitForCallback(payload.id);
  await h.fake.waitFor(() => h.logs.some((line) => line.msg === 'discord: answered' && line.interactionId === payload.id));
  return callback;
}

/** Waits a little so that anything wrongly sent would have arrived (asserting absence). */
function settle(ms = 300): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Asks the GDP question by mention in the guild channel and returns the bot's answer. */
async function askInChannel(h: Harness): Promise<PostedMessage> {
  const answer = await say(h, { content: `<@${h.fake.botUser.id}> ${GDP_QUESTION}`, mentions: [h.fake.botUser] });
  expect(answer.description).toMatch(FIGURE_2016);
  return answer;
}

describe('Discord follow-ups, end to end with the real discord.js Client', () => {
  it('answers a reply to its answer with the chain’s context, as a reply, and carries the chain on', async () => {
    const h = (harness = await startHarness({ bot }));
    const answer = await askInChannel(h);
    // Discord's default reply pings the replied-to author: the bot is in `mentions`, no @ typed.
    const second = await say(h, { content: 'and in 2017?', replyTo: answer.id, mentions: [h.fake.botUser] });
    expect(second.description).toMatch(FIGURE_2017);
    // Replying to the second answer goes on from it, in the same series.
    const third = await say(h, { content: '2016 then?', replyTo: second.id, mentions: [h.fake.botUser] });
    expect(third.description).toMatch(FIGURE_2016);
  });

  it('does not lend the chain to another user replying to the same answer, nor to a new mention', async () => {
    const h = (harness = await startHarness({ bot }));
    const answer = await askInChannel(h);
    const other = await say(h, { content: 'and in 2017?', author: OTHER_USER, replyTo: answer.id, mentions: [h.fake.botUser] });
    expect(other.description).toMatch(CLARIFY);
    expect(other.description).not.toMatch(FIGURE_2017);
    // The asker's own new mention, replying to nothing, is a new conversation too.
    const fresh = await say(h, { content: `<@${h.fake.botUser.id}> and in 2017?`, mentions: [h.fake.botUser] });
    expect(fresh.description).toMatch(CLARIFY);
  });

  it('does not carry a guild chain into the DM channel', async () => {
    const h = (harness = await startHarness({ bot }));
    await askInChannel(h);
    expect((await say(h, { content: 'and in 2017?', dm: true })).description).toMatch(CLARIFY);
  });

  it('stays silent on a reply it cannot read or that does not ping it (no MessageContent intent)', async () => {
    const h = (harness = await startHarness({ bot }));
    const answer = await askInChannel(h);
    // Without the intent Discord sends a ping-less reply with empty content.
    h.fake.sendMessage({ content: '', replyTo: answer.id });
    // Another user's ping-less reply: not a chain of theirs.
    h.fake.sendMessage({ content: 'and in 2017?', author: OTHER_USER, replyTo: answer.id });
    await settle();
    expect(h.fake.requestsTo(`POST /channels/${h.fake.channelId}/messages`)).toHaveLength(1);
  });

  it('answers a ping-less reply by the same user when the gateway sends its text (as with the MessageContent intent)', async () => {
    const h = (harness = await startHarness({ bot }));
    const answer = await askInChannel(h);
    expect((await say(h, { content: 'and in 2017?', replyTo: answer.id })).description).toMatch(FIGURE_2017);
  });

  it('asks what a follow-up refers to once the context has expired', async () => {
    let now = Date.now();
    const store = createMemoryStore({ now: () => now });
    const h = (harness = await startHarness({ bot, store }));
    const answer = await askInChannel(h);
    now += CONTEXT_TTL_MS - 1_000;
    const inTime = await say(h, { content: 'and in 2017?', replyTo: answer.id, mentions: [h.fake.botUser] });
    expect(inTime.description).toMatch(FIGURE_2017);
    now += CONTEXT_TTL_MS + 1;
    const late = await say(h, { content: 'and in 2016?', replyTo: inTime.id, mentions: [h.fake.botUser] });
    expect(late.description).toMatch(CLARIFY);
    expect(late.description).not.toMatch(FIGURE_2016);
  });

  it('still answers once, without an apology, when the context cannot be kept', async () => {
    const memory = createMemoryStore();
    const store = { ...memory, set: () => Promise.reject(new Error('store down')) };
    const h = (harness = await startHarness({ bot, store }));
    await askInChannel(h);
    await settle();
    expect(h.fake.requestsTo(`POST /channels/${h.fake.channelId}/messages`)).toHaveLength(1);
    expect(h.logs.some((line) => line.msg === 'discord: conversation context not kept')).toBe(true);
  });

  it('keeps the context of a DM', async () => {
    const h = (harness = await startHarness({ bot }));
    expect((await say(h, { content: GDP_QUESTION, dm: true })).description).toMatch(FIGURE_2016);
    expect((await say(h, { content: 'and in 2017?', dm: true })).description).toMatch(FIGURE_2017);
  });

  it('continues from a slash-command answer when the user replies to it', async () => {
    const h = (harness = await startHarness({ bot }));
    const callback = await command(h, { options: { question: GDP_QUESTION } });
    // The answer's message id comes back in the callback response (with_response=true).
    expect(callback.query.with_response).toBe('true');
    const message = (callback.response as { resource?: { message?: { id: string } } }).resource?.message;
    if (!message) throw new Error('the callback response carries no message');
    const followUp = await say(h, { content: 'and in 2017?', replyTo: message.id, mentions: [h.fake.botUser] });
    expect(followUp.description).toMatch(FIGURE_2017);
    // A private answer cannot be replied to: its id is not asked for.
    const hidden = await command(h, { options: { question: GDP_QUESTION, private: true } });
    expect(hidden.query.with_response).toBe('false');
  });

  it('continues from a deferred slash-command answer (its id comes from the edited reply)', async () => {
    let slow = true;
    const slowBot: Bot = {
      ...bot,
      ask: async (question, context, conversation) => {
        // Only the command is slow (past the 1.5 s defer threshold); the follow-up is not.
        if (slow) await new Promise((resolve) => setTimeout(resolve, 1700));
        slow = false;
        return bot.ask(question, context, conversation);
      },
    };
    const h = (harness = await startHarness({ bot: slowBot }));
    const { payload } = h.fake.sendSlashCommand({ options: { question: GDP_QUESTION } });
    await h.fake.waitFor(() => h.logs.some((line) => line.msg === 'discord: answered' && line.interactionId === payload.id), 5_000);
    const edit = h.fake.requestsTo(`PATCH /webhooks/${h.fake.applicationId}/${payload.token}/messages/@original`)[0];
    const edited = edit?.response as { id?: string } | undefined;
    if (!edited?.id) throw new Error('the deferred answer was not edited');
    const followUp = await say(h, { content: 'and in 2017?', replyTo: edited.id, mentions: [h.fake.botUser] });
    expect(followUp.description).toMatch(FIGURE_2017);
  });

  it('continues a slash-command answer in a DM with a plain DM message', async () => {
    const h = (harness = await startHarness({ bot }));
    await command(h, { options: { question: GDP_QUESTION }, dm: true });
    expect((await say(h, { content: 'and in 2017?', dm: true })).description).toMatch(FIGURE_2017);
  });
});
