import { createInterface } from 'node:readline';
import type { Bot } from '../../src/bot/bot.js';
import { askInConversation, createConversationMemory, type ConversationMemory } from '../../src/bot/conversation.js';
import { createMemoryStore } from '../../src/bot/store.js';
import { renderPlainText } from '../../src/engine/render.js';

export interface TerminalChatOptions {
  readonly bot: Bot;
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where the session's context lives; by default a store of this session only. */
  readonly memory?: ConversationMemory;
}

/** The terminal session is one conversation, like a thread. */
const TERMINAL_CONVERSATION_KEY = 'terminal:local';

const QUIT = /^\s*(quit|exit|:q|退出)\s*$/i;
const PROMPT = 'you › ';
const WELCOME =
  'haidian-bot: ask me about Haidian district in Beijing (economy, Zhongguancun, universities, landmarks …).\n' +
  'Type "help" for topics, "quit" or Ctrl-D to leave.\n';

/**
 * Local chat in the terminal, the adapter used when no platform is configured. Interactive with a
 * prompt on a TTY; with piped input it answers each line in order and exits at end of input.
 * Resolves when the conversation ends.
 */
export async function runTerminalChat({ bot, input, output, memory = createConversationMemory(createMemoryStore()) }: TerminalChatOptions): Promise<void> {
  const interactive = Boolean(input.isTTY && output.isTTY);
  const lines = createInterface({ input, output: interactive ? output : undefined, terminal: interactive, crlfDelay: Infinity });
  const write = (text: string): void => {
    output.write(text);
  };
  if (interactive) {
    write(WELCOME);
    lines.setPrompt(PROMPT);
    lines.prompt();
  }
  let first = true;
  for await (const line of lines) {
    if (QUIT.test(line)) break;
    if (!interactive && line.trim() === '') continue;
    const reply = await askInConversation(bot, memory, TERMINAL_CONVERSATION_KEY, line, { platform: 'terminal', userId: 'local' });
    const text = renderPlainText(reply);
    if (interactive) write(`\nbot › ${text.replace(/\n/g, '\n      ')}\n\n`);
    else {
      write(`${first ? '' : '\n'}${text}\n`);
      first = false;
    }
    if (interactive) lines.prompt();
  }
  lines.close();
  if (interactive) write('Bye!\n');
}
