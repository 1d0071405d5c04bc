/** End to end with the real discord.js Client: an answer past its fact's review date carries the out-of-date line. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../../src/bot/bot.js';
import { freshnessBot } from '../../helpers/real-bot.js';
import { startHarness, type CallbackBody, type Harness } from './harness.js';

let harness: Harness | undefined;
let bot: Bot;

beforeAll(async () => {
  bot = await freshnessBot();
});

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const embedOf = async (h: Harness, question: string) => {
  const { payload } = h.fake.sendSlashCommand({ options: { question } });
  return (((await h.fake.waitForCallback(payload.id)).body as CallbackBody).data?.embeds ?? [])[0];
};

describe('Discord: an answer past its review date, end to end', () => {
  it('answers /haidian in English and Chinese with the out-of-date line in the footer', async () => {
    const h = (harness = await startHarness({ bot }));
    const en = await embedOf(h, 'How many bakeries are there?');
    expect(en?.description).toContain('42 bakeries');
    expect(en?.footer?.text).toBe('⚠️ This figure may be out of date (as of 2020-03-01).');
    const zh = await embedOf(h, '有多少家面包店？');
    expect(zh?.description).toContain('42家面包店');
    expect(zh?.footer?.text).toBe('⚠️ 此数据可能已过时（截至2020-03-01）。');
  });

  it('answers a fact not yet due without the line', async () => {
    const h = (harness = await startHarness({ bot }));
    const embed = await embedOf(h, 'How many museums are there?');
    expect(embed?.description).toContain('3 museums');
    expect(embed?.footer?.text).toBe('As of 2024-05-01');
  });
});
