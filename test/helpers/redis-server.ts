import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serviceAvailable, type ServiceCheck } from './services.js';

/**
 * A real redis-server (Debian's package) on a free loopback port, for the tests of shared state.
 * Without redis-server on the machine those tests skip and say so; in CI (HAIDIAN_REQUIRE_SERVICES=1,
 * set by .ci/run, which installs the package) a missing server fails them instead.
 */

export const REDIS_SERVER = 'redis-server';
const READY_TIMEOUT_MS = 5_000;

/** Whether redis-server can run here; the reason when not. */
export function redisServerAvailable(): ServiceCheck {
  return serviceAvailable({ binary: REDIS_SERVER, args: ['--version'], packageName: 'redis-server', tests: 'the Redis tests' });
}

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGKILL: as a crash looks to the bot). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Stops it for good and removes its folder. */
  close(): Promise<void>;
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

/** Starts redis-server on 127.0.0.1 with no persistence, and waits until it accepts connections. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'haidian-redis-'));
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await connects(port))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port} within ${READY_TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: kill,
    async restart() {
      await kill();
      await launch();
    },
    async close() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
