/**
 * A deploy in the middle of traffic: the real process (`node --import tsx src/main.ts`, Slack HTTP
 * mode, against the fake Slack with a slow chat.postMessage) gets SIGTERM right after acknowledging
 * 20 questions. Slack considers acknowledged events delivered and will not resend them, so all 20
 * must be answered, once each, before the process exits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { startBot, type BotProcess } from '../host/process.js';
import {
  BOT_TOKEN,
  KNOWLEDGE_DIR,
  postsByThread,
  sendMention,
  settle,
  SIGNING_SECRET,
} from './harness.js';

const IN_FLIGHT = 20;
/** Each answer is held this long by the fake Slack: all 20 are still being delivered when SIGTERM comes. */
const SLOW_POST_MS = 1_500;
const QUESTIONS = [
  "What was Haidian's GDP in 2016?",
  'How many incubators are on Zhongguancun street?',
  '海淀区的人口是多少',
  'What is the capital of France?',
];

let fake: FakeSlack | undefined;
let bot: BotProcess | undefined;

afterEach(async () => {
  await bot?.kill();
  await fake?.close();
  bot = undefined;
  fake = undefined;
});

describe('SIGTERM with questions in flight', () => {
  it(`answers all ${IN_FLIGHT} acknowledged questions exactly once before exiting 0`, async () => {
    fake = await startFakeSlack();
    bot = startBot({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      HOST: '127.0.0.1',
      PORT: '0',
      KNOWLEDGE_DIR,
      WATCH_KNOWLEDGE: 'false',
      LOG_LEVEL: 'info',
    });
    const ready = await bot.waitForLog((record) => record['msg'] === 'ready');
    const eventsUrl = `http://127.0.0.1:${String(ready['port'])}/slack/events`;
    fake.setDelay('chat.postMessage', SLOW_POST_MS);

    // Twenty users ask at once (distinct users: the per-user rate limit is not under test).
    const sent = await Promise.all(
      Array.from({ length: IN_FLIGHT }, (_, i) =>
        sendMention(eventsUrl, QUESTIONS[i % QUESTIONS.length] as string, {
          user: `USIGTERM${String(i).padStart(3, '0')}`,
        }),
      ),
    );
    for (const result of sent) expect(result.status).toBe(200);
    // Acknowledged, not answered yet: the deploy's SIGTERM arrives now.
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
    const signalledAt = performance.now();
    bot.child.kill('SIGTERM');

    expect(await bot.exited).toBe(0);
    const exitMs = performance.now() - signalledAt;
    await settle();
    const byThread = postsByThread(fake);
    for (const { ts } of sent) expect(byThread.get(ts), `answers in thread ${ts}`).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(IN_FLIGHT);
    expect(exitMs).toBeGreaterThanOrEqual(SLOW_POST_MS - 100);
    console.log(
      `[sigterm] ${IN_FLIGHT} answers in flight (Slack delay ${SLOW_POST_MS} ms): SIGTERM → exit 0 in ${exitMs.toFixed(0)} ms`,
    );
  });
});
