import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, SocketModeReceiver, type webApi } from '@slack/bolt';
import type { Bot } from '../../src/bot/bot.js';
import type { SlackConfig } from '../../src/config.js';
import { createInFlight, type InFlight } from '../../src/bot/in-flight.js';
import type { Logger } from '../../src/bot/log.js';
import { createBoltLogger } from './bolt-logger.js';
import { createConversationMemory } from '../../src/bot/conversation.js';
import { createDedupCache } from '../../src/bot/dedup.js';
import { createMemoryStore } from '../../src/bot/store.js';
import type { KeyValueStore } from '../../src/bot/store.js';
import { registerAppHome } from './app-home.js';
import type { FeedbackService } from '../../src/bot/feedback.js';
import { registerSlackListeners } from './listeners.js';
import { createSlackHttpReceiver } from './receiver.js';

export { formatSlackReply } from './format.js';
export { EVENT_DEDUP_TTL_MS } from '../../src/bot/dedup.js';

/**
 * How the Web API client retries: a few attempts with backoff. A 429 first waits its `Retry-After`
 * (the client does that itself), then counts as one attempt. Default Bolt policy is 10 retries over
 * about 30 minutes, far too long for an answer someone is waiting for.
 */
export const WEB_API_RETRY_CONFIG: webApi.RetryOptions = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000, randomize: true };
/** Per-request timeout of Web API calls, so a hung connection cannot hold a handler forever. */
export const WEB_API_TIMEOUT_MS = 10_000;
/** How long stop() waits for replies in flight when the caller gives no limit. */
export const SLACK_DRAIN_TIMEOUT_MS = 10_000;

export interface SlackAdapterOptions {
  config: SlackConfig;
  bot: Bot;
  logger: Logger;
  /** HTTP mode listens here (port 0 = any free port). */
  host: string;
  port: number;
  /** Served on the same HTTP server (health/metrics); HTTP mode only. */
  customRoutes?: { path: string; method: string | string[]; handler: (req: IncomingMessage, res: ServerResponse) => void }[];
  /** Socket Mode ping timeouts (client and server side); tests shorten them. */
  socketPingTimeoutMs?: number;
  /** Web API retry policy; tests shorten it. Defaults to WEB_API_RETRY_CONFIG. */
  webApiRetryConfig?: webApi.RetryOptions;
  /**
   * Where de-duplication marks live: the process's shared store (Redis when REDIS_URL is set, so a
   * retry that reaches another replica is still dropped). Defaults to this adapter's own memory.
   */
  store?: KeyValueStore;
  /** Records 👍 / 👎 and corrections from the answers' buttons; without it answers have none. */
  feedback?: FeedbackService;
}

export interface SlackAdapter {
  readonly mode: 'http' | 'socket';
  /** The port HTTP mode listens on (resolved when 0 was asked for). */
  readonly port?: number;
  /** Stops taking events, waits up to `drainTimeoutMs` for replies in flight, then returns. */
  stop(options?: { drainTimeoutMs?: number }): Promise<void>;
}

/** Starts the Slack adapter in HTTP or Socket Mode; resolves once it is connected and listening. */
export async function startSlackAdapter(options: SlackAdapterOptions): Promise<SlackAdapter> {
  const { config } = options;
  const logger = options.logger.child({ adapter: 'slack' });
  const boltLogger = createBoltLogger(logger);
  const clientOptions: webApi.WebClientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: options.webApiRetryConfig ?? WEB_API_RETRY_CONFIG,
    timeout: WEB_API_TIMEOUT_MS,
  };
  const common = {
    token: config.botToken,
    logger: boltLogger,
    clientOptions,
    // The conversation store is an unbounded in-memory map we do not use.
    convoStore: false as const,
    // auth.test runs in init() below, so a bad token rejects start-up instead of surfacing later as
    // an unhandled rejection from the constructor.
    deferInitialization: true,
  };

  let app: App;
  if (config.mode === 'socket') {
    if (options.customRoutes?.length) logger.warn({ mode: 'socket' }, 'slack: custom routes are served in HTTP mode only; Socket Mode opens no port');
    if (!config.appToken) throw new Error('Slack Socket Mode needs SLACK_APP_TOKEN (an app-level token, xapp-…)');
    const receiver = new SocketModeReceiver({
      appToken: config.appToken,
      logger: boltLogger,
      // A custom SocketModeReceiver ignores App.clientOptions: apps.connections.open is called with these.
      installerOptions: { clientOptions },
      ...(options.socketPingTimeoutMs !== undefined
        ? { clientPingTimeout: options.socketPingTimeoutMs, serverPingTimeout: options.socketPingTimeoutMs }
        : {}),
    });
    app = new App({ ...common, receiver });
  } else {
    if (!config.signingSecret) throw new Error('Slack HTTP mode needs SLACK_SIGNING_SECRET (Basic Information → App Credentials)');
    // Bolt's receiver, plus a refusal of timestamps more than 5 minutes ahead (Bolt refuses only old ones).
    const receiver = createSlackHttpReceiver({ signingSecret: config.signingSecret, customRoutes: options.customRoutes ?? [], logger: boltLogger });
    app = new App({ ...common, receiver });
  }

  // First in the chain: `await next()` resolves when every listener for the event has finished,
  // delivery included, so this counts the replies a graceful stop must wait for.
  const inFlight = createInFlight();
  app.use(({ next }) => inFlight.track(next));
  const memory = createConversationMemory(options.store ?? createMemoryStore());
  registerSlackListeners(app, {
    bot: options.bot,
    logger,
    command: config.command,
    dedup: createDedupCache(options.store ? { store: options.store } : {}),
    memory,
    ...(options.feedback ? { feedback: options.feedback } : {}),
  });
  registerAppHome(app, { bot: options.bot, logger, command: config.command, memory });
  await app.init();

  if (config.mode === 'socket') {
    // Resolves on the server's `hello`, i.e. once events can flow.
    try {
      await app.start();
    } catch (error) {
      // Leave no half-open client reconnecting in the background of a process that failed to start.
      await app.stop().catch(() => undefined);
      throw error;
    }
    logger.info({ mode: 'socket' }, 'slack: connected');
    return { mode: 'socket', stop: (stopOptions) => stopApp(app, inFlight, logger, stopOptions?.drainTimeoutMs) };
  }

  const server = (await app.start({ port: options.port, host: options.host })) as Server;
  const port = (server.address() as AddressInfo).port;
  logger.info({ mode: 'http', host: options.host, port }, 'slack: listening on /slack/events');
  return { mode: 'http', port, stop: (stopOptions) => stopApp(app, inFlight, logger, stopOptions?.drainTimeoutMs) };
}

async function stopApp(app: App, inFlight: InFlight, logger: Logger, drainTimeoutMs = SLACK_DRAIN_TIMEOUT_MS): Promise<void> {
  // Intake first: HTTP mode closes the server (Slack retries undelivered events elsewhere), Socket Mode
  // closes the link (Slack redelivers unacknowledged envelopes). Listeners already running go on: they
  // post through the Web API client, which stop() does not touch.
  await app.stop();
  if (!(await inFlight.idle(drainTimeoutMs))) logger.warn({ inFlight: inFlight.count, drainTimeoutMs }, 'slack: stopped with replies still in flight');
}
