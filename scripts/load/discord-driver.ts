/**
 * Load on Discord: `/haidian question:…` interactions dispatched as INTERACTION_CREATE over the fake
 * gateway; answers seen at the fake REST API as the interaction callback (type 4), or, when the bot
 * deferred a slow answer, as the edit of the deferred reply. The interaction id says which question.
 */
import { APOLOGY_TEXT } from '../../adapters/discord/format.js';
import type { FakeDiscord } from '../../test/fakes/fake-discord.js';
import type { PlatformDriver, SeenAnswer } from './run.js';

const CALLBACK = /^\/interactions\/(\d+)\/([^/]+)\/callback$/;
const EDIT_ORIGINAL = /^\/webhooks\/\d+\/([^/]+)\/messages\/@original$/;
/** Interaction response type 4: a message now (type 5 is "thinking…", answered later by an edit). */
const CHANNEL_MESSAGE_WITH_SOURCE = 4;

export interface DiscordDriverOptions {
  readonly fake: FakeDiscord;
  readonly questions: readonly string[];
}

export function createDiscordDriver(options: DiscordDriverOptions): PlatformDriver {
  const { fake } = options;
  const apologies = new Set(Object.values(APOLOGY_TEXT));
  const idByToken = new Map<string, string>();
  let seen = 0;

  return {
    platform: 'discord',
    send(seq) {
      const question = options.questions[seq % options.questions.length] as string;
      const { payload } = fake.sendSlashCommand({ options: { question } });
      idByToken.set(payload.token, payload.id);
      // The gateway has no acknowledgement: a dispatch is written to the socket or replayed on resume.
      return { id: payload.id, accepted: Promise.resolve(true) };
    },
    collect() {
      const answers: SeenAnswer[] = [];
      const requests = fake.requests;
      for (; seen < requests.length; seen += 1) {
        const request = requests[seen];
        if (!request) continue;
        // Recorded on arrival, answered a moment later: wait for the status rather than skip it.
        if (request.status === 0) break;
        if (request.status < 200 || request.status >= 300) continue;
        const body = (request.body ?? {}) as {
          type?: number;
          data?: { content?: string };
          content?: string;
        };
        const callback = request.method === 'POST' ? CALLBACK.exec(request.route) : null;
        if (callback && body.type === CHANNEL_MESSAGE_WITH_SOURCE) {
          answers.push({
            id: callback[1] as string,
            at: request.receivedAt,
            ok: !apologies.has(body.data?.content ?? ''),
          });
          continue;
        }
        const edit = request.method === 'PATCH' ? EDIT_ORIGINAL.exec(request.route) : null;
        const id = edit ? idByToken.get(edit[1] as string) : undefined;
        if (id)
          answers.push({ id, at: request.receivedAt, ok: !apologies.has(body.content ?? '') });
      }
      return answers;
    },
    backlog: 0,
  };
}
