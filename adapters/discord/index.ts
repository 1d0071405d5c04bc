import { Client, Events, GatewayIntentBits, Partials, type ClientOptions } from 'discord.js';
import type { Bot } from '../../src/bot/bot.js';
import { DISCORD_READY_TIMEOUT_MS, type DiscordConfig } from '../../src/config.js';
import { createInFlight } from '../../src/bot/in-flight.js';
import type { Logger } from '../../src/bot/log.js';
import { createConversationMemory } from '../../src/bot/conversation.js';
import { createDedupCache } from '../../src/bot/dedup.js';
import { createMemoryStore, type KeyValueStore } from '../../src/bot/store.js';
import type { FeedbackService } from '../../src/bot/feedback.js';
import { describeError, handleInteraction, handleMessage, type HandlerDeps } from './handlers.js';

/** How long stop() waits for replies in flight when the caller gives no limit. */
export const DISCORD_DRAIN_TIMEOUT_MS = 10_000;

/** What the composition root passes in. */
export interface DiscordAdapterOptions {
  config: DiscordConfig;
  bot: Bot;
  logger: Logger;
  /**
   * Where de-duplication marks live: the process's shared store (Redis when REDIS_URL is set). Two
   * replicas connected as the same shard both receive every event; the marks let one of them answer.
   * Conversation contexts (follow-up questions) live there too. Defaults to this adapter's own memory.
   */
  store?: KeyValueStore;
  /** Records 👍 / 👎 and corrections from the answers' buttons; without it answers have none. */
  feedback?: FeedbackService;
}

/** A running Discord connection. */
export interface DiscordAdapter {
  readonly client: Client;
  /** Stops taking events, waits up to `drainTimeoutMs` for replies in flight, then disconnects. */
  stop(options?: { drainTimeoutMs?: number }): Promise<void>;
}

/** The discord.js client options this adapter runs with (exported for tests and for the docs). */
export function createClientOptions(config: DiscordConfig): ClientOptions {
  return {
    // Non-privileged intents only: without MessageContent the gateway still delivers the content of
    // messages that mention the bot and of DMs, which is all this bot reads.
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.DirectMessages,
    ],
    // DM channels are not cached at start-up; without the Channel partial, DM messages are dropped.
    partials: [Partials.Channel],
    // The client-wide default; every send also passes it explicitly.
    allowedMentions: { parse: [], repliedUser: false },
    ...(config.apiUrl ? { rest: { api: config.apiUrl } } : {}),
    ...shardOptions(config.shards),
  };
}

/** Logs in, wires the handlers and resolves once the client is ready (all guilds received). */
export async function startDiscordAdapter(options: DiscordAdapterOptions): Promise<DiscordAdapter> {
  const { config, bot } = options;
  const logger = options.logger.child({ adapter: 'discord' });
  const client = new Client(createClientOptions(config));
  const deps: HandlerDeps = {
    bot,
    logger,
    commandName: config.command,
    memory: createConversationMemory(options.store ?? createMemoryStore()),
    ...(options.feedback ? { feedback: options.feedback } : {}),
  };

  // Replies in flight are counted so stop() can let them finish; once stopping, new events are ignored.
  const inFlight = createInFlight();
  let accepting = true;
  const dedup = createDedupCache(options.store ? { store: options.store } : {});
  client.on(Events.InteractionCreate, (interaction) => {
    if (!accepting) return;
    void inFlight.track(async () => {
      if (await dedup.firstSeen(`discord:interaction:${interaction.id}`)) await handleInteraction(interaction, deps);
    });
  });
  client.on(Events.MessageCreate, (message) => {
    const self = client.user;
    if (!self || !accepting) return;
    void inFlight.track(async () => {
      if (await dedup.firstSeen(`discord:message:${message.id}`)) await handleMessage(message, deps, self.id);
    });
  });
  // Without an 'error' listener an EventEmitter error would crash the process.
  client.on(Events.Error, (error) =>
    logger.error({ err: describeError(error) }, 'discord: client error'),
  );
  client.on(Events.Warn, (message) => logger.warn({ detail: message }, 'discord: warning'));
  client.on(Events.ShardError, (error, shardId) =>
    logger.warn({ shardId, err: describeError(error) }, 'discord: gateway error'),
  );
  client.on(Events.ShardDisconnect, (event, shardId) =>
    logger.warn({ shardId, code: event.code }, 'discord: gateway disconnected'),
  );
  client.on(Events.ShardReconnecting, (shardId) =>
    logger.info({ shardId }, 'discord: gateway reconnecting'),
  );
  client.on(Events.ShardResume, (shardId, replayed) =>
    logger.info({ shardId, replayed }, 'discord: gateway resumed'),
  );
  client.on(Events.Invalidated, () => logger.error('discord: session invalidated'));
  // Only `route`, the bucket's template (`/interactions/:id/:token/callback`), is logged: the raw
  // path and URL carry interaction and webhook tokens. discord.js waits and retries 429s itself;
  // 'rateLimited' fires for pre-emptive waits, 'response' is the only place an actual 429 shows.
  client.rest.on('rateLimited', (info) =>
    logger.warn(
      {
        route: info.route,
        method: info.method,
        retryAfterMs: info.retryAfter,
        global: info.global,
        scope: info.scope,
      },
      'discord: rate limited',
    ),
  );
  client.rest.on('response', (request, response) => {
    if (response.status !== 429) return;
    const header = (name: string) => response.headers.get(name) ?? undefined;
    logger.warn(
      {
        route: request.route,
        method: request.method,
        retryAfterS: header('retry-after'),
        scope: header('x-ratelimit-scope'),
        global: header('x-ratelimit-global') === 'true',
      },
      'discord: rate limited',
    );
  });

  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `Discord: no READY from the gateway within ${DISCORD_READY_TIMEOUT_MS} ms (check DISCORD_API_URL and the network)`,
            ),
          ),
        DISCORD_READY_TIMEOUT_MS,
      );
    });
    await Promise.race([client.login(config.token).then(() => ready), timeout]);
  } catch (error) {
    await client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  logger.info(
    {
      botUserId: client.user?.id,
      applicationId: config.applicationId,
      guilds: client.guilds.cache.size,
      latencyMs: Math.round(performance.now() - started),
    },
    'discord: ready',
  );

  let stopping: Promise<void> | undefined;
  return {
    client,
    stop(stopOptions) {
      stopping ??= (async () => {
        accepting = false;
        // Drain before destroy(): destroy() clears the token, and message replies need it.
        const drainTimeoutMs = stopOptions?.drainTimeoutMs ?? DISCORD_DRAIN_TIMEOUT_MS;
        if (!(await inFlight.idle(drainTimeoutMs))) logger.warn({ inFlight: inFlight.count, drainTimeoutMs }, 'discord: stopping with replies still in flight');
        await client.destroy();
        logger.info('discord: stopped');
      })();
      return stopping;
    },
  };
}

function shardOptions(
  shards: DiscordConfig['shards'],
): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (shards === undefined) return {};
  if (shards === 'auto') return { shards: 'auto' };
  // One process runs every shard: ids 0..n-1 of n.
  return { shards: Array.from({ length: shards }, (_, i) => i), shardCount: shards };
}
