/**
 * The `related` reply kind (issue 18: a known subject asked for an attribute no fact states) in every
 * formatter: the body says what is not known, the subject's facts are offered as buttons (or listed in
 * plain text), and nothing looks like an answer: no source, no year line, no share button.
 */
import { describe, expect, it } from 'vitest';
import { DISCORD_COLOR_BY_KIND, formatDiscordReply } from '../../adapters/discord/format.js';
import { formatSlackReply } from '../../adapters/slack/format.js';
import { renderPlainText } from '../../src/engine/render.js';
import type { Reply } from '../../src/engine/types.js';

const RELATED: Reply = {
  kind: 'related',
  language: 'en',
  body: "I don't know the address of Summer Palace: my fact base doesn't say. What it does say about it:",
  sources: [],
  suggestions: [
    { factId: 'summer-palace', question: 'Is the Summer Palace in Haidian?' },
    { factId: 'summer-palace-history', question: 'When was the Summer Palace built?' },
    { factId: 'summer-palace-subway', question: 'How do I get to the Summer Palace by subway?' },
  ],
  topics: [],
  confidence: 0.47,
};

const RELATED_ZH: Reply = {
  ...RELATED,
  language: 'zh',
  body: '我不知道颐和园以前的名称：资料库里没有这一项。关于它，资料库里有这些：',
  suggestions: [{ factId: 'summer-palace-history', question: '颐和园是什么时候建的？' }],
};

describe('the related reply kind, in every formatter', () => {
  it('Slack (Block Kit): the body, the subject’s facts as buttons, no source context and no share button', () => {
    const message = formatSlackReply(RELATED, { shareButton: true });
    const text = JSON.stringify(message.blocks);
    expect(message.text).toContain("I don't know the address of Summer Palace");
    const buttons = message.blocks.flatMap((block) => (block.type === 'actions' ? block.elements.flatMap((e) => (e.type === 'button' ? [e.text.text] : [])) : []));
    expect(buttons).toEqual(RELATED.suggestions.map((s) => s.question));
    expect(text).not.toMatch(/Figure for|Source/);
    expect(formatSlackReply(RELATED_ZH).text).toContain('颐和园以前的名称');
  });

  it('Discord (embeds): the body, its own colour, the subject’s facts as buttons, no source field', () => {
    const payload = formatDiscordReply(RELATED);
    const embed = payload.embeds[0];
    expect(embed?.description).toContain("I don't know the address of Summer Palace");
    expect(embed?.color).toBe(DISCORD_COLOR_BY_KIND.related);
    expect(DISCORD_COLOR_BY_KIND.related).not.toBe(DISCORD_COLOR_BY_KIND.answer);
    expect(payload.components.flatMap((row) => row.components.map((button) => button.label))).toEqual(RELATED.suggestions.map((s) => s.question));
    expect(JSON.stringify(payload.embeds)).not.toMatch(/Figure for|"Sources?"/);
    expect(payload.allowedMentions.parse).toEqual([]);
  });

  it('plain text (terminal, CLI): the body, then the subject’s facts to ask, no sources and no year line', () => {
    const text = renderPlainText(RELATED);
    expect(text.split('\n')[0]).toBe(RELATED.body);
    for (const suggestion of RELATED.suggestions) expect(text).toContain(`• ${suggestion.question}`);
    expect(text).not.toMatch(/Sources?:|Figure for|as of/);
    expect(renderPlainText(RELATED_ZH)).toContain('你可以问：');
  });
});
