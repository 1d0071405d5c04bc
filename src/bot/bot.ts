import type { Engine } from '../engine/types.js';
import type { Completion, ConversationContext, Language, Overview, Reply } from '../engine/types.js';

/** The platforms a question can come from; used for metrics and logs only, never for branching. */
export type Platform = 'slack' | 'discord' | 'terminal' | 'cli';

/** Who asked, where: ids only (never message text), for logs, metrics and rate limiting. */
export interface AskContext {
  readonly platform: Platform;
  /** Platform user id; rate limits are per user. */
  readonly userId?: string;
  /** Channel, thread or interaction id, for logs. */
  readonly conversationId?: string;
  /** Platform event id, for logs. */
  readonly eventId?: string;
}

/**
 * What adapters talk to. It wraps the engine with the process's concerns (current fact base after
 * hot reload, rate limits, metrics, the unanswered log) so adapters stay thin.
 */
export interface Bot {
  /** `conversation` is the context the previous reply of this conversation left (see src/bot/conversation.ts). */
  ask(question: string, context: AskContext, conversation?: ConversationContext): Promise<Reply>;
  answerFact(factId: string, language: Language | undefined, context: AskContext): Promise<Reply>;
  complete(partial: string, limit: number): Completion[];
  help(language?: Language): Reply;
  /** What the current fact base covers (topics, suggested questions, newest as-of date), for a front page. */
  overview(language?: Language): Overview;
}

/** Called once per reply the bot produces (metrics, logs, the unanswered log). Must not throw. */
export type ReplyObserver = (reply: Reply, context: AskContext, question: string, elapsedMs: number) => void;

/** Decides whether a user may ask now; the default lets everyone through. */
export interface AskGate {
  /** Resolves to a `notice` reply to send instead of answering, or undefined to answer. */
  check(context: AskContext, language: Language): Promise<Reply | undefined>;
}

export interface BotOptions {
  /** The engine to use for the next question: a getter, so a hot reload swaps it without restarting adapters. */
  readonly getEngine: () => Engine;
  readonly gate?: AskGate;
  readonly observers?: readonly ReplyObserver[];
  /** Today's date (YYYY-MM-DD) for the engine's freshness check; default: the system clock's UTC date. */
  readonly today?: () => string;
}

/** Today's UTC date, YYYY-MM-DD: the clock the engine's freshness check is given (it reads none itself). */
export const todayUtc = (): string => new Date().toISOString().slice(0, 10);

/** The adapters' entry point: engine plus rate limit and observation. */
export function createBot(options: BotOptions): Bot {
  const today = options.today ?? todayUtc;
  const observe = (reply: Reply, context: AskContext, question: string, started: number): Reply => {
    const elapsed = performance.now() - started;
    for (const observer of options.observers ?? []) observer(reply, context, question, elapsed);
    return reply;
  };
  return {
    async ask(question, context, conversation) {
      const started = performance.now();
      const language = /\p{Script=Han}/u.test(question) ? 'zh' : 'en';
      const blocked = await options.gate?.check(context, language);
      if (blocked) return observe(blocked, context, question, started);
      return observe(options.getEngine().ask(question, { today: today(), ...(conversation ? { context: conversation } : {}) }), context, question, started);
    },
    async answerFact(factId, language, context) {
      const started = performance.now();
      const blocked = await options.gate?.check(context, language ?? 'en');
      if (blocked) return observe(blocked, context, factId, started);
      return observe(options.getEngine().answerFact(factId, language, { today: today() }), context, factId, started);
    },
    complete: (partial, limit) => options.getEngine().complete(partial, limit),
    help: (language) => options.getEngine().help(language),
    overview: (language) => options.getEngine().overview(language),
  };
}
