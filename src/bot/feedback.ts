import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Language } from '../engine/types.js';
import type { Platform } from './bot.js';
import type { Config } from '../config.js';
import type { Logger } from './log.js';
import {
  CORRECTION_LINK_MAX,
  CORRECTION_TEXT_MAX,
  createFileRecordLog,
  createMemoryRecordLog,
  hashUserId,
  type CorrectionRecord,
  type FeedbackReason,
  type FeedbackRecord,
  type RecordLog,
} from './records.js';
import { scrubPersonalData } from './scrub.js';
import type { KeyValueStore } from './store.js';

/**
 * The feedback service every adapter calls: it turns a click (👍, 👎 with a reason) or a suggested
 * correction into a record for the curators, once per user and answer. Adapters only parse the
 * platform's payload and thank the user; what is kept, and how, is decided here.
 */

/**
 * How long an answer can be voted on, and how long a vote is remembered to drop a repeated click.
 * A week: feedback comes soon after an answer, and the store (memory or Redis) stays small.
 */
export const FEEDBACK_TTL_MS = 7 * 24 * 60 * 60_000;

/** Key prefix of the feedback marks in the store. */
export const FEEDBACK_KEY_PREFIX = 'feedback:';

/** Answer ids are short random tokens (8 base64url characters) that fit in a button's id or value. */
export const ANSWER_ID_PATTERN = /^[A-Za-z0-9_-]{8}$/;

/** What a vote or a correction is about: the answer (as the buttons carry it) and who clicked. */
export interface FeedbackTarget {
  readonly platform: Platform;
  /** The platform's user id; only its keyed hash is kept. */
  readonly userId: string;
  readonly answerId: string;
  readonly factId: string;
  readonly language: Language;
}

/** `recorded`: a record was appended; `repeated`: the same vote (or text) again, not counted twice. */
/** What a feedback button or modal carries on every platform: the fact, its language and the answer. */
export interface FeedbackRef {
  readonly factId: string;
  readonly language: Language;
  readonly answerId: string;
}

/** The words of the feedback flow, the same on every platform (adapters add their own button words). */
export const FEEDBACK_TEXT = {
  en: {
    thanksUp: 'Thanks for the feedback!',
    askReason: 'Sorry about that. What was wrong with the answer?',
    reasons: { wrong: 'Wrong', 'out-of-date': 'Out of date', 'not-asked': 'Not what I asked', other: 'Other' },
    correct: 'Suggest a correction',
    thanksDown: 'Thanks, the curators will look at it.',
    modalTitle: 'Suggest a correction',
    textLabel: 'What is wrong?',
    textHint: 'Only the people who curate the fact base read this; it never changes an answer by itself.',
    linkLabel: 'Source link (optional)',
    empty: 'Please say what is wrong.',
    thanksCorrection: 'Thanks! Your correction goes to the curators, who check it against the sources.',
  },
  zh: {
    thanksUp: '谢谢你的反馈！',
    askReason: '抱歉。这个回答有什么问题？',
    reasons: { wrong: '有错误', 'out-of-date': '已过时', 'not-asked': '答非所问', other: '其他' },
    correct: '提出更正',
    thanksDown: '谢谢，维护人员会查看。',
    modalTitle: '提出更正',
    textLabel: '哪里不对？',
    textHint: '只有知识库的维护人员会看到，它不会自动改变任何回答。',
    linkLabel: '来源链接（可选）',
    empty: '请说明哪里不对。',
    thanksCorrection: '谢谢！你的更正会交给维护人员，由他们对照来源核实。',
  },
} as const;

export type FeedbackOutcome = 'recorded' | 'repeated';

export interface FeedbackService {
  /**
   * Notes an answer users can vote on and returns its answer id, for the platform's buttons. The
   * question is kept (scrubbed) for {@link FEEDBACK_TTL_MS} so that a later vote can say what was asked.
   */
  rememberAnswer(answer: { readonly platform: Platform; readonly factId: string; readonly question: string }): Promise<string>;
  /** Records a 👍 or 👎 (optionally with its reason); the last vote of a user on an answer wins. */
  vote(target: FeedbackTarget, vote: 'up' | 'down', reason?: FeedbackReason): Promise<FeedbackOutcome>;
  /** Records a suggested correction (text bounded and scrubbed, the link kept as plain text); `empty` when no text is left. */
  suggestCorrection(target: FeedbackTarget, text: string, link?: string): Promise<FeedbackOutcome | 'empty'>;
}

export interface FeedbackServiceOptions {
  readonly log: RecordLog;
  /** Where answers and "already counted" marks live (Redis when replicas share one). */
  readonly store: KeyValueStore;
  /** The key of the user id hashes (FEEDBACK_HASH_KEY). */
  readonly hashKey: string;
  readonly now?: () => Date;
  readonly ttlMs?: number;
  /** Makes answer ids; injectable for tests. */
  readonly newAnswerId?: () => string;
}

// What comes back from a store is checked: a shared store may hold a value written by another version.
const AnswerSchema = z.object({ factId: z.string(), question: z.string() });

