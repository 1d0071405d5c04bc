import { createInterface } from 'node:readline';
import type { Bot } from '../../src/bot/bot.js';
import { renderPlainText } from '../../src/engine/render.js';

export interface TerminalChatOptions {
  readonly bot: Bot;
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream & { isTTY?: boolean };
}

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
export async function runTerminalChat({ bot, input, output }: TerminalChatOptions): Promise<void> {
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
    const reply = await bot.ask(line, { platform: 'terminal', userId: 'local' });
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
