import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type PlatformDeps, type RunningApp } from '../../src/host/app.js';
import { hashUserId, parseRecords } from '../../src/bot/records.js';
import { createMetrics } from '../../src/host/metrics.js';
import { captureLogs, connectedPlatform, testConfig } from './app.js';

/** The process's feedback wiring: one record log for every platform, flushed at stop, the key never logged. */

const KEY = 'host-feedback-test-key-0123456789';

let app: RunningApp | undefined;
let dir: string | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(env: Record<string, string>) {
  const metrics = createMetrics({ processMetrics: false });
  const logs = captureLogs('info', metrics);
  const platform = connectedPlatform();
  let deps: PlatformDeps | undefined;
  const launcher = { ...platform.launcher, start: (given: PlatformDeps) => ((deps = given), platform.launcher.start(given)) };
  app = await startApp({ config: testConfig(env), logger: logs.logger, platforms: [launcher], metrics });
  if (!deps) throw new Error('not started');
  return { ...logs, deps, app };
}

describe('feedback in the running process', () => {
  it('appends to FEEDBACK_LOG through the platforms’ service and has every record written when stop() resolves', async () => {
    dir = await mkdtemp(join(tmpdir(), 'host-feedback-'));
    const file = join(dir, 'feedback.jsonl');
    const { deps, lines, app: running } = await start({ FEEDBACK_LOG: file, FEEDBACK_HASH_KEY: KEY });
    expect(deps.feedback).toBe(running.feedback);
    expect(running.feedbackPersisted).toBe(true);
    const answerId = await deps.feedback.rememberAnswer({ platform: 'slack', factId: 'gdp-2016', question: 'GDP in 2016?' });
    void deps.feedback.vote({ platform: 'slack', userId: 'U0HUMAN', answerId, factId: 'gdp-2016', language: 'en' }, 'down', 'wrong');
    await running.stop();
    const { records } = parseRecords(await readFile(file, 'utf8'));
    expect(records).toMatchObject([{ type: 'feedback', vote: 'down', reason: 'wrong', question: 'GDP in 2016?', user: hashUserId(KEY, 'slack', 'U0HUMAN') }]);
    const output = lines.join('\n');
    expect(output).toContain('feedback: appending to FEEDBACK_LOG');
    expect(output).not.toContain(KEY);
    expect(output).not.toContain('U0HUMAN');
  });

  it('says at start-up that feedback is not persisted without FEEDBACK_LOG, and warns about a random key', async () => {
    const { records, app: running } = await start({});
    expect(running.feedbackPersisted).toBe(false);
    const messages = records().map((r) => [r['level'], r['msg']]);
    expect(messages).toContainEqual([30, 'feedback: FEEDBACK_LOG is unset; feedback is kept in memory only and not persisted']);
    expect(messages).toContainEqual([40, 'feedback: FEEDBACK_HASH_KEY is unset; user hashes use a random key of this process and change on restart']);
  });
});
