/**
 * End to end: the real discord.js Client, started by `startDiscordAdapter`, against the fake Discord
 * REST API and gateway on 127.0.0.1, answering from the real fact base.
 */
import { GatewayIntentBits, IntentsBitField } from 'discord.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatDiscordReply } from '../../../adapters/discord/format.js';
import { startDiscordAdapter } from '../../../adapters/discord/index.js';
import type { AskContext, Bot } from '../../../src/bot/bot.js';
import type { Reply } from '../../../src/engine/types.js';
import { createSilentLogger } from '../../../src/bot/log.js';
import { type RecordedRequest } from '../../fakes/fake-discord.js';
import { realBot, startHarness, TEST_TOKEN, type CallbackBody, type Harness } from './harness.js';

const GDP_QUESTION = "What was Haidian's GDP in 2016?";
const EPHEMERAL = 64;

let harness: Harness | undefined;
let bot: Bot;

beforeAll(async () => {
  bot = await realBot();
});

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  harness = await startHarness({ bot, ...options });
  return harness;
}

/** A bot that behaves like the real one, with some methods replaced. */
function botWith(overrides: Partial<Bot>): Bot {
  return {
    ask: (question, context, conversation) => bot.ask(question, context, conversation),
    answerFact: (factId, language, context) => bot.answerFact(factId, language, context),
    complete: (partial, limit) => bot.complete(partial, limit),
    help: (language) => bot.help(language),
    overview: (language) => bot.overview(language),
    ...overrides,
  };
}

function body(request: RecordedRequest): CallbackBody {
  return request.body as CallbackBody;
}

/** Nothing in the payload can ping: mentions parse nothing and no content carries a raw mass mention. */
function expectNoPing(payload: unknown): void {
  const data = ((payload as CallbackBody).data ?? payload) as NonNullable<CallbackBody['data']>;
  expect(data.allowed_mentions?.parse).toEqual([]);
  expect(data.content ?? '').not.toMatch(/@(everyone|here)|<@&\d+>/);
}

