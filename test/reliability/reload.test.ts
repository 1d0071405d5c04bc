/**
 * A knowledge reload that fails while questions are arriving: the hosted process (startApp, with the
 * real Slack adapter against the fake Slack and the real loader on a copy of the fact base) keeps
 * answering every question, once, from the fact base it was serving.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/host/app.js';
import { loadConfig } from '../../src/config.js';
import { escapeSlackText } from '../../adapters/slack/format.js';
import { startFakeSlack } from '../fakes/fake-slack.js';
import {
  BOT_TOKEN,
  captureLogs,
  KNOWLEDGE_DIR,
  postsByThread,
  realEngine,
  sendMention,
  settle,
  SIGNING_SECRET,
  slackLauncher,
} from './harness.js';

const QUESTIONS = [
  "What was Haidian's GDP in 2016?",
  'How many incubators are on Zhongguancun street?',
  '海淀区的人口是多少',
  'How big is Haidian district?',
  'hello',
];
const MARKER = 'ANSWER-FROM-THE-BROKEN-RELOAD';
/** Questions sent in all, one every SEND_INTERVAL_MS; the reload starts after a third of them. */
const QUESTION_COUNT = 30;
const SEND_INTERVAL_MS = 10;

let cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});


/** Breaks a copy of the fact base the way a bad edit does: one answer changed, one file invalid. */
async function breakFactBase(dir: string): Promise<void> {
  const economy = path.join(dir, 'economy.yaml');
  const text = await readFile(economy, 'utf8');
  // Every English answer in the file changes: had any of it been loaded, answers would show the marker.
  await writeFile(economy, text.replace(/^(\s+en: )(.+)$/gm, `$1${MARKER} $2`));
  await writeFile(
    path.join(dir, 'transport.yaml'),
    'facts:\n  - id: Not A Slug\n    topic: [unclosed\n',
  );
}

describe('knowledge reload failing under traffic', () => {
  it('answers every question arriving during a failed reload once, from the fact base it was serving', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'haidian-reload-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await cp(KNOWLEDGE_DIR, dir, { recursive: true });
    const fake = await startFakeSlack();
    cleanup.push(() => fake.close());
    const logs = captureLogs('info');
    const config = loadConfig({
      KNOWLEDGE_DIR: dir,
      HOST: '127.0.0.1',
      PORT: '0',
      WATCH_KNOWLEDGE: 'false',
      RATE_LIMIT_PER_MINUTE: '100000',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
    });
    const app: RunningApp = await startApp({
      config,
      logger: logs.logger,
      platforms: [slackLauncher(fake)],
      drainTimeoutMs: 2_000,
    });
    cleanup.push(() => app.stop());
    const eventsUrl = `http://127.0.0.1:${app.httpPort ?? 0}/slack/events`;
    const engine = await realEngine();

    const threads = new Map<string, string>();
    let reload: Promise<boolean> | undefined;
    for (let i = 0; i < QUESTION_COUNT; i += 1) {
      if (i === QUESTION_COUNT / 3) {
        await breakFactBase(dir);
        reload = app.reload('test: a bad edit');
      }
      const question = QUESTIONS[i % QUESTIONS.length] as string;
      // Not awaited: questions keep arriving while the reload reads and rejects the files.
      void sendMention(eventsUrl, question, { user: `U${String(i).padStart(6, '0')}` }).then(
        (sent) => threads.set(sent.ts, question),
      );
      await settle(SEND_INTERVAL_MS);
    }
    expect(await reload).toBe(false);
    await fake.waitFor(
      () => threads.size === QUESTION_COUNT && postsByThread(fake).size === QUESTION_COUNT,
      5_000,
    );
    await settle();

    const byThread = postsByThread(fake);
    for (const [ts, question] of threads) {
      const posts = byThread.get(ts) ?? [];
      expect(posts, `answers to "${question}"`).toHaveLength(1);
      const text = String(posts[0]?.body['text']);
      expect(text).not.toContain(MARKER);
      expect(text).toContain(escapeSlackText(engine.ask(question).body));
    }
    // The operator can see why: the log names the broken file, and the metric counts the failure.
    expect(logs.lines.find((line) => line.includes('knowledge: reload rejected'))).toContain(
      'transport.yaml',
    );
    const metrics = await (await fetch(`http://127.0.0.1:${app.httpPort ?? 0}/metrics`)).text();
    expect(metrics).toMatch(/^haidian_fact_base_reload_failures_total 1$/m);
    expect(metrics).toMatch(new RegExp(`^haidian_fact_base_facts ${engine.factCount}$`, 'm'));
    const ready = await fetch(`http://127.0.0.1:${app.httpPort ?? 0}/readyz`);
    expect(ready.status).toBe(200);
  });
});
