import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PlatformStartError, startApp, type RunningApp } from '../../src/host/app.js';
import { createMetrics } from '../../src/host/metrics.js';
import { captureLogs, connectedPlatform, controlledPlatform, testConfig } from './app.js';
import { eventually } from './process.js';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

async function readyz(port: number | undefined): Promise<{ status: number; body: { status: string; checks: Record<string, string>; reasons: string[] } }> {
  const response = await fetch(`http://127.0.0.1:${String(port)}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, string>; reasons: string[] } };
}

/** The port the app's own server listens on, read from its start-up log line. */
function serverPort(records: () => Record<string, unknown>[]): Promise<number> {
  return eventually(() => records().find((r) => r['msg'] === 'http: serving /healthz, /readyz and /metrics')?.['port'] as number | undefined);
}

describe('/healthz and /readyz over HTTP', () => {
  it('is alive at once, ready only when the platform has connected, and not ready while shutting down', async () => {
    const platform = controlledPlatform({ stopsImmediately: false });
    const { logger, records } = captureLogs();
    const starting = startApp({ config: testConfig(), logger, platforms: [platform.launcher] });
    const port = await serverPort(records);

    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const before = await readyz(port);
    expect(before.status).toBe(503);
    expect(before.body).toEqual({ status: 'not ready', checks: { knowledge: 'ok', discord: 'pending' }, reasons: ['discord: connecting'] });

    platform.connect();
    app = await starting;
    expect(app.httpPort).toBe(port);
    const after = await readyz(port);
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ status: 'ready', checks: { knowledge: 'ok', discord: 'ok' }, reasons: [] });

    // While platforms drain, the server still answers, and says not ready so traffic goes elsewhere.
    const stopping = app.stop();
    const during = await readyz(port);
    expect(during.status).toBe(503);
    expect(during.body.reasons).toContain('shutdown: the process is shutting down');
    platform.finishStop();
    await stopping;
    expect(platform.stopCalls).toEqual([{ drainTimeoutMs: 10_000 }]);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('answers HEAD, refuses other methods and unknown paths', async () => {
    const { logger } = captureLogs();
    app = await startApp({ config: testConfig(), logger, platforms: [connectedPlatform().launcher] });
    const url = `http://127.0.0.1:${String(app.httpPort)}`;
    const head = await fetch(`${url}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${url}/readyz`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${url}/slack/events`, { method: 'POST' })).status).toBe(404);
  });

  it('reports a live probe going down: /readyz says 503 with the reason while the platform is disconnected', async () => {
    let connected = true;
    const platform = controlledPlatform();
    const launcher = {
      ...platform.launcher,
      start: async (deps: Parameters<typeof platform.launcher.start>[0]) => {
        const started = platform.launcher.start(deps);
        platform.connect();
        return { ...(await started), isConnected: () => connected };
      },
    };
    const { logger } = captureLogs();
    app = await startApp({ config: testConfig(), logger, platforms: [launcher] });
    expect((await readyz(app.httpPort)).status).toBe(200);
    connected = false;
    expect(await readyz(app.httpPort)).toMatchObject({ status: 503, body: { reasons: ['discord: disconnected, reconnecting'] } });
    connected = true;
    expect((await readyz(app.httpPort)).status).toBe(200);
  });

  it('fails start-up with the platform named, and releases the port, when a platform cannot connect', async () => {
    const platform = controlledPlatform();
    const { logger, records } = captureLogs();
    const starting = startApp({ config: testConfig(), logger, platforms: [platform.launcher] });
    const port = await serverPort(records);
    platform.fail(new Error('gateway said no'));
    await expect(starting).rejects.toThrow(PlatformStartError);
    await expect(starting).rejects.toThrow('discord: could not start: gateway said no');
    // The port is free again: nothing half-started is left behind.
    await new Promise<void>((resolve, reject) => {
      const probe = createServer().once('error', reject);
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
    });
  });

  it('runs no HTTP server in terminal mode (no platform configured)', async () => {
    const { logger, records } = captureLogs();
    const metrics = createMetrics({ processMetrics: false });
    app = await startApp({ config: testConfig(), logger, platforms: [], metrics });
    expect(app.httpPort).toBeUndefined();
    expect(records().some((r) => String(r['msg']).startsWith('http:'))).toBe(false);
    expect(app.readiness.report().ready).toBe(true);
  });
});

describe('createReadiness', () => {
  it('reports an advisory check as degraded without making the process unready', async () => {
    const { createReadiness } = await import('../../src/host/readiness.js');
    const readiness = createReadiness();
    readiness.add('knowledge', 'loading');
    readiness.pass('knowledge');
    let up = true;
    readiness.advise('store', () => up, 'Redis unreachable');
    expect(readiness.report()).toEqual({ ready: true, checks: { knowledge: 'ok', store: 'ok' }, reasons: [], degraded: [] });
    up = false;
    expect(readiness.report()).toEqual({ ready: true, checks: { knowledge: 'ok', store: 'degraded' }, reasons: [], degraded: ['store: Redis unreachable'] });
    readiness.shuttingDown();
    expect(readiness.report()).toMatchObject({ ready: false, degraded: ['store: Redis unreachable'] });
  });
});
