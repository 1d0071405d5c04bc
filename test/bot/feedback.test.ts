import { describe, expect, it } from 'vitest';
import { createFeedbackService, type FeedbackTarget } from '../../src/bot/feedback.js';
import { CORRECTION_TEXT_MAX, createMemoryRecordLog, hashUserId, latestVotes } from '../../src/bot/records.js';
import { createMemoryStore } from '../../src/bot/store.js';

const KEY = 'test-feedback-hash-key';

function setup() {
  const log = createMemoryRecordLog();
  let ids = 0;
  const service = createFeedbackService({
    log,
    store: createMemoryStore(),
    hashKey: KEY,
    now: () => new Date('2026-12-07T10:00:00.000Z'),
    newAnswerId: () => `answer-${++ids}`.padEnd(8, '0').slice(0, 8),
  });
  return { log, service };
}

async function answered(service: ReturnType<typeof setup>['service'], question = 'GDP in 2016? mail me at li.wei@example.cn'): Promise<FeedbackTarget> {
  const answerId = await service.rememberAnswer({ platform: 'slack', factId: 'gdp-2016', question });
  return { platform: 'slack', userId: 'U0HUMAN', answerId, factId: 'gdp-2016', language: 'en' };
}

describe('feedback service', () => {
  it('records a vote with the scrubbed question and a keyed hash of the user, never the id', async () => {
    const { log, service } = setup();
    const target = await answered(service);
    expect(await service.vote(target, 'up')).toBe('recorded');
    expect(log.records).toEqual([
      {
        type: 'feedback',
        time: '2026-12-07T10:00:00.000Z',
        platform: 'slack',
        factId: 'gdp-2016',
        language: 'en',
        question: 'GDP in 2016? mail me at [email]',
        answerId: target.answerId,
        user: hashUserId(KEY, 'slack', 'U0HUMAN'),
        vote: 'up',
      },
    ]);
    expect(JSON.stringify(log.records)).not.toContain('U0HUMAN');
  });

  it('counts a repeated identical click once, and a changed vote as the last one that wins', async () => {
    const { log, service } = setup();
    const target = await answered(service);
    expect(await service.vote(target, 'down')).toBe('recorded');
    expect(await service.vote(target, 'down')).toBe('repeated');
    expect(await service.vote(target, 'down', 'out-of-date')).toBe('recorded');
    expect(await service.vote(target, 'down', 'out-of-date')).toBe('repeated');
    expect(log.records).toHaveLength(2);
    expect(latestVotes(log.records)).toMatchObject([{ vote: 'down', reason: 'out-of-date' }]);
    // Another user on the same answer, and the same user on another answer, count on their own.
    expect(await service.vote({ ...target, userId: 'U0OTHER' }, 'down', 'out-of-date')).toBe('recorded');
    const other = await answered(service);
    expect(await service.vote({ ...other }, 'up')).toBe('recorded');
    expect(latestVotes(log.records)).toHaveLength(3);
  });

  it('keeps an empty question when the answer is not remembered (expired, or another fact)', async () => {
    const { log, service } = setup();
    const target = await answered(service);
    await service.vote({ ...target, answerId: 'unknown1' }, 'up');
    await service.vote({ ...target, factId: 'population' }, 'up');
    expect(log.records.map((r) => r.question)).toEqual(['', '']);
  });

  it('bounds and scrubs a correction, keeps the link as text, and drops a double submit', async () => {
    const { log, service } = setup();
    const target = await answered(service);
    const long = `Call 13812345678. ${'x'.repeat(3 * CORRECTION_TEXT_MAX)}`;
    expect(await service.suggestCorrection(target, long, ' https://www.bjhd.gov.cn/stats ')).toBe('recorded');
    expect(await service.suggestCorrection(target, long, ' https://www.bjhd.gov.cn/stats ')).toBe('repeated');
    expect(await service.suggestCorrection(target, '   ')).toBe('empty');
    expect(log.records).toHaveLength(1);
    const record = log.records[0];
    if (record?.type !== 'correction') throw new Error('expected a correction');
    expect(record.text.startsWith('Call [phone]. xxx')).toBe(true);
    expect(record.text).toHaveLength(CORRECTION_TEXT_MAX);
    expect(record.link).toBe('https://www.bjhd.gov.cn/stats');
  });
});
