import type { AllMiddlewareArgs, App, BlockAction, RespondFn } from '@slack/bolt';
import type { AskContext, Bot } from '../../src/bot/bot.js';
import type { Reply } from '../../src/engine/types.js';
import type { Logger } from '../../src/bot/log.js';
import { askInConversation, type ConversationMemory } from '../../src/bot/conversation.js';
import type { DedupCache } from '../../src/bot/dedup.js';
import type { FeedbackService } from '../../src/bot/feedback.js';
import { registerFeedbackListeners } from './feedback.js';
import {
  ACTION_SHARE,
  ACTION_SUGGEST_PREFIX,
  decodeFactRef,
  formatApology,
  formatSlackReply,
  type SlackFormatOptions,
  type SlackMessage,
} from './format.js';
import { toQuestion } from './question.js';

type WebClient = AllMiddlewareArgs['client'];

/** Where an answer goes: a channel/DM (optionally a thread), or the asker only, through a response_url. */
type Destination =
  | { readonly kind: 'channel'; readonly channel: string; readonly threadTs?: string }
  | { readonly kind: 'ephemeral'; readonly respond: RespondFn };

/** Ids logged for one incoming event; never text. */
interface LogIds {
  readonly team?: string;
  readonly channel?: string;
  readonly user?: string;
  readonly eventId?: string;
  readonly source: 'mention' | 'dm' | 'thread' | 'command' | 'suggestion' | 'share';
}

/** One conversation per thread (or per DM outside threads), within one workspace and channel. */
export function conversationKey(team: string | undefined, channel: string, threadTs: string | undefined): string {
  return `slack:${team ?? '-'}:${channel}:${threadTs ?? '-'}`;
}

export interface ListenerDeps {
  readonly bot: Bot;
  readonly logger: Logger;
  readonly command: string;
  readonly dedup: DedupCache;
  /** The context of each thread and DM, so that a follow-up resolves against the last answer there. */
  readonly memory: ConversationMemory;
  /** Records 👍 / 👎 and corrections; without it answers carry no feedback buttons. */
  readonly feedback?: FeedbackService;
}

/** Help keywords for the slash command; anything else is a question. */
const HELP_WORDS = new Set(['help', '?', '帮助']);

