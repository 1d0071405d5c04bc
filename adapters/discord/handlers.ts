import {
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type RepliableInteraction,
} from 'discord.js';
import type { AskContext, Bot } from '../../src/bot/bot.js';
import type { Language, Reply } from '../../src/engine/types.js';
import type { Logger } from '../../src/bot/log.js';
import type { ConversationMemory } from '../../src/bot/conversation.js';
import { PRIVATE_OPTION, QUESTION_OPTION } from './commands.js';
import {
  continuesChain,
  recallForInteraction,
  recallForMessage,
  rememberInteractionAnswer,
  rememberMessageAnswer,
} from './conversation.js';
import { parseFactCustomId } from './custom-ids.js';
import type { FeedbackService } from '../../src/bot/feedback.js';
import { handleFeedbackButton, handleFeedbackModal, isFeedbackCustomId, withFeedbackRow } from './feedback.js';
import {
  DISCORD_MAX_AUTOCOMPLETE_CHOICES,
  formatApology,
  formatAutocompleteChoices,
  formatDiscordReply,
  type DiscordMessagePayload,
} from './format.js';

/**
 * Discord gives an interaction 3 seconds for its first response. If the answer is not ready after
 * this long, the handler defers ("is thinking…", which allows 15 minutes) and edits the reply later;
 * the remaining 1.5 s covers the defer request's own round trip.
 */
export const INTERACTION_DEFER_AFTER_MS = 1500;

/** What the handlers need: the bot seam, a logger and the configured command name. */
export interface HandlerDeps {
  readonly bot: Bot;
  readonly logger: Logger;
  readonly commandName: string;
  /** The context of each reply chain and DM, so that a follow-up resolves against the last answer there. */
  readonly memory: ConversationMemory;
  /** Defaults to {@link INTERACTION_DEFER_AFTER_MS}. */
  readonly deferAfterMs?: number;
  /** Records 👍 / 👎 and corrections; without it answers carry no feedback buttons. */
  readonly feedback?: FeedbackService;
}

/** The error boundary of one interaction: never rejects; a failure is logged by ids and answered with an apology. */
export async function handleInteraction(
  interaction: Interaction,
  deps: HandlerDeps,
): Promise<void> {
  const started = performance.now();
  const ids = interactionIds(interaction);
  try {
    if (interaction.isAutocomplete()) {
      await handleAutocomplete(interaction, deps);
    } else if (interaction.isChatInputCommand()) {
      if (interaction.commandName !== deps.commandName) {
        deps.logger.warn(
          { ...ids, command: interaction.commandName },
          'discord: unknown command ignored',
        );
        return;
      }
      await handleCommand(interaction, deps, started);
    } else if (interaction.isButton()) {
      if (isFeedbackCustomId(interaction.customId)) await handleFeedbackButton(interaction, deps.feedback, deps.logger);
      else await handleButton(interaction, deps, started);
    } else if (interaction.isModalSubmit()) {
      await handleFeedbackModal(interaction, deps.feedback, deps.logger);
    }
  } catch (error) {
    deps.logger.error(
      { ...ids, err: describeError(error), latencyMs: elapsedSince(started) },
      'discord: interaction failed',
    );
    await apologize(interaction, deps.logger, ids);
  }
}

/**
 * The error boundary of one message: answers a mention in a guild channel (as a reply), a reply
 * continuing one of its answer chains (see conversation.ts) or a DM (in the DM). Ignores bots, itself
 * included, webhooks, system messages and everything else.
 */
export async function handleMessage(
  message: Message,
  deps: HandlerDeps,
  botUserId: string,
): Promise<void> {
  if (message.author.bot || message.webhookId !== null || message.system) return;
  const inGuild = message.inGuild();
  // Only a direct mention of the bot counts: @everyone, @here and role mentions do not put it in `mentions.users`.
  // Discord's reply ping puts the replied-to author in `mentions.users` too: a reply to an answer with
  // the ping on (the default) arrives as a mention.
  if (inGuild && !message.mentions.users.has(botUserId) && !(await continuesChainSafely(message, deps))) return;
  const started = performance.now();
  const ids = {
    messageId: message.id,
    userId: message.author.id,
    channelId: message.channelId,
    guildId: message.guildId ?? undefined,
  };
  const question = inGuild ? stripMention(message.content, botUserId) : message.content;
  const send = async (payload: DiscordMessagePayload): Promise<Message | undefined> => {
    if (inGuild) {
      // failIfNotExists:false: if the question was deleted meanwhile, still answer (without the reference).
      return message.reply({
        ...payload,
        allowedMentions: { parse: [], repliedUser: false },
        failIfNotExists: false,
      });
    }
    if (message.channel.isSendable()) return message.channel.send({ ...payload, allowedMentions: { parse: [] } });
    return undefined;
  };
  try {
    const context: AskContext = {
      platform: 'discord',
      userId: message.author.id,
      conversationId: message.channelId,
      eventId: message.id,
    };
    const reply = await deps.bot.ask(question, context, await recallForMessage(message, deps.memory));
    const sent = await send(await render(reply, deps, question));
    await keepContext(() => rememberMessageAnswer(message, sent, reply, deps.memory), deps.logger, ids);
    logAnswered(deps.logger, { ...ids, source: inGuild ? 'mention' : 'dm' }, reply, started);
  } catch (error) {
    deps.logger.error(
      { ...ids, err: describeError(error), latencyMs: elapsedSince(started) },
      'discord: message failed',
    );
    try {
      await send(formatApology(languageOf(question)));
    } catch (apologyError) {
      deps.logger.warn({ ...ids, err: describeError(apologyError) }, 'discord: apology failed');
    }
  }
}

