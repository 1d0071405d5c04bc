import path from 'node:path';
import { startDiscordAdapter, type DiscordAdapter } from '../../../adapters/discord/index.js';
import type { FeedbackService } from '../../../src/bot/feedback.js';
import type { Bot } from '../../../src/bot/bot.js';
import type { DiscordConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/bot/log.js';
import type { KeyValueStore } from '../../../src/bot/store.js';
import {
  startFakeDiscord,
  type FakeDiscord,
  type FakeDiscordOptions,
} from '../../fakes/fake-discord.js';
import { lineSink } from '../../helpers/log-lines.js';
import { realBot, realEngine } from '../../helpers/real-bot.js';

export { realBot, realEngine };

/** The real fact base of the repository. */
export const KNOWLEDGE_DIR = path.resolve(import.meta.dirname, '../../../knowledge');
export const TEST_TOKEN = 'fake-bot-token-for-tests';

/** The Discord config the adapter gets in tests: the fake's API, the fake's application id. */
export function testConfig(
  fake: FakeDiscord,
  overrides: Partial<DiscordConfig> = {},
): DiscordConfig {
  return {
    token: TEST_TOKEN,
    applicationId: fake.applicationId,
    apiUrl: fake.apiUrl,
    command: 'haidian',
    ...overrides,
  };
}

export interface Harness {
  readonly fake: FakeDiscord;
  readonly adapter: DiscordAdapter;
  readonly bot: Bot;
  /** Every log line the adapter wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  /** The raw log output, to assert that no message text reached it. */
  logText(): string;
  stop(): Promise<void>;
}

/** Starts the fake Discord and the real adapter (real discord.js Client) connected to it. */
export async function startHarness(
  options: { bot?: Bot; fake?: FakeDiscordOptions; store?: KeyValueStore; feedback?: FeedbackService } = {},
): Promise<Harness> {
  const fake = await startFakeDiscord(options.fake);
  const { sink, lines } = lineSink();
  const logger = createLogger('debug', sink);
  const bot = options.bot ?? (await realBot());
  let adapter: DiscordAdapter;
  try {
    adapter = await startDiscordAdapter({
      config: testConfig(fake),
      bot,
      logger,
      ...(options.store ? { store: options.store } : {}),
      ...(options.feedback ? { feedback: options.feedback } : {}),
    });
  } catch (error) {
    await fake.close();
    throw error;
  }
  return {
    fake,
    adapter,
    bot,
    get logs() {
      return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    logText: () => lines.join('\n'),
    async stop() {
      await adapter.stop();
      await fake.close();
    },
  };
}

/** The JSON body of a recorded request, typed loosely for assertions. */
export interface CallbackBody {
  type: number;
  data?: {
    content?: string;
    flags?: number;
    embeds?: {
      description?: string;
      color?: number;
      fields?: { name: string; value: string }[];
      footer?: { text: string };
    }[];
    components?: {
      type: number;
      components: { type: number; label: string; custom_id: string; style: number }[];
    }[];
    allowed_mentions?: { parse?: string[]; replied_user?: boolean };
    choices?: { name: string; value: string }[];
  };
}
