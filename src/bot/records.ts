import { createHmac } from 'node:crypto';
import { appendFile, readFile, rename, stat } from 'node:fs/promises';
import { z } from 'zod';
import type { Logger } from './log.js';

/**
 * The curator loop's records of what users told the bot about its answers: a vote (👍 / 👎, with a
 * reason for 👎) and a suggested correction. Adapters append them through a {@link RecordLog};
 * `npm run report` reads them back. One JSON object per record, so a file, a Redis stream or a list
 * can hold them alike. Nothing a user writes here ever changes what the bot answers.
 */

export const FEEDBACK_REASONS = ['wrong', 'out-of-date', 'not-asked', 'other'] as const;
export type FeedbackReason = (typeof FEEDBACK_REASONS)[number];

/** Longest correction text kept; a curator reads a few sentences, not an essay. */
export const CORRECTION_TEXT_MAX = 1000;
/** Longest source link kept (as text, never rendered as a link to anyone). */
export const CORRECTION_LINK_MAX = 500;

const common = {
  /** ISO 8601 time the record was made. */
  time: z.iso.datetime(),
  platform: z.string().min(1),
  /** The fact the answer gave. */
  factId: z.string().min(1),
  language: z.enum(['en', 'zh']),
  /** The question answered, personal data scrubbed (scrubPersonalData). */
  question: z.string(),
  /**
   * The answer message the record is about (Slack message ts, Discord message id, terminal turn):
   * with `user` it makes a vote count once per user and answer, the last one winning.
   */
  answerId: z.string().min(1),
  /** A keyed hash of the platform's user id ({@link hashUserId}); never the id or name in clear. */
  user: z.string().min(1),
};

export const feedbackRecordSchema = z.strictObject({
  type: z.literal('feedback'),
  ...common,
  vote: z.enum(['up', 'down']),
  /** Given after a 👎 when the user picks why. */
  reason: z.enum(FEEDBACK_REASONS).optional(),
});

export const correctionRecordSchema = z.strictObject({
  type: z.literal('correction'),
  ...common,
  /** What the user says is wrong, scrubbed and cut to {@link CORRECTION_TEXT_MAX}. */
  text: z.string().min(1).max(CORRECTION_TEXT_MAX),
  /** A source the user offers, kept as plain text. */
  link: z.string().max(CORRECTION_LINK_MAX).optional(),
});

export const curatorRecordSchema = z.discriminatedUnion('type', [feedbackRecordSchema, correctionRecordSchema]);

export type FeedbackRecord = z.infer<typeof feedbackRecordSchema>;
export type CorrectionRecord = z.infer<typeof correctionRecordSchema>;
export type CuratorRecord = z.infer<typeof curatorRecordSchema>;

/** Where records go. Appends never throw: a failed write is logged, and the user's click still gets its thanks. */
export interface RecordLog {
  append(record: CuratorRecord): Promise<void>;
  /** Resolves when every record appended so far is written. */
  flush(): Promise<void>;
}

/**
 * A log file rotates when the next line would take it past this size: it becomes `<file>.1` (the
 * previous `.1` is dropped) and a new file starts. 10 MB holds tens of thousands of records, months
 * of feedback for one fact base, and stays quick for `npm run report` to read.
 */
export const RECORD_LOG_MAX_BYTES = 10 * 1024 * 1024;

export interface FileRecordLogOptions {
  readonly file: string;
  readonly logger: Logger;
  /** Rotation size; defaults to {@link RECORD_LOG_MAX_BYTES}. */
  readonly maxBytes?: number;
}

/**
 * Appends records to `file`, one JSON line each, in order: one write per line keeps lines whole, so
 * a crash loses at most the record in flight. Rotates by size to `<file>.1`.
 */
export function createFileRecordLog(options: FileRecordLogOptions): RecordLog {
  const maxBytes = options.maxBytes ?? RECORD_LOG_MAX_BYTES;
  let pending: Promise<void> = Promise.resolve();
  const write = async (line: string): Promise<void> => {
    // The size is read each time rather than counted here: other processes (Discord shards) may append to the same file.
    const size = await stat(options.file).then((s) => s.size, () => 0);
    if (size > 0 && size + Buffer.byteLength(line, 'utf8') > maxBytes) {
      await rename(options.file, `${options.file}.1`);
      options.logger.info({ file: options.file, bytes: size }, 'record log: rotated');
    }
    await appendFile(options.file, line, 'utf8');
  };
  return {
    append(record) {
      const line = `${JSON.stringify(record)}\n`;
      pending = pending.then(() =>
        write(line).catch((error: unknown) => {
          options.logger.error({ err: error, file: options.file }, 'record log: append failed');
        }),
      );
      return pending;
    },
    flush: () => pending,
  };
}

/** Records a memory log keeps at most (the oldest go first): a process without FEEDBACK_LOG must not grow without bound. */
export const MEMORY_RECORD_LOG_MAX = 10_000;

/** Keeps records in the process (no FEEDBACK_LOG, and tests), at most `max` of them. */
export function createMemoryRecordLog(options: { max?: number } = {}): RecordLog & { readonly records: readonly CuratorRecord[] } {
  const max = options.max ?? MEMORY_RECORD_LOG_MAX;
  const records: CuratorRecord[] = [];
  return {
    records,
    append(record) {
      records.push(record);
      if (records.length > max) records.splice(0, records.length - max);
      return Promise.resolve();
    },
    flush: () => Promise.resolve(),
  };
}

/** Records read back from JSON lines; lines that are not a valid record are counted, not fatal. */
export function parseRecords(text: string): { records: CuratorRecord[]; skipped: number } {
  const records: CuratorRecord[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped += 1;
      continue;
    }
    const parsed = curatorRecordSchema.safeParse(value);
    if (parsed.success) records.push(parsed.data);
    else skipped += 1;
  }
  return { records, skipped };
}

/**
 * Reads a record log with its rotated part (`<file>.1` first, then `<file>`); a missing file is an
 * empty log. Malformed lines are skipped, and their count is logged as a warning, never fatal.
 */
export async function readRecordLog(file: string, logger: Logger): Promise<{ records: CuratorRecord[]; skipped: number }> {
  const read = (path: string): Promise<string> =>
    readFile(path, 'utf8').catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw error;
    });
  const text = `${await read(`${file}.1`)}\n${await read(file)}`;
  const parsed = parseRecords(text);
  if (parsed.skipped > 0) logger.warn({ file, skipped: parsed.skipped }, 'record log: malformed lines skipped');
  return parsed;
}

/**
 * The votes that count: the last one of each user on each answer (a user who changes their mind
 * counts once, with their latest vote). Records are taken in log order.
 */
export function latestVotes(records: readonly CuratorRecord[]): FeedbackRecord[] {
  const latest = new Map<string, FeedbackRecord>();
  for (const record of records) {
    if (record.type !== 'feedback') continue;
    const key = `${record.platform}\u0000${record.answerId}\u0000${record.user}`;
    // Delete first so that the map's order is the order of each vote's last change.
    latest.delete(key);
    latest.set(key, record);
  }
  return [...latest.values()];
}

/**
 * A user id as records keep it: HMAC-SHA256 of `platform:id` under a key from the environment, cut to
 * 16 hex characters (enough to tell users apart in one fact base's feedback; too short to be a lookup
 * table key anyone could use without the key).
 */
export function hashUserId(key: string, platform: string, userId: string): string {
  return createHmac('sha256', key).update(`${platform}:${userId}`).digest('hex').slice(0, 16);
}
