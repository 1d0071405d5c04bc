/**
 * The bot under load as production runs it (`--bot main`): the compiled `node dist/src/main.js` (or,
 * with `--tsx`, `node --import tsx src/main.ts` from the sources), configured
 * by environment variables, with everything the hosted process adds around the adapters (the rate
 * limit, metrics, one log line per reply at info level to stdout, which goes to /dev/null here).
 * Ready when `/readyz` says so; resource figures come from its own `/metrics`.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { BotStats } from './protocol.js';
import { watchChild } from './child.js';
import { COMPILED_MAIN } from './build.js';
import type { BotProcess } from './run.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const READY_TIMEOUT_MS = 30_000;
/** prom-client samples the event loop every 10 ms by default; its histogram's values include that. */
const PROM_LOOP_RESOLUTION_MS = 10;

/** A free port on 127.0.0.1 (the bot's PORT; in Slack HTTP mode it also takes the events). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function metric(text: string, name: string): number {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
  return match ? Number(match[1]) : Number.NaN;
}

/** How the bot process is started: the compiled build (what production runs) or the TypeScript sources through tsx. */
export type MainRuntime = 'compiled' | 'tsx';

/** The node arguments for each runtime, and how the load header names it. */
const MAIN_ARGS: Readonly<Record<MainRuntime, readonly string[]>> = {
  compiled: [COMPILED_MAIN],
  tsx: ['--import', 'tsx', 'src/main.ts'],
};
export const MAIN_COMMAND: Readonly<Record<MainRuntime, string>> = {
  compiled: 'node dist/src/main.js',
  tsx: 'node --import tsx src/main.ts',
};

/** Starts the bot with `env` (plus HOST, PORT, LOG_LEVEL and the fact base), and waits until ready. */
export async function startMainProcess(env: Readonly<Record<string, string>>, runtime: MainRuntime): Promise<BotProcess> {
  const port = await freePort();
  const devNull = openSync('/dev/null', 'w');
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(SLACK|DISCORD)_/.test(key)),
  );
  const child = spawn(process.execPath, [...MAIN_ARGS[runtime]], {
    cwd: ROOT,
    env: {
      ...inherited,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      KNOWLEDGE_DIR: path.join(ROOT, 'knowledge'),
      WATCH_KNOWLEDGE: 'false',
      ...env,
    },
    stdio: ['ignore', devNull, 'pipe'],
  });
  closeSync(devNull);
  const { stderr, exited } = watchChild(child);
  const base = `http://127.0.0.1:${port}`;

  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${MAIN_COMMAND[runtime]} exited (${child.exitCode}) before it was ready:\n${stderr()}`);
    const ready = await fetch(`${base}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${MAIN_COMMAND[runtime]} not ready within ${READY_TIMEOUT_MS} ms:\n${stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  let cpuSeconds = 0;
  let wall = performance.now();
  const sample = async (): Promise<BotStats | undefined> => {
    const text = await fetch(`${base}/metrics`).then(
      (response) => response.text(),
      () => '',
    );
    const cpu = metric(text, 'process_cpu_seconds_total');
    const now = performance.now();
    const stats: BotStats = {
      cpuPercent: ((cpu - cpuSeconds) * 1000 * 100) / (now - wall),
      loopDelayP99Ms: Math.max(
        0,
        metric(text, 'nodejs_eventloop_lag_p99_seconds') * 1000 - PROM_LOOP_RESOLUTION_MS,
      ),
      loopDelayMaxMs: Math.max(
        0,
        metric(text, 'nodejs_eventloop_lag_max_seconds') * 1000 - PROM_LOOP_RESOLUTION_MS,
      ),
      rssMb: metric(text, 'process_resident_memory_bytes') / 1e6,
    };
    cpuSeconds = cpu;
    wall = now;
    return text === '' ? undefined : stats;
  };
  await sample();

  return {
    port,
    stats: sample,
    async stop() {
      if (child.exitCode !== null) return;
      // SIGTERM: the graceful stop production gets, with replies in flight drained.
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
