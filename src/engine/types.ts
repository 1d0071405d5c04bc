import type { Language } from '../knowledge/schema.js';

export type { Language };

/**
 * What kind of reply the engine produced.
 * - `answer`: a fact from the fact base, with its sources.
 * - `no-match`: the bot does not know; it says so and suggests what it does know.
 * - `smalltalk`: greetings, thanks, goodbyes.
 * - `help`: what the bot can answer, by topic.
 * - `clarify`: a follow-up ("and in 2017?", "when was it built?") with no conversation to refer to; the
 *   bot asks what it refers to and suggests full questions. Never a guess.
 * - `related`: the question asks for something (when it was founded, its address, its former name) about a
 *   subject the base knows, but no fact states it; the reply says so and suggests the facts the base has
 *   about that subject. Not an answer: no sources, low confidence.
 * - `notice`: a message from the bot itself (rate limit, apology); never produced by the engine.
 */
export type ReplyKind = 'answer' | 'no-match' | 'smalltalk' | 'help' | 'clarify' | 'related' | 'notice';

/**
 * What a conversation is about after a reply: the adapter keeps it per conversation (thread, DM,
 * reply chain, terminal session) and passes it back with the next question, so that "and in 2017?"
 * or "when was it built?" resolve against it. Small and serialisable (JSON in a key-value store).
 */
export interface ConversationContext {
  /** The fact last answered. */
  readonly factId: string;
  /** Its series (`gdp`), when it has one: another year of it is one follow-up away. */
  readonly series?: string;
  readonly year?: number;
  /** What the fact is about, as a name a question can use ("Summer Palace", "颐和园"). */
  readonly subject?: { readonly en?: string; readonly zh?: string };
  readonly language: Language;
}

/** A source as shown to users. */
export interface SourceRef {
  readonly id: string;
  readonly title: string;
  readonly publisher: string;
  readonly url: string;
  /** Publication date as written in the fact base (YYYY, YYYY-MM or YYYY-MM-DD). */
  readonly date: string;
}

/** A question the bot can answer, offered when it abstains or lists help. */
export interface Suggestion {
  readonly factId: string;
  /** An example question of that fact, in the reply's language. */
  readonly question: string;
}

export interface TopicSummary {
  readonly id: string;
  readonly title: string;
  readonly factCount: number;
  /** One example question from the topic. */
  readonly example: string;
}

/** An answer whose fact is past its review date: it still answers, and says the figure may be out of date. */
export interface Staleness {
  /** The fact's `review_by` (YYYY-MM-DD), before the day asked. */
  readonly reviewBy: string;
  /** When the fact was last known true, as the fact base writes it. */
  readonly asOf: string;
}

/** Everything an adapter needs to render a reply; it never has to ask the engine again. */
export interface Reply {
  readonly kind: ReplyKind;
  readonly language: Language;
  /** The main text: the answer, the "I don't know" message, the greeting or the help intro. Plain text. */
  readonly body: string;
  /** The fact answered, when kind is `answer`. */
  readonly factId?: string;
  readonly topic?: string;
  /** The year the figure refers to, when the fact is tied to a year. */
  readonly year?: number;
  /** When the fact was last known true (YYYY, YYYY-MM or YYYY-MM-DD). */
  readonly asOf?: string;
  /** Set on an answer whose fact was due for review before the day asked (AskOptions.today). */
  readonly stale?: Staleness;
  readonly sources: readonly SourceRef[];
  readonly suggestions: readonly Suggestion[];
  /** Filled for `help` replies. */
  readonly topics: readonly TopicSummary[];
  /** Calibrated confidence in 0..1 that the reply is right for the question. */
  readonly confidence: number;
  /** The conversation's context after this reply, for the next question; absent when there is none. */
  readonly context?: ConversationContext;
}

/** What the fact base covers, for a front page such as Slack's Home tab. Data only: each adapter words it. */
export interface Overview {
  readonly language: Language;
  /** The help reply's introduction (what the bot is, how many facts), leading into the topics. */
  readonly intro: string;
  readonly factCount: number;
  /** The topics, as in the help reply. */
  readonly topics: readonly TopicSummary[];
  /** A few questions to start with (one per topic, first topics first), with their facts. */
  readonly suggestions: readonly Suggestion[];
  /** The newest `as_of` of any fact (YYYY, YYYY-MM or YYYY-MM-DD): how recent the base is; absent when it is empty. */
  readonly asOf?: string;
}

/** One autocomplete choice: a question the bot can answer. */
export interface Completion {
  readonly factId: string;
  readonly question: string;
}

export interface AskOptions {
  /** Force the reply language; by default it follows the question (Han characters mean Chinese). */
  readonly language?: Language;
  /** The conversation so far (the previous reply's `context`); follow-ups resolve against it. */
  readonly context?: ConversationContext;
  /**
   * Today's date (YYYY-MM-DD) by the caller's clock; an answer from a fact whose `review_by` is before
   * it carries `stale`. The engine never reads a clock itself: without it, no answer is marked stale.
   */
  readonly today?: string;
}

/**
 * The fact closest to a question, even below the answer threshold: what `npm run report` suggests a
 * curator look at for a question the bot could not answer. A suggestion, never an answer.
 */
export interface NearestFact {
  readonly factId: string;
  /** Match score in 0..1 (the engine answers from its threshold up). */
  readonly score: number;
  /** The fact's example question closest to the question. */
  readonly question: string;
  /** Words of the question the fact has nowhere (not even as a typo or synonym), as the index writes them: candidate keywords. */
  readonly missingTerms: readonly string[];
}

/** Options of {@link Engine.answerFact}. */
export interface AnswerFactOptions {
  /** As {@link AskOptions.today}. */
  readonly today?: string;
}

/** The intent engine: pure, synchronous, platform-free. */
export interface Engine {
  /** Answers a free-text question. Never throws for any string input. */
  ask(question: string, options?: AskOptions): Reply;
  /** Answers a known fact directly (used when a user clicks a suggestion). Unknown ids give `no-match`. */
  answerFact(factId: string, language?: Language, options?: AnswerFactOptions): Reply;
  /** Example questions that best match what the user has typed so far, best first. */
  complete(partial: string, limit: number): Completion[];
  /** The closest fact to a question whatever its score, or undefined when no word of it is in the fact base. Cheap and pure. */
  nearest(question: string): NearestFact | undefined;
  /** The help reply (topics and example questions). */
  help(language?: Language): Reply;
  /** What the base covers: the help reply's intro and topics, suggested questions, the newest as-of date. */
  overview(language?: Language): Overview;
  readonly factCount: number;
}
