import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTerminalChat } from '../../../adapters/terminal/chat.js';
import { createBot } from '../../../src/bot/bot.js';
import { createEngine } from '../../../src/engine/engine.js';
import type { Engine } from '../../../src/engine/types.js';
import { loadKnowledge } from '../../../src/knowledge/load.js';
import { cleanEnv, run } from '../../helpers/run.js';

let engine: Engine;
beforeAll(async () => {
  engine = createEngine(await loadKnowledge('knowledge'));
});

async function chat(lines: string[], tty = false): Promise<string> {
  const input = Object.assign(new PassThrough(), { isTTY: tty });
  const output = Object.assign(new PassThrough(), { isTTY: tty });
  let text = '';
  output.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const done = runTerminalChat({ bot: createBot({ getEngine: () => engine }), input, output });
  input.end(lines.map((line) => `${line}\n`).join(''));
  await done;
  return text;
}

describe('terminal chat', () => {
  it('answers piped questions in order, with numbered sources', async () => {
    const text = await chat(["What was Haidian's GDP in 2016?", 'Who co-founded SenseTime?']);
    expect(text.indexOf('490 billion')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('Yang Fan')).toBeGreaterThan(text.indexOf('490 billion'));
    expect(text).toMatch(/\[1\] .+ — .+, \d{4}/);
  });

  it('shows topics for help and stops at quit', async () => {
    const text = await chat(['help', 'quit', "What was Haidian's GDP in 2016?"]);
    expect(text).toMatch(/Topics I know/);
    expect(text).not.toMatch(/490 billion/);
  });

  it('prompts, welcomes and says goodbye on a terminal', async () => {
    const text = await chat(['hello'], true);
    expect(text).toMatch(/Type "help" for topics/);
    expect(text).toMatch(/you › /);
    expect(text).toMatch(/bot › Hello!/);
    expect(text).toMatch(/Bye!/);
  });

  it('says it does not know, and suggests questions, for an unknown one', async () => {
    const text = await chat(['What is the capital of France?']);
    expect(text).toMatch(/I don't know/);
    expect(text).toMatch(/You could ask:\n {2}• /);
  });
  it('keeps the context of the session: a follow-up answers the same series', async () => {
    const text = await chat(["What was Haidian's GDP in 2016?", 'and in 2017?']);
    expect(text).toMatch(/594 billion/);
    expect(text).toMatch(/China Daily/);
  });
});

describe('npm start without tokens', () => {
  it('opens the terminal chat and answers piped input', async () => {
    const { code, stdout } = await run('npm', ['start', '--silent'], { input: 'How many incubators are on Zhongguancun street?\n', env: cleanEnv({ LOG_LEVEL: 'silent' }) });
    expect(stdout).toMatch(/400/);
    expect(code).toBe(0);
  });
});
