import { appendFile } from 'node:fs/promises';
import type { ReplyObserver } from '../bot/bot.js';
import type { Logger } from '../bot/log.js';

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

// Order matters: URLs first (they may hold e-mail addresses and digits), then e-mail addresses, then
// ID numbers (18 digits, longer than any phone number), then phone numbers.
const URL_PATTERN = /(?:https?:\/\/|www\.)[^\s<>"'。、）)]+/gi;
// ASCII only on purpose: Chinese text often runs straight into an address (邮箱是a@b.cn请回复), and Han
// characters are letters to \p{L}, which would swallow the sentence around it.
// Parts bounded by RFC 5321's lengths (64 for the local part, 63 per label): unbounded `+` made a long
// run of address characters with no @ cost quadratic time.
const EMAIL_PATTERN = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/g;
/** Resident identity card number: 17 digits and a check character (digit or X), not inside a longer number or word. */
const ID_NUMBER_PATTERN = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const PHONE_PATTERNS: readonly RegExp[] = [
  // Mainland mobiles (13x-19x, 11 digits), optionally +86 / 0086 / 86, grouped 3-4-4 with spaces or dashes.
  /(?<![\d+])(?:(?:\+|00)?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/g,
  // Landlines with area code: 010-62783496, (010) 6278 3496, 0755-1234567, +86 10 6278 3496.
  /(?<![\d+])(?:(?:\+|00)86[\s-]?(?:\(0?\d{2,3}\)|0?\d{2,3})|\(0\d{2,3}\)|0\d{2,3})[\s-]?\d{3,4}[\s-]?\d{4}(?!\d)/g,
  // Any other international number: a plus, then at least 8 digits in groups.
  /\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}\d(?!\d)/g,
];

/** A URL carries something personal when it has a query, a fragment, credentials or a token-like path part. */
function isSensitiveUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(/^www\./i.test(raw) ? `http://${raw}` : raw);
  } catch {
    return true;
  }
  if (url.search || url.hash || url.username || url.password) return true;
  // Reset links, invites and file shares put the secret in the path: a long run of letters and digits mixed.
  return url.pathname.split('/').some((part) => part.length >= 16 && /\d/.test(part) && /[a-z]/i.test(part));
}

/**
 * Replaces personal data in a question: e-mail addresses → `[email]`, phone numbers (mainland
 * mobiles with or without +86, landlines with area code, international numbers) → `[phone]`,
 * 18-digit Chinese ID numbers → `[id-number]`, URLs with a query, fragment, credentials or token →
 * `[url]`. Plain links such as `https://www.bjhd.gov.cn/` are kept: they say what the user asked about.
 */
export function scrubPersonalData(text: string): string {
  let scrubbed = replaceFolded(text, URL_PATTERN, (url) => (isSensitiveUrl(url) ? '[url]' : undefined));
  scrubbed = replaceFolded(scrubbed, EMAIL_PATTERN, () => '[email]');
  scrubbed = replaceFolded(scrubbed, ID_NUMBER_PATTERN, () => '[id-number]');
  for (const pattern of PHONE_PATTERNS) scrubbed = replaceFolded(scrubbed, pattern, () => '[phone]');
  return scrubbed;
}

/**
 * Replaces the matches of `pattern` in the text with full-width forms folded to ASCII (１３８…, ＋８６,
 * ａ＠ｂ．ｃｎ: what some Chinese keyboards type), keeping everything else as typed. Folding maps one
 * UTF-16 unit to one, so positions in the folded text are positions in the original. `replace`
 * returns undefined to keep a match.
 */
function replaceFolded(text: string, pattern: RegExp, replace: (match: string) => string | undefined): string {
  const folded = text.replace(/[\uff01-\uff5e]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0));
  let out = '';
  let last = 0;
  for (const match of folded.matchAll(pattern)) {
    const replacement = replace(match[0]);
    if (replacement === undefined) continue;
    out += text.slice(last, match.index) + replacement;
    last = match.index + match[0].length;
  }
  return out + text.slice(last);
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