/** Waits for the first message the bot posts, then checks it is the only one and replies to `messageId`. */
async function expectOnlyReplyTo(h: Harness, messageId: string): Promise<void> {
  await h.fake.waitFor(() => h.fake.requestsTo('POST /channels/*/messages')[0]);
  const posts = h.fake.requestsTo('POST /channels/*/messages');
  expect(posts).toHaveLength(1);
  expect(
    (posts[0]?.body as { message_reference?: { message_id: string } }).message_reference
      ?.message_id,
  ).toBe(messageId);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

describe('Discord adapter, end to end with the real discord.js Client', () => {
  it('logs in through /gateway/bot, identifies with non-privileged intents only and becomes ready', async () => {
    const h = await start();
    const gatewayRequest = h.fake.requestsTo('GET /gateway/bot')[0];
    expect(gatewayRequest?.headers.authorization).toBe(`Bot ${TEST_TOKEN}`);
    const identify = h.fake.gateway.received.find((frame) => frame.op === 2);
    const intents = new IntentsBitField((identify?.d as { intents: number }).intents);
    expect(intents.toArray().sort()).toEqual(['DirectMessages', 'GuildMessages', 'Guilds']);
    expect(intents.has(GatewayIntentBits.MessageContent)).toBe(false);
    expect(h.adapter.client.isReady()).toBe(true);
    expect(h.adapter.client.user?.id).toBe(h.fake.botUser.id);
    expect(h.adapter.client.guilds.cache.has(h.fake.guildId)).toBe(true);
    expect(h.adapter.client.options.allowedMentions).toEqual({ parse: [], repliedUser: false });
  });

  it('answers /haidian with an embed carrying the answer, the year and the sources, parsing no mentions', async () => {
    const h = await start();
    const { payload, dispatchedAt } = h.fake.sendSlashCommand({
      options: { question: GDP_QUESTION },
    });
    const callback = await h.fake.waitForCallback(payload.id);
    const firstMs = callback.receivedAt - dispatchedAt;

    expect(callback.route).toBe(`/interactions/${payload.id}/${payload.token}/callback`);
    const data = body(callback).data;
    expect(body(callback).type).toBe(4);
    expect(data?.flags ?? 0).toBe(0);
    expect(data?.content).toBeUndefined();
    const embed = data?.embeds?.[0];
    expect(embed?.description).toContain('490 billion yuan');
    expect(embed?.footer?.text).toBe('Figure for 2016 · as of 2017-02-09');
    expect(embed?.fields?.[0]?.value).toMatch(/^1\. \[.+\]\(https?:\/\/.+\) — .+, 2017-02-09$/);
    expect(data?.allowed_mentions).toEqual({ parse: [] });

    // Interaction → callback latency: the first one pays for the REST connection; then steady state.
    const warm: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const sent = h.fake.sendSlashCommand({ options: { question: GDP_QUESTION } });
      const answered = await h.fake.waitForCallback(sent.payload.id);
      warm.push(answered.receivedAt - sent.dispatchedAt);
    }
    console.log(
      `[discord] INTERACTION_CREATE → callback: first ${firstMs.toFixed(1)} ms; then median ${median(warm).toFixed(1)} ms, max ${Math.max(...warm).toFixed(1)} ms over ${warm.length}`,
    );
    expect(firstMs).toBeLessThan(1500);
    expect(median(warm)).toBeLessThan(500);
  });

  it('logs ids, kind and fact id but never the question, the bot token or the interaction token', async () => {
    const h = await start();
    const { payload } = h.fake.sendSlashCommand({ options: { question: GDP_QUESTION } });
    await h.fake.waitForCallback(payload.id);
    await h.fake.waitFor(() => h.logs.find((line) => line.msg === 'discord: answered'));
    const answered = h.logs.find((line) => line.msg === 'discord: answered');
    expect(answered).toMatchObject({
      interactionId: payload.id,
      kind: 'answer',
      factId: 'gdp-2016',
      userId: h.fake.humanUser.id,
    });
    expect(h.logText()).not.toContain("Haidian's GDP");
    expect(h.logText()).not.toContain(TEST_TOKEN);
    expect(h.logText()).not.toContain(payload.token);
  });

  it('answers privately (ephemeral flag 64) when private:true', async () => {
    const h = await start();
    const { payload } = h.fake.sendSlashCommand({
      options: { question: GDP_QUESTION, private: true },
    });
    const callback = await h.fake.waitForCallback(payload.id);
    expect(body(callback).data?.flags).toBe(EPHEMERAL);
    expect(body(callback).data?.embeds?.[0]?.description).toContain('490 billion yuan');
  });

  it('autocompletes the question: typing "incub" offers the incubators question first, at most 25 choices', async () => {
    const h = await start();
    const { payload, dispatchedAt } = h.fake.sendAutocomplete({ options: { question: 'incub' } });
    const callback = await h.fake.waitForCallback(payload.id);
    expect(body(callback).type).toBe(8);
    const choices = body(callback).data?.choices ?? [];
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices[0]?.name.toLowerCase()).toContain('incubator');
    for (const choice of choices) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.value.length).toBeLessThanOrEqual(100);
    }
    expect(callback.receivedAt - dispatchedAt).toBeLessThan(1000);
  });

  it('offers up to 25 choices for an empty question', async () => {
    const h = await start();
    const { payload } = h.fake.sendAutocomplete({ options: { question: '' } });
    const choices = body(await h.fake.waitForCallback(payload.id)).data?.choices ?? [];
    expect(choices).toHaveLength(25);
  });

  it('answers an autocomplete with no choices, and stays up, when completing fails', async () => {
    const h = await start({
      bot: botWith({
        complete: () => {
          throw new Error('index unavailable');
        },
      }),
    });
    const { payload } = h.fake.sendAutocomplete({ options: { question: 'incub' } });
    const callback = await h.fake.waitForCallback(payload.id);
    expect(body(callback)).toEqual({ type: 8, data: { choices: [] } });
    expect(
      h.logs.some(
        (line) => line.msg === 'discord: interaction failed' && line.interactionId === payload.id,
      ),
    ).toBe(true);
    const next = h.fake.sendSlashCommand({ options: { question: GDP_QUESTION } });
    expect(body(await h.fake.waitForCallback(next.payload.id)).type).toBe(4);
  });

  it('answers a Chinese question in Chinese, with Chinese labels', async () => {
    const h = await start();
    const { payload } = h.fake.sendSlashCommand({
      options: { question: '海淀区2016年的GDP是多少？' },
    });
    const embed = body(await h.fake.waitForCallback(payload.id)).data?.embeds?.[0];
    expect(embed?.footer?.text).toBe('数据年份：2016 · 截至2017-02-09');
    expect(embed?.fields?.[0]?.name).toBe('来源');
  });

  it('answers the fact behind a long autocomplete choice, which arrives as a fact reference', async () => {
    const h = await start();
    const { payload } = h.fake.sendSlashCommand({
      options: { question: 'haidian:fact:gdp-2016:en' },
    });
    const embed = body(await h.fake.waitForCallback(payload.id)).data?.embeds?.[0];
    expect(embed?.description).toContain('490 billion yuan');
    expect(embed?.footer?.text).toBe('Figure for 2016 · as of 2017-02-09');
  });

  it('lists the topics with example questions for question:help', async () => {
    const h = await start();
    const { payload } = h.fake.sendSlashCommand({ options: { question: 'help' } });
    const embed = body(await h.fake.waitForCallback(payload.id)).data?.embeds?.[0];
    expect(embed?.description).toMatch(/Topics I know/);
    const fields = embed?.fields ?? [];
    expect(fields.length).toBeGreaterThanOrEqual(3);
    expect(fields.some((f) => f.name.startsWith('Economy'))).toBe(true);
    for (const field of fields) expect(field.value).toMatch(/^e\.g\. “.+”$/);
  });

  it('abstains with suggestion buttons, and a click answers the suggested fact', async () => {
    const h = await start();
    const { payload } = h.fake.sendSlashCommand({
      options: { question: 'What is the capital of France?' },
    });
    const data = body(await h.fake.waitForCallback(payload.id)).data;
    expect(data?.embeds?.[0]?.description).toMatch(/don't know/);
    const buttons = data?.components?.[0]?.components ?? [];
    expect(buttons.length).toBeGreaterThan(0);
    expect(buttons.length).toBeLessThanOrEqual(3);
    const first = buttons[0];
    expect(first?.custom_id).toMatch(/^haidian:fact:[a-z0-9-]+:en$/);
    expect(first?.label.length).toBeLessThanOrEqual(80);

    const factId = first?.custom_id.split(':')[2] as string;
    const expected = await bot.answerFact(factId, 'en', { platform: 'discord' });
    const click = h.fake.sendButton({ customId: first?.custom_id as string });
    const answer = body(await h.fake.waitForCallback(click.payload.id));
    expect(answer.type).toBe(4);
    expect(answer.data?.flags ?? 0).toBe(0);
    expect(expected.kind).toBe('answer');
    expect(answer.data?.embeds?.[0]?.description).toBe(
      formatDiscordReply(expected).embeds[0]?.description,
    );
    expect(answer.data?.embeds?.[0]?.fields?.[0]?.name).toMatch(/^Sources?$/);
    expect(answer.data?.allowed_mentions).toEqual({ parse: [] });
  });

  it('answers a suggestion click privately when the abstention was private', async () => {
    const h = await start();
    const click = h.fake.sendButton({
      customId: 'haidian:fact:gdp-2016:en',
      messageFlags: EPHEMERAL,
    });
    const answer = body(await h.fake.waitForCallback(click.payload.id));
    expect(answer.data?.flags).toBe(EPHEMERAL);
    expect(answer.data?.embeds?.[0]?.footer?.text).toBe('Figure for 2016 · as of 2017-02-09');
  });

  it('trusts nothing but a well-formed fact id from a button', async () => {
    const asked: string[] = [];
    const h = await start({
      bot: botWith({
        answerFact: (factId, language, context) => {
          asked.push(factId);
          return bot.answerFact(factId, language, context);
        },
      }),
    });
    const forged = h.fake.sendButton({ customId: 'haidian:fact:<@&123> @everyone:en' });
    const unknown = h.fake.sendButton({ customId: 'haidian:fact:no-such-fact:en' });
    const reply = body(await h.fake.waitForCallback(unknown.payload.id));
    // A well-formed but unknown id is answered by the engine's own abstention; the forged one is ignored.
    expect(reply.data?.embeds?.[0]?.description).toMatch(/don't know/);
    expect(asked).toEqual(['no-such-fact']);
    expect(h.fake.requestsTo(`POST /interactions/${forged.payload.id}/**`)).toHaveLength(0);
  });

  it('replies to a mention in a guild channel with the answer, without pinging the asker', async () => {
    const questions: string[] = [];
    const h = await start({
      bot: botWith({
        ask: (question, context) => {
          questions.push(question);
          return bot.ask(question, context);
        },
      }),
    });
    const { payload } = h.fake.sendMessage({
      content: `<@${h.fake.botUser.id}> ${GDP_QUESTION}`,
      mentions: [h.fake.botUser],
    });
    const post = await h.fake.waitFor(
      () => h.fake.requestsTo(`POST /channels/${h.fake.channelId}/messages`)[0],
    );
    const sent = post.body as NonNullable<CallbackBody['data']> & {
      message_reference?: { message_id: string };
    };
    expect(sent.message_reference?.message_id).toBe(payload.id);
    expect(sent.embeds?.[0]?.description).toContain('490 billion yuan');
    expect(sent.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(questions).toEqual([GDP_QUESTION]);

    h.fake.sendMessage({
      content: `<@!${h.fake.botUser.id}>   ${GDP_QUESTION}`,
      mentions: [h.fake.botUser],
    });
    await h.fake.waitFor(() => questions.length === 2);
    expect(questions[1]).toBe(GDP_QUESTION);
  });

  it('answers a DM in the DM channel', async () => {
    const h = await start();
    h.fake.sendMessage({ content: GDP_QUESTION, dm: true });
    const post = await h.fake.waitFor(
      () => h.fake.requestsTo(`POST /channels/${h.fake.dmChannelId}/messages`)[0],
    );
    const sent = post.body as NonNullable<CallbackBody['data']>;
    expect(sent.embeds?.[0]?.description).toContain('490 billion yuan');
    expect(sent.allowed_mentions).toEqual({ parse: [] });
  });

  it('ignores guild messages that do not mention the bot, including @everyone', async () => {
    const h = await start();
    h.fake.sendMessage({ content: GDP_QUESTION });
    h.fake.sendMessage({ content: `@everyone ${GDP_QUESTION}`, mentionEveryone: true });
    h.fake.sendMessage({
      content: `<@${h.fake.humanUser.id}> ${GDP_QUESTION}`,
      mentions: [h.fake.humanUser],
    });
    const last = h.fake.sendMessage({
      content: `<@${h.fake.botUser.id}> ${GDP_QUESTION}`,
      mentions: [h.fake.botUser],
    });
    await expectOnlyReplyTo(h, last.payload.id);
  });

  it('ignores its own messages, other bots and webhooks', async () => {
    const h = await start();
    const mention = `<@${h.fake.botUser.id}> ${GDP_QUESTION}`;
    h.fake.sendMessage({ content: mention, mentions: [h.fake.botUser], author: h.fake.botUser });
    h.fake.sendMessage({
      content: mention,
      mentions: [h.fake.botUser],
      author: { ...h.fake.humanUser, id: '1200000000000000001', username: 'other-bot', bot: true },
    });
    h.fake.sendMessage({
      content: mention,
      mentions: [h.fake.botUser],
      webhookId: '1200000000000000002',
    });
    h.fake.sendMessage({ content: GDP_QUESTION, dm: true, author: h.fake.botUser });
    const last = h.fake.sendMessage({ content: mention, mentions: [h.fake.botUser] });
    await expectOnlyReplyTo(h, last.payload.id);
  });

  it('never pings when a question contains @everyone, @here or a role mention', async () => {
    const h = await start();
    const hostile = `@everyone @here <@&123> ${GDP_QUESTION}`;
    const command = h.fake.sendSlashCommand({ options: { question: hostile } });
    expectNoPing(body(await h.fake.waitForCallback(command.payload.id)));
    const abstention = h.fake.sendSlashCommand({
      options: { question: '@everyone @here <@&123> what is the capital of France?' },
    });
    expectNoPing(body(await h.fake.waitForCallback(abstention.payload.id)));

    h.fake.sendMessage({
      content: `<@${h.fake.botUser.id}> ${hostile}`,
      mentions: [h.fake.botUser],
      mentionEveryone: true,
      mentionRoles: ['123'],
    });
    h.fake.sendMessage({ content: hostile, dm: true });
    await h.fake.waitFor(() => h.fake.requestsTo('POST /channels/*/messages').length === 2);
    for (const post of h.fake.requestsTo('POST /channels/*/messages')) expectNoPing(post.body);
  });

  it('apologises privately when answering fails, and answers the next interaction', async () => {
    const h = await start({
      bot: botWith({
        ask: (question: string, context: AskContext): Promise<Reply> =>
          question.includes('explode')
            ? Promise.reject(new Error('engine exploded'))
            : bot.ask(question, context),
      }),
    });
    const failing = h.fake.sendSlashCommand({ options: { question: 'please explode' } });
    const apology = body(await h.fake.waitForCallback(failing.payload.id));
    expect(apology).toMatchObject({
      type: 4,
      data: {
        content: 'Sorry, something went wrong while answering. Please try again.',
        flags: EPHEMERAL,
        allowed_mentions: { parse: [] },
      },
    });
    const failed = h.logs.find((line) => line.msg === 'discord: interaction failed');
    expect(failed).toMatchObject({
      interactionId: failing.payload.id,
      err: { message: 'engine exploded' },
    });
    expect(h.logText()).not.toContain('please explode');

    const next = h.fake.sendSlashCommand({ options: { question: GDP_QUESTION } });
    expect(
      body(await h.fake.waitForCallback(next.payload.id)).data?.embeds?.[0]?.description,
    ).toContain('490 billion yuan');

    h.fake.sendMessage({
      content: `<@${h.fake.botUser.id}> please explode`,
      mentions: [h.fake.botUser],
    });
    const post = await h.fake.waitFor(() => h.fake.requestsTo('POST /channels/*/messages')[0]);
    expect((post.body as { content?: string }).content).toBe(
      'Sorry, something went wrong while answering. Please try again.',
    );
  });

  it('defers and then edits the reply when answering takes longer than 1.5 s', async () => {
    const h = await start({
      bot: botWith({
        ask: async (question, context) => {
          await new Promise((resolve) => setTimeout(resolve, 1700));
          return bot.ask(question, context);
        },
      }),
    });
    const { payload, dispatchedAt } = h.fake.sendSlashCommand({
      options: { question: GDP_QUESTION, private: true },
    });
    const deferred = await h.fake.waitForCallback(payload.id);
    expect(body(deferred)).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(deferred.receivedAt - dispatchedAt).toBeLessThan(3000);
    const edit = await h.fake.waitFor(
      () =>
        h.fake.requestsTo(
          `PATCH /webhooks/${h.fake.applicationId}/${payload.token}/messages/@original`,
        )[0],
    );
    const sent = edit.body as NonNullable<CallbackBody['data']>;
    expect(sent.embeds?.[0]?.description).toContain('490 billion yuan');
    expect(sent.allowed_mentions).toEqual({ parse: [] });
  });

  it('edits the deferred reply into an apology when a slow answer fails', async () => {
    const h = await start({
      bot: botWith({
        ask: async () => {
          await new Promise((resolve) => setTimeout(resolve, 1700));
          throw new Error('engine timed out');
        },
      }),
    });
    const { payload } = h.fake.sendSlashCommand({ options: { question: GDP_QUESTION } });
    const edit = await h.fake.waitFor(
      () => h.fake.requestsTo(`PATCH /webhooks/*/${payload.token}/messages/@original`)[0],
    );
    expect(edit.body).toMatchObject({
      content: 'Sorry, something went wrong while answering. Please try again.',
      allowed_mentions: { parse: [] },
    });
  });

  it('still answers after Discord rate-limits the interaction callback once (429 with rate-limit headers)', async () => {
    const h = await start();
    h.fake.failNext('POST /interactions/*/*/callback', 1, { status: 429 });
    const { payload } = h.fake.sendSlashCommand({ options: { question: GDP_QUESTION } });
    // 200, not 204: a public answer asks for the callback response (with_response) to learn its message id.
    const ok = await h.fake.waitFor(() =>
      h.fake
        .requestsTo(`POST /interactions/${payload.id}/*/callback`)
        .find((r) => r.status === 200),
    );
    expect(
      h.fake.requestsTo(`POST /interactions/${payload.id}/*/callback`).map((r) => r.status),
    ).toEqual([429, 200]);
    expect(body(ok).data?.embeds?.[0]?.description).toContain('490 billion yuan');
    expect(h.logs.find((line) => line.msg === 'discord: rate limited')).toMatchObject({
      route: '/interactions/:id/:token/callback',
      method: 'POST',
    });
    expect(h.logText()).not.toContain(payload.token);
  });

  it('resumes the gateway session after a drop (RESUME op 6, no new IDENTIFY) and keeps answering', async () => {
    const h = await start({ fake: { heartbeatIntervalMs: 250 } });
    expect(h.fake.gateway.identifies).toBe(1);

    h.fake.dropConnection({ code: 4000 });
    // Dispatched while the client is away: Discord replays it after RESUME, and so does the fake.
    const missed = h.fake.sendSlashCommand({ options: { question: GDP_QUESTION } });
    await h.fake.waitFor(() => h.fake.gateway.resumed >= 1);
    const resume = h.fake.gateway.received.find((frame) => frame.op === 6);
    expect(resume?.d).toMatchObject({
      token: TEST_TOKEN,
      session_id: expect.any(String) as string,
      seq: expect.any(Number) as number,
    });
    expect(h.fake.gateway.identifies).toBe(1);
    expect(h.fake.gateway.connections).toBe(2);
    expect(body(await h.fake.waitForCallback(missed.payload.id)).type).toBe(4);

    const later = h.fake.sendSlashCommand({ options: { question: GDP_QUESTION } });
    expect(
      body(await h.fake.waitForCallback(later.payload.id)).data?.embeds?.[0]?.description,
    ).toContain('490 billion yuan');
    // Heartbeats continue on the new connection.
    await h.fake.waitFor(
      () => h.fake.gateway.received.some((f) => f.op === 1 && f.connection === 2),
      3000,
    );
    await h.fake.waitFor(() => h.logs.find((line) => line.msg === 'discord: gateway resumed'));
  });

  it('resumes after the connection is cut without a close frame', async () => {
    const h = await start();
    h.fake.dropConnection('terminate');
    await h.fake.waitFor(() => h.fake.gateway.resumed >= 1);
    expect(h.fake.gateway.identifies).toBe(1);
    const later = h.fake.sendSlashCommand({ options: { question: GDP_QUESTION } });
    expect(body(await h.fake.waitForCallback(later.payload.id)).type).toBe(4);
  });

  it('stops cleanly: the gateway connection closes and stop() can be called twice', async () => {
    const h = await start();
    await h.adapter.stop();
    await h.adapter.stop();
    await h.fake.waitFor(() => h.fake.gateway.open === 0);
    expect(h.adapter.client.isReady()).toBe(false);
  });

  it('rejects start-up with a clear error when the token is refused', async () => {
    const h = await start();
    h.fake.failNext('GET /gateway/bot', 1, {
      status: 401,
      body: { message: '401: Unauthorized', code: 0 },
    });
    await expect(
      startDiscordAdapter({
        config: {
          token: 'bad',
          applicationId: h.fake.applicationId,
          apiUrl: h.fake.apiUrl,
          command: 'haidian',
        },
        bot,
        logger: createSilentLogger(),
      }),
    ).rejects.toThrow(/invalid token/i);
  });
});
