import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/index.js';
import { createSilentLogger } from '../../src/bot/log.js';
import { connectRedisStore, type SharedStore } from '../../src/host/redis-store.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { realBot, testConfig } from '../adapters/discord/harness.js';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

/**
 * Two replicas connected to the Discord gateway as the same shard both receive every event (that is
 * what lets one take over at once when the other goes). On one Redis, each event is answered once.
 * Real discord.js Clients against the fake Discord, a real redis-server.
 */

const service = redisServerAvailable();
const QUESTION = 'How many incubators are on Zhongguancun street?';

describe.skipIf(!service.available)(`two Discord replicas on one Redis${service.available ? '' : ` (${service.reason})`}`, () => {
  let redis: RedisServer;
  let fake: FakeDiscord;
  const stores: SharedStore[] = [];
  const adapters: DiscordAdapter[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    fake = await startFakeDiscord();
    const bot = await realBot();
    for (let i = 0; i < 2; i += 1) {
      const store = await connectRedisStore({ config: { url: redis.url, keyPrefix: 'discord-replicas:', optional: false }, logger: createSilentLogger() });
      stores.push(store);
      adapters.push(await startDiscordAdapter({ config: testConfig(fake), bot, logger: createSilentLogger(), store }));
    }
  }, 30_000);

  afterAll(async () => {
    await Promise.all(adapters.map((adapter) => adapter.stop({ drainTimeoutMs: 0 })));
    await Promise.all(stores.map((store) => store.close()));
    await fake?.close();
    await redis?.close();
  });

  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 400));

  it('answers a slash command that reaches both replicas once', async () => {
    const { payload } = fake.sendSlashCommand({ options: { question: QUESTION } });
    await fake.waitForCallback(payload.id);
    await settle();
    expect(fake.requestsTo(`POST /interactions/${payload.id}/*/callback`)).toHaveLength(1);
  });

  it('answers a mention that reaches both replicas once', async () => {
    const { payload } = fake.sendMessage({ content: `<@${fake.botUser.id}> ${QUESTION}`, mentions: [fake.botUser] });
    const replies = () =>
      fake.requestsTo(`POST /channels/${fake.channelId}/messages`).filter((request) => (request.body as { message_reference?: { message_id: string } }).message_reference?.message_id === payload.id);
    await fake.waitFor(() => replies()[0]);
    await settle();
    expect(replies()).toHaveLength(1);
  });
});
