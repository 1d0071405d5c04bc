import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../bot/log.js';
import type { Metrics } from './metrics.js';
import type { Readiness } from './readiness.js';

/**
 * The process's HTTP endpoints. They are plain route handlers so that Slack's HTTP mode can serve
 * them on Bolt's own server (one port, next to `/slack/events`); otherwise {@link startHttpServer}
 * serves them.
 */

/** One route, in the shape Bolt's `customRoutes` takes. */
export interface HttpRoute {
  readonly path: string;
  readonly method: string[];
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/** After close() stops accepting, keep-alive and slow connections get this long before they are cut. */
export const HTTP_CLOSE_GRACE_MS = 1_000;

/** `/healthz` (alive), `/readyz` (fact base loaded and platforms connected) and `/metrics` (Prometheus). */
export function createHealthRoutes(deps: { readiness: Readiness; metrics: Metrics; logger: Logger }): HttpRoute[] {
  const methods = ['GET', 'HEAD'];
  return [
    {
      path: '/healthz',
      method: methods,
      handler: (_req, res) => send(res, 200, 'text/plain; charset=utf-8', 'ok\n'),
    },
    {
      path: '/readyz',
      method: methods,
      handler: (_req, res) => {
        const report = deps.readiness.report();
        const status = !report.ready ? 'not ready' : report.degraded.length > 0 ? 'degraded' : 'ready';
        const body = { status, checks: report.checks, reasons: report.reasons, ...(report.degraded.length > 0 ? { degraded: report.degraded } : {}) };
        send(res, report.ready ? 200 : 503, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`);
      },
    },
    {
      path: '/metrics',
      method: methods,
      handler: (_req, res) => {
        deps.metrics.render().then(
          (text) => send(res, 200, deps.metrics.contentType, text),
          (error: unknown) => {
            deps.logger.error({ err: error }, 'http: rendering metrics failed');
            send(res, 500, 'text/plain; charset=utf-8', 'metrics unavailable\n');
          },
        );
      },
    },
  ];
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  // No caching anywhere between the probe and the process: a stale 200 would hide an outage.
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** A running standalone HTTP server. */
export interface RunningHttpServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves `routes` on host:port with node:http (used when Slack is not in HTTP mode, or not configured). */
export async function startHttpServer(options: { host: string; port: number; routes: readonly HttpRoute[] }): Promise<RunningHttpServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = options.routes.find((candidate) => candidate.path === path);
    if (!route) {
      send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
      return;
    }
    if (!route.method.includes(req.method ?? '')) {
      res.setHeader('allow', route.method.join(', '));
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
      return;
    }
    route.handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => closeServer(server),
  };
}

async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // close() waits for open connections; a prober holding a keep-alive socket must not delay shutdown.
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), HTTP_CLOSE_GRACE_MS);
  await closed;
  clearTimeout(timer);
}
