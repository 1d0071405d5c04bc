import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CORRECTION_LINK_INPUT, CORRECTION_TEXT_INPUT, parseFeedbackCustomId } from '../../../adapters/discord/feedback.js';
import { createFeedbackService } from '../../../src/bot/feedback.js';
import { createLogger } from '../../../src/bot/log.js';
import { createFileRecordLog, hashUserId, latestVotes, type RecordLog } from '../../../src/bot/records.js';
import { createMemoryStore } from '../../../src/bot/store.js';
import { recordsIn } from '../../helpers/records.js';
import type { FakeUser, RecordedRequest } from '../../fakes/fake-discord.js';
import { startHarness, type CallbackBody, type Harness } from './harness.js';

const EPHEMERAL = 64;
const HASH_KEY = 'discord-feedback-test-key';
// The phone number must not reach the file: the question is scrubbed like the unanswered log's.
const QUESTION = "What was Haidian's GDP in 2016? My phone is 13812345678";

interface Component {
  type: number;
  custom_id?: string;
  label?: string;
  emoji?: { name: string };
  style?: number;
  components?: Component[];
  max_length?: number;
  required?: boolean;
}

let harness: Harness | undefined;
let dir: string | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(): Promise<{ h: Harness; log: RecordLog; file: string }> {
  dir = await mkdtemp(join(tmpdir(), 'discord-feedback-'));
  const file = join(dir, 'feedback.jsonl');
  const log = createFileRecordLog({ file, logger: createLogger('silent') });
  const feedback = createFeedbackService({ log, store: createMemoryStore(), hashKey: HASH_KEY });
  harness = await startHarness({ feedback });
  return { h: harness, log, file };
}

function callback(request: RecordedRequest): CallbackBody & { data?: { custom_id?: string; title?: string } } {
  return request.body as CallbackBody & { data?: { custom_id?: string; title?: string } };
}

function buttons(rows: unknown): Component[] {
  return ((rows ?? []) as Component[]).flatMap((row) => row.components ?? []);
}