/** Slack errors that mean "the bot may not post here": the user can fix them by inviting the bot. */
const CANNOT_POST_ERRORS = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/** Registers every listener on the app: mentions, DMs, the slash command, buttons, dedup and the error hook. */
export function registerSlackListeners(app: App, deps: ListenerDeps): void {
  const { bot, logger, dedup } = deps;

  // Slack re-delivers an event it thinks was not acknowledged (X-Slack-Retry-Num over HTTP,
  // retry_attempt in Socket Mode) with the same event_id. Bolt does not de-duplicate; Bolt has
  // already acked the retry when this runs, so dropping it here is enough.
  app.use(async ({ body, context, next }) => {
    const eventId = 'event_id' in body && typeof body.event_id === 'string' ? body.event_id : undefined;
    if (eventId && !(await dedup.firstSeen(`event:${eventId}`))) {
      logger.info({ eventId, retryNum: context.retryNum, retryReason: context.retryReason }, 'slack: duplicate event dropped');
      return;
    }
    await next();
  });

  const deliver = async (client: WebClient, destination: Destination, message: SlackMessage): Promise<void> => {
    if (destination.kind === 'ephemeral') {
      // A new ephemeral message: replacing the one with the clicked button would hide the question's context.
      await destination.respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
      return;
    }
    await client.chat.postMessage({
      channel: destination.channel,
      ...(destination.threadTs ? { thread_ts: destination.threadTs } : {}),
      text: message.text,
      blocks: message.blocks,
      // Source links would otherwise unfurl into large previews under every answer.
      unfurl_links: false,
      unfurl_media: false,
    });
  };

  /** The error boundary of one incoming event: produce, render, deliver; on failure log ids and apologise. */
  const answer = async (
    client: WebClient,
    destination: Destination,
    ids: LogIds,
    produce: () => Promise<Reply>,
    formatOptions: SlackFormatOptions = {},
    question = '',
  ): Promise<void> => {
    const started = performance.now();
    try {
      const reply = await produce();
      const feedbackAnswerId = await rememberAnswer(reply, question);
      await deliver(client, destination, formatSlackReply(reply, { ...formatOptions, ...(feedbackAnswerId ? { feedbackAnswerId } : {}) }));
      logger.info(
        { ...ids, kind: reply.kind, factId: reply.factId, confidence: reply.confidence, latencyMs: Math.round(performance.now() - started) },
        'slack: replied',
      );
    } catch (error) {
      await apologise(client, destination, ids, error);
    }
  };

  /** An answer gets 👍 / 👎 buttons when feedback is on; other replies (abstentions, help, notices) do not. */
  const rememberAnswer = async (reply: Reply, question: string): Promise<string | undefined> => {
    if (!deps.feedback || reply.kind !== 'answer' || !reply.factId) return undefined;
    try {
      return await deps.feedback.rememberAnswer({ platform: 'slack', factId: reply.factId, question });
    } catch (error) {
      // The store is down: the answer still goes out, without buttons.
      logger.warn({ err: error, factId: reply.factId }, 'slack: feedback unavailable for this answer');
      return undefined;
    }
  };

  const apologise = async (client: WebClient, destination: Destination, ids: LogIds, error: unknown): Promise<void> => {
    logger.error({ ...ids, err: error }, 'slack: answering failed');
    try {
      await deliver(client, destination, formatApology());
    } catch (apologyError) {
      logger.error({ ...ids, err: apologyError }, 'slack: the apology could not be delivered either');
    }
  };

  const askContext = (ids: LogIds): AskContext => ({
    platform: 'slack',
    ...(ids.user ? { userId: ids.user } : {}),
    ...(ids.channel ? { conversationId: ids.channel } : {}),
    ...(ids.eventId ? { eventId: ids.eventId } : {}),
  });

  /** Messages are answered once even if two events carry them (app_mention and message.im for a DM mention). */
  const firstDelivery = (channel: string, ts: string): Promise<boolean> => dedup.firstSeen(`message:${channel}:${ts}`);

  app.event('app_mention', async ({ event, body, context, client }) => {
    // Another bot mentioning us must not start a bot-to-bot loop; edits and other subtypes are not questions.
    if (event.bot_id || event.subtype || !event.user || event.user === context.botUserId) return;
    if (!(await firstDelivery(event.channel, event.ts))) return;
    // DM channel ids start with D; there the answer goes where the question was, as for message.im.
    const isDm = event.channel.startsWith('D');
    const threadTs = isDm ? event.thread_ts : (event.thread_ts ?? event.ts);
    const ids: LogIds = { team: body.team_id, channel: event.channel, user: event.user, eventId: body.event_id, source: isDm ? 'dm' : 'mention' };
    const destination: Destination = { kind: 'channel', channel: event.channel, ...(threadTs ? { threadTs } : {}) };
    const conversation = conversationKey(body.team_id, event.channel, threadTs);
    const question = toQuestion(event.text, context.botUserId);
    await answer(client, destination, ids, () => askInConversation(bot, deps.memory, conversation, question, askContext(ids)), {}, question);
  });

  app.message(async ({ message, body, context, client }) => {
    if (message.subtype !== undefined || message.bot_id || !message.user || message.user === context.botUserId) return;
    const isDm = message.channel_type === 'im';
    // In channels only thread replies can continue a conversation; a reply that mentions the bot is
    // also an app_mention, answered there (and de-duplicated below in any case).
    if (!isDm && (message.thread_ts === undefined || message.text?.includes(`<@${context.botUserId}>`))) return;
    const conversation = conversationKey(body.team_id, message.channel, message.thread_ts);
    // A channel thread is answered without a mention only while the bot holds a context there: a thread
    // it answered in within the TTL. Threads it was never in stay silent.
    if (!isDm && (await deps.memory.recall(conversation)) === undefined) return;
    if (!(await firstDelivery(message.channel, message.ts))) return;
    const ids: LogIds = { team: body.team_id, channel: message.channel, user: message.user, eventId: body.event_id, source: isDm ? 'dm' : 'thread' };
    const destination: Destination = { kind: 'channel', channel: message.channel, ...(message.thread_ts ? { threadTs: message.thread_ts } : {}) };
    const question = toQuestion(message.text, context.botUserId);
    await answer(client, destination, ids, () => askInConversation(bot, deps.memory, conversation, question, askContext(ids)), {}, question);
  });

  app.command(`/${deps.command}`, async ({ command, ack, respond, client, context }) => {
    const ids: LogIds = { team: command.team_id, channel: command.channel_id, user: command.user_id, source: 'command' };
    const destination: Destination = { kind: 'ephemeral', respond };
    try {
      // Slack shows "operation_timeout" unless the command is acknowledged within 3 seconds: ack first.
      await ack();
    } catch (error) {
      logger.error({ ...ids, err: error }, 'slack: command ack failed');
      return;
    }
    const question = toQuestion(command.text, context.botUserId);
    if (question === '' || HELP_WORDS.has(question.toLowerCase())) {
      const language = /\p{Script=Han}/u.test(question) ? 'zh' : undefined;
      await answer(client, destination, ids, () => Promise.resolve(bot.help(language)));
      return;
    }
    await answer(client, destination, ids, () => bot.ask(question, askContext(ids)), { shareButton: true }, question);
  });

  app.action<BlockAction>(new RegExp(`^${ACTION_SUGGEST_PREFIX}\\d+$`), async ({ ack, body, action, respond, client }) => {
    await ack();
    const ids = actionIds(body, 'suggestion');
    const ref = action.type === 'button' ? decodeFactRef(action.value) : undefined;
    if (!ref) {
      logger.warn(ids, 'slack: suggestion button with an unreadable value ignored');
      return;
    }
    // Answer where the suggestion was shown: the same thread, the same DM, or ephemerally to the asker.
    const destination = destinationOfAction(body, respond);
    // The suggestion's label is the question the user picked.
    const question = action.type === 'button' ? action.text.text : '';
    await answer(client, destination, ids, () => bot.answerFact(ref.factId, ref.language, askContext(ids)), {
      shareButton: destination.kind === 'ephemeral',
    }, question);
  });

  app.action<BlockAction>(ACTION_SHARE, async ({ ack, body, action, respond, client }) => {
    await ack();
    const ids = actionIds(body, 'share');
    const ref = action.type === 'button' ? decodeFactRef(action.value) : undefined;
    const channel = body.channel?.id ?? stringField(body.container, 'channel_id');
    if (!ref || !channel) {
      logger.warn(ids, 'slack: share button without a readable value or channel ignored');
      return;
    }
    const ephemeral: Destination = { kind: 'ephemeral', respond };
    try {
      // Re-render from the fact id: the button carries no text, so nobody can make the bot post theirs.
      const reply = await bot.answerFact(ref.factId, ref.language, askContext(ids));
      if (reply.kind !== 'answer') {
        // The fact is gone (fact base reloaded) or the user is rate limited: tell the asker only.
        await deliver(client, ephemeral, formatSlackReply(reply));
        return;
      }
      const feedbackAnswerId = await rememberAnswer(reply, '');
      const message = formatSlackReply(reply, feedbackAnswerId ? { feedbackAnswerId } : {});
      try {
        await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
      } catch (error) {
        const code = slackErrorCode(error);
        if (!code || !CANNOT_POST_ERRORS.has(code)) throw error;
        logger.warn({ ...ids, code }, 'slack: cannot share in this channel');
        await deliver(client, ephemeral, cannotPostMessage());
        return;
      }
      logger.info({ ...ids, kind: reply.kind, factId: reply.factId }, 'slack: answer shared');
      // The ephemeral copy goes away so it cannot be shared twice; best effort, the post already happened.
      await respond({ delete_original: true }).catch((error: unknown) => logger.warn({ ...ids, err: error }, 'slack: could not remove the ephemeral answer'));
    } catch (error) {
      await apologise(client, ephemeral, ids, error);
    }
  });

  if (deps.feedback) registerFeedbackListeners(app, { feedback: deps.feedback, logger });

  // Anything that escapes a listener (middleware, ack failures) ends here: log, never crash.
  app.error((error) => {
    logger.error({ err: error, code: error.code }, 'slack: unhandled error in Bolt');
    return Promise.resolve();
  });
}

function actionIds(body: BlockAction, source: LogIds['source']): LogIds {
  const channel = body.channel?.id ?? stringField(body.container, 'channel_id');
  return {
    ...(body.team?.id ? { team: body.team.id } : {}),
    ...(channel ? { channel } : {}),
    user: body.user.id,
    source,
  };
}

function destinationOfAction(body: BlockAction, respond: RespondFn): Destination {
  const channel = body.channel?.id ?? stringField(body.container, 'channel_id');
  if (body.container['is_ephemeral'] === true || !channel) return { kind: 'ephemeral', respond };
  const threadTs = typeof body.message?.thread_ts === 'string' ? body.message.thread_ts : undefined;
  return { kind: 'channel', channel, ...(threadTs ? { threadTs } : {}) };
}

function stringField(record: Readonly<Record<string, unknown>> | undefined, key: string): string | undefined {
  const value: unknown = record?.[key];
  return typeof value === 'string' ? value : undefined;
}

function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

function cannotPostMessage(): SlackMessage {
  const text = 'I can’t post in this channel. Invite me to it (/invite, then pick the bot), then click Share again.';
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
