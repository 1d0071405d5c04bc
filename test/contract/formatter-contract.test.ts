/**
 * One contract that every platform formatter passes: each renders the engine's reply model in its
 * own idiom, but all show every source (title, publisher, date, link), keep the year visible, stay
 * within their platform's limits, never mass-mention, and offer an abstention's suggestions as
 * buttons. A new adapter adds one entry to PLATFORMS.
 */
import { describe, expect, it } from 'vitest';
import { formatDiscordReply, DISCORD_MAX_BUTTON_LABEL_LENGTH, DISCORD_MAX_EMBED_DESCRIPTION_LENGTH, DISCORD_MAX_EMBED_FIELDS, DISCORD_MAX_EMBED_TOTAL_LENGTH } from '../../adapters/discord/format.js';
import { formatSlackReply, SLACK_MAX_BLOCKS, SLACK_MAX_BUTTON_TEXT_CHARS, SLACK_MAX_SECTION_TEXT_CHARS, type KnownBlock } from '../../adapters/slack/format.js';
import type { Reply, SourceRef } from '../../src/engine/types.js';

interface Rendered {
  /** Everything a reader can see, as one string (markup included). */
  readonly visible: string;
  /** Labels of the buttons offered. */
  readonly buttons: readonly string[];
  /** Limit violations, empty when within the platform's limits. */
  readonly violations: readonly string[];
  /** True when the message can ping nobody, whatever its text. */
  readonly pingsNobody: boolean;
}

interface Platform {
  readonly name: string;
  render(reply: Reply): Rendered;
  /** How a URL appears in the visible text (Slack escapes & in links). */
  showsUrl(visible: string, url: string): boolean;
}

const collectSlackText = (blocks: readonly KnownBlock[]): string => JSON.stringify(blocks);

