import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayOp, startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { eventually, startBot, type BotProcess } from './process.js';

/**
 * DISCORD_SHARDS under discord.js's ShardingManager, as production runs it: `node --import tsx
 * src/main.ts` is the manager (HTTP endpoints, no gateway connection of its own) and forks one process
 * per shard (src/main.ts --discord-shard), each identifying on the fake gateway as [id, count].
 */

const DISCORD_TOKEN = 'discord-sharding-secret-token';
const INCUBATORS = 'How many incubators are on Zhongguancun street?';
/** Two shards start 5.5 s apart (Discord's identify limit), each in a fresh tsx process. */
const START_TIMEOUT_MS = 30_000;
const SHUTDOWN_BOUND_MS = 5_000;
const SLOW_REPLY_MS = 1_000;

/** A process that still runs (a zombie, exited but not yet reaped, counts as gone). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

const shardPids = (bot: BotProcess): number[] => bot.logs().filter((r) => r['msg'] === 'discord: shard process started').map((r) => Number(r['pid']));
const identifies = (discord: FakeDiscord): unknown[] =>
  discord.gateway.received.filter((frame) => frame.op === GatewayOp.Identify).map((frame) => (frame.d as { shard?: unknown }).shard);

function botEnv(discord: FakeDiscord, shards: string): Record<string, string> {
  return {
    DISCORD_TOKEN,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_SHARDS: shards,
    HOST: '127.0.0.1',
    PORT: '0',
    WATCH_KNOWLEDGE: 'false',
    LOG_LEVEL: 'info',
  };
}

/** Test cleanup: the manager and every shard process it ever logged, killed if still running. */
async function killAll(bot: BotProcess | undefined): Promise<void> {
  if (!bot) return;
  await bot.kill();
  for (const pid of shardPids(bot)) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
}

