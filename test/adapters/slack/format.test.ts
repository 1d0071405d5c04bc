import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/engine/types.js';
import {
  ACTION_SHARE,
  clipEscaped,
  decodeFactRef,
  encodeFactRef,
  escapeSlackText,
  formatApology,
  formatSlackReply,
  SLACK_MAX_ACTIONS_ELEMENTS,
  SLACK_MAX_BLOCKS,
  SLACK_MAX_BUTTON_TEXT_CHARS,
  SLACK_MAX_BUTTON_VALUE_CHARS,
  SLACK_MAX_CONTEXT_ELEMENTS,
  SLACK_MAX_FALLBACK_TEXT_CHARS,
  SLACK_MAX_SECTION_TEXT_CHARS,
  splitEscaped,
  type KnownBlock,
} from '../../../adapters/slack/format.js';

const GDP_2016: Reply = {
  kind: 'answer',
  language: 'en',
  body: "In 2016, Haidian's GDP was expected to exceed 490 billion yuan, growing about 9 percent on the year before.",
  factId: 'gdp-2016',
  topic: 'economy',
  year: 2016,
  asOf: '2017-02-09',
  sources: [
    {
      id: 'gov-cn-2017-02-09-haidian-model',
      title: 'Haidian district hailed as model of entrepreneurship and innovation',
      publisher: 'english.gov.cn (The State Council of the People’s Republic of China)',
      url: 'http://english.gov.cn/news/top_news/2017/02/09/content_281475563152317.htm',
      date: '2017-02-09',
    },
  ],
  suggestions: [],
  topics: [],
  confidence: 1,
};

const NO_MATCH: Reply = {
  kind: 'no-match',
  language: 'en',
  body: "I don't know that one: nothing in my Haidian fact base answers it, and I'd rather say so than guess.",
  sources: [],
  suggestions: [
    { factId: 'haidian-overview', question: 'What is Haidian?' },
    { factId: 'gdp-2012', question: "What was Haidian's GDP in 2012?" },
  ],
  topics: [],
  confidence: 0,
};

const HELP: Reply = {
  kind: 'help',
  language: 'en',
  body: 'I answer questions about Haidian district in Beijing. Topics I know:',
  sources: [],
  suggestions: [],
  topics: [
    { id: 'economy', title: 'Economy and GDP', factCount: 10, example: "What was Haidian's GDP in 2012?" },
    { id: 'about', title: 'About Haidian', factCount: 1, example: 'What is Haidian?' },
  ],
  confidence: 1,
};

const HOSTILE = '<!channel> <!here> <!everyone> <@U123> <https://evil.example|click> & <#C1> <!subteam^S1>';

/** Every text a reader sees, with whether Slack parses it as mrkdwn. */
function textsOf(blocks: readonly KnownBlock[]): { text: string; mrkdwn: boolean }[] {
  const texts: { text: string; mrkdwn: boolean }[] = [];
  for (const block of blocks) {
    if (block.type === 'section' && block.text) texts.push({ text: block.text.text, mrkdwn: block.text.type === 'mrkdwn' });
    if (block.type === 'context') {
      for (const element of block.elements) if ('text' in element) texts.push({ text: element.text, mrkdwn: element.type === 'mrkdwn' });
    }
    if (block.type === 'actions') {
      for (const element of block.elements) if (element.type === 'button') texts.push({ text: element.text.text, mrkdwn: false });
    }
  }
  return texts;
}

function buttonsOf(blocks: readonly KnownBlock[]): { action_id: string; value: string; text: string }[] {
  return blocks.flatMap((block) =>
    block.type === 'actions'
      ? block.elements.flatMap((element) => (element.type === 'button' ? [{ action_id: element.action_id ?? '', value: element.value ?? '', text: element.text.text }] : []))
      : [],
  );
}