async function handleAutocomplete(
  interaction: AutocompleteInteraction,
  deps: HandlerDeps,
): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== QUESTION_OPTION) {
    await interaction.respond([]);
    return;
  }
  const completions = deps.bot.complete(String(focused.value), DISCORD_MAX_AUTOCOMPLETE_CHOICES);
  await interaction.respond(formatAutocompleteChoices(completions));
}

async function handleCommand(
  interaction: ChatInputCommandInteraction,
  deps: HandlerDeps,
  started: number,
): Promise<void> {
  const question = interaction.options.getString(QUESTION_OPTION, true);
  const ephemeral = interaction.options.getBoolean(PRIVATE_OPTION) ?? false;
  const context = askContext(interaction);
  // A long autocomplete choice arrives as a fact reference rather than a cut-off question.
  const ref = parseFactCustomId(question.trim());
  const work = async (): Promise<Reply> => {
    if (ref) return deps.bot.answerFact(ref.factId, ref.language, context);
    // `question:help` (or 帮助) goes through ask too: the engine answers it with the topics, and the
    // bot's rate limit and metrics see it like any other question.
    return deps.bot.ask(question, context, await recallForInteraction(interaction, deps.memory));
  };
  await answerInteraction(interaction, work, ephemeral, deps, started, 'command', ref ? '' : question);
}

async function handleButton(
  interaction: ButtonInteraction,
  deps: HandlerDeps,
  started: number,
): Promise<void> {
  // Only the fact id is taken from the client; the answer text always comes from the fact base.
  const ref = parseFactCustomId(interaction.customId);
  if (!ref) {
    deps.logger.warn({ ...interactionIds(interaction) }, 'discord: unknown button ignored');
    return;
  }
  const ephemeral = interaction.message.flags.has(MessageFlags.Ephemeral);
  const context = askContext(interaction);
  await answerInteraction(
    interaction,
    () => deps.bot.answerFact(ref.factId, ref.language, context),
    ephemeral,
    deps,
    started,
    'button',
    // The suggestion's label is the question the user picked.
    buttonLabel(interaction),
  );
}

/**
 * Replies directly when the answer is ready within {@link INTERACTION_DEFER_AFTER_MS}; otherwise
 * defers first and edits the deferred reply, so the 3-second window is never missed.
 */
async function answerInteraction(
  interaction: RepliableInteraction,
  work: () => Promise<Reply>,
  ephemeral: boolean,
  deps: HandlerDeps,
  started: number,
  source: 'command' | 'button',
  question: string,
): Promise<void> {
  const flags = ephemeral ? MessageFlags.Ephemeral : undefined;
  const pending = work();
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => {
    timer = setTimeout(() => resolve('slow'), deps.deferAfterMs ?? INTERACTION_DEFER_AFTER_MS);
  });
  let reply: Reply;
  // The answer's message id, so that replying to it continues the conversation; an ephemeral answer
  // cannot be replied to, so its id is not asked for.
  let answerId: string | undefined;
  try {
    const first = await Promise.race([pending, slow]);
    if (first === 'slow') {
      await interaction.deferReply(flags ? { flags } : {});
      reply = await pending;
      const edited = await interaction.editReply((await render(reply, deps, question)));
      if (!ephemeral) answerId = edited.id;
    } else {
      reply = first;
      if (ephemeral) await interaction.reply({ ...(await render(reply, deps, question)), flags: MessageFlags.Ephemeral });
      else answerId = (await interaction.reply({ ...(await render(reply, deps, question)), withResponse: true })).resource?.message?.id;
    }
  } finally {
    clearTimeout(timer);
  }
  await keepContext(() => rememberInteractionAnswer(interaction, answerId, reply, deps.memory), deps.logger, interactionIds(interaction));
  logAnswered(
    deps.logger,
    { ...interactionIds(interaction), source, ephemeral, deferred: interaction.deferred },
    reply,
    started,
  );
}

