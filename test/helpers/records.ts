import { readFile } from 'node:fs/promises';
import { expect, vi } from 'vitest';
import { parseRecords, type CuratorRecord, type RecordLog } from '../../src/bot/records.js';

/**
 * The records in the file once `count` are there: the thanks goes out before the record is written
 * (the platform's 3-second window comes first), so the test waits for the writes.
 */
export async function recordsIn(file: string, log: RecordLog, count: number): Promise<{ text: string; records: CuratorRecord[]; skipped: number }> {
  const read = async () => {
    await log.flush();
    const text = await readFile(file, 'utf8').catch(() => '');
    return { text, ...parseRecords(text) };
  };
  await vi.waitFor(async () => expect((await read()).records.length).toBeGreaterThanOrEqual(count), { timeout: 3_000, interval: 20 });
  // A little longer, so that a wrongly recorded repeat would have arrived too.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return read();
}
