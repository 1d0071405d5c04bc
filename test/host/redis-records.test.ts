import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/engine/types.js';
import { createSilentLogger, type Logger } from '../../src/bot/log.js';
import { createUnansweredLog, type UnansweredEntry } from '../../src/curator/unanswered.js';
import { createFeedbackRecording } from '../../src/bot/feedback.js';
import type { CuratorRecord } from '../../src/bot/records.js';
import type { CuratorReport } from '../../src/curator/curator-page.js';
import { createStreamLog, readStreamLines } from '../../src/host/redis-records.js';
import { connectRedisStore, type SharedStore } from '../../src/host/redis-store.js';
import { freePort, redisServerAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { cleanEnv, run } from '../helpers/run.js';

const service = redisServerAvailable();

/** A logger that keeps its warnings, to check what an outage tells the operator. */
function recordingLogger(): Logger & { warnings: string[] } {
  const silent = createSilentLogger();
  const warnings: string[] = [];
  return Object.assign(Object.create(silent) as Logger, {
    warnings,
    warn: (...args: unknown[]) => void warnings.push(String(args.find((a) => typeof a === 'string'))),
  });
}

const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe.skipIf(!service.available)(`records on a real redis-server${service.available ? '' : ` (${service.reason})`}`, () => {
  let server: RedisServer;
  const opened: SharedStore[] = [];
  let prefixes = 0;
  /** Two replicas' connections share a prefix; each test gets its own, so streams start empty. */
  const replicas = async (count: number, optional = false): Promise<SharedStore[]> => {
    const keyPrefix = `records-test-${(prefixes += 1)}:`;
    const stores: SharedStore[] = [];
    for (let i = 0; i < count; i += 1) stores.push(await connectRedisStore({ config: { url: server.url, keyPrefix, optional }, logger: createSilentLogger() }));
    opened.push(...stores);
    return stores;
  };

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
    await server?.close();
  });

  it('collects what two replicas append in one stream, in order, readable as JSON lines', async () => {
    const [a, b] = await replicas(2);
    const logA = createStreamLog<{ n: number; from: string }>({ redis: a!.redis, stream: 'curator', logger: createSilentLogger() });
    const logB = createStreamLog<{ n: number; from: string }>({ redis: b!.redis, stream: 'curator', logger: createSilentLogger() });
    for (let n = 0; n < 5; n += 1) {
      await logA.append({ n, from: 'a' });
      await logB.append({ n, from: 'b' });
    }
    const lines = await readStreamLines(a!.redis, 'curator');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(
      Array.from({ length: 5 }, (_, n) => [
        { n, from: 'a' },
        { n, from: 'b' },
      ]).flat(),
    );
    // Another kind of record has a stream of its own.
    expect(await readStreamLines(a!.redis, 'unanswered')).toEqual([]);
  });

  it('reads a stream longer than one page', async () => {
    const [a] = await replicas(1);
    const log = createStreamLog<number>({ redis: a!.redis, stream: 'unanswered', logger: createSilentLogger() });
    await Promise.all(Array.from({ length: 2_345 }, (_, n) => log.append(n)));
    const lines = await readStreamLines(a!.redis, 'unanswered');
    expect(lines).toHaveLength(2_345);
    expect(lines.map(Number)).toEqual(Array.from({ length: 2_345 }, (_, n) => n));
  });

  it('keeps records while Redis is down, without waiting on it, and writes them once it is back: none lost, none twice', async () => {
    const [a] = await replicas(1);
    const logger = recordingLogger();
    const log = createStreamLog<string>({ redis: a!.redis, stream: 'curator', logger });
    await log.append('before');
    await server.stop();
    const started = Date.now();
    for (const word of ['during-1', 'during-2', 'during-3']) await log.append(word);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(log.pending).toBe(3);
    expect(logger.warnings).toEqual(['records: Redis unreachable; keeping records in memory until it returns']);
    await server.restart();
    // The restarted server is empty (no persistence): only what was waiting comes back, by the retry timer alone.
    await until(() => log.pending === 0);
    await log.append('after');
    const lines = await readStreamLines(a!.redis, 'curator');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(['during-1', 'during-2', 'during-3', 'after']);
  });

  it('drops the oldest waiting records beyond its bound, and says so', async () => {
    const [a] = await replicas(1);
    const logger = recordingLogger();
    const log = createStreamLog<number>({ redis: a!.redis, stream: 'curator', logger, pendingMax: 3 });
    await server.stop();
    for (let n = 0; n < 5; n += 1) await log.append(n);
    expect(log.pending).toBe(3);
    expect(logger.warnings).toContain('records: too many waiting for Redis; dropping the oldest');
    await server.restart();
    await until(() => log.pending === 0);
    expect((await readStreamLines(a!.redis, 'curator')).map(Number)).toEqual([2, 3, 4]);
  });

  it('sends the unanswered log of every replica to the shared stream, personal data scrubbed', async () => {
    const [a, b] = await replicas(2);
    const logs = [a!, b!].map((store) =>
      createUnansweredLog({
        sinks: [createStreamLog<UnansweredEntry>({ redis: store.redis, stream: 'unanswered', logger: createSilentLogger() })],
        logger: createSilentLogger(),
        now: () => new Date('2026-12-07T10:00:00Z'),
      }),
    );
    const declined = { kind: 'no-match', confidence: 0.1 } as Reply;
    const answered = { kind: 'answer', confidence: 0.9, factId: 'gdp-2016' } as Reply;
    logs[0]!.observe(declined, { platform: 'slack', userId: 'U1', conversationId: 'C1' }, 'weather tomorrow? mail me at someone@example.com', 1);
    logs[1]!.observe(answered, { platform: 'discord', userId: 'U2', conversationId: 'C2' }, "What was Haidian's GDP in 2016?", 1);
    logs[1]!.observe(declined, { platform: 'discord', userId: 'U2', conversationId: 'C2' }, 'who is the mayor', 1);
    await Promise.all(logs.map((log) => log.flush()));
    const entries = (await readStreamLines(a!.redis, 'unanswered')).map((line) => JSON.parse(line) as UnansweredEntry);
    expect(entries).toEqual([
      { time: '2026-12-07T10:00:00.000Z', platform: 'slack', kind: 'no-match', confidence: 0.1, question: 'weather tomorrow? mail me at [email]' },
      { time: '2026-12-07T10:00:00.000Z', platform: 'discord', kind: 'no-match', confidence: 0.1, question: 'who is the mayor' },
    ]);
  });

  it('is what npm run report reads when REDIS_URL is set: every replica\'s unanswered questions and votes', async () => {
    const [a, b] = await replicas(2);
    const keyPrefix = `records-test-${prefixes}:`;
    const entry = (question: string): UnansweredEntry => ({ time: '2026-12-07T10:00:00.000Z', platform: 'slack', kind: 'no-match', confidence: 0.1, question });
    const vote = (user: string): CuratorRecord => ({
      type: 'feedback',
      time: '2026-12-07T10:00:00.000Z',
      platform: 'slack',
      factId: 'gdp-2016',
      language: 'en',
      question: "What was Haidian's GDP in 2016?",
      answerId: `answer-${user}`,
      user,
      vote: 'down',
      reason: 'out-of-date',
    });
    const silent = createSilentLogger();
    await createStreamLog<UnansweredEntry>({ redis: a!.redis, stream: 'unanswered', logger: silent }).append(entry('who is the mayor of haidian'));
    await createStreamLog<UnansweredEntry>({ redis: b!.redis, stream: 'unanswered', logger: silent }).append(entry('who is the mayor of haidian?'));
    await createStreamLog<CuratorRecord>({ redis: a!.redis, stream: 'curator', logger: silent }).append(vote('u1'));
    await createStreamLog<CuratorRecord>({ redis: b!.redis, stream: 'curator', logger: silent }).append(vote('u2'));
    const { code, stdout, stderr } = await run('npm', ['run', '--silent', 'report', '--', '--json', '--today', '2026-12-07'], {
      env: cleanEnv({ REDIS_URL: server.url, REDIS_KEY_PREFIX: keyPrefix }),
      timeoutMs: 60_000,
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as CuratorReport;
    expect(report.unanswered).toMatchObject({ entries: 2, distinct: 1 });
    expect(report.unanswered.source).toContain(`${keyPrefix}records:unanswered`);
    expect(report.feedback.disliked).toMatchObject([{ factId: 'gdp-2016', down: 2, reasons: { 'out-of-date': 2 } }]);
  });

  it('names REDIS_URL when the report cannot reach Redis', async () => {
    const { code, stderr } = await run('npm', ['run', '--silent', 'report'], { env: cleanEnv({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` }), timeoutMs: 60_000 });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^REDIS_URL: cannot read the shared records at redis:\/\/127\.0\.0\.1:\d+/);
  });

  it("puts every replica's votes and corrections in the shared curator stream, and the file too when FEEDBACK_LOG is set", async () => {
    const [a, b] = await replicas(2);
    const dir = await mkdtemp(path.join(tmpdir(), 'feedback-'));
    try {
      const file = path.join(dir, 'feedback.jsonl');
      const config = { feedbackLogMaxBytes: 1_000_000, feedbackHashKey: 'a-shared-key-of-the-replicas' };
      const recordings = [
        createFeedbackRecording({ config: { ...config, feedbackLog: file }, store: a!, logger: createSilentLogger(), shared: createStreamLog<CuratorRecord>({ redis: a!.redis, stream: 'curator', logger: createSilentLogger() }) }),
        createFeedbackRecording({ config, store: b!, logger: createSilentLogger(), shared: createStreamLog<CuratorRecord>({ redis: b!.redis, stream: 'curator', logger: createSilentLogger() }) }),
      ];
      expect(recordings.map((r) => r.persisted)).toEqual([true, true]);
      const answerId = await recordings[0]!.feedback.rememberAnswer({ platform: 'slack', factId: 'gdp-2016', question: 'GDP 2016? call me on 13812345678' });
      const target = { platform: 'slack' as const, userId: 'U0HUMAN', answerId, factId: 'gdp-2016', language: 'en' as const };
      expect(await recordings[0]!.feedback.vote(target, 'down')).toBe('recorded');
      // The same click retried on the other replica is the same vote: counted once.
      expect(await recordings[1]!.feedback.vote(target, 'down')).toBe('repeated');
      expect(await recordings[1]!.feedback.suggestCorrection(target, 'The figure is for 2015', 'https://example.org/page')).toBe('recorded');
      await Promise.all(recordings.map((r) => r.records.flush()));
      const shared = (await readStreamLines(a!.redis, 'curator')).map((line) => JSON.parse(line) as CuratorRecord);
      expect(shared.map((r) => r.type)).toEqual(['feedback', 'correction']);
      expect(shared.every((r) => r.question === 'GDP 2016? call me on [phone]' && !JSON.stringify(r).includes('U0HUMAN'))).toBe(true);
      // The first replica's local copy has what it recorded itself.
      expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
