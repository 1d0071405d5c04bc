/**
 * The load test's engine, whatever the platform: starts the bot in its own process, drives stepped
 * rates of questions through a platform driver, and measures each step. Platform drivers
 * (slack-driver.ts, discord-driver.ts) only know how to send one question and how to see answers.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LOOP_RESOLUTION_MS, type BotMessage, type BotProcessSpec, type BotStats } from './protocol.js';
import { watchChild } from './child.js';

/** A step holds when its p99 is under this and nothing was lost, late, duplicated or failed. */
export const HELD_P99_MS = 1_000;
/** How often the scheduler wakes to send what is due and collect answers. */
const TICK_MS = 2;
/** The bot is idle again when no answer arrived for this long after a step. */
const QUIET_MS = 500;

/** One question sent, and what became of it. */
interface Probe {
  readonly scheduledAt: number;
  sentAt?: number;
  /** HTTP status or other acknowledgement outcome; undefined until known. */
  ackOk?: boolean;
  answeredAt?: number;
  answers: number;
}

/** One answer the fake platform received: which question it answers, and when it arrived. */
export interface SeenAnswer {
  readonly id: string;
  readonly at: number;
  /** False when the bot posted its apology instead of an answer. */
  readonly ok: boolean;
}

/** How the load test talks to one platform's fake. */
export interface PlatformDriver {
  readonly platform: 'slack' | 'discord';
  /** Sends question `seq` now; returns its id, and a promise of whether the platform accepted it. */
  send(seq: number): { id: string; accepted: Promise<boolean> };
  /** The answers received since the last call. */
  collect(): SeenAnswer[];
  /** What the load generator's side looks like (requests in flight, queued). */
  readonly backlog: number;
}

export interface StepResult {
  readonly platform: 'slack' | 'discord';
  readonly rate: number;
  readonly seconds: number;
  readonly sent: number;
  /** Events the platform side failed to deliver to the bot (HTTP errors, timeouts). */
  readonly rejected: number;
  readonly answered: number;
  /** Questions never answered, even after the drain window and a quiet period. */
  readonly lost: number;
  readonly duplicated: number;
  /** Answers that were the apology instead. */
  readonly apologies: number;
  /** Answers that arrived after the drain window (their latency counts in p50/p99/max). */
  readonly late: number;
  readonly answersPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly held: boolean;
  /** The bot process over the step. */
  readonly bot: BotStats | undefined;
  /** The load generator's own event-loop lag p99 (beyond the sampling interval): high means the figures are limited by it. */
  readonly generatorLoopP99Ms: number;
  /** CPU of the load generator's process (the client and the fake platform), in % of one core. */
  readonly generatorCpuPercent: number;
  /** The machine's 1-minute load average at the end of the step: well above 2 means other work competed. */
  readonly machineLoad: number;
}

export interface RunOptions {
  readonly rates: readonly number[];
  readonly seconds: number;
  /** How long to wait for the last answers of a step. */
  readonly drainSeconds: number;
  /** Stop starting steps after this many seconds in all. */
  readonly deadline: number;
  readonly warmup: number;
  readonly onStep?: (step: StepResult) => void;
}

interface StepCounters {
  answered: number;
  late: number;
  apologies: number;
}

