/**
 * A fake Discord for end-to-end tests of the real discord.js Client: a REST API (node:http) and a
 * gateway WebSocket (ws) on 127.0.0.1. It records every request and gateway frame, dispatches
 * events, drops connections, and injects scripted faults (429s with rate-limit headers, 5xx, delays).
 *
 * Payload shapes follow what discord.js 14.28 requires (see the team's offline-testing notes):
 * interactions need `entitlements`, `authorizing_integration_owners`, a `channel` object and `version`.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

// ---------------------------------------------------------------------------------------------
// Types

/** A Discord user object as the fake sends it. */
export interface FakeUser {
  readonly id: string;
  readonly username: string;
  readonly global_name: string | null;
  readonly discriminator: string;
  readonly avatar: null;
  readonly bot?: boolean;
}

/** One HTTP request the fake received, with the answer it gave. */
export interface RecordedRequest {
  readonly method: string;
  /** Full path, percent-decoded (`%40original` becomes `@original`), without the query string. */
  readonly path: string;
  /** The path after `/api/v10`, e.g. `/interactions/123/tok/callback`. */
  readonly route: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text for other content types, or undefined when empty. */
  readonly body: unknown;
  /** `performance.now()` when the request was received. */
  readonly receivedAt: number;
  /** The status the fake answered with. */
  status: number;
  /** The JSON body the fake answered with (a posted message carries its id), once answered. */
  response?: unknown;
}

/** A gateway payload (either direction). */
export interface GatewayFrame {
  readonly op: number;
  readonly d?: unknown;
  readonly s?: number | null;
  readonly t?: string | null;
}

/** A gateway frame the fake received from a client. */
export interface ReceivedFrame extends GatewayFrame {
  readonly connection: number;
  readonly receivedAt: number;
}

/** A scripted answer that replaces the fake's normal one for the next matching requests. */
export interface FakeFault {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body; for 429 a Discord-style rate-limit body is the default. */
  readonly body?: unknown;
  /** Wait this long before answering. */
  readonly delayMs?: number;
}

/**
 * A route pattern: a RegExp tested against `"METHOD /route"` (e.g. `"POST /channels/1/messages"`),
 * or a string `"[METHOD ]/route"` where `:name` and `*` match one path segment and `**` the rest.
 * Routes are relative to `/api/v10`.
 */
export type RoutePattern = string | RegExp;

export interface FakeDiscordOptions {
  /** HELLO's heartbeat interval; short values make heartbeats visible in tests (default 41250, Discord's). */
  readonly heartbeatIntervalMs?: number;
  /** Send READY with one guild followed by its GUILD_CREATE (default true); false sends `guilds: []`. */
  readonly withGuild?: boolean;
  /** Answer heartbeats with ACKs (default true); false lets tests provoke zombie-connection handling. */
  readonly ackHeartbeats?: boolean;
}

export interface SlashCommandOptions {
  /** Command name (default `haidian`). */
  readonly name?: string;
  /** Options as name → value; strings become type 3, booleans type 5, numbers type 10. */
  readonly options?: Readonly<Record<string, string | boolean | number>>;
  /** Sent from a DM with the bot instead of the guild channel. */
  readonly dm?: boolean;
  readonly user?: FakeUser;
  readonly locale?: string;
  /** Dispatch only on the connections of this shard id (as identified), not on every session. */
  readonly shard?: number;
}

export interface AutocompleteOptions extends SlashCommandOptions {
  /** The option being typed (default `question`). */
  readonly focused?: string;
}

export interface ButtonOptions {
  readonly customId: string;
  /** Flags of the message the button is on; 64 = ephemeral. */
  readonly messageFlags?: number;
  readonly dm?: boolean;
  readonly user?: FakeUser;
}

export interface ModalSubmitOptions {
  readonly customId: string;
  /** The text inputs' values by custom id; `null` leaves an optional input empty. */
  readonly values: Readonly<Record<string, string | null>>;
  readonly dm?: boolean;
  readonly user?: FakeUser;
}