/** Asserts every Slack limit the formatter promises. */
function expectWithinLimits(message: { text: string; blocks: KnownBlock[] }): void {
  expect(message.blocks.length).toBeGreaterThan(0);
  expect(message.blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(SLACK_MAX_FALLBACK_TEXT_CHARS);
  for (const { text } of textsOf(message.blocks)) {
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(SLACK_MAX_SECTION_TEXT_CHARS);
  }
  for (const block of message.blocks) {
    if (block.type === 'context') expect(block.elements.length).toBeLessThanOrEqual(SLACK_MAX_CONTEXT_ELEMENTS);
    if (block.type === 'actions') expect(block.elements.length).toBeLessThanOrEqual(SLACK_MAX_ACTIONS_ELEMENTS);
  }
  const buttons = buttonsOf(message.blocks);
  for (const button of buttons) {
    expect(button.text.length).toBeLessThanOrEqual(SLACK_MAX_BUTTON_TEXT_CHARS);
    expect(button.value.length).toBeLessThanOrEqual(SLACK_MAX_BUTTON_VALUE_CHARS);
  }
  expect(new Set(buttons.map((b) => b.action_id)).size).toBe(buttons.length);
}

/** Asserts nothing in the message can mention, mass-mention or link, except links to our own sources. */
function expectNoInjectedMarkup(message: { text: string; blocks: KnownBlock[] }, sourceUrls: readonly string[] = []): void {
  const mrkdwn = [message.text, ...textsOf(message.blocks).filter((t) => t.mrkdwn).map((t) => t.text)];
  for (const text of mrkdwn) {
    // The only `<` Slack may see starts a link to one of our own source URLs.
    const withoutSourceLinks = sourceUrls.reduce((acc, url) => acc.split(`<${url}|`).join(''), text);
    expect(withoutSourceLinks).not.toContain('<');
    expect(text).not.toMatch(/<[!@#]/);
    // Every & starts an entity, so no raw sequence can decode into markup.
    expect(text.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
  }
  expect(JSON.stringify(message)).not.toMatch(/<!(channel|here|everyone)/);
}

describe('formatSlackReply', () => {
  it('renders an answer: body section, year line, numbered source with publisher and date', () => {
    expect(formatSlackReply(GDP_2016)).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "In 2016, Haidian's GDP was expected to exceed 490 billion yuan, growing about 9 percent on the year before.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "Figure for 2016 · as of 2017-02-09",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
          {
            "elements": [
              {
                "text": "*[1]* <http://english.gov.cn/news/top_news/2017/02/09/content_281475563152317.htm|Haidian district hailed as model of entrepreneurship and innovation> · english.gov.cn (The State Council of the People’s Republic of China), 2017-02-09",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
        ],
        "text": "In 2016, Haidian's GDP was expected to exceed 490 billion yuan, growing about 9 percent on the year before.
      (Figure for 2016 · as of 2017-02-09)

      Source:
        [1] Haidian district hailed as model of entrepreneurship and innovation — english.gov.cn (The State Council of the People’s Republic of China), 2017-02-09 &lt;http://english.gov.cn/news/top_news/2017/02/09/content_281475563152317.htm&gt;",
      }
    `);
  });

  it('renders a no-match with its suggestions as buttons', () => {
    expect(formatSlackReply(NO_MATCH)).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "I don't know that one: nothing in my Haidian fact base answers it, and I'd rather say so than guess.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "You could ask:",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "action_id": "haidian_suggest_0",
                "text": {
                  "emoji": true,
                  "text": "What is Haidian?",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "en:haidian-overview",
              },
              {
                "action_id": "haidian_suggest_1",
                "text": {
                  "emoji": true,
                  "text": "What was Haidian's GDP in 2012?",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "en:gdp-2012",
              },
            ],
            "type": "actions",
          },
        ],
        "text": "I don't know that one: nothing in my Haidian fact base answers it, and I'd rather say so than guess.

      You could ask:
        • What is Haidian?
        • What was Haidian's GDP in 2012?",
      }
    `);
  });

  it('shows every source with its publisher and date, numbered in order', () => {
    const sources = Array.from({ length: 4 }, (_, i) => ({
      id: `s${i}`,
      title: `Title ${i}`,
      publisher: `Publisher ${i}`,
      url: `https://example.org/${i}`,
      date: `201${i}-01-0${i + 1}`,
    }));
    const message = formatSlackReply({ ...GDP_2016, sources });
    const shown = textsOf(message.blocks).map((t) => t.text).join('\n');
    sources.forEach((source, i) => {
      expect(shown).toContain(`*[${i + 1}]* <${source.url}|${source.title}> · ${source.publisher}, ${source.date}`);
      expect(message.text).toContain(source.publisher);
      expect(message.text).toContain(source.date);
    });
  });

  it('keeps the year the figure refers to visible, in blocks and fallback, in both languages', () => {
    const en = formatSlackReply(GDP_2016);
    expect(JSON.stringify(en.blocks)).toContain('Figure for 2016 · as of 2017-02-09');
    expect(en.text).toContain('Figure for 2016 · as of 2017-02-09');
    const zh = formatSlackReply({ ...GDP_2016, language: 'zh', body: '2016年，海淀区地区生产总值预计超过4900亿元。' });
    expect(JSON.stringify(zh.blocks)).toContain('数据年份：2016');
    expect(formatSlackReply({ ...GDP_2016, year: undefined }).text).toMatch(/as of 2017-02-09/i);
  });

  it('lists every help topic with an example question', () => {
    const message = formatSlackReply(HELP);
    const shown = textsOf(message.blocks).map((t) => t.text).join('\n');
    for (const topic of HELP.topics) {
      expect(shown).toContain(`*${topic.title}*`);
      expect(shown).toContain(`“${escapeSlackText(topic.example)}”`);
    }
    expect(buttonsOf(message.blocks)).toEqual([]);
  });

  it('renders a notice as one plain section', () => {
    const notice: Reply = { kind: 'notice', language: 'en', body: 'Slow down a little: try again in a minute.', sources: [], suggestions: [], topics: [], confidence: 1 };
    expect(formatSlackReply(notice).blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: notice.body } }]);
  });

  it('adds the Share button only to answers, only when asked', () => {
    expect(buttonsOf(formatSlackReply(GDP_2016).blocks)).toEqual([]);
    expect(buttonsOf(formatSlackReply(GDP_2016, { shareButton: true }).blocks)).toEqual([
      { action_id: ACTION_SHARE, value: 'en:gdp-2016', text: 'Share in channel' },
    ]);
    expect(buttonsOf(formatSlackReply(NO_MATCH, { shareButton: true }).blocks).some((b) => b.action_id === ACTION_SHARE)).toBe(false);
  });

  it('adds the 👍 / 👎 buttons to answers only, carrying language, fact and answer id', () => {
    const message = formatSlackReply(GDP_2016, { shareButton: true, feedbackAnswerId: 'Ab3dE_9x' });
    expect(message.blocks.at(-1)).toEqual({
      type: 'actions',
      block_id: 'haidian_feedback',
      elements: [
        { type: 'button', action_id: 'haidian_feedback_up', text: { type: 'plain_text', text: '👍', emoji: true }, value: 'en:gdp-2016:Ab3dE_9x' },
        { type: 'button', action_id: 'haidian_feedback_down', text: { type: 'plain_text', text: '👎', emoji: true }, value: 'en:gdp-2016:Ab3dE_9x' },
      ],
    });
    expectWithinLimits(message);
    expect(buttonsOf(formatSlackReply(NO_MATCH, { feedbackAnswerId: 'Ab3dE_9x' }).blocks).some((b) => b.action_id.startsWith('haidian_feedback'))).toBe(false);
  });

  it('respects every limit for a huge reply, and keeps the Share button', () => {
    const huge: Reply = {
      ...GDP_2016,
      body: 'Haidian & Zhongguancun <growth> '.repeat(313).slice(0, 10_000),
      sources: Array.from({ length: 600 }, (_, i) => ({
        id: `s${i}`,
        title: `A very long & <odd> source title ${i} `.repeat(20),
        publisher: `Publisher ${i}`,
        url: `https://example.org/${i}`,
        date: '2020-01-01',
      })),
      suggestions: Array.from({ length: 40 }, (_, i) => ({ factId: `fact-${i}`, question: `Question number ${i} that is much, much longer than seventy-five characters, surely?` })),
      topics: Array.from({ length: 60 }, (_, i) => ({ id: `t${i}`, title: `Topic ${i} `.repeat(30), factCount: i, example: `Example ${i}? `.repeat(30) })),
    };
    const message = formatSlackReply(huge, { shareButton: true });
    expectWithinLimits(message);
    expect(message.blocks.at(-1)).toMatchObject({ type: 'actions', elements: [{ action_id: ACTION_SHARE }] });
    expect(JSON.stringify(message.blocks)).toContain('More not shown.');
  });

  it('shows a 10,000-character body whole across sections and cuts longer ones with an ellipsis', () => {
    const body = 'word '.repeat(2_000).trim();
    const message = formatSlackReply({ ...NO_MATCH, body, suggestions: [] });
    expectWithinLimits(message);
    const sections = message.blocks.filter((b) => b.type === 'section').map((b) => (b.type === 'section' ? (b.text?.text ?? '') : ''));
    expect(sections.join(' ')).toBe(body);
    const longer = formatSlackReply({ ...NO_MATCH, body: 'x'.repeat(20_000), suggestions: [] });
    expectWithinLimits(longer);
    expect(JSON.stringify(longer.blocks)).toContain('…');
  });

  it('escapes user-influenced text so it cannot mention, mass-mention or link', () => {
    const message = formatSlackReply({
      ...GDP_2016,
      body: `You asked: ${HOSTILE}`,
      sources: [{ id: 's', title: HOSTILE, publisher: HOSTILE, url: 'https://example.org/ok', date: '2020' }],
      topics: [{ id: 't', title: HOSTILE, factCount: 1, example: HOSTILE }],
    });
    expectNoInjectedMarkup(message, ['https://example.org/ok']);
    expect(JSON.stringify(message.blocks)).toContain('&lt;!channel&gt;');
  });

  it('does not link a source URL that could break out of the link syntax', () => {
    const message = formatSlackReply({ ...GDP_2016, sources: [{ id: 's', title: 'T', publisher: 'P', url: 'https://x.example/a|<!here>', date: '2020' }] });
    expectNoInjectedMarkup(message);
    expect(JSON.stringify(message.blocks)).not.toContain('<https://x.example');
  });

  it('never emits mass mentions or unescaped markup for any text, and stays within limits (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('<', '>', '&', '!', '@', '|', 'channel', 'here', 'a', ' ', '\n', '#', 'U1', ';', 'amp', 'lt', '😀', '海'), maxLength: 400 });
    fc.assert(
      fc.property(text, text, text, fc.array(text, { maxLength: 12 }), (body, title, publisher, questions) => {
        const message = formatSlackReply({
          ...GDP_2016,
          body,
          sources: [{ id: 's', title, publisher, url: 'https://example.org/ok', date: '2020' }],
          suggestions: questions.map((question, i) => ({ factId: `fact-${i}`, question: question || 'q' })),
          topics: [{ id: 't', title, factCount: 1, example: body }],
        }, { shareButton: true });
        expectNoInjectedMarkup(message, ['https://example.org/ok']);
        expectWithinLimits(message);
      }),
      { numRuns: 300 },
    );
  });

  it('sends the short apology as text and one section', () => {
    expect(formatApology()).toEqual({
      text: 'Sorry, something went wrong while answering. Please try again.',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Sorry, something went wrong while answering. Please try again.' } }],
    });
  });
});

