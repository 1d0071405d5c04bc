import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { buildFactCustomId, parseFactCustomId } from '../../../adapters/discord/custom-ids.js';
import {
  DISCORD_MAX_AUTOCOMPLETE_CHOICES,
  DISCORD_MAX_BUTTON_LABEL_LENGTH,
  DISCORD_MAX_CHOICE_NAME_LENGTH,
  DISCORD_MAX_CHOICE_VALUE_LENGTH,
  DISCORD_MAX_CONTENT_LENGTH,
  DISCORD_MAX_CUSTOM_ID_LENGTH,
  DISCORD_MAX_EMBED_DESCRIPTION_LENGTH,
  DISCORD_MAX_EMBED_FIELD_NAME_LENGTH,
  DISCORD_MAX_EMBED_FIELD_VALUE_LENGTH,
  DISCORD_MAX_EMBED_FIELDS,
  DISCORD_MAX_EMBED_TOTAL_LENGTH,
  formatApology,
  formatAutocompleteChoices,
  formatDiscordReply,
  truncate,
  type DiscordMessagePayload,
} from '../../../adapters/discord/format.js';
import type { Reply, SourceRef } from '../../../src/engine/types.js';

const gdpSource: SourceRef = {
  id: 'gov-cn-2017-02-09',
  title: 'Haidian district hailed as model of entrepreneurship and innovation',
  publisher: 'english.gov.cn',
  url: 'http://english.gov.cn/news/top_news/2017/02/09/content_281475563152317.htm',
  date: '2017-02-09',
};

const answer: Reply = {
  kind: 'answer',
  language: 'en',
  body: "In 2016, Haidian's GDP was expected to exceed 490 billion yuan, growing about 9 percent on the year before.",
  factId: 'gdp-2016',
  topic: 'economy',
  year: 2016,
  asOf: '2017-02-09',
  sources: [gdpSource],
  suggestions: [],
  topics: [],
  confidence: 1,
};

const noMatch: Reply = {
  kind: 'no-match',
  language: 'en',
  body: "I don't know that one: nothing in my Haidian fact base answers it, and I'd rather say so than guess.",
  sources: [],
  suggestions: [
    { factId: 'haidian-overview', question: 'What is Haidian?' },
    { factId: 'company-counts-2018', question: 'How many unicorn companies are in Haidian?' },
    { factId: 'gdp-2012', question: "What was Haidian's GDP in 2012?" },
  ],
  topics: [],
  confidence: 0,
};

const help: Reply = {
  kind: 'help',
  language: 'en',
  body: 'I answer questions about Haidian district in Beijing. Topics I know:',
  sources: [],
  suggestions: [],
  topics: [
    {
      id: 'economy',
      title: 'Economy and GDP',
      factCount: 10,
      example: "What was Haidian's GDP in 2012?",
    },
    { id: 'zhongguancun', title: 'Zhongguancun', factCount: 1, example: 'What is Zhongguancun?' },
  ],
  confidence: 1,
};

function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

/** Every limit Discord enforces on a message we send. */
function expectWithinDiscordLimits(payload: DiscordMessagePayload): void {
  expect(payload.content?.length ?? 0).toBeLessThanOrEqual(DISCORD_MAX_CONTENT_LENGTH);
  expect(payload.embeds.reduce((sum, e) => sum + embedLength(e), 0)).toBeLessThanOrEqual(
    DISCORD_MAX_EMBED_TOTAL_LENGTH,
  );
  for (const embed of payload.embeds) {
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(
      DISCORD_MAX_EMBED_DESCRIPTION_LENGTH,
    );
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_MAX_EMBED_FIELDS);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeGreaterThan(0);
      expect(field.name.length).toBeLessThanOrEqual(DISCORD_MAX_EMBED_FIELD_NAME_LENGTH);
      expect(field.value.length).toBeGreaterThan(0);
      expect(field.value.length).toBeLessThanOrEqual(DISCORD_MAX_EMBED_FIELD_VALUE_LENGTH);
    }
  }
  for (const row of payload.components) {
    expect(row.components.length).toBeLessThanOrEqual(5);
    for (const button of row.components) {
      expect(button.label?.length ?? 0).toBeLessThanOrEqual(DISCORD_MAX_BUTTON_LABEL_LENGTH);
      expect(button.custom_id.length).toBeLessThanOrEqual(DISCORD_MAX_CUSTOM_ID_LENGTH);
    }
  }
}

