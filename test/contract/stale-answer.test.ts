/**
 * An answer whose fact is past its review date (Reply.stale, issue 15) in every formatter and both
 * languages: the answer, its year line and its sources stay, and one short line says the figure may
 * be out of date, naming the as-of date. A fresh answer has no such line.
 */
import { describe, expect, it } from 'vitest';
import { formatDiscordReply } from '../../adapters/discord/format.js';
import { formatSlackReply } from '../../adapters/slack/format.js';
import { renderPlainText } from '../../src/engine/render.js';
import type { Reply } from '../../src/engine/types.js';

const FRESH: Reply = {
  kind: 'answer',
  language: 'en',
  body: "Haidian's GDP was 1.08 trillion yuan in 2023.",
  factId: 'gdp-2023',
  topic: 'economy',
  year: 2023,
  asOf: '2024-03-20',
  sources: [{ id: 'bjhd-2024', title: 'Statistical communiqué 2023', publisher: 'Haidian statistics', url: 'https://example.org/a?x=1&y=2', date: '2024-03-20' }],
  suggestions: [],
  topics: [],
  confidence: 1,
};
const STALE: Reply = { ...FRESH, stale: { reviewBy: '2025-06-30', asOf: '2024-03-20' } };
const STALE_ZH: Reply = { ...STALE, language: 'zh', body: '2023年海淀区地区生产总值为1.08万亿元。' };

const EN_LINE = 'This figure may be out of date (as of 2024-03-20).';
const ZH_LINE = '此数据可能已过时（截至2024-03-20）。';

describe('an answer past its review date, in every formatter', () => {
  it('Slack (Block Kit): its own context block under the year line, and in the fallback text', () => {
    for (const [reply, line] of [[STALE, EN_LINE], [STALE_ZH, ZH_LINE]] as const) {
      const message = formatSlackReply(reply);
      const contexts = message.blocks.flatMap((block) => (block.type === 'context' ? [block.elements.map((e) => ('text' in e ? e.text : '')).join(' ')] : []));
      expect(contexts[1]).toBe(`:warning: ${line}`);
      expect(contexts[0]).toMatch(reply.language === 'en' ? /^Figure for 2023/ : /^数据年份：2023/);
      expect(message.text).toContain(line);
      expect(message.blocks[0]).toMatchObject({ type: 'section', text: { text: reply.body } });
    }
    expect(JSON.stringify(formatSlackReply(FRESH))).not.toMatch(/out of date|:warning:/);
  });

  it('Discord (embeds): the footer gives the year and the warning (which names the as-of date), sources unchanged', () => {
    const en = formatDiscordReply(STALE).embeds[0];
    expect(en?.footer?.text).toBe(`Figure for 2023 · ⚠️ ${EN_LINE}`);
    expect(en?.description).toBe(formatDiscordReply(FRESH).embeds[0]?.description);
    expect(en?.fields).toEqual(formatDiscordReply(FRESH).embeds[0]?.fields);
    expect(formatDiscordReply(STALE_ZH).embeds[0]?.footer?.text).toBe(`数据年份：2023 · ⚠️ ${ZH_LINE}`);
    expect(formatDiscordReply(FRESH).embeds[0]?.footer?.text).toBe('Figure for 2023 · as of 2024-03-20');
  });

  it('plain text (terminal, CLI): a line after the year line, before the sources', () => {
    const en = renderPlainText(STALE).split('\n');
    expect(en.slice(0, 3)).toEqual([STALE.body, '(Figure for 2023 · as of 2024-03-20)', EN_LINE]);
    expect(renderPlainText(STALE_ZH).split('\n')[2]).toBe(ZH_LINE);
    expect(renderPlainText(FRESH)).not.toMatch(/out of date/);
  });
});
