/**
 * `npm run load -- --replicas N`: N bot processes (as production runs them) on one real redis-server,
 * behind a round-robin proxy, seen by the load driver as one bot. The figures then include what
 * several replicas add: a Redis round trip per event for de-duplication and one for the rate limit,
 * and a proxy hop. Lost and duplicated answers are counted as for one process.
 */
import { startRedisServer } from '../../test/helpers/redis-server.js';
import { startRoundRobinProxy } from '../../test/helpers/round-robin-proxy.js';
import type { BotStats } from './protocol.js';
import type { BotProcess } from './run.js';

/** Starts `count` replicas with `start` (given the REDIS_URL to use) and a proxy in front of them. */
export async function startReplicas(
  count: number,
  start: (redisEnv: Readonly<Record<string, string>>) => Promise<BotProcess>,
): Promise<BotProcess & { readonly replicas: number }> {
  const redis = await startRedisServer();
  const replicas: BotProcess[] = [];
  try {
    for (let i = 0; i < count; i += 1) replicas.push(await start({ REDIS_URL: redis.url }));
  } catch (error) {
    await Promise.allSettled(replicas.map((replica) => replica.stop()));
    await redis.close();
    throw error;
  }
  const proxy = await startRoundRobinProxy(replicas.map((replica) => `http://127.0.0.1:${String(replica.port)}`));
  return {
    replicas: count,
    port: Number(new URL(proxy.url).port),
    /** The replicas' CPU summed (in % of one core), their worst event-loop lag, their memory summed. */
    async stats() {
      const all = (await Promise.all(replicas.map((replica) => replica.stats()))).filter((s): s is BotStats => s !== undefined);
      if (all.length === 0) return undefined;
      return {
        cpuPercent: all.reduce((sum, s) => sum + s.cpuPercent, 0),
        loopDelayP99Ms: Math.max(...all.map((s) => s.loopDelayP99Ms)),
        loopDelayMaxMs: Math.max(...all.map((s) => s.loopDelayMaxMs)),
        rssMb: all.reduce((sum, s) => sum + s.rssMb, 0),
      };
    },
    async stop() {
      await proxy.close();
      await Promise.allSettled(replicas.map((replica) => replica.stop()));
      await redis.close();
    },
  };
}
