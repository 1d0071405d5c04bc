/**
 * Hostile input, property-based: user messages through the Slack and Discord question extraction,
 * the normaliser, the engine and both formatters; and made-up reply models through the formatters.
 * A few thousand cases here; `npm run fuzz` runs 100,000 and more and bounds the time per case.
 */
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiscordReply } from '../../adapters/discord/format.js';
import { createEngine } from '../../src/engine/engine.js';
import { normalizeText } from '../../src/engine/normalize.js';
import type { Reply } from '../../src/engine/types.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import {
  createHostileChecker,
  hostileInput,
  hostilePaste,
  hostileReply,
  loadRealQuestions,
  sourceUrls,
  type HostileChecker,
} from './hostile-input.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Cases per property in CI; the fuzz script runs 100,000. */
const CI_CASES = 2_000;
/** 10–100 KB pastes cost more (three answers each): fewer of them here. */
const CI_PASTE_CASES = 30;
const CI_REPLY_MODEL_CASES = 200;

let checker: HostileChecker;
let questions: string[];
let slowest = { ms: 0, length: 0 };

beforeAll(async () => {
  const kb = await loadKnowledge(path.join(ROOT, 'knowledge'));
  checker = createHostileChecker(createEngine(kb), sourceUrls(kb), {
    scrub: false,
    idempotence: false,
  });
  questions = loadRealQuestions(ROOT);
});

function checkInput(input: string): void {
  const { violations, timings } = checker.checkInput(input);
  if (timings.total > slowest.ms) slowest = { ms: timings.total, length: input.length };
  expect(violations).toEqual([]);
}

describe('hostile user messages (fast-check)', () => {
  it('never throw, stay within Slack and Discord limits, ping nobody and link only fact-base sources', () => {
    fc.assert(fc.property(hostileInput({ questions, longWeight: 0 }), checkInput), {
      numRuns: CI_CASES,
    });
  });

  it('hold the same properties for 10–100 KB pastes', () => {
    fc.assert(fc.property(hostilePaste({ questions }), checkInput), { numRuns: CI_PASTE_CASES });
    // Time is measured, not asserted (no timing assertions in tests): `npm run fuzz` bounds it.
    console.log(
      `[hostile input] slowest message in this run: ${slowest.ms.toFixed(1)} ms (${slowest.length} chars)`,
    );
  });

  it('answer the examples the issue names without pinging or linking anyone', () => {
    for (const input of [
      '',
      '   \t\n\u3000',
      '<!channel> <!here> <!everyone> <@U123> <https://evil.example|click> GDP 2016?',
      '@everyone @here <@&123456789012345678> what is the population of Haidian?',
      '```\n<!channel>\n``` **bold** [click](https://evil.example)',
      '\u202e\u200f\u200d👩‍👩‍👧‍👦 𠀀 海淀區人口',
      'x'.repeat(100_000),
    ]) {
      checkInput(input);
    }
  });
});

describe('the normaliser on odd Chinese input', () => {
  // Fuzzing found this in about 3 of 100,000 messages: OpenCC left a character next to some symbols
  // unconverted when it ran before the symbols were removed. Conversion now runs last.
  it('is idempotent: a traditional character next to an ideographic description character is simplified too', () => {
    const once = normalizeText('\u2ff0\uf907 ');
    expect(normalizeText(once)).toBe(once);
  });
});

describe('hostile reply models (fast-check)', () => {
  it('the Slack formatter escapes every text and fits every limit', () => {
    fc.assert(
      fc.property(hostileReply(), (reply) => {
        expect(checker.checkReplyModel(reply, ['slack'])).toEqual([]);
      }),
      { numRuns: CI_REPLY_MODEL_CASES },
    );
  });

  it('the Discord formatter fits every limit and parses no mentions', () => {
    fc.assert(
      // Bodies up to 6,000 characters overflow the 4,096 description (discord.js's escaping is slow on longer ones).
      fc.property(hostileReply({ longBodyChars: 6_000 }), (reply) => {
        // Discord links a bare URL in any text, so what is checked here is that no masked link
        // (a label hiding its target) can form except for a source.
        expect(checker.checkReplyModel(reply, ['discord'])).toEqual([]);
      }),
      { numRuns: CI_REPLY_MODEL_CASES },
    );
  });

  // discord.js's escapeMarkdown (maskedLink) escapes only the first masked link of a line; the
  // formatter now escapes every bracket itself.
  it('the Discord formatter escapes every masked link in fact text, not only the first of a line', () => {
    const reply: Reply = {
      kind: 'answer',
      language: 'en',
      body: 'See [the plan](https://example.org/a) and [details](https://evil.example/b).',
      sources: [],
      suggestions: [],
      topics: [],
      confidence: 1,
    };
    expect(formatDiscordReply(reply).embeds[0]?.description).not.toMatch(/(?<!\\)\[details\]\(/);
  });
});
