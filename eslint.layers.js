// @ts-check
/**
 * The dependency rule of docs/architecture.md, as ESLint rules: each layer lists what it must not
 * import. Arrows point one way: entry points (src/main.ts, src/cli.ts) → adapters and host →
 * curator → bot → knowledge → engine → nothing of ours. Kept apart from eslint.config.js so that
 * test/architecture/layers.test.ts lints fixtures with exactly these rules.
 */

const ADAPTERS = { group: ['**/adapters/**'], message: 'Only the entry points (src/main.ts, src/cli.ts) know the adapters.' };
const ENTRY_POINTS = { group: ['**/main.js', '**/cli.js'], message: 'Entry points are composition roots: nothing imports them.' };
const HOST = { group: ['**/host/**'], message: 'The hosted process (src/host) sits above this layer.' };
const CURATOR = { group: ['**/curator/**'], message: 'The curator tools (src/curator) sit above this layer.' };
const BOT = { group: ['**/bot/**'], message: 'The bot service (src/bot) sits above this layer.' };
const CONFIG = { group: ['**/config.js'], message: 'Only the layers that run a process read the configuration.' };
const PLATFORMS = { group: ['@slack/*', 'discord.js'], message: 'Only the adapters (and the Discord shard supervisor) talk to a platform.' };
const SLACK = { group: ['@slack/*'], message: 'Only adapters/slack talks to Slack.' };
const IO = {
  group: ['node:fs', 'node:fs/*', 'node:net', 'node:http', 'node:child_process', 'pino', 'prom-client'],
  message: 'The engine is pure: no IO, no logging, no metrics.',
};

const ADAPTER_BASE = [ENTRY_POINTS, HOST, CURATOR, { group: ['**/src/knowledge/**'], message: 'Adapters reach the fact base through the Bot (src/bot).' }];

/** @param {string[]} files @param {object[]} patterns @param {object[]} [extra] */
const layer = (files, patterns, extra = []) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [...patterns, ...extra] }] },
});

export const layers = [
  // The engine may read the fact model's types (import type … from '../knowledge/schema.js'), nothing else of ours.
  layer(['src/engine/**/*.ts'], [ADAPTERS, ENTRY_POINTS, HOST, CURATOR, BOT, CONFIG, PLATFORMS, IO], [
    { group: ['**/knowledge/**'], allowTypeImports: true, message: 'The engine may import only types from src/knowledge.' },
  ]),
  layer(['src/knowledge/**/*.ts'], [ADAPTERS, ENTRY_POINTS, HOST, CURATOR, BOT, CONFIG, PLATFORMS]),
  layer(['src/bot/**/*.ts'], [ADAPTERS, ENTRY_POINTS, HOST, CURATOR, PLATFORMS]),
  layer(['src/curator/**/*.ts'], [ADAPTERS, ENTRY_POINTS, HOST, PLATFORMS]),
  // discord.js is allowed here for the ShardingManager (Discord shard supervision).
  layer(['src/host/**/*.ts'], [ADAPTERS, ENTRY_POINTS, SLACK]),
  layer(['src/config.ts'], [ADAPTERS, ENTRY_POINTS, HOST, CURATOR, BOT, PLATFORMS, { group: ['**/engine/**', '**/knowledge/**'], message: 'The configuration is a leaf: zod only.' }]),
  // Adapters stand on src/bot, src/engine and src/config; never on the host, the curator tools or each other.
  // (One config per adapter: a later config's options for the same rule replace an earlier one's.)
  layer(['adapters/**/*.ts'], ADAPTER_BASE),
  layer(['adapters/slack/**/*.ts'], ADAPTER_BASE, [{ group: ['**/discord/**', '**/terminal/**', 'discord.js'], message: 'One adapter does not import another.' }]),
  layer(['adapters/discord/**/*.ts'], ADAPTER_BASE, [{ group: ['**/slack/**', '**/terminal/**', '@slack/*'], message: 'One adapter does not import another.' }]),
  layer(['adapters/terminal/**/*.ts'], ADAPTER_BASE, [{ group: ['**/slack/**', '**/discord/**', '@slack/*', 'discord.js'], message: 'One adapter does not import another.' }]),
];