export interface MessageOptions {
  readonly content: string;
  readonly author?: FakeUser;
  /** A DM to the bot instead of a message in the guild channel. */
  readonly dm?: boolean;
  /** Users in the message's `mentions` array (add `fake.botUser` for a mention of the bot). */
  readonly mentions?: readonly FakeUser[];
  readonly mentionEveryone?: boolean;
  readonly mentionRoles?: readonly string[];
  readonly webhookId?: string;
  /**
   * A reply to this message id (type 19 with `message_reference` and `referenced_message`, as Discord
   * sends it). Discord's reply ping is a mention: add `fake.botUser` to `mentions` for a ping-on reply.
   */
  readonly replyTo?: string;
}

/** What a dispatch helper returns: the payload and when it left the fake. */
export interface Dispatched<T> {
  readonly payload: T;
  readonly dispatchedAt: number;
}

export interface InteractionPayload {
  readonly id: string;
  readonly token: string;
  readonly type: number;
  readonly [key: string]: unknown;
}

export interface MessagePayload {
  readonly id: string;
  readonly channel_id: string;
  readonly [key: string]: unknown;
}

export interface GatewayStats {
  /** WebSocket connections accepted, ever. */
  connections: number;
  /** Connections currently open. */
  open: number;
  identifies: number;
  resumes: number;
  /** RESUMEs answered with RESUMED (the others got INVALID_SESSION). */
  resumed: number;
  heartbeats: number;
  drops: number;
  /** Every frame received from clients, in order. */
  readonly received: ReceivedFrame[];
}