describe('DISCORD_SHARDS=2: one process per shard (ShardingManager)', () => {
  let discord: FakeDiscord;
  let bot: BotProcess;
  let base: string;

  beforeAll(async () => {
    discord = await startFakeDiscord();
    bot = startBot(botEnv(discord, '2'));
    const http = await bot.waitForLog((r) => r['msg'] === 'http: serving /healthz, /readyz and /metrics');
    base = `http://127.0.0.1:${String(http['port'])}`;
  });

  afterAll(async () => {
    await killAll(bot);
    await discord.close();
  });

  it('starts a process per shard identifying as [0,2] and [1,2]; /readyz is 200 only once both are ready', async () => {
    const started = performance.now();
    // Shard 0 ready, shard 1 not yet spawned (5.5 s later): not ready.
    await bot.waitForLog((r) => r['msg'] === 'discord: shard ready' && r['ready'] === 1, START_TIMEOUT_MS);
    const half = await fetch(`${base}/readyz`);
    expect(half.status).toBe(503);
    expect(await half.json()).toMatchObject({ status: 'not ready', checks: { knowledge: 'ok', discord: 'pending' } });
    expect(identifies(discord)).toEqual([[0, 2]]);

    const ready = await bot.waitForLog((r) => r['msg'] === 'ready' && r['shard'] === undefined, START_TIMEOUT_MS);
    console.info(`sharding: manager ready ${Math.round(performance.now() - started)} ms after shard 0 was`);
    expect(ready).toMatchObject({ platforms: ['discord'] });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    expect(identifies(discord)).toEqual(expect.arrayContaining([[0, 2], [1, 2]]));
    expect(identifies(discord)).toHaveLength(2);
    const connections = discord.gateway.received.filter((frame) => frame.op === GatewayOp.Identify).map((frame) => frame.connection);
    expect(new Set(connections).size).toBe(2);
    const pids = shardPids(bot);
    expect(new Set([...pids, bot.child.pid]).size).toBe(3);
    expect(pids.every(isRunning)).toBe(true);

    // Only the manager serves HTTP; it says how it runs Discord.
    expect(bot.logs().filter((r) => r['msg'] === 'http: serving /healthz, /readyz and /metrics')).toHaveLength(1);
    expect(bot.logs().find((r) => r['msg'] === 'discord: started' && r['shard'] === undefined)).toMatchObject({ mode: 'gateway', sharding: 'processes', shards: 2 });
    // The shard processes log JSON to the same stdout, each line with its shard id.
    for (const shard of [0, 1]) expect(bot.logs().find((r) => r['msg'] === 'knowledge: loaded' && r['shard'] === shard)).toBeDefined();
    expect([...bot.stdout, ...bot.stderr].join('\n')).not.toContain(DISCORD_TOKEN);
  }, START_TIMEOUT_MS * 2);

  it("answers an interaction on each shard's connection from that shard's process, and sums them in /metrics", async () => {
    for (const shard of [0, 1]) {
      const { payload } = discord.sendSlashCommand({ shard, options: { question: INCUBATORS } });
      const callback = await discord.waitForCallback(payload.id);
      // 200: a public answer asks for the callback response (with_response) to learn its message id.
      expect(callback.status).toBe(200);
      expect(JSON.stringify(callback.body)).toContain('Zhongguancun');
      const reply = await bot.waitForLog((r) => r['msg'] === 'reply' && r['eventId'] === payload.id);
      expect(reply).toMatchObject({ shard, platform: 'discord', kind: 'answer' });
    }
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^haidian_questions_total\{platform="discord",kind="answer"\} 2$/m);
    expect(metrics).toMatch(/^haidian_answer_latency_seconds_count\{platform="discord"\} 2$/m);
    expect(metrics).toMatch(/^haidian_discord_shards 2$/m);
    expect(metrics).toMatch(/^haidian_discord_shards_ready 2$/m);
    expect(metrics).toMatch(/^haidian_platform_errors_total\{platform="discord"\} 0$/m);
    expect(metrics).toMatch(/^haidian_fact_base_facts \d+$/m);
  });

  it('respawns a shard process that dies, logs the death, and is not ready until the new one is', async () => {
    const [, victim] = shardPids(bot);
    expect(victim).toBeDefined();
    process.kill(victim!, 'SIGKILL');
    const death = await bot.waitForLog((r) => r['msg'] === 'discord: shard process died; respawning');
    expect(death).toMatchObject({ level: 50, shard: 1, pid: victim, signal: 'SIGKILL', respawn: true });
    expect((await fetch(`${base}/readyz`)).status).toBe(503);

    const respawned = await bot.waitForLog((r) => r['msg'] === 'discord: shard process started' && r['shard'] === 1 && r['pid'] !== victim);
    await bot.waitForLog((r) => r['msg'] === 'discord: shard ready' && r['shard'] === 1 && r['pid'] === respawned['pid'], START_TIMEOUT_MS);
    await eventually(async () => (await fetch(`${base}/readyz`)).status === 200);
    expect(identifies(discord).filter((shard) => JSON.stringify(shard) === '[1,2]')).toHaveLength(2);
    expect(isRunning(victim!)).toBe(false);

    const { payload } = discord.sendSlashCommand({ shard: 1, options: { question: INCUBATORS } });
    await discord.waitForCallback(payload.id);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^haidian_discord_shard_deaths_total 1$/m);
    expect(metrics).toMatch(/^haidian_discord_shards_ready 2$/m);
  }, START_TIMEOUT_MS);

  it('passes SIGHUP on: the manager and every shard process reload the fact base', async () => {
    bot.child.kill('SIGHUP');
    for (const shard of [undefined, 0, 1]) {
      await bot.waitForLog((r) => r['msg'] === 'knowledge: reloaded' && r['reason'] === 'SIGHUP' && r['shard'] === shard);
    }
  });

  it('on SIGTERM lets each shard process finish its replies in flight, then exits 0, leaving no process behind', async () => {
    const live = shardPids(bot).filter(isRunning);
    expect(live).toHaveLength(2);
    // A reply held in flight on shard 0: its callback reaches the fake, which answers only after SLOW_REPLY_MS.
    discord.delayNext('POST /interactions/:id/:token/callback', 1, SLOW_REPLY_MS);
    const { payload } = discord.sendSlashCommand({ shard: 0, options: { question: INCUBATORS } });
    await discord.waitFor(() => discord.requestsTo('POST /interactions/:id/:token/callback').find((r) => r.route.includes(payload.id)));
    const begun = performance.now();
    bot.child.kill('SIGTERM');
    const code = await Promise.race([bot.exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), SHUTDOWN_BOUND_MS))]);
    const elapsed = Math.round(performance.now() - begun);
    console.info(`sharding: SIGTERM to exit ${elapsed} ms, with a reply held ${SLOW_REPLY_MS} ms`);
    expect(code).toBe(0);
    expect((await discord.waitForCallback(payload.id)).status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(SLOW_REPLY_MS / 2);
    expect(live.filter(isRunning)).toEqual([]);
    const exited = bot.logs().filter((r) => r['msg'] === 'discord: shard process exited');
    expect(exited.map((r) => r['pid']).sort()).toEqual([...live].sort());
    expect(exited.every((r) => r['exitCode'] === 0)).toBe(true);
    for (const shard of [0, 1]) expect(bot.logs().find((r) => r['msg'] === 'shutdown: done' && r['shard'] === shard)).toBeDefined();
    // The manager's last line (its lines about shards carry `shard` too, but not this one).
    expect(bot.logs().filter((r) => r['shard'] === undefined).at(-1)).toMatchObject({ msg: 'shutdown: done' });
  });
});

