/**
 * Load on Slack: correctly signed `app_mention` events POSTed to the bot's /slack/events over a
 * keep-alive agent with bounded concurrency; answers seen as chat.postMessage calls at the fake Slack
 * Web API. Each event has its own `ts`, and an answer to a mention goes to the thread of that `ts`:
 * `thread_ts` says which question it answers.
 */
import http from 'node:http';
import { formatApology } from '../../adapters/slack/format.js';
import type { FakeSlack } from '../../test/fakes/fake-slack.js';
import { signSlackRequest } from '../../test/fakes/slack-signing.js';
import type { PlatformDriver, SeenAnswer } from './run.js';

/** Events POSTed to the bot at once, at most; more wait in the driver's queue (and their latency shows it). */
export const SLACK_MAX_IN_FLIGHT = 256;
/** A POST that takes longer than this counts as not delivered (Slack itself gives up after 3 s). */
const REQUEST_TIMEOUT_MS = 3_000;

export interface SlackDriverOptions {
  readonly fake: FakeSlack;
  readonly port: number;
  readonly signingSecret: string;
  readonly questions: readonly string[];
  readonly maxInFlight?: number;
}

export function createSlackDriver(options: SlackDriverOptions): PlatformDriver & { close(): void } {
  const { fake } = options;
  const maxInFlight = options.maxInFlight ?? SLACK_MAX_IN_FLIGHT;
  const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight });
  const apology = formatApology().text;
  const queue: (() => void)[] = [];
  let inFlight = 0;
  let seen = 0;

  const post = (body: string): Promise<boolean> =>
    new Promise((resolve) => {
      const run = (): void => {
        inFlight += 1;
        const done = (ok: boolean): void => {
          inFlight -= 1;
          queue.shift()?.();
          resolve(ok);
        };
        const request = http.request(
          {
            agent,
            host: '127.0.0.1',
            port: options.port,
            path: '/slack/events',
            method: 'POST',
            timeout: REQUEST_TIMEOUT_MS,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              ...signSlackRequest(options.signingSecret, body),
            },
          },
          (response) => {
            response.resume();
            response.on('end', () => done(response.statusCode === 200));
            response.on('error', () => done(false));
          },
        );
        request.on('timeout', () => request.destroy(new Error('timeout')));
        request.on('error', () => done(false));
        request.end(body);
      };
      if (inFlight < maxInFlight) run();
      else queue.push(run);
    });

  return {
    platform: 'slack',
    send(seq) {
      // A unique message ts per event (the thread its answer must name), and a unique event and user.
      const ts = `${1_800_000_000 + Math.floor(seq / 1_000_000)}.${String(seq % 1_000_000).padStart(6, '0')}`;
      const question = options.questions[seq % options.questions.length] as string;
      const body = JSON.stringify({
        token: 'legacy-verification-token',
        team_id: fake.identity.teamId,
        api_app_id: fake.identity.appId,
        type: 'event_callback',
        event_id: `EvLOAD${seq}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [
          {
            team_id: fake.identity.teamId,
            user_id: fake.identity.botUserId,
            is_bot: true,
            is_enterprise_install: false,
          },
        ],
        event: {
          type: 'app_mention',
          user: `ULOAD${seq}`,
          channel: 'C0LOAD',
          text: `<@${fake.identity.botUserId}> ${question}`,
          ts,
          event_ts: ts,
        },
      });
      return { id: ts, accepted: post(body) };
    },
    collect() {
      const answers: SeenAnswer[] = [];
      const calls = fake.calls;
      for (; seen < calls.length; seen += 1) {
        const call = calls[seen];
        if (!call || call.method !== 'chat.postMessage' || call.status !== 200) continue;
        answers.push({
          id: String(call.body['thread_ts']),
          at: call.at,
          ok: call.body['text'] !== apology,
        });
      }
      return answers;
    },
    get backlog() {
      return queue.length;
    },
    close() {
      agent.destroy();
    },
  };
}
