import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayOp, startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { startBot, type BotProcess } from './process.js';

/**
 * DISCORD_SHARDS is not a silent no-op: the process opens one gateway connection per shard (discord.js
 * internal sharding, every shard in this one process), each identifying as [id, count].
 */

let discord: FakeDiscord;
let bot: BotProcess;

beforeAll(async () => {
  discord = await startFakeDiscord();
  bot = startBot({
    DISCORD_TOKEN: 'discord-shards-secret-token',
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_SHARDS: '2',
    HOST: '127.0.0.1',
    PORT: '0',
    WATCH_KNOWLEDGE: 'false',
  });
  await bot.waitForLog((record) => record['msg'] === 'ready');
});

afterAll(async () => {
  await bot.kill();
  await discord.close();
});

describe('DISCORD_SHARDS', () => {
  it('runs two shards in one process when set to 2', async () => {
    const shards = discord.gateway.received.filter((frame) => frame.op === GatewayOp.Identify).map((frame) => (frame.d as { shard?: unknown }).shard);
    expect(shards).toEqual(expect.arrayContaining([[0, 2], [1, 2]]));
    expect(shards).toHaveLength(2);
    expect(bot.logs().find((r) => r['msg'] === 'discord: started')).toMatchObject({ mode: 'gateway', shards: 2 });
    const port = Number(bot.logs().find((r) => r['msg'] === 'http: serving /healthz, /readyz and /metrics')?.['port']);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  });
});