function source(i: number): SourceRef {
  return {
    id: `source-${i}`,
    title: `Statistical communiqué on the national economic and social development of Haidian district, volume ${i}`,
    publisher: `Haidian District Bureau of Statistics ${i}`,
    url: `https://www.bjhd.gov.cn/tjxx/${i}/report_${i}.html`,
    date: `20${10 + (i % 10)}-0${1 + (i % 9)}-15`,
  };
}

describe('formatDiscordReply', () => {
  it('renders an answer as one embed with the body, the sources and the year (snapshot)', () => {
    expect(formatDiscordReply(answer)).toMatchInlineSnapshot(`
      {
        "allowedMentions": {
          "parse": [],
        },
        "components": [],
        "embeds": [
          {
            "color": 3066993,
            "description": "In 2016, Haidian's GDP was expected to exceed 490 billion yuan, growing about 9 percent on the year before.",
            "fields": [
              {
                "name": "Source",
                "value": "1. [Haidian district hailed as model of entrepreneurship and innovation](http://english.gov.cn/news/top_news/2017/02/09/content_281475563152317.htm) — english.gov.cn, 2017-02-09",
              },
            ],
            "footer": {
              "text": "Figure for 2016 · as of 2017-02-09",
            },
          },
        ],
      }
    `);
  });

  it('renders an abstention with the suggestions listed and offered as buttons (snapshot)', () => {
    expect(formatDiscordReply(noMatch)).toMatchInlineSnapshot(`
      {
        "allowedMentions": {
          "parse": [],
        },
        "components": [
          {
            "components": [
              {
                "custom_id": "haidian:fact:haidian-overview:en",
                "label": "What is Haidian?",
                "style": 2,
                "type": 2,
              },
              {
                "custom_id": "haidian:fact:company-counts-2018:en",
                "label": "How many unicorn companies are in Haidian?",
                "style": 2,
                "type": 2,
              },
              {
                "custom_id": "haidian:fact:gdp-2012:en",
                "label": "What was Haidian's GDP in 2012?",
                "style": 2,
                "type": 2,
              },
            ],
            "type": 1,
          },
        ],
        "embeds": [
          {
            "color": 15844367,
            "description": "I don't know that one: nothing in my Haidian fact base answers it, and I'd rather say so than guess.",
            "fields": [
              {
                "name": "You could ask:",
                "value": "• What is Haidian?
      • How many unicorn companies are in Haidian?
      • What was Haidian's GDP in 2012?",
              },
            ],
          },
        ],
      }
    `);
  });

  it('shows every source as a markdown link with its publisher and date', () => {
    const sources = [gdpSource, source(1), source(2)];
    const payload = formatDiscordReply({ ...answer, sources });
    const fields = payload.embeds[0]?.fields ?? [];
    expect(fields.map((f) => f.name)).toEqual(['Sources']);
    for (const s of sources) {
      expect(fields[0]?.value).toContain(`[${s.title}](${s.url}) — ${s.publisher}, ${s.date}`);
    }
  });

  it('shows the year the figure refers to, or only the as-of date for a fact without a year', () => {
    expect(formatDiscordReply(answer).embeds[0]?.footer?.text).toBe(
      'Figure for 2016 · as of 2017-02-09',
    );
    expect(formatDiscordReply({ ...answer, year: undefined }).embeds[0]?.footer?.text).toBe(
      'As of 2017-02-09',
    );
    expect(formatDiscordReply({ ...answer, language: 'zh' }).embeds[0]?.footer?.text).toBe(
      '数据年份：2016 · 截至2017-02-09',
    );
  });

  it('colours the embed by reply kind', () => {
    const colours = (['answer', 'no-match', 'help', 'smalltalk', 'notice'] as const).map(
      (kind) => formatDiscordReply({ ...answer, kind }).embeds[0]?.color,
    );
    expect(new Set(colours).size).toBe(5);
  });

  it('lists help topics with their fact counts and an example question', () => {
    const fields = formatDiscordReply(help).embeds[0]?.fields;
    expect(fields).toEqual([
      { name: 'Economy and GDP · 10 facts', value: "e.g. “What was Haidian's GDP in 2012?”" },
      { name: 'Zhongguancun · 1 fact', value: 'e.g. “What is Zhongguancun?”' },
    ]);
  });

  it('keeps a 10,000-character body with 30 sources within every Discord limit', () => {
    const huge: Reply = {
      ...answer,
      body: 'Haidian '.repeat(1250),
      sources: Array.from({ length: 30 }, (_, i) => source(i)),
    };
    const payload = formatDiscordReply(huge);
    expectWithinDiscordLimits(payload);
    const embed = payload.embeds[0] as APIEmbed;
    expect(embed.description?.endsWith('…')).toBe(true);
    expect(embed.footer?.text).toBe('Figure for 2016 · as of 2017-02-09');
    // The first sources survive, and the reader is told how many were left out.
    const text = (embed.fields ?? []).map((f) => f.value).join('\n');
    expect(text).toContain(`[${source(0).title}](${source(0).url})`);
    expect(text).toMatch(/…and \d+ more$/);
  });

  it('keeps 30 sources with a short body all visible within the limits', () => {
    const many: Reply = { ...answer, sources: Array.from({ length: 30 }, (_, i) => source(i)) };
    const payload = formatDiscordReply(many);
    expectWithinDiscordLimits(payload);
    const text = (payload.embeds[0]?.fields ?? []).map((f) => f.value).join('\n');
    const shown = (text.match(/^\d+\. /gm) ?? []).length;
    expect(shown).toBeGreaterThanOrEqual(25);
    if (shown < 30) expect(text).toContain(`…and ${30 - shown} more`);
  });

  it('keeps 40 help topics within the 25-field limit and says how many more there are', () => {
    const topics = Array.from({ length: 40 }, (_, i) => ({
      id: `t${i}`,
      title: `Topic ${i}`,
      factCount: i,
      example: `Example question ${i}?`,
    }));
    const payload = formatDiscordReply({ ...help, topics });
    expectWithinDiscordLimits(payload);
    const fields = payload.embeds[0]?.fields ?? [];
    expect(fields).toHaveLength(DISCORD_MAX_EMBED_FIELDS);
    expect(fields.at(-1)).toEqual({ name: 'More topics', value: '…and 16 more' });
  });

  it('offers at most three buttons, with labels cut to 80 characters and short custom ids', () => {
    const long = 'How many '.repeat(30).trim() + '?';
    const suggestions = [
      { factId: 'a-fact', question: long },
      { factId: 'b-fact', question: 'Second?' },
      { factId: 'x'.repeat(120), question: 'A fact id too long for a custom id' },
      { factId: 'c-fact', question: 'Third?' },
      { factId: 'd-fact', question: 'Fourth?' },
    ];
    const payload = formatDiscordReply({ ...noMatch, suggestions });
    expectWithinDiscordLimits(payload);
    const buttons = payload.components[0]?.components ?? [];
    expect(buttons.map((b) => b.custom_id)).toEqual([
      'haidian:fact:a-fact:en',
      'haidian:fact:b-fact:en',
      'haidian:fact:c-fact:en',
    ]);
    expect(buttons[0]?.label).toHaveLength(DISCORD_MAX_BUTTON_LABEL_LENGTH);
    expect(buttons[0]?.label?.endsWith('…')).toBe(true);
  });

  it('can leave the suggestion buttons out', () => {
    expect(formatDiscordReply(noMatch, { suggestionButtons: false }).components).toEqual([]);
  });

  it('parses no mentions on every payload and never puts reply text in content', () => {
    const hostile = '@everyone @here <@&123> <@456> look';
    const replies: Reply[] = [
      { ...answer, body: hostile },
      { ...noMatch, body: hostile, suggestions: [{ factId: 'x', question: hostile }] },
      { ...help, body: hostile },
      { ...answer, kind: 'smalltalk', body: hostile, sources: [] },
      { ...answer, kind: 'notice', body: hostile, sources: [] },
    ];
    for (const reply of replies) {
      const payload = formatDiscordReply(reply);
      expect(payload.allowedMentions).toEqual({ parse: [] });
      expect(payload.content).toBeUndefined();
    }
    expect(formatApology().allowedMentions).toEqual({ parse: [] });
    expect(formatApology().content).toBe(
      'Sorry, something went wrong while answering. Please try again.',
    );
  });

  it('escapes markdown in engine text so it shows as written', () => {
    const payload = formatDiscordReply({
      ...answer,
      body: '# heading\n**bold** _it_ [click](http://evil.example)',
    });
    // An escaped opening bracket is enough to stop a masked link.
    expect(payload.embeds[0]?.description).toBe(
      '\\# heading\n\\*\\*bold\\*\\* \\_it\\_ \\[click\\](http://evil.example)',
    );
  });

  it('keeps a source link intact when its title has brackets or its URL has parentheses', () => {
    const odd = {
      ...gdpSource,
      title: 'Report [2016] (final)',
      url: 'https://example.org/a_(b) c',
    };
    const value = formatDiscordReply({ ...answer, sources: [odd] }).embeds[0]?.fields?.[0]?.value;
    expect(value).toBe(
      '1. [Report \\[2016\\] (final)](https://example.org/a_%28b%29%20c) — english.gov.cn, 2017-02-09',
    );
  });
});

