import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommands, registerCommands } from '../../../adapters/discord/commands.js';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/fake-discord.js';
import { TEST_TOKEN, testConfig } from './harness.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord();
});
afterAll(async () => {
  await fake.close();
});

/** Runs the register CLI as `npm run discord:register` does, with exactly the given environment. */
function runRegisterCli(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // A clean environment: only PATH (to find node/npx) and HOME (npm's cache) besides the test's own variables.
    const child = spawn('npx', ['tsx', 'adapters/discord/register-cli.ts'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('buildCommands', () => {
  it('defines /<name> with a required autocompleting question and an optional private flag', () => {
    expect(buildCommands('haidian')).toMatchInlineSnapshot(`
      [
        {
          "contexts": [
            0,
            1,
          ],
          "default_member_permissions": undefined,
          "default_permission": undefined,
          "description": "Ask a question about Haidian district, Beijing",
          "description_localizations": {
            "zh-CN": "提一个关于北京市海淀区的问题",
            "zh-TW": "提一個關於北京市海淀區的問題",
          },
          "dm_permission": undefined,
          "integration_types": [
            0,
          ],
          "name": "haidian",
          "name_localizations": undefined,
          "nsfw": undefined,
          "options": [
            {
              "autocomplete": true,
              "choices": undefined,
              "description": "Your question, or "help" to see what I know",
              "description_localizations": {
                "zh-CN": "你的问题，或输入 help 查看我了解的内容",
              },
              "max_length": 500,
              "min_length": undefined,
              "name": "question",
              "name_localizations": undefined,
              "required": true,
              "type": 3,
            },
            {
              "description": "Only you see the answer",
              "description_localizations": {
                "zh-CN": "只有你能看到回答",
              },
              "name": "private",
              "name_localizations": undefined,
              "required": false,
              "type": 5,
            },
          ],
          "type": 1,
        },
      ]
    `);
  });

  it('uses the configured command name', () => {
    expect(buildCommands('ask-haidian')[0]?.name).toBe('ask-haidian');
  });
});

describe('registerCommands', () => {
  it('PUTs the full command list globally, and a second run sends the same body', async () => {
    const config = testConfig(fake);
    const first = await registerCommands(config);
    const second = await registerCommands(config);
    const puts = fake.requestsTo(`PUT /applications/${fake.applicationId}/commands`);
    expect(puts).toHaveLength(2);
    expect(puts[0]?.headers.authorization).toBe(`Bot ${TEST_TOKEN}`);
    expect(puts[0]?.body).toEqual(JSON.parse(JSON.stringify(buildCommands('haidian'))));
    expect(puts[1]?.body).toEqual(puts[0]?.body);
    expect(first).toMatchObject({
      scope: 'global',
      route: `/applications/${fake.applicationId}/commands`,
      commands: [{ name: 'haidian' }],
    });
    expect(second.commands).toEqual(first.commands);
  });

  it('PUTs to the guild when DISCORD_GUILD_ID is set', async () => {
    const result = await registerCommands(
      testConfig(fake, { guildId: fake.guildId, command: 'ask' }),
    );
    const puts = fake.requestsTo(
      `PUT /applications/${fake.applicationId}/guilds/${fake.guildId}/commands`,
    );
    expect(puts).toHaveLength(1);
    expect((puts[0]?.body as { name: string }[])[0]?.name).toBe('ask');
    expect(result).toMatchObject({
      scope: 'guild',
      guildId: fake.guildId,
      commands: [{ name: 'ask' }],
    });
  });

  it('retries a rate-limited registration and still registers', async () => {
    fake.failNext('PUT /applications/*/commands', 1, { status: 429 });
    const before = fake.requestsTo('PUT /applications/*/commands').length;
    const result = await registerCommands(testConfig(fake));
    expect(
      fake
        .requestsTo('PUT /applications/*/commands')
        .slice(before)
        .map((r) => r.status),
    ).toEqual([429, 200]);
    expect(result.commands).toHaveLength(1);
  });
});

describe('discord:register CLI', () => {
  it('exits 1 naming DISCORD_TOKEN and DISCORD_APPLICATION_ID when both are missing', async () => {
    const { code, stderr, stdout } = await runRegisterCli({});
    expect(code).toBe(1);
    expect(stderr).toContain('DISCORD_TOKEN');
    expect(stderr).toContain('DISCORD_APPLICATION_ID');
    expect(stdout).toBe('');
  });

  it('exits 1 naming the one variable that is missing', async () => {
    const { code, stderr } = await runRegisterCli({ DISCORD_TOKEN: TEST_TOKEN });
    expect(code).toBe(1);
    expect(stderr).toContain('DISCORD_APPLICATION_ID');
    expect(stderr).not.toContain(TEST_TOKEN);
  });

  it('registers to the guild through DISCORD_API_URL, says what it did and never prints the token', async () => {
    const before = fake.requestsTo('PUT /applications/*/guilds/*/commands').length;
    const { code, stdout, stderr } = await runRegisterCli({
      DISCORD_TOKEN: TEST_TOKEN,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_GUILD_ID: fake.guildId,
      DISCORD_API_URL: fake.apiUrl,
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(
      `PUT /applications/${fake.applicationId}/guilds/${fake.guildId}/commands`,
    );
    expect(stdout).toContain('/haidian');
    expect(stdout + stderr).not.toContain(TEST_TOKEN);
    expect(fake.requestsTo('PUT /applications/*/guilds/*/commands')).toHaveLength(before + 1);
  });

  it('exits 1 with the API error when Discord refuses the token', async () => {
    fake.failNext('PUT /applications/*/commands', 1, {
      status: 401,
      body: { message: '401: Unauthorized', code: 0 },
    });
    const { code, stderr } = await runRegisterCli({
      DISCORD_TOKEN: 'wrong-token',
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/Registering the commands failed: .*Unauthorized/);
    expect(stderr).not.toContain('wrong-token');
  });
});