describe('escaping helpers', () => {
  it('clips escaped text without splitting an entity', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('&', '<', '>', 'a', ' '), maxLength: 200 }), fc.integer({ min: 2, max: 60 }), (raw, max) => {
        const clipped = clipEscaped(escapeSlackText(raw), max);
        expect(clipped.length).toBeLessThanOrEqual(max);
        expect(clipped.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
      }),
    );
  });

  it('splits at whitespace and keeps every part within the limit', () => {
    expect(splitEscaped('aaa bbb ccc', 7, 5)).toEqual(['aaa bbb', 'ccc']);
    expect(splitEscaped('&amp;&amp;&amp;', 7, 5)).toEqual(['&amp;', '&amp;', '&amp;']);
    expect(splitEscaped('x'.repeat(30), 10, 2)).toEqual(['x'.repeat(10), `${'x'.repeat(9)}…`]);
  });
});

describe('fact references in button values', () => {
  it('round-trips a language and a fact id', () => {
    expect(decodeFactRef(encodeFactRef('gdp-2016', 'zh'))).toEqual({ factId: 'gdp-2016', language: 'zh' });
  });

  it('rejects anything that is not exactly a language and a fact slug', () => {
    for (const value of [undefined, '', 'gdp-2016', 'fr:gdp-2016', 'en:', 'en:<!channel>', 'en:GDP', 'en:a b', `en:${'a'.repeat(3000)}`, '{"f":"gdp-2016"}']) {
      expect(decodeFactRef(value)).toBeUndefined();
    }
  });
});