describe('formatAutocompleteChoices', () => {
  it('returns at most 25 choices with names and values of at most 100 characters, best first', () => {
    const completions = Array.from({ length: 40 }, (_, i) => ({
      factId: `fact-${i}`,
      question: `Question ${i} ${'about Haidian '.repeat(i % 12)}?`,
    }));
    const choices = formatAutocompleteChoices(completions);
    expect(choices).toHaveLength(DISCORD_MAX_AUTOCOMPLETE_CHOICES);
    expect(choices[0]?.name).toBe('Question 0 ?');
    for (const choice of choices) {
      expect(choice.name.length).toBeLessThanOrEqual(DISCORD_MAX_CHOICE_NAME_LENGTH);
      expect(choice.value.length).toBeLessThanOrEqual(DISCORD_MAX_CHOICE_VALUE_LENGTH);
    }
  });

  it('sends a question longer than 100 characters as a fact reference, named by the cut question', () => {
    const question = `What ${'exactly '.repeat(20)}is Zhongguancun?`;
    const [choice] = formatAutocompleteChoices([{ factId: 'zhongguancun-overview', question }]);
    expect(choice?.value).toBe('haidian:fact:zhongguancun-overview:en');
    expect(choice?.name).toHaveLength(DISCORD_MAX_CHOICE_NAME_LENGTH);
    expect(choice?.name.endsWith('…')).toBe(true);
  });

  it('drops duplicate and empty questions', () => {
    const choices = formatAutocompleteChoices([
      { factId: 'a', question: 'Same?' },
      { factId: 'b', question: 'Same?' },
      { factId: 'c', question: '  ' },
    ]);
    expect(choices).toEqual([{ name: 'Same?', value: 'Same?' }]);
  });
});

describe('fact custom ids', () => {
  it('round-trips a fact id and language', () => {
    expect(parseFactCustomId(buildFactCustomId('gdp-2016', 'zh'))).toEqual({
      factId: 'gdp-2016',
      language: 'zh',
    });
  });

  it.each([
    'haidian:fact:../etc:en',
    'haidian:fact:gdp-2016:fr',
    'other:fact:gdp-2016:en',
    'haidian:fact:gdp-2016:en:x',
    'haidian:fact::en',
    'What is Haidian?',
  ])('rejects %s', (customId) => {
    expect(parseFactCustomId(customId)).toBeUndefined();
  });
});

describe('truncate', () => {
  it('never splits a surrogate pair or leaves a dangling escape', () => {
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(truncate('ab\\*cd', 4)).toBe('ab…');
    expect(truncate('short', 10)).toBe('short');
  });
});
