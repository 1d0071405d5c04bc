import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanEnv } from '../helpers/run.js';

/** The repository root; spawned processes run there. */
export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Time a spawned bot gets to start before a test gives up (tsx compiles on first run). */
export const START_TIMEOUT_MS = 15_000;
const POLL_MS = 20;

/** A bot process started with `node --import tsx src/main.ts`, with its output captured line by line. */
export interface BotProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: string[];
  readonly stderr: string[];
  /** stdout lines that are JSON log records, parsed. */
  logs(): Record<string, unknown>[];
  /** Waits for a log record matching `predicate` and returns it. */
  waitForLog(predicate: (record: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Kills the process if it is still running (test cleanup). */
  kill(): Promise<void>;
}

/**
 * Starts the bot as production does (the Dockerfile's command): one node process, so a signal sent
 * to it reaches the bot itself. npm and npx do not forward SIGTERM to their child.
 */
export function startBot(env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  collectLines(child.stdout, stdout);
  collectLines(child.stderr, stderr);
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const logs = (): Record<string, unknown>[] =>
    stdout.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  return {
    child,
    stdout,
    stderr,
    logs,
    async waitForLog(predicate, timeoutMs = START_TIMEOUT_MS) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const found = logs().find(predicate);
        if (found) return found;
        if (child.exitCode !== null || performance.now() > deadline) {
          throw new Error(`no matching log line (exit ${String(child.exitCode)}); stdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`);
        }
        await sleep(POLL_MS);
      }
    },
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

function collectLines(stream: NodeJS.ReadableStream, into: string[]): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    into.push(...parts);
  });
  stream.on('end', () => {
    if (partial) into.push(partial);
  });
}

/** Resolves once `check` returns something truthy; rejects after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 5_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
}

/** A scratch directory, removed by the returned cleanup. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `haidian-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A copy of the real fact base in a scratch directory, to edit in reload tests. */
export async function copyKnowledge(into: string): Promise<string> {
  const dir = path.join(into, 'knowledge');
  await cp(path.join(ROOT, 'knowledge'), dir, { recursive: true });
  return dir;
}