function newCounters(): StepCounters {
  return { answered: 0, late: 0, apologies: 0 };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The bot process: started, asked for stats, stopped. */
export interface BotProcess {
  readonly port: number | undefined;
  stats(): Promise<BotStats | undefined>;
  stop(): Promise<void>;
}

/** Forks scripts/load/bot-process.ts (through tsx) and waits until it is ready. */
export async function startBotProcess(spec: BotProcessSpec): Promise<BotProcess> {
  const devNull = openSync('/dev/null', 'w');
  const child: ChildProcess = fork(
    path.join(import.meta.dirname, 'bot-process.ts'),
    [JSON.stringify(spec)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', devNull, 'pipe', 'ipc'],
    },
  );
  closeSync(devNull);
  const { stderr, exited } = watchChild(child);
  const ready = await new Promise<{ port?: number }>((resolve, reject) => {
    child.on('message', (message: BotMessage) => {
      if (message.type === 'ready') resolve(message);
      if (message.type === 'failed')
        reject(new Error(`the bot process failed to start: ${message.message}`));
    });
    void exited.then((code) =>
      reject(new Error(`the bot process exited (${String(code)}) before it was ready:\n${stderr()}`)),
    );
  });
  return {
    port: ready.port,
    stats: () =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(undefined), 1_000);
        const onMessage = (message: BotMessage): void => {
          if (message.type !== 'stats') return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(message.stats);
        };
        child.on('message', onMessage);
        child.send({ type: 'stats' });
      }),
    async stop() {
      if (child.exitCode !== null) return;
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs every step in order (until the deadline), each at a fixed rate for a fixed time, and measures it. */
export async function runSteps(
  driver: PlatformDriver,
  bot: BotProcess,
  options: RunOptions,
): Promise<StepResult[]> {
  const begun = performance.now();
  const probes = new Map<string, Probe>();
  const owner = new Map<string, Map<string, Probe>>();
  let seq = 0;

  /** Matches answers to the questions they answer, whatever step those belonged to; returns how many arrived. */
  const collect = (
    stepProbes: Map<string, Probe>,
    deadline: number,
    counters: StepCounters,
  ): number => {
    const arrived = driver.collect();
    for (const answer of arrived) {
      const probe = probes.get(answer.id);
      if (!probe) continue;
      probe.answers += 1;
      if (probe.answers > 1 || owner.get(answer.id) !== stepProbes) continue;
      probe.answeredAt = answer.at;
      counters.answered += 1;
      if (!answer.ok) counters.apologies += 1;
      if (answer.at > deadline) counters.late += 1;
    }
    return arrived.length;
  };

  // Warm-up: module loading, JIT and connection set-up are not what the steps measure.
  if (options.warmup > 0) {
    const warm = new Map<string, Probe>();
    for (let i = 0; i < options.warmup; i += 1) {
      const { id, accepted } = driver.send(seq++);
      const probe: Probe = { scheduledAt: performance.now(), answers: 0 };
      probes.set(id, probe);
      owner.set(id, warm);
      warm.set(id, probe);
      void accepted.then((ok) => (probe.ackOk = ok));
      await sleep(10);
    }
    const until = performance.now() + 10_000;
    const counters = newCounters();
    while (counters.answered < warm.size && performance.now() < until) {
      collect(warm, Infinity, counters);
      await sleep(20);
    }
  }

  const results: StepResult[] = [];
  for (const rate of options.rates) {
    if ((performance.now() - begun) / 1000 > options.deadline) break;
    await bot.stats(); // resets the bot's counters for this step
    const generatorCpu = process.cpuUsage();
    const generatorWall = performance.now();
    const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    loop.enable();
    const stepProbes = new Map<string, Probe>();
    const counters = newCounters();
    const total = Math.round(rate * options.seconds);
    const start = performance.now() + 20;
    const intervalMs = 1000 / rate;
    let next = 0;
    const drainUntil = start + options.seconds * 1000 + options.drainSeconds * 1000;
    // Send on schedule; latency counts from the scheduled time, so a generator or a bot that falls
    // behind shows up as latency instead of silently lowering the rate.
    while (next < total || performance.now() < drainUntil) {
      const now = performance.now();
      while (next < total && start + next * intervalMs <= now) {
        const scheduledAt = start + next * intervalMs;
        const { id, accepted } = driver.send(seq++);
        const probe: Probe = { scheduledAt, sentAt: performance.now(), answers: 0 };
        probes.set(id, probe);
        owner.set(id, stepProbes);
        stepProbes.set(id, probe);
        void accepted.then((ok) => (probe.ackOk = ok));
        next += 1;
      }
      collect(stepProbes, drainUntil, counters);
      if (next >= total && counters.answered >= total) break;
      await sleep(TICK_MS);
    }
    // Let stragglers arrive (late answers and duplicates still count), until the bot is quiet.
    let lastArrival = performance.now();
    const quietDeadline = performance.now() + 10_000;
    while (performance.now() - lastArrival < QUIET_MS && performance.now() < quietDeadline) {
      if (collect(stepProbes, drainUntil, counters) > 0) lastArrival = performance.now();
      await sleep(20);
    }
    loop.disable();
    const botStats = await bot.stats();
    const generatorUsed = process.cpuUsage(generatorCpu);
    const generatorCpuPercent =
      ((generatorUsed.user + generatorUsed.system) / 1000 / (performance.now() - generatorWall)) *
      100;

    const all = [...stepProbes.values()];
    const answeredProbes = all.filter((p) => p.answeredAt !== undefined);
    const latencies = answeredProbes
      .map((p) => (p.answeredAt as number) - p.scheduledAt)
      .sort((a, b) => a - b);
    const lastAnswer = answeredProbes.reduce(
      (last, p) => Math.max(last, p.answeredAt as number),
      start,
    );
    const answered = answeredProbes.length;
    const lost = all.length - answered;
    const duplicated = all.reduce((sum, p) => sum + Math.max(0, p.answers - 1), 0);
    const rejected = all.filter((p) => p.ackOk === false).length;
    const p99Ms = percentile(latencies, 99);
    const result: StepResult = {
      platform: driver.platform,
      rate,
      seconds: options.seconds,
      sent: all.length,
      rejected,
      answered,
      lost,
      duplicated,
      apologies: counters.apologies,
      late: counters.late,
      answersPerSecond: answered / Math.max(options.seconds, (lastAnswer - start) / 1000),
      p50Ms: percentile(latencies, 50),
      p99Ms,
      maxMs: latencies.at(-1) ?? Number.NaN,
      held:
        lost === 0 &&
        counters.late === 0 &&
        duplicated === 0 &&
        rejected === 0 &&
        counters.apologies === 0 &&
        p99Ms < HELD_P99_MS,
      bot: botStats,
      generatorLoopP99Ms: Math.max(0, loop.percentile(99) / 1e6 - LOOP_RESOLUTION_MS),
      generatorCpuPercent,
      machineLoad: os.loadavg()[0] ?? Number.NaN,
    };
    results.push(result);
    options.onStep?.(result);
  }
  return results;
}

/** The highest rate held, if any (a rate counts only if every lower step held too). */
export function highestHeld(steps: readonly StepResult[]): number | undefined {
  let best: number | undefined;
  for (const step of [...steps].sort((a, b) => a.rate - b.rate)) {
    if (!step.held) break;
    best = step.rate;
  }
  return best;
}
