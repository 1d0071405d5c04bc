import { createInterface } from 'node:readline';
import type { Bot } from '../../src/bot/bot.js';
import { askInConversation, createConversationMemory, type ConversationMemory } from '../../src/bot/conversation.js';
import { createMemoryStore } from '../../src/bot/store.js';
import type { FeedbackService, FeedbackTarget } from '../../src/bot/feedback.js';
import { FEEDBACK_REASONS, type FeedbackReason } from '../../src/bot/records.js';
import { renderPlainText } from '../../src/engine/render.js';
import type { Reply } from '../../src/engine/types.js';

export interface TerminalChatOptions {
  readonly bot: Bot;
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where the session's context lives; by default a store of this session only. */
  readonly memory?: ConversationMemory;
  /** Turns on `good` / `bad [reason]` after an answer; `persisted` false says the feedback is not saved. */
  readonly feedback?: { readonly service: FeedbackService; readonly persisted: boolean };
}

/** The terminal session is one conversation, like a thread. */
const TERMINAL_CONVERSATION_KEY = 'terminal:local';

const QUIT = /^\s*(quit|exit|:q|退出)\s*$/i;
const PROMPT = 'you › ';
const WELCOME =
  'haidian-bot: ask me about Haidian district in Beijing (economy, Zhongguancun, universities, landmarks …).\n' +
  'Type "help" for topics, "quit" or Ctrl-D to leave.\n';
const FEEDBACK_HELP =
  'After an answer, type "good" or "bad" (optionally with a reason: wrong, out of date, not asked, other;\n' +
  'any other text after "bad" is sent to the curators as a suggested correction).\n';

const GOOD = /^\s*good\s*$/i;
const BAD = /^\s*bad(?:\s+(.*\S))?\s*$/i;
/** Words a user may type after `bad`, for each reason. */
const REASON_WORDS: Readonly<Record<FeedbackReason, readonly string[]>> = {
  wrong: ['wrong', 'incorrect'],
  'out-of-date': ['out of date', 'out-of-date', 'outdated', 'old'],
  'not-asked': ['not asked', 'not-asked', 'not what i asked'],
  other: ['other'],
};

/** The reason a `bad …` line names, or undefined when its text is something else (a correction). */
function reasonOf(text: string): FeedbackReason | undefined {
  const words = text.trim().toLowerCase().replace(/\s+/g, ' ');
  return FEEDBACK_REASONS.find((reason) => REASON_WORDS[reason].includes(words));
}

/**
 * Local chat in the terminal, the adapter used when no platform is configured. Interactive with a
 * prompt on a TTY; with piped input it answers each line in order and exits at end of input.
 * Resolves when the conversation ends.
 */
export async function runTerminalChat({ bot, input, output, memory = createConversationMemory(createMemoryStore()), feedback }: TerminalChatOptions): Promise<void> {
  const interactive = Boolean(input.isTTY && output.isTTY);
  const lines = createInterface({ input, output: interactive ? output : undefined, terminal: interactive, crlfDelay: Infinity });
  const write = (text: string): void => {
    output.write(text);
  };
  if (interactive) {
    write(WELCOME + (feedback ? FEEDBACK_HELP : ''));
    lines.setPrompt(PROMPT);
    lines.prompt();
  }
  let first = true;
  // The answer `good` / `bad` are about: the last reply, when it was an answer.
  let last: FeedbackTarget | undefined;
  const rate = async (line: string): Promise<string | undefined> => {
    if (!feedback || !last) return undefined;
    const good = GOOD.test(line);
    const bad = BAD.exec(line);
    if (!good && !bad) return undefined;
    const note = feedback.persisted ? '' : ' (not saved: FEEDBACK_LOG is unset)';
    if (good) {
      const outcome = await feedback.service.vote(last, 'up');
      return outcome === 'repeated' ? 'Already noted.' : `Thanks! Noted 👍 for the last answer${note}.`;
    }
    const said = bad?.[1];
    const reason = said === undefined ? undefined : (reasonOf(said) ?? 'other');
    const outcome = await feedback.service.vote(last, 'down', reason);
    // Text that names no reason is what the user says is wrong: a suggested correction for the curators.
    if (said !== undefined && reasonOf(said) === undefined) await feedback.service.suggestCorrection(last, said);
    if (outcome === 'repeated' && said === undefined) return 'Already noted.';
    return `Thanks, noted 👎${reason ? ` (${reason})` : ''} for the last answer; the curators will look at it${note}.`;
  };
  const remember = async (reply: Reply, question: string): Promise<void> => {
    last = undefined;
    if (!feedback || reply.kind !== 'answer' || !reply.factId) return;
    const answerId = await feedback.service.rememberAnswer({ platform: 'terminal', factId: reply.factId, question });
    last = { platform: 'terminal', userId: 'local', answerId, factId: reply.factId, language: reply.language };
  };
  for await (const line of lines) {
    if (QUIT.test(line)) break;
    if (!interactive && line.trim() === '') continue;
    let text = await rate(line);
    if (text === undefined) {
      const reply = await askInConversation(bot, memory, TERMINAL_CONVERSATION_KEY, line, { platform: 'terminal', userId: 'local' });
      await remember(reply, line);
      text = renderPlainText(reply);
      if (feedback && reply.kind === 'help') text += `\n\n${FEEDBACK_HELP.trimEnd()}`;
    }
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
