import { runTerminalChat } from '../adapters/terminal/chat.js';
import { createBot } from './bot.js';
import { ConfigError, loadConfig } from './config.js';
import { createEngine } from './engine/engine.js';
import { KnowledgeError } from './knowledge/errors.js';
import { loadKnowledge } from './knowledge/load.js';

/** Composition root: config → knowledge → engine → the adapters configured (the terminal when none). */
async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const kb = await loadKnowledge(config.knowledgeDir);
  const engine = createEngine(kb);
  const bot = createBot({ getEngine: () => engine });
  await runTerminalChat({ bot, input: process.stdin, output: process.stdout });
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof ConfigError || error instanceof KnowledgeError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else throw error;
}
