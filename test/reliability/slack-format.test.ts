/**
 * Slack formatter cases the hostile-input fuzzing found: cuts that split an emoji in half, and a
 * suggestion with a blank question, which Slack rejects as an empty button label.
 */
import { describe, expect, it } from 'vitest';
import {
  clipEscaped,
  formatSlackReply,
  SLACK_MAX_BUTTON_TEXT_CHARS,
  SOURCE_TITLE_MAX_CHARS,
  splitEscaped,
} from '../../adapters/slack/format.js';
import type { Reply } from '../../src/engine/types.js';

const LONE_SURROGATE = /[\ud800-\udfff]/u;
/** JSON.stringify writes a lone surrogate as a `\udxxx` escape and a whole pair as the character itself. */
const ESCAPED_LONE_SURROGATE = /\\ud[89a-f][0-9a-f]{2}/i;

function reply(overrides: Partial<Reply>): Reply {
  return {
    kind: 'no-match',
    language: 'en',
    body: 'I don’t know that one.',
    sources: [],
    suggestions: [],
    topics: [],
    confidence: 0,
    ...overrides,
  };
}

describe('Slack formatter: cuts never split a character', () => {
  it('clips before an emoji rather than through it', () => {
    const text = `${'a'.repeat(8)}😀😀`;
    for (let max = 2; max <= text.length; max += 1) {
      const clipped = clipEscaped(text, max);
      expect(clipped.length).toBeLessThanOrEqual(max);
      expect(clipped).not.toMatch(LONE_SURROGATE);
    }
  });

  it('splits long text without halving an astral character', () => {
    // An odd offset, so the 3,000-character cut falls inside a pair.
    const parts = splitEscaped(`a${'𠀀'.repeat(4_000)}`, 3_000, 4);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(3_000);
      expect(part).not.toMatch(LONE_SURROGATE);
    }
  });

  it('keeps source titles, button labels and the fallback text whole-charactered', () => {
    const emojiTitle = `${'x'.repeat(SOURCE_TITLE_MAX_CHARS - 2)}👩‍👩‍👧‍👦 and more`;
    const message = formatSlackReply(
      reply({
        kind: 'answer',
        body: '🙂'.repeat(5_000),
        factId: 'gdp-2016',
        sources: [
          { id: 's', title: emojiTitle, publisher: 'P', url: 'https://example.org/', date: '2017' },
        ],
        suggestions: [],
      }),
    );
    expect(JSON.stringify(message)).not.toMatch(ESCAPED_LONE_SURROGATE);
    const buttons = formatSlackReply(
      reply({
        suggestions: [
          { factId: 'gdp-2016', question: `${'q'.repeat(SLACK_MAX_BUTTON_TEXT_CHARS - 2)}😀😀` },
        ],
      }),
    ).blocks;
    expect(JSON.stringify(buttons)).not.toMatch(ESCAPED_LONE_SURROGATE);
  });
});

describe('Slack formatter: no button Slack would reject', () => {
  it('leaves out a suggestion whose question is blank instead of sending an empty label', () => {
    const message = formatSlackReply(
      reply({
        suggestions: [
          { factId: 'gdp-2016', question: '   ' },
          { factId: 'population', question: 'How many people live in Haidian?' },
        ],
      }),
    );
    const labels = message.blocks
      .flatMap((block) => (block.type === 'actions' ? block.elements : []))
      .map((element) => (element.type === 'button' ? element.text.text : ''));
    expect(labels).toEqual(['How many people live in Haidian?']);
  });
});
