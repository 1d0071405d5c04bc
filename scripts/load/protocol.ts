import type { DiscordConfig, SlackConfig } from '../../src/config.js';

/**
 * What the load script (run.ts) and the bot process it forks (bot-process.ts) share: the spec sent as
 * the first argument, the IPC messages, the event-loop sampling interval. Both import this module and
 * not each other.
 */

/** The event-loop delay sampling interval; the histogram's values include it, so it is subtracted. */
export const LOOP_RESOLUTION_MS = 10;

/** What the load script sends as the first argument (JSON). */
export type BotProcessSpec =
  | {
      readonly platform: 'slack';
      readonly knowledgeDir: string;
      readonly logLevel: string;
      readonly slack: SlackConfig;
    }
  | {
      readonly platform: 'discord';
      readonly knowledgeDir: string;
      readonly logLevel: string;
      readonly discord: DiscordConfig;
    };

/** Resource use since the previous `stats` request. */
export interface BotStats {
  /** CPU time over wall time, in % of one core. */
  readonly cpuPercent: number;
  /** Event-loop lag, p99 and max, in ms beyond the sampling interval. */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  readonly rssMb: number;
}

export type BotMessage =
  | { readonly type: 'ready'; readonly port?: number }
  | { readonly type: 'stats'; readonly stats: BotStats }
  | { readonly type: 'failed'; readonly message: string };

