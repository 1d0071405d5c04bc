import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTerminalChat } from '../../../adapters/terminal/chat.js';
import { createBot } from '../../../src/bot/bot.js';
import { createEngine } from '../../../src/engine/engine.js';
import type { Engine } from '../../../src/engine/types.js';
import { loadKnowledge } from '../../../src/knowledge/load.js';
import { cleanEnv, run } from '../../helpers/run.js';
import { createFeedbackService } from '../../../src/bot/feedback.js';
import { createMemoryRecordLog } from '../../../src/bot/records.js';
import { createMemoryStore } from '../../../src/bot/store.js';

let engine: Engine;
beforeAll(async () => {
  engine = createEngine(await loadKnowledge('knowledge'));
});

async function chat(lines: string[], tty = false, feedback?: Parameters<typeof runTerminalChat>[0]['feedback']): Promise<string> {
  const input = Object.assign(new PassThrough(), { isTTY: tty });
  const output = Object.assign(new PassThrough(), { isTTY: tty });
  let text = '';
  output.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const done = runTerminalChat({ bot: createBot({ getEngine: () => engine }), input, output, ...(feedback ? { feedback } : {}) });
  input.end(lines.map((line) => `${line}\n`).join(''));
  await done;
  return text;
}

describe('terminal chat', () => {
  it('records good and bad [reason] about the last answer, once per repeat, and says so', async () => {
    const log = createMemoryRecordLog();
    const service = createFeedbackService({ log, store: createMemoryStore(), hashKey: 'terminal-test-key' });
    const text = await chat(
      ['good', "What was Haidian's GDP in 2016?", 'good', 'good', 'bad out of date', 'bad The figure was revised in 2018', 'What is the capital of France?', 'bad'],
      false,
      { service, persisted: false },
    );
    // "good" before any answer is an ordinary line for the bot, not feedback.
    expect(text.match(/Thanks! Noted 👍/g)).toHaveLength(1);
    expect(text).toContain('Thanks! Noted 👍 for the last answer (not saved: FEEDBACK_LOG is unset).');
    expect(text).toContain('Already noted.');
    expect(text).toContain('Thanks, noted 👎 (out-of-date) for the last answer');
    expect(text).toContain('Thanks, noted 👎 (other) for the last answer');
    expect(log.records.map((r) => (r.type === 'feedback' ? `${r.vote}:${r.reason ?? ''}` : `correction:${r.text}`))).toEqual([
      'up:',
      'down:out-of-date',
      'down:other',
      'correction:The figure was revised in 2018',
    ]);
    for (const record of log.records) expect(record).toMatchObject({ platform: 'terminal', factId: 'gdp-2016', question: "What was Haidian's GDP in 2016?" });
    // After a reply that is not an answer, "bad" has nothing to rate and goes to the bot.
    expect(log.records).toHaveLength(4);
  });

  it('explains good and bad in the welcome and after help when feedback is on', async () => {
    const service = createFeedbackService({ log: createMemoryRecordLog(), store: createMemoryStore(), hashKey: 'terminal-test-key' });
    expect(await chat(['help'], true, { service, persisted: true })).toMatch(/type "good" or "bad"[^]*type "good" or "bad"/);
    expect(await chat(['help'], true)).not.toContain('"good"');
  });

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
