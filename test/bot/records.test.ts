import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileRecordLog, createMemoryRecordLog, hashUserId, parseRecords, readRecordLog, type CuratorRecord } from '../../src/bot/records.js';
import { createLogger } from '../../src/bot/log.js';
import { lineSink } from '../helpers/log-lines.js';

const vote: CuratorRecord = {
  type: 'feedback',
  time: '2026-12-07T10:00:00.000Z',
  platform: 'slack',
  factId: 'gdp-2016',
  language: 'en',
  question: 'GDP in 2016?',
  answerId: '1700000000.000100',
  user: 'a1b2c3d4e5f60718',
  vote: 'down',
  reason: 'out-of-date',
};
const correction: CuratorRecord = {
  type: 'correction',
  time: '2026-12-07T10:01:00.000Z',
  platform: 'discord',
  factId: 'gdp-2016',
  language: 'zh',
  question: '2016年GDP',
  answerId: '1234567890',
  user: '0718a1b2c3d4e5f6',
  text: 'The figure was revised.',
  link: 'https://example.org/stats',
};

describe('curator records', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('writes one JSON line per record, in order, and reads them back', async () => {
    dir = await mkdtemp(join(tmpdir(), 'records-'));
    const file = join(dir, 'feedback.jsonl');
    const log = createFileRecordLog({ file, logger: createLogger('silent') });
    void log.append(vote);
    void log.append(correction);
    await log.flush();
    const text = await readFile(file, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(2);
    expect(parseRecords(text)).toEqual({ records: [vote, correction], skipped: 0 });
  });

  it('counts lines that are not valid records instead of failing', () => {
    const lines = [JSON.stringify(vote), 'not json', JSON.stringify({ ...vote, vote: 'maybe' }), JSON.stringify({ ...vote, userId: 'U123' }), ''];
    expect(parseRecords(lines.join('\n'))).toEqual({ records: [vote], skipped: 3 });
  });

  it('keeps records in memory, the newest ones up to its bound', async () => {
    const log = createMemoryRecordLog();
    await log.append(vote);
    expect(log.records).toEqual([vote]);
    const bounded = createMemoryRecordLog({ max: 2 });
    for (const answerId of ['a1', 'a2', 'a3']) await bounded.append({ ...vote, answerId });
    expect(bounded.records.map((r) => r.answerId)).toEqual(['a2', 'a3']);
  });

  it('hashes user ids with the key: stable, different per key and platform, never the id', () => {
    const hash = hashUserId('key-1', 'slack', 'U123');
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(hashUserId('key-1', 'slack', 'U123')).toBe(hash);
    expect(hashUserId('key-2', 'slack', 'U123')).not.toBe(hash);
    expect(hashUserId('key-1', 'discord', 'U123')).not.toBe(hash);
    expect(hash).not.toContain('U123');
  });

  it('rotates the file by size to <file>.1, keeping whole lines, and reads both parts back in order', async () => {
    dir = await mkdtemp(join(tmpdir(), 'records-'));
    const file = join(dir, 'feedback.jsonl');
    const records = Array.from({ length: 5 }, (_, i): CuratorRecord => ({ ...vote, answerId: `answer-${i}` }));
    const lineBytes = Buffer.byteLength(`${JSON.stringify(records[0])}\n`);
    // Room for two lines: the third starts a new file, the fifth rotates again (dropping the first two).
    const log = createFileRecordLog({ file, logger: createLogger('silent'), maxBytes: 2 * lineBytes + 1 });
    for (const record of records) void log.append(record);
    await log.flush();
    expect((await stat(file)).size).toBe(lineBytes);
    expect((await stat(`${file}.1`)).size).toBe(2 * lineBytes);
    const back = await readRecordLog(file, createLogger('silent'));
    expect(back).toEqual({ records: records.slice(2), skipped: 0 });
  });

  it('warns with the count of malformed lines when reading a log, and reads a missing log as empty', async () => {
    dir = await mkdtemp(join(tmpdir(), 'records-'));
    const file = join(dir, 'feedback.jsonl');
    // A line cut by a crash mid-write, then a good one.
    await appendFile(file, `${JSON.stringify(vote).slice(0, 40)}\n${JSON.stringify(correction)}\n`);
    const { sink, lines } = lineSink();
    expect(await readRecordLog(file, createLogger('info', sink))).toEqual({ records: [correction], skipped: 1 });
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 40, skipped: 1, msg: 'record log: malformed lines skipped' }),
    ]);
    expect(await readRecordLog(join(dir, 'none.jsonl'), createLogger('silent'))).toEqual({ records: [], skipped: 0 });
  });
});