/** A reply that is not a chain's follow-up after all when the store cannot say: logged, and left unanswered. */
async function continuesChainSafely(message: Message, deps: HandlerDeps): Promise<boolean> {
  try {
    return await continuesChain(message, deps.memory);
  } catch (error) {
    deps.logger.warn({ messageId: message.id, channelId: message.channelId, err: describeError(error) }, 'discord: conversation store unavailable');
    return false;
  }
}

/**
 * Keeps a delivered answer's context. A store failure only costs the follow-up its context: the
 * answer is already out, so it is logged, not apologised for.
 */
async function keepContext(remember: () => Promise<void>, logger: Logger, ids: Record<string, unknown>): Promise<void> {
  try {
    await remember();
  } catch (error) {
    logger.warn({ ...ids, err: describeError(error) }, 'discord: conversation context not kept');
  }
}

function buttonLabel(interaction: ButtonInteraction): string {
  // `component` is looked up in the message's components, and is null when the message does not carry them.
  const component = interaction.component as { label?: unknown } | null;
  const label = component?.label;
  return typeof label === 'string' ? label : '';
}

/** The reply as a message; an answer gets the 👍 / 👎 row when feedback is on. */
async function render(reply: Reply, deps: HandlerDeps, question: string): Promise<DiscordMessagePayload> {
  const payload = formatDiscordReply(reply);
  if (!deps.feedback || reply.kind !== 'answer' || !reply.factId) return payload;
  try {
    const answerId = await deps.feedback.rememberAnswer({ platform: 'discord', factId: reply.factId, question });
    return withFeedbackRow(payload, { factId: reply.factId, language: reply.language, answerId });
  } catch (error) {
    // The store is down: the answer still goes out, without buttons.
    deps.logger.warn({ err: describeError(error), factId: reply.factId }, 'discord: feedback unavailable for this answer');
    return payload;
  }
}

/** The short apology, through whichever response the interaction still allows. Never throws. */
async function apologize(
  interaction: Interaction,
  logger: Logger,
  ids: Record<string, unknown>,
): Promise<void> {
  try {
    if (interaction.isAutocomplete()) {
      if (!interaction.responded) await interaction.respond([]);
      return;
    }
    if (!interaction.isRepliable()) return;
    const apology = formatApology(interaction.locale.startsWith('zh') ? 'zh' : 'en');
    if (interaction.deferred && !interaction.replied) await interaction.editReply(apology);
    else if (interaction.replied)
      await interaction.followUp({ ...apology, flags: MessageFlags.Ephemeral });
    else await interaction.reply({ ...apology, flags: MessageFlags.Ephemeral });
  } catch (error) {
    logger.warn({ ...ids, err: describeError(error) }, 'discord: apology failed');
  }
}

function askContext(interaction: Interaction): AskContext {
  return {
    platform: 'discord',
    userId: interaction.user.id,
    conversationId: interaction.channelId ?? undefined,
    eventId: interaction.id,
  };
}

function interactionIds(interaction: Interaction): Record<string, string | number | undefined> {
  return {
    interactionId: interaction.id,
    interactionType: interaction.type,
    userId: interaction.user.id,
    channelId: interaction.channelId ?? undefined,
    guildId: interaction.guildId ?? undefined,
  };
}

function logAnswered(
  logger: Logger,
  ids: Record<string, unknown>,
  reply: Reply,
  started: number,
): void {
  logger.info(
    {
      ...ids,
      kind: reply.kind,
      factId: reply.factId,
      confidence: reply.confidence,
      latencyMs: elapsedSince(started),
    },
    'discord: answered',
  );
}

/**
 * What is safe to log about an error: its name, message, code and status. Not the whole object:
 * discord.js's DiscordAPIError carries the request URL, which contains the interaction token.
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, status } = error as { code?: unknown; status?: unknown };
  return { name: error.name, message: error.message, code, status, stack: error.stack };
}

/** Removes the bot's own mention (`<@id>` or the legacy nickname form `<@!id>`) from a message. */
export function stripMention(content: string, botUserId: string): string {
  return content
    .replace(new RegExp(`<@!?${botUserId}>`, 'g'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function languageOf(text: string): Language {
  return /\p{Script=Han}/u.test(text) ? 'zh' : 'en';
}

function elapsedSince(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