describe('Discord feedback buttons, end to end with the real discord.js Client', () => {
  it('records 👍, 👎 with a reason and a suggested correction once each, thanks ephemerally, and keeps no user id', async () => {
    const { h, log, file } = await start();
    const { fake } = h;
    const other: FakeUser = { ...fake.humanUser, id: '300000000000000077', username: 'other', global_name: 'Other' };

    const asked = fake.sendSlashCommand({ options: { question: QUESTION } });
    const answer = callback(await fake.waitForCallback(asked.payload.id));
    const row = buttons(answer.data?.components);
    expect(row.map((b) => b.emoji?.name)).toEqual(['👍', '👎']);
    const [up, down] = row.map((b) => b.custom_id ?? '');
    expect(up).toMatch(/^haidian:fb:up:en:gdp-2016:[A-Za-z0-9_-]{8}$/);
    expect(parseFeedbackCustomId(down ?? '')).toMatchObject({ action: 'down', ref: { factId: 'gdp-2016', language: 'en' } });
    for (const id of [up, down]) expect(id?.length).toBeLessThanOrEqual(100);

    // 👍 clicked twice by the asker: thanked ephemerally each time, recorded once.
    for (let i = 0; i < 2; i += 1) {
      const click = fake.sendButton({ customId: up ?? '' });
      const thanks = callback(await fake.waitForCallback(click.payload.id));
      expect(thanks).toMatchObject({ type: 4, data: { content: 'Thanks for the feedback!', flags: EPHEMERAL } });
    }

    // 👎 clicked twice by another user: each click offers the reasons ephemerally.
    let offer: ReturnType<typeof callback> | undefined;
    for (let i = 0; i < 2; i += 1) {
      const click = fake.sendButton({ customId: down ?? '', user: other });
      offer = callback(await fake.waitForCallback(click.payload.id));
    }
    expect(offer).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: 'Sorry about that. What was wrong with the answer?' } });
    const reasons = buttons(offer?.data?.components);
    expect(reasons.map((b) => b.label)).toEqual(['Wrong', 'Out of date', 'Not what I asked', 'Other', 'Suggest a correction']);

    // A reason, clicked twice on the ephemeral message: the thanks replaces the reasons (UPDATE_MESSAGE).
    const outOfDate = reasons.find((b) => b.label === 'Out of date')?.custom_id ?? '';
    for (let i = 0; i < 2; i += 1) {
      const click = fake.sendButton({ customId: outOfDate, user: other, messageFlags: EPHEMERAL });
      const updated = callback(await fake.waitForCallback(click.payload.id));
      expect(updated).toMatchObject({ type: 7, data: { content: 'Thanks, the curators will look at it.', components: [] } });
    }

    // "Suggest a correction" opens the modal (MODAL response) with bounded inputs.
    const correct = reasons.find((b) => b.label === 'Suggest a correction')?.custom_id ?? '';
    const opened = fake.sendButton({ customId: correct, user: other, messageFlags: EPHEMERAL });
    const modal = callback(await fake.waitForCallback(opened.payload.id));
    expect(modal.type).toBe(9);
    expect(modal.data?.title).toBe('Suggest a correction');
    const inputs = buttons(modal.data?.components);
    expect(inputs.map((c) => [c.custom_id, c.required, c.max_length])).toEqual([
      [CORRECTION_TEXT_INPUT, true, 1000],
      [CORRECTION_LINK_INPUT, false, 500],
    ]);
    const modalId = modal.data?.custom_id ?? '';
    expect(modalId.length).toBeLessThanOrEqual(100);

    // The submission, sent twice: thanked ephemerally each time, recorded once.
    for (let i = 0; i < 2; i += 1) {
      const submitted = fake.sendModalSubmit({
        customId: modalId,
        user: other,
        values: { [CORRECTION_TEXT_INPUT]: 'The 2016 figure was revised; call me on 13812345678', [CORRECTION_LINK_INPUT]: 'https://tjj.beijing.gov.cn/tjsj_31433/' },
      });
      const thanks = callback(await fake.waitForCallback(submitted.payload.id));
      expect(thanks).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
      expect(thanks.data?.content).toContain('Thanks! Your correction goes to the curators');
    }

    const { text, records, skipped } = await recordsIn(file, log, 4);
    expect(skipped).toBe(0);
    expect(records.map((r) => (r.type === 'feedback' ? `${r.vote}:${r.reason ?? ''}` : `correction:${r.text}|${r.link ?? ''}`))).toEqual([
      'up:',
      'down:',
      'down:out-of-date',
      'correction:The 2016 figure was revised; call me on [phone]|https://tjj.beijing.gov.cn/tjsj_31433/',
    ]);
    for (const record of records) {
      expect(record).toMatchObject({ platform: 'discord', factId: 'gdp-2016', language: 'en', question: "What was Haidian's GDP in 2016? My phone is [phone]" });
    }
    expect(records[0]?.user).toBe(hashUserId(HASH_KEY, 'discord', fake.humanUser.id));
    expect(records[1]?.user).toBe(hashUserId(HASH_KEY, 'discord', other.id));
    expect(latestVotes(records).map((r) => `${r.vote}:${r.reason ?? ''}`)).toEqual(['up:', 'down:out-of-date']);
    expect(text).not.toContain(fake.humanUser.id);
    expect(text).not.toContain(other.id);
    expect(text).not.toContain('13812345678');
  });

  it('puts the feedback row on a mention answer too, and none on an abstention', async () => {
    const { h } = await start();
    const { fake } = h;
    fake.sendMessage({ content: `<@${fake.botUser.id}> ${QUESTION}`, mentions: [fake.botUser] });
    fake.sendSlashCommand({ options: { question: 'What is the capital of France?' } });
    const posted = await fake.waitFor(() => fake.requestsTo('POST /channels/*/messages')[0]);
    expect(buttons((posted.body as { components?: unknown }).components).map((b) => b.emoji?.name)).toEqual(['👍', '👎']);
    const abstention = await fake.waitFor(() => fake.requestsTo('POST /interactions/**').find((r) => r.status !== 0));
    expect(buttons(callback(abstention).data?.components).some((b) => b.custom_id?.startsWith('haidian:fb:'))).toBe(false);
  });
});

describe('feedback custom ids', () => {
  it('round-trips action, language, fact and answer id, and rejects anything else', () => {
    expect(parseFeedbackCustomId('haidian:fb:out-of-date:zh:gdp-2016:Ab3dE_9x')).toEqual({
      action: 'out-of-date',
      ref: { factId: 'gdp-2016', language: 'zh', answerId: 'Ab3dE_9x' },
    });
    for (const forged of [
      'haidian:fb:up:en:gdp-2016',
      'haidian:fb:delete:en:gdp-2016:Ab3dE_9x',
      'haidian:fb:up:fr:gdp-2016:Ab3dE_9x',
      'haidian:fb:up:en:<@&123> @everyone:Ab3dE_9x',
      'haidian:fb:up:en:gdp-2016:short',
      'haidian:fb:up:en:gdp-2016:Ab3dE_9x:extra',
      'other:fb:up:en:gdp-2016:Ab3dE_9x',
    ]) {
      expect(parseFeedbackCustomId(forged)).toBeUndefined();
    }
  });
});