/** The feedback service over a record log and a key-value store. */
export function createFeedbackService(options: FeedbackServiceOptions): FeedbackService {
  const { log, store, hashKey } = options;
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlMs ?? FEEDBACK_TTL_MS;
  const newAnswerId = options.newAnswerId ?? (() => randomBytes(6).toString('base64url'));
  const answerKey = (platform: Platform, answerId: string): string => `${FEEDBACK_KEY_PREFIX}answer:${platform}:${answerId}`;

  /** The fields every record shares; the question comes from the remembered answer ('' once it has expired). */
  const common = async (target: FeedbackTarget) => {
    const stored = await store.get(answerKey(target.platform, target.answerId));
    let question = '';
    if (stored !== undefined) {
      try {
        const parsed = AnswerSchema.safeParse(JSON.parse(stored));
        // The button's fact id is what the vote is about; a remembered answer of another fact is not this one's question.
        if (parsed.success && parsed.data.factId === target.factId) question = parsed.data.question;
      } catch {
        // An unreadable value leaves the question empty.
      }
    }
    return {
      time: now().toISOString(),
      platform: target.platform,
      factId: target.factId,
      language: target.language,
      question,
      answerId: target.answerId,
      user: hashUserId(hashKey, target.platform, target.userId),
    };
  };

  return {
    async rememberAnswer(answer) {
      const answerId = newAnswerId();
      const value = JSON.stringify({ factId: answer.factId, question: scrubPersonalData(answer.question) });
      await store.set(answerKey(answer.platform, answerId), value, ttlMs);
      return answerId;
    },

    async vote(target, vote, reason) {
      const user = hashUserId(hashKey, target.platform, target.userId);
      const key = `${FEEDBACK_KEY_PREFIX}vote:${target.platform}:${target.answerId}:${user}`;
      const value = reason ? `${vote}:${reason}` : vote;
      // Not atomic across replicas: two different clicks racing may both be recorded, which the
      // report's "last vote wins" (latestVotes) absorbs. Only an identical repeat must never count.
      if ((await store.get(key)) === value) return 'repeated';
      await store.set(key, value, ttlMs);
      const record: FeedbackRecord = { type: 'feedback', ...(await common(target)), vote, ...(reason ? { reason } : {}) };
      await log.append(record);
      return 'recorded';
    },

    async suggestCorrection(target, text, link) {
      // Cut before scrubbing too, so a huge paste costs no more than a long one.
      const cleanText = clip(scrubPersonalData(clip(text.trim(), 2 * CORRECTION_TEXT_MAX)), CORRECTION_TEXT_MAX).trim();
      if (cleanText === '') return 'empty';
      const cleanLink = link === undefined ? '' : clip(scrubPersonalData(link.trim()), CORRECTION_LINK_MAX);
      const user = hashUserId(hashKey, target.platform, target.userId);
      const digest = createHash('sha256').update(`${cleanText}\u0000${cleanLink}`).digest('hex').slice(0, 16);
      // A double submit (or a platform's retry) of the same text on the same answer is kept once.
      const fresh = await store.setIfAbsent(`${FEEDBACK_KEY_PREFIX}correction:${target.platform}:${target.answerId}:${user}:${digest}`, '1', ttlMs);
      if (!fresh) return 'repeated';
      const record: CorrectionRecord = {
        type: 'correction',
        ...(await common(target)),
        text: cleanText,
        ...(cleanLink ? { link: cleanLink } : {}),
      };
      await log.append(record);
      return 'recorded';
    },
  };
}

/**
 * The feedback service and its record log: the replicas' shared stream when there is one (`shared`,
 * with Redis), FEEDBACK_LOG (rotated by size; with a shared stream too, a local copy), or memory,
 * said once at start-up (`quiet`, for the terminal chat, keeps the notes out of the conversation: it
 * tells the user itself).
 */
export function createFeedbackRecording(options: {
  config: Pick<Config, 'feedbackLog' | 'feedbackHashKey' | 'feedbackLogMaxBytes'>;
  store: KeyValueStore;
  logger: Logger;
  quiet?: boolean;
  shared?: RecordLog;
}): {
  feedback: FeedbackService;
  records: RecordLog;
  persisted: boolean;
} {
  const { config, logger } = options;
  const logs: RecordLog[] = options.shared ? [options.shared] : [];
  if (config.feedbackLog) {
    if (!options.quiet) logger.info({ file: config.feedbackLog, maxBytes: config.feedbackLogMaxBytes }, 'feedback: appending to FEEDBACK_LOG');
    logs.push(createFileRecordLog({ file: config.feedbackLog, logger, maxBytes: config.feedbackLogMaxBytes }));
  } else if (!options.shared && !options.quiet) {
    logger.info('feedback: FEEDBACK_LOG is unset; feedback is kept in memory only and not persisted');
  }
  if (options.shared && !options.quiet) logger.info('feedback: appending to the shared Redis stream (records:curator)');
  const records: RecordLog =
    logs.length === 0
      ? createMemoryRecordLog()
      : logs.length === 1
        ? (logs[0] as RecordLog)
        : {
            append: (record) => Promise.all(logs.map((log) => log.append(record))).then(() => undefined),
            flush: () => Promise.all(logs.map((log) => log.flush())).then(() => undefined),
          };
  if (!config.feedbackHashKey && !options.quiet) {
    logger.warn('feedback: FEEDBACK_HASH_KEY is unset; user hashes use a random key of this process and change on restart');
  }
  const feedback = createFeedbackService({ log: records, store: options.store, hashKey: config.feedbackHashKey ?? randomHashKey() });
  return { feedback, records, persisted: logs.length > 0 };
}

/** A random key for the user hashes when FEEDBACK_HASH_KEY is unset: hashes are then stable only within this process. */
export function randomHashKey(): string {
  return randomBytes(32).toString('hex');
}

/** Cuts text to at most `max` UTF-16 units without splitting a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}
