import { appendFile } from 'node:fs/promises';
import type { ReplyObserver } from '../bot/bot.js';
import type { Logger } from '../bot/log.js';
import { scrubPersonalData } from '../bot/scrub.js';

// The scrubbing moved to src/bot (feedback records need it too, and adapters may not import the curator).
export { scrubPersonalData };

/**
 * The curator loop's input: every abstention and every low-confidence answer becomes one JSON line
 * in UNANSWERED_LOG, with personal data scrubbed from the question. `npm run report` groups them.
 */

/**
 * Answers below this confidence (0..1) are logged too: the engine answered, but probably not the
 * question asked. The engine answers from 0.42 (ANSWER_THRESHOLD); 0.6 catches the band just above it,
 * where the eval sets show most wrong answers.
 */
export const LOW_CONFIDENCE_THRESHOLD = 0.6;

/** One line of the unanswered log. */
export interface UnansweredEntry {
  /** ISO 8601 time the reply was produced. */
  readonly time: string;
  readonly platform: string;
  /** `no-match`, or `answer` for a low-confidence answer. */
  readonly kind: string;
  readonly confidence: number;
  /** The fact a low-confidence answer picked, so the curator can see what it was confused with. */
  readonly factId?: string;
  /** The question, personal data replaced by `[email]`, `[phone]`, `[id-number]` and `[url]`. */
  readonly question: string;
}

/**
 * True when a reply belongs in the unanswered log: an abstention (a `related` reply too: the base knows
 * the subject but not what was asked, a fact to add), or an answer below {@link LOW_CONFIDENCE_THRESHOLD}.
 */
export function isUnanswered(kind: string, confidence: number): boolean {
  return kind === 'no-match' || kind === 'related' || (kind === 'answer' && confidence < LOW_CONFIDENCE_THRESHOLD);
}

/** The observer that appends to the log, and a way to wait for pending writes at shutdown. */
export interface UnansweredLog {
  readonly observe: ReplyObserver;
  /** Resolves when every line observed so far is written. */
  flush(): Promise<void>;
}

/** Where unanswered entries go besides a file: the shared store's stream when replicas share Redis. */
export interface UnansweredSink {
  append(entry: UnansweredEntry): Promise<void>;
  flush(): Promise<void>;
}

/**
 * Appends unanswered questions to `file` (one JSON line each, in order) and to each of `sinks`; a
 * failed write is logged, never thrown.
 */
export function createUnansweredLog(options: { file?: string; sinks?: readonly UnansweredSink[]; logger: Logger; now?: () => Date }): UnansweredLog {
  const now = options.now ?? (() => new Date());
  const { file, sinks = [] } = options;
  // One chain of appends keeps lines in order and whole; each append is a single write of one line.
  let pending: Promise<void> = Promise.resolve();
  return {
    observe(reply, context, question) {
      if (!isUnanswered(reply.kind, reply.confidence)) return;
      const entry: UnansweredEntry = {
        time: now().toISOString(),
        platform: context.platform,
        kind: reply.kind,
        confidence: reply.confidence,
        ...(reply.factId ? { factId: reply.factId } : {}),
        question: scrubPersonalData(question),
      };
      for (const sink of sinks) void sink.append(entry);
      if (file === undefined) return;
      const line = `${JSON.stringify(entry)}\n`;
      pending = pending.then(() =>
        appendFile(file, line, 'utf8').catch((error: unknown) => {
          options.logger.error({ err: error, file }, 'unanswered log: append failed');
        }),
      );
    },
    flush: async () => {
      await pending;
      await Promise.all(sinks.map((sink) => sink.flush()));
    },
  };
}
