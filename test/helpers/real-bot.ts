import path from 'node:path';
import { createBot, type Bot } from '../../src/bot/bot.js';
import { createEngine } from '../../src/engine/engine.js';
import type { Engine } from '../../src/engine/types.js';
import { loadKnowledge } from '../../src/knowledge/load.js';

/** The project's real fact base, wherever the test runs from. */
export const KNOWLEDGE_DIR = path.resolve(import.meta.dirname, '../../knowledge');

let engine: Promise<Engine> | undefined;

/** The real engine over the real fact base, loaded once per test file. */
export function realEngine(): Promise<Engine> {
  engine ??= loadKnowledge(KNOWLEDGE_DIR).then((kb) => createEngine(kb));
  return engine;
}

/** A Bot over the real engine, with no rate limit. */
export async function realBot(): Promise<Bot> {
  const loaded = await realEngine();
  return createBot({ getEngine: () => loaded });
}

/** The freshness fixture's Bot on 2026-12-07: the bakeries fact was due for review on 2021-03-01, the museums fact in 2999. */
export async function freshnessBot(): Promise<Bot> {
  const engine = createEngine(await loadKnowledge(path.resolve(import.meta.dirname, '../fixtures/fresh-knowledge')));
  return createBot({ getEngine: () => engine, today: () => '2026-12-07' });
}
