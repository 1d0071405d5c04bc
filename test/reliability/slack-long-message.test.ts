/**
 * A Slack message can be 40,000 characters. The engine reads the first 500; the Slack adapter cuts
 * the question there, so nothing after it (the unanswered log's scrubbing, which is slow on long runs
 * of letters, and its storage) ever sees more than a real question.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toQuestion } from '../../adapters/slack/question.js';
import { startApp } from '../../src/host/app.js';
import type { Bot } from '../../src/bot/bot.js';
import { loadConfig } from '../../src/config.js';
import { QUESTION_MAX_CHARS } from '../../src/engine/defaults.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import {
  captureLogs,
  KNOWLEDGE_DIR,
  realBot,
  sendMention,
  slackLauncher,
  startSlackRig,
  BOT_TOKEN,
  SIGNING_SECRET,
  type SlackRig,
} from './harness.js';

/** Slack's own limit on a message's text. */
const SLACK_MAX_MESSAGE_CHARS = 40_000;

let rig: SlackRig | undefined;
let cleanup: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  await rig?.stop();
  rig = undefined;
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('Slack: the longest message', () => {
  it('becomes a question of at most 500 characters, never ending in half a character', () => {
    expect(toQuestion('x'.repeat(SLACK_MAX_MESSAGE_CHARS), 'UBOT0001')).toHaveLength(
      QUESTION_MAX_CHARS,
    );
    const emoji = toQuestion(`a${'😀'.repeat(SLACK_MAX_MESSAGE_CHARS / 2)}`, 'UBOT0001');
    expect(emoji.length).toBeLessThanOrEqual(QUESTION_MAX_CHARS);
    expect(emoji).not.toMatch(/[\ud800-\udfff]/u);
    // What the engine would have read anyway: the answer is the same.
    const long = `<@UBOT0001> What was Haidian's GDP in 2016? ${'padding '.repeat(5_000)}`;
    expect(toQuestion(long, 'UBOT0001')).toBe(
      toQuestion(long, 'UBOT0001').slice(0, QUESTION_MAX_CHARS),
    );
  });

  it('reaches the bot cut to 500 characters, and is answered', async () => {
    const real = await realBot();
    const lengths: number[] = [];
    const bot: Bot = {
      ...real,
      ask: (question, context) => {
        lengths.push(question.length);
        return real.ask(question, context);
      },
    };
    rig = await startSlackRig({ bot });
    await sendMention(
      rig.eventsUrl,
      `What was Haidian's GDP in 2016? ${'x'.repeat(SLACK_MAX_MESSAGE_CHARS - 100)}`,
    );
    const [post] = await rig.fake.waitForCalls('chat.postMessage', 1);
    expect(lengths).toEqual([QUESTION_MAX_CHARS]);
    expect(String(post?.body['text'])).toContain('490 billion yuan');
  });

  it('is stored in the unanswered log as at most 500 characters', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'haidian-unanswered-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const fake: FakeSlack = await startFakeSlack();
    cleanup.push(() => fake.close());
    const file = path.join(dir, 'unanswered.jsonl');
    const launcher = slackLauncher(fake);
    const config = loadConfig({
      KNOWLEDGE_DIR,
      HOST: '127.0.0.1',
      PORT: '0',
      WATCH_KNOWLEDGE: 'false',
      UNANSWERED_LOG: file,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
    });
    const app = await startApp({
      config,
      logger: captureLogs('info').logger,
      platforms: [launcher],
      drainTimeoutMs: 1_000,
    });
    cleanup.push(() => app.stop());
    await sendMention(
      `http://127.0.0.1:${app.httpPort ?? 0}/slack/events`,
      'qwertyuiop'.repeat(SLACK_MAX_MESSAGE_CHARS / 10),
    );
    await fake.waitForCalls('chat.postMessage', 1);
    await app.stop();
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] as string) as { kind: string; question: string };
    expect(entry.kind).toBe('no-match');
    expect(entry.question.length).toBeLessThanOrEqual(QUESTION_MAX_CHARS);
  });
});
