import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/bot/log.js';
import { connectRedisStore, RedisUnavailableError, type SharedStore } from '../../src/host/redis-store.js';
import { freePort, redisServerAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const service = redisServerAvailable();

describe.skipIf(!service.available)(`the shared store on a real redis-server${service.available ? '' : ` (${service.reason})`}`, () => {
  let server: RedisServer;
  const opened: SharedStore[] = [];
  const open = async (keyPrefix = 'test:', optional = false): Promise<SharedStore> => {
    const store = await connectRedisStore({ config: { url: server.url, keyPrefix, optional }, logger: createSilentLogger() });
    opened.push(store);
    return store;
  };

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await server?.close();
  });

  it('shares values between two clients (two replicas), under the key prefix', async () => {
    const [a, b] = [await open(), await open()];
    await a.set('k', 'v', 60_000);
    expect(await b.get('k')).toBe('v');
    expect(await a.redis.ttl('k')).toBeGreaterThan(0);
    const other = await open('another-bot:');
    expect(await other.get('k')).toBeUndefined();
  });

  it('lets exactly one of two replicas claim the same key (a retried event is answered once)', async () => {
    const [a, b] = [await open(), await open()];
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).setIfAbsent('event:Ev1', '1', 600_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('keeps answering from memory while Redis is down, and shares again once it is back', async () => {
    const store = await open();
    expect(store.healthy).toBe(true);
    await server.stop();
    // Bounded: every call returns promptly from memory instead of waiting on the lost server.
    const started = Date.now();
    expect(await store.setIfAbsent('during-outage', '1', 60_000)).toBe(true);
    expect(await store.setIfAbsent('during-outage', '1', 60_000)).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(store.healthy).toBe(false);
    await server.restart();
    const other = await open();
    const deadline = Date.now() + 10_000;
    while (!(await store.setIfAbsent('after', '1', 60_000).then(() => store.healthy)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(store.healthy).toBe(true);
    await store.set('shared-again', 'yes', 60_000);
    expect(await other.get('shared-again')).toBe('yes');
  });
});

describe('start-up without Redis', () => {
  it('fails naming REDIS_URL when Redis cannot be reached, and starts degraded when it is optional', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const error = await connectRedisStore({ config: { url, keyPrefix: 'x:', optional: false }, logger: createSilentLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as Error).message).toMatch(/^REDIS_URL: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+/);
    const degraded = await connectRedisStore({ config: { url, keyPrefix: 'x:', optional: true }, logger: createSilentLogger() });
    expect(degraded.healthy).toBe(false);
    expect(await degraded.setIfAbsent('k', '1', 1000)).toBe(true);
    expect(await degraded.get('k')).toBe('1');
    await degraded.close();
  });
});