describe('DISCORD_SHARDS: a shard process that cannot connect', () => {
  let discord: FakeDiscord;
  let bot: BotProcess | undefined;

  beforeAll(async () => {
    discord = await startFakeDiscord();
  });

  afterAll(async () => {
    await killAll(bot);
    await discord.close();
  });

  it('stops start-up with exit 1 and "discord: could not start", leaving no shard process', async () => {
    // Every shard process's login is refused (the manager itself needs no REST call for a number).
    discord.failNext('GET /gateway/bot', 1_000, { status: 401 });
    bot = startBot(botEnv(discord, '2'));
    const code = await Promise.race([bot.exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), START_TIMEOUT_MS))]);
    expect(code).toBe(1);
    expect(bot.stderr.join('\n')).toMatch(/^discord: could not start: /m);
    expect(bot.logs().find((r) => r['msg'] === 'discord: shard process died; respawning')).toMatchObject({ shard: 0, exitCode: 1 });
    // Shard 1 was never started; shard 0 and its respawn are gone.
    expect(shardPids(bot).length).toBeGreaterThanOrEqual(1);
    expect(bot.logs().some((r) => r['msg'] === 'discord: shard process started' && r['shard'] === 1)).toBe(false);
    await eventually(() => shardPids(bot!).every((pid) => !isRunning(pid)));
  }, START_TIMEOUT_MS);
});

describe('DISCORD_SHARDS=auto', () => {
  let discord: FakeDiscord;
  let bot: BotProcess | undefined;

  beforeAll(async () => {
    discord = await startFakeDiscord();
  });

  afterAll(async () => {
    await killAll(bot);
    await discord.close();
  });

  it("takes the count from GET /gateway/bot on DISCORD_API_URL; shard processes stop when the manager is killed", async () => {
    bot = startBot(botEnv(discord, 'auto'));
    await bot.waitForLog((r) => r['msg'] === 'ready' && r['shard'] === undefined, START_TIMEOUT_MS);
    // The fake recommends 1 shard; the manager asked it (not discord.com), as did the shard process.
    expect(bot.logs().find((r) => r['msg'] === 'discord: recommended shard count')).toMatchObject({ shards: 1 });
    expect(discord.requestsTo('GET /gateway/bot').length).toBeGreaterThanOrEqual(2);
    expect(identifies(discord)).toEqual([[0, 1]]);

    // A manager that dies without a graceful stop: its shard process notices and leaves on its own.
    const [pid] = shardPids(bot);
    await bot.kill();
    await eventually(() => !isRunning(pid!), 10_000);
    await eventually(() => discord.gateway.open === 0);
  }, START_TIMEOUT_MS);
});
