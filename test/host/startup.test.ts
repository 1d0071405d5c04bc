import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { cleanEnv, run } from '../helpers/run.js';
import { freePort } from '../helpers/redis-server.js';
import { copyKnowledge, ROOT, startBot, tempDir } from './process.js';

const RUN_TIMEOUT_MS = 20_000;

function startMain(env: Record<string, string>) {
  return run('npx', ['tsx', path.join(ROOT, 'src/main.ts')], { env: cleanEnv({ WATCH_KNOWLEDGE: 'false', ...env }), timeoutMs: RUN_TIMEOUT_MS });
}

let fake: FakeSlack | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('start-up errors', () => {
  it('exits 1 and names every malformed variable at once, without echoing a secret', async () => {
    const { code, stderr, stdout } = await startMain({ PORT: 'abc', SLACK_SIGNING_SECRET: 'shh-secret-value', LOG_LEVEL: 'loud' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^\s+- PORT: must be a number/m);
    expect(stderr).toMatch(/^\s+- LOG_LEVEL: /m);
    expect(stdout).toBe('');
    expect(stderr).not.toMatch(/shh-secret-value/);
  });

  it('names a half-configured Slack once the values are well-formed', async () => {
    const { code, stderr } = await startMain({ SLACK_SIGNING_SECRET: 'shh' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/SLACK_BOT_TOKEN: missing/);
  });

  it('names each missing Discord variable', async () => {
    const { code, stderr } = await startMain({ DISCORD_TOKEN: 'token-value' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/DISCORD_APPLICATION_ID: missing/);
    expect(stderr).not.toMatch(/token-value/);
  });

  it('exits 1 on an invalid fact base with file, path and problem, before connecting to any platform', async () => {
    fake = await startFakeSlack();
    const scratch = await tempDir('startup');
    cleanups.push(scratch.remove);
    const dir = await copyKnowledge(scratch.dir);
    await writeFile(path.join(dir, 'zz-broken.yaml'), 'topics: []\nfacts:\n  - id: Not A Slug\n    topic: nowhere\n');
    const { code, stderr } = await startMain({
      KNOWLEDGE_DIR: dir,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'shh',
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      HOST: '127.0.0.1',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/The fact base is invalid/);
    expect(stderr).toMatch(/zz-broken\.yaml:\d+: facts\[0\]/);
    // Fail fast: not even auth.test reached Slack.
    expect(fake.calls).toHaveLength(0);
  });

  it('exits 1 naming the platform when a platform refuses to start (rejected bot token)', async () => {
    fake = await startFakeSlack();
    fake.failNext('auth.test', 1, { status: 200, body: { ok: false, error: 'invalid_auth' } });
    const { code, stderr } = await startMain({
      SLACK_BOT_TOKEN: 'xoxb-rejected-secret',
      SLACK_SIGNING_SECRET: 'shh',
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^slack: could not start: .*invalid_auth/m);
    expect(stderr).not.toMatch(/xoxb-rejected-secret/);
  });

  it('exits 1 naming REDIS_URL when Redis cannot be reached at start, without echoing its password', async () => {
    fake = await startFakeSlack();
    const port = await freePort();
    const { code, stderr } = await startMain({
      SLACK_BOT_TOKEN: 'xoxb-redis-test',
      SLACK_SIGNING_SECRET: 'shh',
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      REDIS_URL: `redis://:hunter2-secret@127.0.0.1:${port}`,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^REDIS_URL: cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+.*REDIS_OPTIONAL=true/m);
    expect(stderr).not.toMatch(/hunter2-secret/);
    expect(fake.callsTo('auth.test')).toHaveLength(0);
  });

  it('starts degraded with REDIS_OPTIONAL=true when Redis is away, and says so on /readyz', async () => {
    fake = await startFakeSlack();
    const port = await freePort();
    const bot = startBot({
      SLACK_BOT_TOKEN: 'xoxb-redis-optional',
      SLACK_SIGNING_SECRET: 'shh',
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      WATCH_KNOWLEDGE: 'false',
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REDIS_OPTIONAL: 'true',
    });
    cleanups.push(() => bot.kill());
    const ready = await bot.waitForLog((record) => record['msg'] === 'ready');
    const response = await fetch(`http://127.0.0.1:${String(ready['port'])}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'degraded', checks: { store: 'degraded' }, degraded: [expect.stringMatching(/^store: Redis unreachable/)] });
  });
});
