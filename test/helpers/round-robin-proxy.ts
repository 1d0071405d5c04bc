import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A load balancer in miniature for replica tests: each request goes to the next upstream in turn, with
 * method, path, headers and body unchanged. A request whose upstream cannot be reached (a killed
 * replica) gets 502 and the sender (Slack) retries; like nginx's passive health check (max_fails=1,
 * fail_timeout), that upstream is then skipped for {@link UPSTREAM_FAIL_TIMEOUT_MS}.
 */

/** How long an upstream that refused a connection is left out of the rotation. */
export const UPSTREAM_FAIL_TIMEOUT_MS = 10_000;
export interface RoundRobinProxy {
  readonly url: string;
  /** How many requests went to each upstream, in the order given. */
  readonly sent: number[];
  close(): Promise<void>;
}

export async function startRoundRobinProxy(upstreams: readonly string[]): Promise<RoundRobinProxy> {
  const sent = upstreams.map(() => 0);
  let next = 0;
  const downUntil = upstreams.map(() => 0);
  const pick = (): number => {
    const now = Date.now();
    for (let tried = 0; tried < upstreams.length; tried += 1) {
      const index = next;
      next = (next + 1) % upstreams.length;
      if ((downUntil[index] ?? 0) <= now) return index;
    }
    // Every upstream is marked down: try the next one anyway rather than refuse outright.
    const index = next;
    next = (next + 1) % upstreams.length;
    return index;
  };
  const server: Server = createServer((req, res) => {
    const index = pick();
    sent[index] = (sent[index] ?? 0) + 1;
    const target = new URL(req.url ?? '/', upstreams[index]);
    const body: Buffer[] = [];
    req.on('data', (chunk: Buffer) => body.push(chunk));
    req.on('end', () => {
      const forward = request(target, { method: req.method, headers: req.headers }, (upstream: IncomingMessage) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      });
      forward.on('error', () => {
        downUntil[index] = Date.now() + UPSTREAM_FAIL_TIMEOUT_MS;
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('bad gateway');
      });
      forward.end(Buffer.concat(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