/** A running fake Discord. */
export interface FakeDiscord {
  /** REST base URL without version, for discord.js `rest.api` / DISCORD_API_URL. */
  readonly apiUrl: string;
  /** Gateway URL as returned by `/gateway/bot`. */
  readonly gatewayUrl: string;
  readonly applicationId: string;
  readonly botUser: FakeUser;
  readonly humanUser: FakeUser;
  readonly guildId: string;
  readonly channelId: string;
  readonly dmChannelId: string;
  /** Every REST request, in arrival order. */
  readonly requests: RecordedRequest[];
  readonly gateway: GatewayStats;
  /** Sends a dispatch (op 0) with the next sequence number to every session; kept for replay on RESUME. */
  dispatch(t: string, d: unknown): number;
  /** Closes every gateway connection: with a close code (default 4000, resumable) or by terminating the socket. */
  dropConnection(how?: { code?: number } | 'terminate'): void;
  /** The next `count` requests matching `pattern` get `fault` instead of the normal answer. */
  failNext(pattern: RoutePattern, count: number, fault: FakeFault): void;
  /** The next `count` requests matching `pattern` are answered normally after `delayMs`. */
  delayNext(pattern: RoutePattern, count: number, delayMs: number): void;
  /** Resolves with the first truthy value of `check`, re-evaluated on every request and gateway frame. */
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** Requests whose `"METHOD /route"` matches. */
  requestsTo(pattern: RoutePattern): RecordedRequest[];
  /** Waits for the interaction's callback (`POST /interactions/:id/:token/callback`). */
  waitForCallback(interactionId: string, timeoutMs?: number): Promise<RecordedRequest>;
  /** Builds and dispatches a CHAT_INPUT interaction (type 2). */
  sendSlashCommand(options?: SlashCommandOptions): Dispatched<InteractionPayload>;
  /** Builds and dispatches an APPLICATION_COMMAND_AUTOCOMPLETE interaction (type 4). */
  sendAutocomplete(options?: AutocompleteOptions): Dispatched<InteractionPayload>;
  /** Builds and dispatches a MESSAGE_COMPONENT interaction (type 3) for a button. */
  sendButton(options: ButtonOptions): Dispatched<InteractionPayload>;
  /** Builds and dispatches a MODAL_SUBMIT interaction (type 5), inputs in action rows as Discord sends them. */
  sendModalSubmit(options: ModalSubmitOptions): Dispatched<InteractionPayload>;
  /** Builds and dispatches MESSAGE_CREATE. */
  sendMessage(options: MessageOptions): Dispatched<MessagePayload>;
  /** Registered commands, as stored by the last PUT (key: `global` or the guild id). */
  readonly commands: ReadonlyMap<string, readonly unknown[]>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Constants and helpers

/** Discord's gateway opcodes used here. */
export const GatewayOp = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  Resume: 6,
  Reconnect: 7,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

/** Discord's interaction types. */
export const InteractionKind = {
  Ping: 1,
  ApplicationCommand: 2,
  MessageComponent: 3,
  Autocomplete: 4,
  ModalSubmit: 5,
} as const;

const API_PREFIX = '/api/v10';
const DEFAULT_HEARTBEAT_INTERVAL_MS = 41_250;
const DEFAULT_WAIT_MS = 5_000;
/** Every permission of a guild owner, as Discord sends it in `app_permissions` / member `permissions`. */
const ALL_PERMISSIONS = '2251799813685247';

/** Headers Discord sends with a 429 (https://discord.com/developers/docs/topics/rate-limits#header-format). */
export function rateLimitHeaders(
  retryAfterSeconds: number,
  options: { bucket?: string; global?: boolean; scope?: 'user' | 'global' | 'shared' } = {},
): Record<string, string> {
  const resetAt = Date.now() / 1000 + retryAfterSeconds;
  return {
    'retry-after': String(retryAfterSeconds),
    'x-ratelimit-limit': '5',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': resetAt.toFixed(3),
    'x-ratelimit-reset-after': retryAfterSeconds.toFixed(3),
    'x-ratelimit-bucket': options.bucket ?? 'fake-bucket',
    'x-ratelimit-scope': options.scope ?? (options.global ? 'global' : 'user'),
    ...(options.global ? { 'x-ratelimit-global': 'true' } : {}),
  };
}

let snowflakeCounter = 0n;
/** Unique, increasing snowflakes (timestamp bits around 2023, so discord.js dates look sane). */
function snowflake(): string {
  snowflakeCounter += 1n;
  return String(1_100_000_000_000_000_000n + snowflakeCounter);
}

function user(id: string, username: string, bot = false): FakeUser {
  return {
    id,
    username,
    global_name: bot ? null : username,
    discriminator: '0',
    avatar: null,
    ...(bot ? { bot: true } : {}),
  };
}

/** Compiles a route pattern to a predicate over (method, route). */
function compilePattern(pattern: RoutePattern): (method: string, route: string) => boolean {
  if (pattern instanceof RegExp) return (method, route) => pattern.test(`${method} ${route}`);
  const match = /^([A-Z]+)\s+(.*)$/.exec(pattern.trim());
  const method = match?.[1];
  const path = (match?.[2] ?? pattern).trim();
  const source = path
    .split('/')
    .map((segment) => {
      if (segment === '**') return '.*';
      if (segment === '*' || segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  const regex = new RegExp(`^${source}$`);
  return (m, route) => (method === undefined || method === m) && regex.test(route);
}

interface Session {
  readonly id: string;
  seq: number;
  readonly history: { s: number; t: string; d: unknown }[];
  socket: WebSocket | undefined;
  shard: [number, number];
}

interface ScriptedAnswer {
  readonly matches: (method: string, route: string) => boolean;
  remaining: number;
  readonly fault?: FakeFault;
  readonly delayMs?: number;
}

interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

// ---------------------------------------------------------------------------------------------
// The fake

/** Starts a fake Discord REST API and gateway on 127.0.0.1 (random port). */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  const withGuild = options.withGuild ?? true;
  const ackHeartbeats = options.ackHeartbeats ?? true;

  const applicationId = snowflake();
  const botUser = user(applicationId, 'haidian-bot', true);
  const humanUser = user(snowflake(), 'human');
  const guildId = snowflake();
  const channelId = snowflake();
  const dmChannelId = snowflake();
  const commandId = snowflake();

  const requests: RecordedRequest[] = [];
  const gateway: GatewayStats = {
    connections: 0,
    open: 0,
    identifies: 0,
    resumes: 0,
    resumed: 0,
    heartbeats: 0,
    drops: 0,
    received: [],
  };
  const sessions = new Map<string, Session>();
  const sockets = new Set<WebSocket>();
  const scripted: ScriptedAnswer[] = [];
  const messages = new Map<string, Record<string, unknown>>();
  const commands = new Map<string, unknown[]>();
  const timers = new Set<NodeJS.Timeout>();
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const notify = (): void => {
    changes.emit('change');
  };

  const server = http.createServer((req, res) => {
    void handleHttp(req, res);
  });
  const wss = new WebSocketServer({ noServer: true });
  // Route upgrades by hand: discord.js appends `?v=10&encoding=json`, which a fixed `path` would reject.
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/gateway')) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const apiUrl = `http://127.0.0.1:${port}/api`;
  const gatewayUrl = `ws://127.0.0.1:${port}/gateway`;

  // --- gateway -------------------------------------------------------------------------------

  const send = (ws: WebSocket, frame: GatewayFrame): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };

  const guildCreate = (): Record<string, unknown> => {
    const joinedAt = new Date().toISOString();
    return {
      id: guildId,
      name: 'Haidian Test Guild',
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: humanUser.id,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [
        {
          id: guildId,
          name: '@everyone',
          permissions: '1071698660929',
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
          icon: null,
          unicode_emoji: null,
        },
      ],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      max_video_channel_users: 25,
      joined_at: joinedAt,
      large: false,
      unavailable: false,
      member_count: 2,
      voice_states: [],
      members: [
        {
          user: botUser,
          roles: [],
          joined_at: joinedAt,
          deaf: false,
          mute: false,
          flags: 0,
          pending: false,
        },
      ],
      channels: [
        {
          id: channelId,
          type: 0,
          guild_id: guildId,
          name: 'general',
          position: 0,
          permission_overwrites: [],
          topic: null,
          nsfw: false,
          last_message_id: null,
          rate_limit_per_user: 0,
          parent_id: null,
          flags: 0,
        },
      ],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  };

  const dispatchTo = (session: Session, t: string, d: unknown): number => {
    session.seq += 1;
    session.history.push({ s: session.seq, t, d });
    if (session.socket) send(session.socket, { op: GatewayOp.Dispatch, t, s: session.seq, d });
    return session.seq;
  };

  function onConnection(ws: WebSocket): void {
    const connection = ++gateway.connections;
    gateway.open += 1;
    sockets.add(ws);
    let session: Session | undefined;
    ws.on('close', () => {
      gateway.open -= 1;
      sockets.delete(ws);
      if (session?.socket === ws) session.socket = undefined;
      notify();
    });
    ws.on('error', () => undefined);
    ws.on('message', (raw: Buffer) => {
      let frame: GatewayFrame;
      try {
        frame = JSON.parse(raw.toString('utf8')) as GatewayFrame;
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      gateway.received.push({ ...frame, connection, receivedAt: performance.now() });
      switch (frame.op) {
        case GatewayOp.Heartbeat:
          gateway.heartbeats += 1;
          if (ackHeartbeats) send(ws, { op: GatewayOp.HeartbeatAck });
          break;
        case GatewayOp.Identify: {
          gateway.identifies += 1;
          const d = (frame.d ?? {}) as { shard?: [number, number] };
          session = {
            id: randomUUID().replaceAll('-', ''),
            seq: 0,
            history: [],
            socket: ws,
            shard: d.shard ?? [0, 1],
          };
          sessions.set(session.id, session);
          dispatchTo(session, 'READY', {
            v: 10,
            user: { ...botUser, verified: true, mfa_enabled: false, flags: 0 },
            guilds: withGuild ? [{ id: guildId, unavailable: true }] : [],
            session_id: session.id,
            session_type: 'normal',
            resume_gateway_url: gatewayUrl,
            shard: session.shard,
            application: { id: applicationId, flags: 0 },
            private_channels: [],
            relationships: [],
            presences: [],
            guild_join_requests: [],
            geo_ordered_rtc_regions: [],
            user_settings: {},
          });
          if (withGuild) dispatchTo(session, 'GUILD_CREATE', guildCreate());
          break;
        }
        case GatewayOp.Resume: {
          gateway.resumes += 1;
          const d = (frame.d ?? {}) as { session_id?: string; seq?: number | null };
          const known = d.session_id ? sessions.get(d.session_id) : undefined;
          if (!known) {
            // Not resumable: the client must identify again.
            send(ws, { op: GatewayOp.InvalidSession, d: false });
            break;
          }
          gateway.resumed += 1;
          session = known;
          known.socket = ws;
          // Replay what the client missed while it was away, as Discord does.
          for (const missed of known.history) {
            if (missed.s > (d.seq ?? 0))
              send(ws, { op: GatewayOp.Dispatch, t: missed.t, s: missed.s, d: missed.d });
          }
          dispatchTo(known, 'RESUMED', {});
          break;
        }
        default:
          break;
      }
      notify();
    });
    send(ws, { op: GatewayOp.Hello, d: { heartbeat_interval: heartbeatIntervalMs } });
    notify();
  }

  // --- REST ----------------------------------------------------------------------------------

  const messageObject = (
    channel: string,
    body: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> => {
    const reference = body.message_reference as { message_id?: string } | undefined;
    const message: Record<string, unknown> = {
      id: snowflake(),
      channel_id: channel,
      type: reference ? 19 : 0,
      content: typeof body.content === 'string' ? body.content : '',
      embeds: Array.isArray(body.embeds) ? body.embeds : [],
      components: Array.isArray(body.components) ? body.components : [],
      author: botUser,
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: typeof body.flags === 'number' ? body.flags : 0,
      ...(reference?.message_id
        ? { message_reference: { type: 0, message_id: reference.message_id, channel_id: channel } }
        : {}),
      ...extra,
    };
    messages.set(message.id as string, message);
    return message;
  };

  /** The normal answer of the fake API for one request. */
  const answer = (
    method: string,
    route: string,
    query: Record<string, string>,
    body: unknown,
  ): Answer => {
    const json = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const seg = route.split('/').slice(1);
    const at = (i: number): string => seg[i] ?? '';

    if (method === 'GET' && (route === '/gateway/bot' || route === '/gateway')) {
      return {
        status: 200,
        body: {
          url: gatewayUrl,
          shards: 1,
          session_start_limit: {
            total: 1000,
            remaining: 999,
            reset_after: 14_400_000,
            max_concurrency: 1,
          },
        },
      };
    }
    if (method === 'GET' && route === '/users/@me') return { status: 200, body: botUser };
    if (method === 'GET' && route === '/applications/@me') {
      return {
        status: 200,
        body: {
          id: applicationId,
          name: 'haidian-bot',
          description: '',
          flags: 0,
          bot: botUser,
          owner: humanUser,
        },
      };
    }
    // POST /interactions/:id/:token/callback
    if (method === 'POST' && at(0) === 'interactions' && at(3) === 'callback' && seg.length === 4) {
      const type = typeof json.type === 'number' ? json.type : 0;
      const data = (json.data ?? {}) as Record<string, unknown>;
      let original: Record<string, unknown> | undefined;
      if (type === 4 || type === 5 || type === 7) {
        original = messageObject(channelId, data, {
          webhook_id: applicationId,
          application_id: applicationId,
          interaction_metadata: { id: at(1), type: 2, user: humanUser, authorizing_integration_owners: {} },
        });
        messages.set(`original:${at(2)}`, original);
      }
      if (query.with_response !== 'true') return { status: 204 };
      return {
        status: 200,
        body: {
          interaction: {
            id: at(1),
            type: 2,
            activity_instance_id: null,
            response_message_id: original?.id ?? null,
            response_message_loading: type === 5,
            response_message_ephemeral: ((data.flags as number | undefined) ?? 0) === 64,
          },
          resource: { type, ...(original ? { message: original } : {}) },
        },
      };
    }
    // /webhooks/:app/:token/messages/:message (@original after decoding)
    if (at(0) === 'webhooks' && at(3) === 'messages' && seg.length === 5) {
      const key = at(4) === '@original' ? `original:${at(2)}` : at(4);
      const existing = messages.get(key);
      if (method === 'DELETE')
        return existing
          ? { status: 204 }
          : { status: 404, body: { message: 'Unknown Message', code: 10008 } };
      if (!existing && method === 'GET')
        return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
      const base =
        existing ??
        messageObject(channelId, {}, { webhook_id: applicationId, application_id: applicationId });
      const updated = {
        ...base,
        ...pick(json, ['content', 'embeds', 'components', 'flags']),
        ...(method === 'PATCH' ? { edited_timestamp: new Date().toISOString() } : {}),
      };
      messages.set(key, updated);
      return { status: 200, body: updated };
    }
    // POST /webhooks/:app/:token: a follow-up message
    if (method === 'POST' && at(0) === 'webhooks' && seg.length === 3) {
      return {
        status: 200,
        body: messageObject(channelId, json, {
          webhook_id: applicationId,
          application_id: applicationId,
        }),
      };
    }
    // POST /channels/:id/messages
    if (method === 'POST' && at(0) === 'channels' && at(2) === 'messages' && seg.length === 3) {
      return {
        status: 200,
        body: messageObject(at(1), json, at(1) === channelId ? { guild_id: guildId } : {}),
      };
    }
    if (method === 'POST' && at(0) === 'channels' && at(2) === 'typing') return { status: 204 };
    // PUT|GET /applications/:app/commands and /applications/:app/guilds/:guild/commands
    const isGlobal = at(0) === 'applications' && at(2) === 'commands' && seg.length === 3;
    const isGuild =
      at(0) === 'applications' && at(2) === 'guilds' && at(4) === 'commands' && seg.length === 5;
    if (isGlobal || isGuild) {
      const key = isGlobal ? 'global' : at(3);
      if (method === 'PUT') {
        const list = (Array.isArray(body) ? body : []).map((command: unknown, i: number) => ({
          id: String(BigInt(commandId) + BigInt(i)),
          application_id: at(1),
          version: snowflake(),
          default_member_permissions: null,
          type: 1,
          nsfw: false,
          dm_permission: true,
          ...(isGuild ? { guild_id: at(3) } : {}),
          ...(command as Record<string, unknown>),
        }));
        commands.set(key, list);
        return { status: 200, body: list };
      }
      if (method === 'GET') return { status: 200, body: commands.get(key) ?? [] };
    }
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  };

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // discord.js percent-encodes `@original` as `%40original`: match on the decoded path.
    const path = decodeURIComponent(url.pathname);
    const route = path.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length) || '/' : path;
    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    if (text !== '') {
      try {
        body = (req.headers['content-type'] ?? '').includes('application/json')
          ? JSON.parse(text)
          : text;
      } catch {
        body = text;
      }
    }
    const record: RecordedRequest = {
      method,
      path,
      route,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      receivedAt: performance.now(),
      status: 0,
    };
    requests.push(record);

    const script = scripted.find((s) => s.remaining > 0 && s.matches(method, route));
    if (script) script.remaining -= 1;
    const fault = script?.fault;
    const delayMs = fault?.delayMs ?? script?.delayMs ?? 0;
    if (delayMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, delayMs);
        timers.add(timer);
      });
    }

    let result: Answer;
    if (fault) {
      const isRateLimit = fault.status === 429;
      result = {
        status: fault.status,
        body:
          fault.body ??
          (isRateLimit
            ? { message: 'You are being rate limited.', retry_after: 0.05, global: false }
            : { message: `Fake error ${fault.status}`, code: 0 }),
        headers: {
          ...(isRateLimit && !fault.headers ? rateLimitHeaders(0.05) : {}),
          ...fault.headers,
        },
      };
    } else if (
      route !== '/gateway' &&
      !route.startsWith('/interactions/') &&
      !route.startsWith('/webhooks/') &&
      !isBotAuthorized(req.headers)
    ) {
      // Interaction callbacks and webhooks are authorised by their token in the path; everything else needs `Bot <token>`.
      result = { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    } else {
      result = answer(method, route, record.query, body);
    }
    record.status = result.status;
    record.response = result.body;
    if (!res.destroyed) {
      const payload = result.body === undefined ? '' : JSON.stringify(result.body);
      res.writeHead(result.status, {
        ...(payload ? { 'content-type': 'application/json' } : {}),
        ...result.headers,
      });
      res.end(payload);
    }
    notify();
  }

  // --- builders ------------------------------------------------------------------------------

  const member = (who: FakeUser): Record<string, unknown> => ({
    user: who,
    roles: [],
    joined_at: new Date().toISOString(),
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    nick: null,
    avatar: null,
    premium_since: null,
    communication_disabled_until: null,
    permissions: ALL_PERMISSIONS,
  });

  const interactionBase = (
    type: number,
    where: { dm?: boolean; user?: FakeUser; locale?: string },
  ): Record<string, unknown> => {
    const who = where.user ?? humanUser;
    return {
      id: snowflake(),
      application_id: applicationId,
      type,
      token: `fake-interaction-token-${randomUUID()}`,
      version: 1,
      locale: where.locale ?? 'en-US',
      app_permissions: ALL_PERMISSIONS,
      // discord.js 14.28 reads both of these unconditionally; without them it throws inside the gateway handler.
      entitlements: [],
      authorizing_integration_owners: {},
      attachment_size_limit: 10_485_760,
      ...(where.dm
        ? {
            channel: { id: dmChannelId, type: 1, recipients: [who], flags: 0 },
            channel_id: dmChannelId,
            user: who,
            context: 1,
          }
        : {
            guild_id: guildId,
            guild_locale: 'en-US',
            guild: { id: guildId, locale: 'en-US', features: [] },
            // interaction.channelId comes from `channel.id`, not `channel_id`.
            channel: {
              id: channelId,
              type: 0,
              guild_id: guildId,
              name: 'general',
              flags: 0,
              permissions: ALL_PERMISSIONS,
            },
            channel_id: channelId,
            member: member(who),
            context: 0,
          }),
    };
  };

  const commandOptions = (
    values: Readonly<Record<string, string | boolean | number>>,
    focused?: string,
  ): Record<string, unknown>[] =>
    Object.entries(values).map(([name, value]) => ({
      name,
      type: typeof value === 'boolean' ? 5 : typeof value === 'number' ? 10 : 3,
      value,
      ...(name === focused ? { focused: true } : {}),
    }));

  /** A slash command or an autocomplete request for it, dispatched to every connected session. */
  const sendCommandInteraction = (
    kind: number,
    options: SlashCommandOptions,
    focused?: string,
  ): Dispatched<InteractionPayload> => {
    const payload = {
      ...interactionBase(kind, options),
      data: {
        id: commandId,
        name: options.name ?? 'haidian',
        type: 1,
        options: commandOptions(options.options ?? {}, focused),
        ...(options.dm ? {} : { guild_id: guildId }),
      },
    } as unknown as InteractionPayload;
    const dispatchedAt = performance.now();
    dispatchAll('INTERACTION_CREATE', payload, options.shard);
    return { payload, dispatchedAt };
  };

  const dispatchAll = (t: string, d: unknown, shard?: number): number => {
    let last = 0;
    for (const session of sessions.values()) {
      if (shard === undefined || session.shard[0] === shard) last = dispatchTo(session, t, d);
    }
    notify();
    return last;
  };

  const fake: FakeDiscord = {
    apiUrl,
    gatewayUrl,
    applicationId,
    botUser,
    humanUser,
    guildId,
    channelId,
    dmChannelId,
    requests,
    gateway,
    commands,

    dispatch: (t, d) => dispatchAll(t, d),

    dropConnection(how = { code: 4000 }) {
      for (const ws of [...sockets]) {
        gateway.drops += 1;
        if (how === 'terminate') ws.terminate();
        else ws.close(how.code ?? 4000, 'Fake Discord dropped the connection');
      }
      notify();
    },

    failNext(pattern, count, fault) {
      scripted.push({ matches: compilePattern(pattern), remaining: count, fault });
    },

    delayNext(pattern, count, delayMs) {
      scripted.push({ matches: compilePattern(pattern), remaining: count, delayMs });
    },

    waitFor<T>(check: () => T | undefined | null | false, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const evaluate = (): boolean => {
          const value = check();
          if (value === undefined || value === null || value === false) return false;
          cleanup();
          resolve(value);
          return true;
        };
        const onChange = (): void => {
          try {
            evaluate();
          } catch (error) {
            cleanup();
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        };
        // Polling as well as change events: a check may depend on state the fake does not see (client side).
        const poll = setInterval(onChange, 20);
        const timer = setTimeout(() => {
          cleanup();
          const last = requests.slice(-5).map((r) => `${r.method} ${r.route} → ${r.status}`);
          reject(
            new Error(
              `fake Discord: waitFor timed out after ${timeoutMs} ms; last requests: ${last.join(', ') || 'none'}`,
            ),
          );
        }, timeoutMs);
        const cleanup = (): void => {
          clearInterval(poll);
          clearTimeout(timer);
          changes.off('change', onChange);
        };
        changes.on('change', onChange);
        onChange();
      });
    },

    requestsTo(pattern) {
      const matches = compilePattern(pattern);
      return requests.filter((r) => matches(r.method, r.route));
    },

    waitForCallback(interactionId, timeoutMs) {
      return fake.waitFor(
        () =>
          requests.find(
            (r) =>
              r.method === 'POST' &&
              r.route.startsWith(`/interactions/${interactionId}/`) &&
              r.route.endsWith('/callback') &&
              r.status !== 0,
          ),
        timeoutMs,
      );
    },

    sendSlashCommand(options = {}) {
      return sendCommandInteraction(InteractionKind.ApplicationCommand, options);
    },

    sendAutocomplete(options = {}) {
      return sendCommandInteraction(
        InteractionKind.Autocomplete,
        options,
        options.focused ?? 'question',
      );
    },

    sendButton(options) {
      const base = interactionBase(InteractionKind.MessageComponent, options);
      const message = messageObject(
        options.dm ? dmChannelId : channelId,
        { flags: options.messageFlags ?? 0 },
        { webhook_id: applicationId, application_id: applicationId },
      );
      const payload = {
        ...base,
        message,
        data: { custom_id: options.customId, component_type: 2 },
      } as unknown as InteractionPayload;
      const dispatchedAt = performance.now();
      dispatchAll('INTERACTION_CREATE', payload);
      return { payload, dispatchedAt };
    },

    sendModalSubmit(options) {
      const payload = {
        ...interactionBase(InteractionKind.ModalSubmit, options),
        data: {
          custom_id: options.customId,
          components: Object.entries(options.values).map(([customId, value]) => ({
            type: 1,
            components: [{ type: 4, custom_id: customId, value: value ?? '' }],
          })),
        },
      } as unknown as InteractionPayload;
      const dispatchedAt = performance.now();
      dispatchAll('INTERACTION_CREATE', payload);
      return { payload, dispatchedAt };
    },

    sendMessage(options) {
      const author = options.author ?? humanUser;
      const payload = {
        id: snowflake(),
        channel_id: options.dm ? dmChannelId : channelId,
        // discord.js 14.28 builds an uncached DM channel from `channel_type`; without it a DM is dropped.
        channel_type: options.dm ? 1 : 0,
        ...(options.dm
          ? {}
          : {
              guild_id: guildId,
              member: {
                roles: [],
                joined_at: new Date().toISOString(),
                deaf: false,
                mute: false,
                flags: 0,
              },
            }),
        author,
        content: options.content,
        timestamp: new Date().toISOString(),
        edited_timestamp: null,
        tts: false,
        mention_everyone: options.mentionEveryone ?? false,
        mentions: (options.mentions ?? []).map((u) =>
          options.dm
            ? u
            : {
                ...u,
                member: {
                  roles: [],
                  joined_at: new Date().toISOString(),
                  deaf: false,
                  mute: false,
                  flags: 0,
                },
              },
        ),
        mention_roles: options.mentionRoles ?? [],
        attachments: [],
        embeds: [],
        components: [],
        pinned: false,
        type: options.replyTo ? 19 : 0,
        flags: 0,
        ...(options.webhookId ? { webhook_id: options.webhookId } : {}),
        ...(options.replyTo
          ? {
              message_reference: {
                type: 0,
                message_id: options.replyTo,
                channel_id: options.dm ? dmChannelId : channelId,
                ...(options.dm ? {} : { guild_id: guildId }),
              },
              referenced_message: messages.get(options.replyTo) ?? null,
            }
          : {}),
      } as MessagePayload;
      const dispatchedAt = performance.now();
      dispatchAll('MESSAGE_CREATE', payload);
      return { payload, dispatchedAt };
    },

    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      changes.removeAllListeners();
    },
  };
  return fake;
}

function isBotAuthorized(headers: IncomingHttpHeaders): boolean {
  return typeof headers.authorization === 'string' && /^Bot \S+$/.test(headers.authorization);
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => key in source).map((key) => [key, source[key]]));
}
