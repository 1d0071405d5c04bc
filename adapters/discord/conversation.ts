import type { Interaction, Message } from 'discord.js';
import type { ConversationMemory } from '../../src/bot/conversation.js';
import type { ConversationContext, Reply } from '../../src/engine/types.js';

/**
 * Where a Discord conversation's context lives (see docs/discord.md, "Follow-up questions"). The
 * memory itself is src/bot/conversation.ts, shared with Slack and the terminal; this file only names
 * the conversations.
 *
 * - In a guild channel a conversation is a reply chain: each answer the bot posts keeps the context
 *   under (channel, that answer's message id, the user it answered). Replying to the answer continues
 *   the chain; the bot's next answer carries it on. Another user's reply to the same answer, or a new
 *   mention that replies to nothing, starts without context: a context is never lent across users.
 * - In a DM a conversation is the DM channel (and the user, for group DMs of a user-installed app).
 */

/** The chain of one bot answer in a guild channel, for the user it answered. */
export function chainConversationKey(channelId: string, answerMessageId: string, userId: string): string {
  return `discord:chain:${channelId}:${answerMessageId}:${userId}`;
}

/** A DM channel, for one user. */
export function dmConversationKey(channelId: string, userId: string): string {
  return `discord:dm:${channelId}:${userId}`;
}

/** The conversation a message continues: its DM, or the chain of the message it replies to; none for a fresh mention. */
export function conversationOfMessage(message: Message): string | undefined {
  if (!message.inGuild()) return dmConversationKey(message.channelId, message.author.id);
  const replied = message.reference?.messageId;
  return replied ? chainConversationKey(message.channelId, replied, message.author.id) : undefined;
}

/**
 * True when a guild message that does not mention the bot still continues one of its chains: a reply
 * to one of its answers, by the user it answered, while the context lives, with text the bot can read.
 * Without the privileged MessageContent intent the gateway sends such a reply with empty content unless
 * it pings the bot (Discord's default for a reply), so in practice it is the ping that makes it arrive.
 */
export async function continuesChain(message: Message, memory: ConversationMemory): Promise<boolean> {
  const key = message.inGuild() ? conversationOfMessage(message) : undefined;
  if (key === undefined || message.content.trim() === '') return false;
  return (await memory.recall(key)) !== undefined;
}

/** The context a message's question resolves against (none for a fresh mention). */
export async function recallForMessage(message: Message, memory: ConversationMemory): Promise<ConversationContext | undefined> {
  const key = conversationOfMessage(message);
  return key === undefined ? undefined : memory.recall(key);
}

/** Keeps the context of the reply the bot posted (`answer`) to `message`, for the next question in its chain or DM. */
export async function rememberMessageAnswer(message: Message, answer: Message | undefined, reply: Reply, memory: ConversationMemory): Promise<void> {
  if (!message.inGuild()) await memory.remember(dmConversationKey(message.channelId, message.author.id), reply);
  else if (answer) await memory.remember(chainConversationKey(message.channelId, answer.id, message.author.id), reply);
}

/** The context a slash command resolves against: its DM's; in a guild a command starts a chain afresh. */
export async function recallForInteraction(interaction: Interaction, memory: ConversationMemory): Promise<ConversationContext | undefined> {
  if (interaction.inGuild() || interaction.channelId === null) return undefined;
  return memory.recall(dmConversationKey(interaction.channelId, interaction.user.id));
}

/**
 * Keeps the context of an interaction's answer: under its DM, and under the answer message (its id
 * comes from the callback response or the edited deferred reply) so that replying to it continues.
 * Ephemeral answers cannot be replied to and keep nothing.
 */
export async function rememberInteractionAnswer(
  interaction: Interaction,
  answerMessageId: string | undefined,
  reply: Reply,
  memory: ConversationMemory,
): Promise<void> {
  const channelId = interaction.channelId;
  if (channelId === null) return;
  if (!interaction.inGuild()) await memory.remember(dmConversationKey(channelId, interaction.user.id), reply);
  else if (answerMessageId !== undefined) await memory.remember(chainConversationKey(channelId, answerMessageId, interaction.user.id), reply);
}
