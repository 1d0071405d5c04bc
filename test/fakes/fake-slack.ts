import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A fake Slack on 127.0.0.1 for end-to-end tests of the real Bolt App: the Web API (`POST /api/<method>`),
 * response_url sinks (`POST /response/<id>`) and a Socket Mode WebSocket endpoint. It records every
 * request and can be scripted to fail or slow down, for fault and load tests.
 */

/** One request the fake received: a Web API call or a response_url post. */
export interface RecordedCall {
  /** Web API method (`chat.postMessage`), or `response` for a response_url post. */
  readonly method: string;
  /** Form fields decoded (JSON-valued fields such as `blocks` parsed), or the parsed JSON body. */
  readonly body: Record<string, unknown>;
  readonly headers: IncomingHttpHeaders;
  /** The id in `/response/<id>`, for response_url posts. */
  readonly responseId?: string;
  /** HTTP status the fake answered with (429/500/… when scripted to fail). */
  readonly status: number;
  /** `performance.now()` when the request arrived. */
  readonly at: number;
}

/** What the fake answers instead of the normal response, for the next `count` calls of a method. */
export interface FakeFailure {
  /** Default 500; use 200 with `body: { ok: false, error }` for a Slack platform error. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** An acknowledgement the app sent back over Socket Mode. */
export interface SocketAck {
  readonly envelope_id: string;
  readonly payload?: unknown;
  readonly at: number;
}

export interface FakeSlackIdentity {
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
}

export interface FakeSlackOptions {
  readonly identity?: Partial<FakeSlackIdentity>;
  /** Send `hello` when a Socket Mode client connects (default true); false to test a hanging handshake. */
  readonly socketHello?: boolean;
}

export interface FakeSlack {
  /** Web API base URL, with the trailing `/api/` Bolt's `slackApiUrl` needs. */
  readonly apiUrl: string;
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  readonly identity: FakeSlackIdentity;
  /** Every request, in arrival order. */
  readonly calls: readonly RecordedCall[];
  /** Socket Mode acks, in arrival order. */
  readonly socketAcks: readonly SocketAck[];
  /** Open Socket Mode connections. */
  readonly socketConnections: number;
  /** Calls of one method (or `response`), optionally only those answered with `status`. */
  callsTo(method: string, status?: number): RecordedCall[];
  /** A response_url pointing at this fake; `id` defaults to a fresh uuid. */
  responseUrl(id?: string): string;
  /** The next `count` calls of `method` (or `response`) get `failure` instead of the normal answer. */
  failNext(method: string, count: number, failure: FakeFailure): void;
  /** Every later call of `method` (or `response`) is answered after `ms`; 0 removes the delay. */
  setDelay(method: string, ms: number): void;
  /** Polls `predicate` until it returns something truthy, and returns that; rejects after `timeoutMs`. */
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** Waits until `method` has been answered successfully `count` times; returns those calls. */
  waitForCalls(method: string, count: number, timeoutMs?: number): Promise<RecordedCall[]>;
  /** Sends a Socket Mode envelope to every connected client and resolves with the client's ack. */
  sendEnvelope(envelope: SocketEnvelope, timeoutMs?: number): Promise<SocketAck>;
  /** Waits until `count` Socket Mode clients are connected (and greeted). */
  waitForSocketConnections(count: number, timeoutMs?: number): Promise<void>;
  /** Drops every Socket Mode connection (fault tests: the client should reconnect). */
  dropSockets(code?: number): void;
  /** Forgets recorded calls and acks, failures and delays. */
  reset(): void;
  close(): Promise<void>;
}

export interface SocketEnvelope {
  readonly envelope_id?: string;
  /** `events_api`, `slash_commands`, `interactive`, or anything else to test unknown types. */
  readonly type: string;
  readonly payload: unknown;
  readonly accepts_response_payload?: boolean;
  readonly retry_attempt?: number;
  readonly retry_reason?: string;
}

const DEFAULT_IDENTITY: FakeSlackIdentity = { teamId: 'T0001', botUserId: 'UBOT0001', botId: 'BBOT0001', appId: 'A0001' };
const DEFAULT_WAIT_MS = 3_000;
const POLL_INTERVAL_MS = 5;

/** A 200 answer carrying a Slack platform error, e.g. `slackError('not_in_channel')`. */
export function slackError(error: string): FakeFailure {
  return { status: 200, body: { ok: false, error } };
}

/** The DM channel id `conversations.open` gives for a user (or comma-separated users): `D` + the ids. */
export function dmChannelOf(users: string): string {
  return `D${users.replace(/[^A-Z0-9]/gi, '')}`;
}

/** Starts a fake Slack on 127.0.0.1 on a free port. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const identity: FakeSlackIdentity = { ...DEFAULT_IDENTITY, ...options.identity };
  const calls: RecordedCall[] = [];
  const socketAcks: SocketAck[] = [];
  const failures = new Map<string, { remaining: number; failure: FakeFailure }[]>();
  const delays = new Map<string, number>();
  const sockets = new Set<WebSocket>();
  let tsCounter = 0;
  let baseUrl = '';

  const nextTs = (): string => `1700000${String(100 + tsCounter++).padStart(3, '0')}.000${String(tsCounter).padStart(3, '0')}`;

  const takeFailure = (method: string): FakeFailure | undefined => {
    const queue = failures.get(method);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.failure;
  };

  const normalAnswer = (method: string, body: Record<string, unknown>): unknown => {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.test/',
          team: 'Fake Team',
          user: 'haidian',
          team_id: identity.teamId,
          user_id: identity.botUserId,
          bot_id: identity.botId,
          is_enterprise_install: false,
        };
      case 'chat.postMessage': {
        const ts = nextTs();
        const channel = typeof body['channel'] === 'string' ? body['channel'] : 'C0000';
        const message = { type: 'message', user: identity.botUserId, bot_id: identity.botId, text: body['text'], ts, thread_ts: body['thread_ts'] };
        return { ok: true, channel, ts, message };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'chat.update':
        return { ok: true, channel: body['channel'], ts: body['ts'], text: body['text'] };
      case 'views.publish': {
        // Slack answers with the stored view; its id is stable per user's Home tab.
        const view = isRecord(body['view']) ? body['view'] : {};
        const user = typeof body['user_id'] === 'string' ? body['user_id'] : 'U0000';
        return { ok: true, view: { id: `V${user}`, team_id: identity.teamId, app_id: identity.appId, bot_id: identity.botId, ...view } };
      }
      case 'conversations.open': {
        // The bot's DM with one user: the same channel id every time for the same user.
        const users = typeof body['users'] === 'string' ? body['users'] : '';
        return { ok: true, channel: { id: dmChannelOf(users) } };
      }
      case 'views.open': {
        // Slack answers with the view as opened; tests read the request for what was asked.
        const view = isRecord(body['view']) ? body['view'] : {};
        return { ok: true, view: { id: `V${String(100 + tsCounter++)}`, ...view } };
      }
      case 'apps.connections.open':
        return { ok: true, url: `${baseUrl.replace(/^http/, 'ws')}/link/?ticket=${randomUUID()}&app_id=${identity.appId}` };
      default:
        return { ok: true };
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = performance.now();
    const url = new URL(req.url ?? '/', baseUrl);
    const raw = await readBody(req);
    const api = /^\/api\/([\w.]+)$/.exec(url.pathname);
    const response = /^\/response\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'POST' || (!api && !response)) {
      res.writeHead(404).end();
      return;
    }
    const method = api ? (api[1] as string) : 'response';
    const body = parseBody(raw, req.headers['content-type']);
    const delay = delays.get(method) ?? 0;
    if (delay > 0) await sleep(delay);
    const failure = takeFailure(method);
    const status = failure?.status ?? (failure ? 500 : 200);
    calls.push({ method, body, headers: req.headers, ...(response ? { responseId: response[1] } : {}), status, at });
    if (failure) {
      res.writeHead(status, { 'content-type': 'application/json', ...failure.headers });
      res.end(failure.body === undefined ? '' : JSON.stringify(failure.body));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(api ? normalAnswer(method, body) : { ok: true }));
  };

  // Socket Mode URLs look like `/link/?ticket=…`; ws's `path` option matches exactly, so route by hand.
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/link')) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data: Buffer) => {
        const parsed = safeJsonParse(data.toString('utf8'));
        if (isRecord(parsed) && typeof parsed['envelope_id'] === 'string') {
          socketAcks.push({ envelope_id: parsed['envelope_id'], ...('payload' in parsed ? { payload: parsed['payload'] } : {}), at: performance.now() });
        }
      });
      // The client's start() resolves only on `hello`.
      if (options.socketHello !== false) {
        ws.send(JSON.stringify({ type: 'hello', num_connections: sockets.size, debug_info: { host: 'fake-slack' }, connection_info: { app_id: identity.appId } }));
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const waitFor = async <T>(predicate: () => T | undefined | null | false, timeoutMs = DEFAULT_WAIT_MS): Promise<T> => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      if (performance.now() > deadline) throw new Error(`fake-slack: condition not met within ${timeoutMs} ms`);
      await sleep(POLL_INTERVAL_MS);
    }
  };

  const callsTo = (method: string, status?: number): RecordedCall[] =>
    calls.filter((call) => call.method === method && (status === undefined || call.status === status));

  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    identity,
    calls,
    socketAcks,
    get socketConnections() {
      return sockets.size;
    },
    callsTo,
    responseUrl: (id = randomUUID()) => `${baseUrl}/response/${id}`,
    failNext(method, count, failure) {
      const queue = failures.get(method) ?? [];
      queue.push({ remaining: count, failure });
      failures.set(method, queue);
    },
    setDelay(method, ms) {
      if (ms > 0) delays.set(method, ms);
      else delays.delete(method);
    },
    waitFor,
    async waitForCalls(method, count, timeoutMs) {
      return waitFor(() => {
        const done = callsTo(method, 200);
        return done.length >= count ? done : undefined;
      }, timeoutMs);
    },
    async sendEnvelope(envelope, timeoutMs) {
      const envelopeId = envelope.envelope_id ?? randomUUID();
      const message = JSON.stringify({ accepts_response_payload: false, retry_attempt: 0, retry_reason: '', ...envelope, envelope_id: envelopeId });
      if (sockets.size === 0) throw new Error('fake-slack: no Socket Mode client is connected');
      for (const ws of sockets) ws.send(message);
      return waitFor(() => socketAcks.find((ack) => ack.envelope_id === envelopeId), timeoutMs);
    },
    async waitForSocketConnections(count, timeoutMs) {
      await waitFor(() => sockets.size >= count, timeoutMs);
    },
    dropSockets(code = 1006) {
      // 1006 cannot be sent in a close frame; terminate() is what an abrupt drop looks like.
      for (const ws of sockets) {
        if (code === 1006) ws.terminate();
        else ws.close(code);
      }
    },
    reset() {
      calls.length = 0;
      socketAcks.length = 0;
      failures.clear();
      delays.clear();
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Web API calls are form-encoded with JSON strings in some fields (blocks…); respond() posts JSON. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.startsWith('application/json')) {
    const parsed = safeJsonParse(raw);
    return isRecord(parsed) ? parsed : { _raw: raw };
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    fields[key] = /^[[{]/.test(value) ? (safeJsonParse(value) ?? value) : value;
  }
  return fields;
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
