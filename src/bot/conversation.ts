import { z } from 'zod';
import type { ConversationContext, Reply } from '../engine/types.js';
import type { AskContext, Bot } from './bot.js';
import type { KeyValueStore } from './store.js';

/**
 * How long a conversation's context lasts after its last reply. Half an hour: a thread picked up again
 * after lunch is a new conversation, and "and in 2017?" then gets a clarifying question, not a guess.
 */
export const CONTEXT_TTL_MS = 30 * 60_000;

/** Key prefix of conversation contexts in the store. */
export const CONTEXT_KEY_PREFIX = 'context:';

// What comes back from a store is checked: a shared store may hold a value written by another version.
const ContextSchema = z.object({
  factId: z.string().min(1),
  series: z.string().optional(),
  year: z.number().int().optional(),
  subject: z.object({ en: z.string().optional(), zh: z.string().optional() }).optional(),
  language: z.enum(['en', 'zh']),
});

/** The context of each conversation (thread, DM, reply chain, terminal session), kept in a key-value store. */
export interface ConversationMemory {
  recall(conversation: string): Promise<ConversationContext | undefined>;
  /** Keeps the context the reply leaves; a reply without one (a notice) leaves the conversation as it was. */
  remember(conversation: string, reply: Reply): Promise<void>;
  forget(conversation: string): Promise<void>;
}

export interface ConversationMemoryOptions {
  readonly ttlMs?: number;
}

/** Conversation contexts in `store`, under `context:<conversation key>`, each living {@link CONTEXT_TTL_MS} after its last reply. */
export function createConversationMemory(store: KeyValueStore, options: ConversationMemoryOptions = {}): ConversationMemory {
  const ttlMs = options.ttlMs ?? CONTEXT_TTL_MS;
  const keyOf = (conversation: string): string => `${CONTEXT_KEY_PREFIX}${conversation}`;
  return {
    async recall(conversation) {
      const stored = await store.get(keyOf(conversation));
      if (stored === undefined) return undefined;
      try {
        const parsed = ContextSchema.safeParse(JSON.parse(stored));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
    async remember(conversation, reply) {
      if (reply.context) await store.set(keyOf(conversation), JSON.stringify(reply.context), ttlMs);
    },
    forget: (conversation) => store.delete(keyOf(conversation)),
  };
}

/** Asks the bot within a conversation: recalls its context, asks, and keeps the context the reply leaves. */
export async function askInConversation(
  bot: Bot,
  memory: ConversationMemory,
  conversation: string,
  question: string,
  context: AskContext,
): Promise<Reply> {
  const previous = await memory.recall(conversation);
  const reply = await bot.ask(question, context, previous);
  await memory.remember(conversation, reply);
  return reply;
}