const PLATFORMS: readonly Platform[] = [
  {
    name: 'Slack (Block Kit)',
    render(reply) {
      const message = formatSlackReply(reply);
      const violations: string[] = [];
      if (message.blocks.length > SLACK_MAX_BLOCKS) violations.push(`${message.blocks.length} blocks`);
      const buttons: string[] = [];
      for (const block of message.blocks) {
        if (block.type === 'section' && block.text && block.text.text.length > SLACK_MAX_SECTION_TEXT_CHARS) violations.push('section text too long');
        if (block.type === 'actions') {
          for (const element of block.elements) {
            if (element.type === 'button') {
              buttons.push(element.text.text);
              if (element.text.text.length > SLACK_MAX_BUTTON_TEXT_CHARS) violations.push('button text too long');
            }
          }
        }
      }
      const visible = `${message.text}\n${collectSlackText(message.blocks)}`;
      return { visible, buttons, violations, pingsNobody: !/<!(channel|here|everyone)\b|<@[UW]/.test(visible) };
    },
    showsUrl: (visible, url) => visible.includes(url.replace(/&/g, '&amp;')),
  },
  {
    name: 'Discord (embeds)',
    render(reply) {
      const payload = formatDiscordReply(reply);
      const violations: string[] = [];
      let total = 0;
      for (const embed of payload.embeds) {
        if ((embed.description?.length ?? 0) > DISCORD_MAX_EMBED_DESCRIPTION_LENGTH) violations.push('description too long');
        if ((embed.fields?.length ?? 0) > DISCORD_MAX_EMBED_FIELDS) violations.push('too many fields');
        total += (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
        for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
      }
      if (total > DISCORD_MAX_EMBED_TOTAL_LENGTH) violations.push(`${total} characters in embeds`);
      const buttons = payload.components.flatMap((row) => row.components.map((button) => button.label ?? ''));
      for (const label of buttons) if (label.length > DISCORD_MAX_BUTTON_LABEL_LENGTH) violations.push('button label too long');
      const visible = `${payload.content ?? ''}\n${JSON.stringify(payload.embeds)}`;
      return { visible, buttons, violations, pingsNobody: payload.allowedMentions.parse.length === 0 };
    },
    showsUrl: (visible, url) => visible.includes(url),
  },
];

const SOURCES: SourceRef[] = [
  { id: 'a', title: 'Haidian district hailed as model', publisher: 'english.gov.cn', url: 'http://english.gov.cn/a.htm?x=1&y=2', date: '2017-02-09' },
  { id: 'b', title: 'City district changes', publisher: 'China Daily', url: 'http://www.chinadaily.com.cn/b.htm', date: '2018-10-25' },
];

const ANSWER: Reply = {
  kind: 'answer',
  language: 'en',
  body: "In 2016, Haidian's GDP was expected to exceed 490 billion yuan.",
  factId: 'gdp-2016',
  topic: 'economy',
  year: 2016,
  asOf: '2017-02-09',
  sources: SOURCES,
  suggestions: [],
  topics: [],
  confidence: 0.9,
};

const NO_MATCH: Reply = {
  kind: 'no-match',
  language: 'en',
  body: "I don't know that one.",
  sources: [],
  suggestions: [
    { factId: 'gdp-2016', question: "What was Haidian's GDP in 2016?" },
    { factId: 'incubators', question: 'How many incubators are on Zhongguancun street?' },
  ],
  topics: [],
  confidence: 0.2,
};

const HOSTILE_TEXT = '<!channel> <!here> @everyone @here <@U123> <@&42> <https://evil.example|click> [x](https://evil.example) & < >';

describe.each(PLATFORMS)('$name formatter contract', (platform) => {
  it('shows every source with its title, publisher, date and link', () => {
    const { visible } = platform.render(ANSWER);
    for (const source of SOURCES) {
      expect(visible).toContain(source.title);
      expect(visible).toContain(source.publisher);
      expect(visible).toContain(source.date);
      expect(platform.showsUrl(visible, source.url)).toBe(true);
    }
  });

  it('keeps the year the figure refers to visible', () => {
    expect(platform.render(ANSWER).visible).toContain('2016');
    expect(platform.render({ ...ANSWER, year: 1999, body: 'A figure.' }).visible).toContain('1999');
  });

  it('offers an abstention’s suggestions as buttons', () => {
    const { buttons } = platform.render(NO_MATCH);
    expect(buttons).toEqual(NO_MATCH.suggestions.map((s) => s.question));
  });

  it('shows a clarifying question with its suggested full questions as buttons, and no source', () => {
    const clarify: Reply = { ...NO_MATCH, kind: 'clarify', body: "I'm not sure what that refers to. Could you ask the whole question?", confidence: 0 };
    const { visible, buttons, violations } = platform.render(clarify);
    expect(visible).toContain("not sure what that refers to");
    expect(buttons).toEqual(clarify.suggestions.map((s) => s.question));
    expect(visible).not.toContain('english.gov.cn');
    expect(violations).toEqual([]);
  });

  it('stays within the platform’s limits for a huge reply', () => {
    const huge: Reply = {
      ...ANSWER,
      body: 'word '.repeat(3000),
      sources: Array.from({ length: 40 }, (_, i) => ({ ...SOURCES[0]!, id: `s${i}`, title: `Source ${i} ${'t'.repeat(200)}` })),
      suggestions: Array.from({ length: 30 }, (_, i) => ({ factId: `f${i}`, question: `Question ${i} ${'q'.repeat(200)}` })),
    };
    expect(platform.render(huge).violations).toEqual([]);
    expect(platform.render({ ...NO_MATCH, suggestions: huge.suggestions }).violations).toEqual([]);
  });

  it('never pings anyone, whatever text reaches it', () => {
    const rendered = platform.render({ ...ANSWER, body: HOSTILE_TEXT, suggestions: [{ factId: 'x', question: HOSTILE_TEXT }] });
    expect(rendered.pingsNobody).toBe(true);
    expect(rendered.violations).toEqual([]);
  });
});
