/**
 * Hostile input for the normaliser, the engine and both platform formatters: the generators and the
 * properties, shared by the CI test (test/reliability/hostile-input.test.ts, a few thousand cases)
 * and the fuzz script (`npm run fuzz`, 100,000 cases and more).
 *
 * A case is one string typed by a user. It goes the way a real message goes: through the Slack or
 * Discord question extraction, the normaliser and the engine, then through each formatter. A second
 * family of cases feeds made-up reply models straight to the formatters, because their escaping and
 * limits must hold for any text a fact base might one day contain.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
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
  DISCORD_MAX_EMBED_FOOTER_LENGTH,
  DISCORD_MAX_EMBED_TOTAL_LENGTH,
  formatAutocompleteChoices,
  formatDiscordReply,
  type DiscordMessagePayload,
} from '../../adapters/discord/format.js';
import { stripMention } from '../../adapters/discord/handlers.js';
import {
  SLACK_MAX_ACTIONS_ELEMENTS,
  SLACK_MAX_BLOCKS,
  SLACK_MAX_BUTTON_TEXT_CHARS,
  SLACK_MAX_BUTTON_VALUE_CHARS,
  SLACK_MAX_CONTEXT_ELEMENTS,
  SLACK_MAX_FALLBACK_TEXT_CHARS,
  SLACK_MAX_SECTION_TEXT_CHARS,
  formatSlackReply,
  type SlackMessage,
} from '../../adapters/slack/format.js';
import { toQuestion } from '../../adapters/slack/question.js';
import { normalizeText } from '../../src/engine/normalize.js';
import type { Engine, Reply, ReplyKind } from '../../src/engine/types.js';
import type { KnowledgeBase } from '../../src/knowledge/schema.js';
import { scrubPersonalData } from '../../src/curator/unanswered.js';

export const SLACK_BOT_USER_ID = 'UBOT0001';
/** The longest text a Slack message can carry (https://docs.slack.dev/reference/methods/chat.postMessage). */
export const SLACK_MAX_MESSAGE_CHARS = 40_000;
/** The longest Discord message (Nitro users; 2,000 for others). Slash command options are capped at 500 by the command definition. */
export const DISCORD_MAX_MESSAGE_CHARS = 4_000;
export const DISCORD_BOT_USER_ID = '1100000000000000001';

/** Discord's limits not exported by the formatter (https://discord.com/developers/docs/components/reference). */
const DISCORD_MAX_ACTION_ROWS = 5;
const DISCORD_MAX_BUTTONS_PER_ROW = 5;
const DISCORD_MAX_EMBEDS = 10;
/** Slack's limit on an action_id (https://docs.slack.dev/reference/block-kit/block-elements/button-element). */
const SLACK_MAX_ACTION_ID_CHARS = 255;

const REPLY_KINDS: readonly ReplyKind[] = ['answer', 'no-match', 'smalltalk', 'help', 'notice', 'clarify', 'related'];

// ---------------------------------------------------------------------------------------------
// Generators

/** Markup and text that tries to ping, link, format, hide or reverse. */
export const HOSTILE_FRAGMENTS: readonly string[] = [
  // Slack markup
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!here|here>',
  '<@U123>',
  `<@${SLACK_BOT_USER_ID}>`,
  '<@W0ENTERPRISE|boss>',
  '<#C123|general>',
  '<https://evil.example|click>',
  '<http://evil.example>',
  '<mailto:a@evil.example|mail>',
  '<!subteam^S123|@team>',
  '<!date^1392734382^{date}|x>',
  '&lt;!channel&gt;',
  '&amp;',
  '&lt;',
  '&gt;',
  '&',
  // Discord mentions and markup
  '@everyone',
  '@here',
  '@\u200beveryone',
  '<@&123456789012345678>',
  '<@123456789012345678>',
  `<@${DISCORD_BOT_USER_ID}>`,
  `<@!${DISCORD_BOT_USER_ID}>`,
  '<#123456789012345678>',
  '<:emoji:123456789012345678>',
  '<t:1700000000:R>',
  '||spoiler||',
  // Markdown and code
  '**bold**',
  '__under__',
  '~~strike~~',
  '*',
  '_',
  '`',
  '# heading',
  '> quote',
  '- item',
  '1. item',
  '[click](https://evil.example)',
  '\\[click](https://evil.example)',
  '![img](https://evil.example/x.png)',
  '`code`',
  '```js\nalert(1)\n```',
  '```',
  '\\',
  '\\\\*',
  // Links in other forms
  'https://evil.example/path?q=1&x=<y>',
  'www.evil.example',
  'evil.example',
  'javascript:alert(1)',
  'data:text/html,<b>x</b>',
  // Unicode that hides, joins, reverses or folds
  '\u202e',
  '\u202d',
  '\u200f',
  '\u200e',
  '\u2066',
  '\u2069',
  '\u200d',
  '\u200c',
  '\u200b',
  '\u2060',
  '\ufeff',
  '\u00ad',
  '👩‍👩‍👧‍👦',
  '🇨🇳',
  '🏳️‍🌈',
  '𠀀𪚥',
  '𝔥𝔞𝔦𝔡𝔦𝔞𝔫',
  'ＧＤＰ',
  '海淀區',
  'e\u0301',
  'Z\u0351\u0352\u0353\u0354\u0355',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\r\n',
  '\t',
  '\u2028',
  '\u2029',
  '\u3000',
  '\u00a0',
  '\ud800',
  '\udfff',
];

/** Questions the fact base answers, so cases also reach the answer path (with sources and links). */
export function loadRealQuestions(root: string): string[] {
  const questions: string[] = [
    "What was Haidian's GDP in 2016?",
    '海淀区的人口是多少',
    'help',
    'hi',
    'thanks',
    '帮助',
  ];
  for (const file of ['test/eval/haidian-en.jsonl', 'test/eval/haidian-zh.jsonl']) {
    for (const line of readFileSync(path.join(root, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const parsed = JSON.parse(line) as { q?: unknown };
      if (typeof parsed.q === 'string') questions.push(parsed.q);
    }
  }
  return questions;
}

const WHITESPACE = [
  ' ',
  '\t',
  '\n',
  '\r',
  '\u3000',
  '\u00a0',
  '\u2028',
  '\u200b',
  '\ufeff',
  '\u0085',
];

export interface InputOptions {
  readonly questions: readonly string[];
  /** Weight of 10–100 KB pastes against 100 for everything else (default 1, about 1 %; 0 for none). */
  readonly longWeight?: number;
}

function fragmentOf(questions: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_FRAGMENTS) },
    { weight: 2, arbitrary: fc.constantFrom(...questions) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
}

/** A 10–100 KB paste: hostile fragments repeated, half the time after a real question. */
export function hostilePaste(options: Pick<InputOptions, 'questions'>): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.array(fragmentOf(options.questions), { minLength: 1, maxLength: 6 }),
      fc.integer({ min: 10_000, max: 100_000 }),
      fc.constantFrom(...options.questions),
    )
    .map(([parts, size, question]) => {
      const unit = parts.join(' ') || 'x';
      const filler = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
      return size % 2 === 0 ? `${question} ${filler}` : filler;
    });
}

/** One user message: markup, noise, questions, whitespace or a huge paste. */
export function hostileInput(options: InputOptions): fc.Arbitrary<string> {
  const fragment = fragmentOf(options.questions);
  const separator = fc.constantFrom(' ', '', '\n', ' ', '\u200d');
  const mixed = fc
    .array(fc.tuple(fragment, separator), { maxLength: 20 })
    .map((parts) => parts.map(([text, sep]) => text + sep).join(''));
  const whitespace = fc
    .array(fc.constantFrom(...WHITESPACE), { maxLength: 40 })
    .map((parts) => parts.join(''));
  const longWeight = options.longWeight ?? 1;
  return fc.oneof(
    { weight: 70, arbitrary: mixed },
    { weight: 20, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
    { weight: 10, arbitrary: whitespace },
    ...(longWeight > 0 ? [{ weight: longWeight, arbitrary: hostilePaste(options) }] : []),
  );
}

/** Text a fact base could contain, hostile included (for the formatter-only cases). */
function replyText(maxLength: number): fc.Arbitrary<string> {
  const fragment = fc.oneof(
    fc.constantFrom(...HOSTILE_FRAGMENTS.filter((f) => !LONE_SURROGATE.test(f))),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
  );
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .array(fragment, { maxLength: 12 })
        .map((parts) => cutWhole(parts.join(' '), maxLength)),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fragment, fc.integer({ min: 0, max: maxLength }))
        .map(([unit, size]) =>
          cutWhole((unit || '&').repeat(Math.ceil(size / Math.max(1, unit.length))), size),
        ),
    },
  );
}

/** At most `max` UTF-16 units, never ending in half a surrogate pair (the formatters get well-formed text). */
function cutWhole(text: string, max: number): string {
  const cut = text.slice(0, max);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** Text as the fact schema accepts it: trimmed, not empty. */
function factText(maxLength: number): fc.Arbitrary<string> {
  return replyText(maxLength).map((text) => text.trim() || '&');
}

/** A kebab-case slug, as fact ids are; long enough at times to test the custom id limits. */
const slug = fc
  .array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 14 })
  .map((parts) => parts.join('-'));

/** YYYY, YYYY-MM or YYYY-MM-DD, as the schema requires of dates. */
const dateString = fc
  .tuple(
    fc.integer({ min: 1000, max: 2100 }),
    fc.option(fc.integer({ min: 1, max: 12 })),
    fc.option(fc.integer({ min: 1, max: 28 })),
  )
  .map(([year, month, day]) =>
    [
      String(year),
      ...(month === null
        ? []
        : [
            String(month).padStart(2, '0'),
            ...(day === null ? [] : [String(day).padStart(2, '0')]),
          ]),
    ].join('-'),
  );

/** http(s) URLs the schema's URL check accepts, hostile ones included. */
const sourceUrl = fc.oneof(
  fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true }),
  fc.constantFrom(
    'https://evil.example/a|b',
    'https://x.example/<!channel>',
    'https://x.example/(a)%20b',
    'http://x.example/?a=1&b=<2>',
    'https://x.example/@everyone',
  ),
);

/**
 * Any reply model the engine could produce from a valid fact base (the schema's rules on ids, dates,
 * years and URLs hold), with hostile text everywhere free text can be: the formatters must escape it
 * and fit it within the platform's limits.
 */
export function hostileReply(
  options: { readonly longBodyChars?: number } = {},
): fc.Arbitrary<Reply> {
  const source = fc.record({
    id: slug,
    title: factText(400),
    publisher: factText(300),
    url: sourceUrl,
    date: dateString,
  });
  return fc.record({
    kind: fc.constantFrom(...REPLY_KINDS),
    language: fc.constantFrom('en' as const, 'zh' as const),
    // Long enough by default to overflow Slack's four 3,000-character sections.
    body: fc.oneof(
      { weight: 7, arbitrary: factText(2_000) },
      { weight: 1, arbitrary: factText(options.longBodyChars ?? 20_000) },
    ),
    factId: fc.option(slug, { nil: undefined }),
    year: fc.option(fc.integer({ min: 1000, max: 2100 }), { nil: undefined }),
    asOf: fc.option(dateString, { nil: undefined }),
    sources: fc.array(source, { maxLength: 40 }),
    suggestions: fc.array(fc.record({ factId: slug, question: factText(300) }), { maxLength: 30 }),
    topics: fc.array(
      fc.record({
        id: slug,
        title: factText(200),
        factCount: fc.nat(100_000),
        example: factText(400),
      }),
      { maxLength: 80 },
    ),
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  });
}

// ---------------------------------------------------------------------------------------------
// Properties

/** One broken property: which, and what was seen. */
export interface Violation {
  readonly property: string;
  readonly detail: string;
}

/** Stage timings of one case, in ms. */
export interface CaseTimings {
  normalize: number;
  /** The unanswered log's scrubbing of the questions the Slack and Discord adapters pass to the bot. */
  scrub: number;
  ask: number;
  slack: number;
  discord: number;
  complete: number;
  total: number;
}

/** Stage timings with every stage at zero. */
export function zeroTimings(): CaseTimings {
  return { normalize: 0, scrub: 0, ask: 0, slack: 0, discord: 0, complete: 0, total: 0 };
}

/** Every URL a source of the fact base gives: the only links a reply may carry. */
export function sourceUrls(kb: KnowledgeBase): Set<string> {
  return new Set([...kb.sources.values()].map((source) => source.url));
}

const LONE_SURROGATE = /[\ud800-\udfff]/u;
const SLACK_MASS_MENTION = /<!(?:channel|here|everyone)\b/i;
const BARE_MASS_MENTION = /(?<![\\\w])@(?:everyone|here)\b/i;
/** Anything that looks like a link to a reader or a client: schemes and `www.` hosts. */
const URL_LIKE = /\b(?:https?|ftp|mailto|javascript|data):[^\s<>|\]"'`]*|\bwww\.[^\s<>|\]"'`]+/gi;
const HOSTILE_HOST = /evil\.example/i;
/**
 * A masked link as Discord's markdown parser (simple-markdown's `link` rule) reads one: a `[` not
 * escaped (an odd number of backslashes before it escapes it; `\\[` is an escaped backslash and a
 * live bracket), a label whose brackets balance, then `](target)`. Group 1 is the target.
 */
const MASKED_LINK =
  /(?<!(?<!\\)(?:\\\\)*\\)\[(?:\[[^\]]*\]|[^[\]]|\](?=[^[]*\]))*\]\(\s*<?((?:\([^)]*\)|[^\s\\]|\\.)*?)>?(?:\s+['"][\s\S]*?['"])?\s*\)/g;

/** How the Discord formatter writes a URL inside `[title](url)`: the characters that would end the target percent-encoded. */
export function discordLinkTarget(url: string): string {
  return url.replace(
    /[()\s<>]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** Collects violations; a thrown error is a violation too. */
class Findings {
  readonly list: Violation[] = [];
  add(property: string, detail: string): void {
    if (this.list.length < 20)
      this.list.push({
        property,
        detail: detail.length > 300 ? `${detail.slice(0, 300)}…` : detail,
      });
  }
  check(condition: boolean, property: string, detail: () => string): void {
    if (!condition) this.add(property, detail());
  }
}

function preview(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…(${text.length} chars)` : text);
}

/** The normaliser's contract: letters, digits and decimal points in single-spaced words; optionally stable. */
function checkNormalized(
  input: string,
  normalized: string,
  findings: Findings,
  idempotence: boolean,
): void {
  findings.check(
    typeof normalized === 'string',
    'normalize returns a string',
    () => typeof normalized,
  );
  findings.check(
    /^(?:[\p{L}\p{N}.]+(?: [\p{L}\p{N}.]+)*)?$/u.test(normalized),
    'normalize keeps only single-spaced letters, digits and points',
    () => `${preview(input)} → ${preview(normalized)}`,
  );
  if (!idempotence) return;
  const again = normalizeText(normalized);
  findings.check(
    again === normalized,
    'normalize is idempotent',
    () => `${preview(input)} → ${preview(normalized)} → ${preview(again)}`,
  );
}

/** What the engine may say: a known kind, a bounded confidence, sourced answers, only fact-base links, no pings. */
function checkReply(
  input: string,
  reply: Reply,
  allowedUrls: ReadonlySet<string>,
  findings: Findings,
): void {
  findings.check(
    REPLY_KINDS.includes(reply.kind) && reply.kind !== 'notice',
    'engine reply kind is known',
    () => `${preview(input)} → ${reply.kind}`,
  );
  findings.check(
    Number.isFinite(reply.confidence) && reply.confidence >= 0 && reply.confidence <= 1,
    'confidence in 0..1',
    () => `${preview(input)} → ${reply.confidence}`,
  );
  if (reply.kind === 'answer')
    findings.check(
      reply.sources.length > 0 && reply.factId !== undefined,
      'answers carry a fact and sources',
      () => preview(input),
    );
  for (const source of reply.sources)
    findings.check(
      allowedUrls.has(source.url),
      'sources come from the fact base',
      () => source.url,
    );
  const said = [
    reply.body,
    ...reply.suggestions.map((s) => s.question),
    ...reply.topics.flatMap((t) => [t.title, t.example]),
  ].join('\n');
  checkNoPingsOrForeignLinks('engine', said, allowedUrls, findings);
}

function checkNoPingsOrForeignLinks(
  where: string,
  text: string,
  allowedUrls: ReadonlySet<string>,
  findings: Findings,
): void {
  // Slack's fallback text shows a source as `&lt;url&gt;` and a query string's `&` as `&amp;`.
  const plain = text.replace(/&amp;/g, '&').replace(/&[lg]t;/g, ' ');
  findings.check(
    !SLACK_MASS_MENTION.test(text) && !text.includes('<!') && !/<@[&!]?[\w]/.test(text),
    `${where}: no Slack or Discord mention markup`,
    () => preview(text),
  );
  findings.check(!BARE_MASS_MENTION.test(text), `${where}: no unescaped @everyone/@here`, () =>
    preview(text),
  );
  findings.check(!HOSTILE_HOST.test(text), `${where}: no link typed by the user`, () =>
    preview(text),
  );
  for (const url of plain.match(URL_LIKE) ?? []) {
    // A URL may end in `)` (Wikipedia's do) or be wrapped in parentheses.
    findings.check(
      allowedUrls.has(url) || allowedUrls.has(url.replace(/\)+$/, '')),
      `${where}: only links the fact base provides`,
      () => url,
    );
  }
}

/** Every string a Slack message shows (mrkdwn and plain text), for the ping and link checks. */
function slackMrkdwnTexts(message: SlackMessage): string[] {
  const texts = [message.text];
  for (const block of message.blocks) {
    if (block.type === 'section' && block.text) texts.push(block.text.text);
    if (block.type === 'context')
      for (const element of block.elements) if ('text' in element) texts.push(element.text);
  }
  return texts;
}

/** Slack's Block Kit limits, its escaping rules, and links only to `allowedUrls`. */
export function checkSlackMessage(
  message: SlackMessage,
  allowedUrls: ReadonlySet<string>,
  findings: Findings,
  strictPings: boolean,
): void {
  const { blocks } = message;
  findings.check(
    blocks.length >= 1 && blocks.length <= SLACK_MAX_BLOCKS,
    'slack: 1..50 blocks',
    () => String(blocks.length),
  );
  findings.check(
    message.text.length >= 1 && message.text.length <= SLACK_MAX_FALLBACK_TEXT_CHARS,
    'slack: fallback text 1..4000',
    () => String(message.text.length),
  );
  const actionIds = new Set<string>();
  for (const block of blocks) {
    if (block.type === 'section') {
      const length = block.text?.text.length ?? 0;
      findings.check(
        length >= 1 && length <= SLACK_MAX_SECTION_TEXT_CHARS,
        'slack: section text 1..3000',
        () => String(length),
      );
    } else if (block.type === 'context') {
      findings.check(
        block.elements.length >= 1 && block.elements.length <= SLACK_MAX_CONTEXT_ELEMENTS,
        'slack: context 1..10 elements',
        () => String(block.elements.length),
      );
      for (const element of block.elements) {
        const length = 'text' in element ? element.text.length : 0;
        findings.check(
          length >= 1 && length <= SLACK_MAX_SECTION_TEXT_CHARS,
          'slack: context text 1..3000',
          () => String(length),
        );
      }
    } else if (block.type === 'actions') {
      findings.check(
        block.elements.length >= 1 && block.elements.length <= SLACK_MAX_ACTIONS_ELEMENTS,
        'slack: actions 1..25 elements',
        () => String(block.elements.length),
      );
      for (const element of block.elements) {
        if (element.type !== 'button') continue;
        const label = element.text.text;
        findings.check(
          label.length >= 1 && label.length <= SLACK_MAX_BUTTON_TEXT_CHARS,
          'slack: button text 1..75',
          () => preview(label),
        );
        findings.check(!/[<>]/.test(label), 'slack: button text has no angle brackets', () =>
          preview(label),
        );
        findings.check(
          (element.value ?? '').length <= SLACK_MAX_BUTTON_VALUE_CHARS,
          'slack: button value ≤ 2000',
          () => String(element.value?.length),
        );
        const actionId = element.action_id ?? '';
        findings.check(
          actionId.length >= 1 &&
            actionId.length <= SLACK_MAX_ACTION_ID_CHARS &&
            !actionIds.has(actionId),
          'slack: action ids unique, 1..255',
          () => actionId,
        );
        actionIds.add(actionId);
      }
    } else {
      findings.add('slack: only section, context and actions blocks', block.type);
    }
  }
  for (const text of slackMrkdwnTexts(message)) {
    findings.check(!LONE_SURROGATE.test(text), 'slack: no split surrogate pairs', () =>
      preview(text),
    );
    // Slack's escaping: `<` only to open a link to a source, and outside links `&` only as one of its three entities.
    const withoutLinks = text.replace(
      /<([^<>|]+)\|([^<>]*)>/g,
      (_whole, url: string, label: string) => {
        findings.check(allowedUrls.has(url), 'slack: links only to sources', () => url);
        return ` ${label} `;
      },
    );
    findings.check(!/[<>]/.test(withoutLinks), 'slack: no markup but source links', () =>
      preview(text),
    );
    findings.check(!/&(?!amp;|lt;|gt;)/.test(withoutLinks), 'slack: every & is escaped', () =>
      preview(text),
    );
    if (strictPings) checkNoPingsOrForeignLinks('slack', withoutLinks, allowedUrls, findings);
  }
}

/** Discord's message, embed and component limits; mentions parse nothing; links only to `allowedUrls`. */
export function checkDiscordMessage(
  payload: DiscordMessagePayload,
  allowedUrls: ReadonlySet<string>,
  findings: Findings,
  strictPings: boolean,
): void {
  findings.check(
    JSON.stringify(payload.allowedMentions) === '{"parse":[]}',
    'discord: allowed_mentions parses nothing',
    () => JSON.stringify(payload.allowedMentions),
  );
  const content = payload.content ?? '';
  findings.check(content.length <= DISCORD_MAX_CONTENT_LENGTH, 'discord: content ≤ 2000', () =>
    String(content.length),
  );
  findings.check(
    !BARE_MASS_MENTION.test(content) && !/<@/.test(content),
    'discord: content has no mention',
    () => preview(content),
  );
  findings.check(
    payload.embeds.length <= DISCORD_MAX_EMBEDS &&
      (payload.embeds.length > 0 || content.length > 0),
    'discord: 1..10 embeds or content',
    () => String(payload.embeds.length),
  );
  let total = 0;
  const texts: string[] = [content];
  for (const embed of payload.embeds) {
    const description = embed.description ?? '';
    findings.check(
      description.length >= 1 && description.length <= DISCORD_MAX_EMBED_DESCRIPTION_LENGTH,
      'discord: description 1..4096',
      () => String(description.length),
    );
    const fields = embed.fields ?? [];
    findings.check(fields.length <= DISCORD_MAX_EMBED_FIELDS, 'discord: ≤ 25 fields', () =>
      String(fields.length),
    );
    for (const field of fields) {
      findings.check(
        field.name.length >= 1 && field.name.length <= DISCORD_MAX_EMBED_FIELD_NAME_LENGTH,
        'discord: field name 1..256',
        () => preview(field.name),
      );
      findings.check(
        field.value.length >= 1 && field.value.length <= DISCORD_MAX_EMBED_FIELD_VALUE_LENGTH,
        'discord: field value 1..1024',
        () => String(field.value.length),
      );
      texts.push(field.name, field.value);
      total += field.name.length + field.value.length;
    }
    const footer = embed.footer?.text ?? '';
    findings.check(footer.length <= DISCORD_MAX_EMBED_FOOTER_LENGTH, 'discord: footer ≤ 2048', () =>
      String(footer.length),
    );
    total +=
      (embed.title?.length ?? 0) +
      description.length +
      footer.length +
      (embed.author?.name.length ?? 0);
    texts.push(embed.title ?? '', description, footer);
  }
  findings.check(total <= DISCORD_MAX_EMBED_TOTAL_LENGTH, 'discord: embeds total ≤ 6000', () =>
    String(total),
  );
  findings.check(
    payload.components.length <= DISCORD_MAX_ACTION_ROWS,
    'discord: ≤ 5 action rows',
    () => String(payload.components.length),
  );
  const customIds = new Set<string>();
  for (const row of payload.components) {
    findings.check(
      row.components.length >= 1 && row.components.length <= DISCORD_MAX_BUTTONS_PER_ROW,
      'discord: 1..5 buttons per row',
      () => String(row.components.length),
    );
    for (const button of row.components) {
      const label = button.label ?? '';
      findings.check(
        label.length >= 1 && label.length <= DISCORD_MAX_BUTTON_LABEL_LENGTH,
        'discord: button label 1..80',
        () => preview(label),
      );
      findings.check(
        button.custom_id.length >= 1 &&
          button.custom_id.length <= DISCORD_MAX_CUSTOM_ID_LENGTH &&
          !customIds.has(button.custom_id),
        'discord: custom ids unique, 1..100',
        () => button.custom_id,
      );
      customIds.add(button.custom_id);
      findings.check(!LONE_SURROGATE.test(label), 'discord: no split surrogate pairs', () =>
        preview(label),
      );
      // Button labels are plain text: no markdown, so no masked link; mentions do not ping there.
      if (strictPings) checkNoPingsOrForeignLinks('discord', label, allowedUrls, findings);
    }
  }
  for (const text of texts) {
    findings.check(!LONE_SURROGATE.test(text), 'discord: no split surrogate pairs', () =>
      preview(text),
    );
    // A masked link `[label](url)` (its `]` not escaped) must point at a source; bare URLs are checked below.
    for (const match of text.matchAll(MASKED_LINK))
      findings.check(
        allowedUrls.has(match[1] ?? ''),
        'discord: links only to sources',
        () => match[1] ?? '',
      );
    if (strictPings)
      checkNoPingsOrForeignLinks('discord', text.replace(MASKED_LINK, '] '), allowedUrls, findings);
  }
}

export interface HostileChecker {
  /** Runs one user message through every path; returns what broke and how long each stage took. */
  checkInput(input: string): { violations: Violation[]; timings: CaseTimings };
  /** Renders one reply model with the formatters of `platforms` (default both); returns what broke. */
  checkReplyModel(reply: Reply, platforms?: readonly ('slack' | 'discord')[]): Violation[];
}

export interface CheckerOptions {
  /**
   * Also run the unanswered log's scrubbing over each message (default true). The CI test leaves it
   * out: it is the hosted process's, and its time on long pastes is what `npm run fuzz` measures.
   */
  readonly scrub?: boolean;
  /**
   * Also require normalize(normalize(x)) = normalize(x) (default true). It still fails for about 1 in
   * 100,000 generated messages (OpenCC converts 薴 to 苧, then 苧 to 苎; see docs/reliability.md): the
   * fuzz script reports it, the CI test would be flaky with it.
   */
  readonly idempotence?: boolean;
}

/** The properties over the real engine; `allowedUrls` is every source URL of its fact base. */
export function createHostileChecker(
  engine: Engine,
  allowedUrls: ReadonlySet<string>,
  options: CheckerOptions = {},
): HostileChecker {
  const discordAllowed = new Set([...allowedUrls, ...[...allowedUrls].map(discordLinkTarget)]);
  const guard = (findings: Findings, stage: string, run: () => void): void => {
    try {
      run();
    } catch (error) {
      findings.add(
        `${stage} does not throw`,
        error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      );
    }
  };
  return {
    checkInput(input) {
      const findings = new Findings();
      const timings = zeroTimings();
      const begun = performance.now();
      let mark = begun;
      const lap = (stage: keyof CaseTimings): void => {
        const now = performance.now();
        timings[stage] = now - mark;
        mark = now;
      };
      guard(findings, 'normalize', () =>
        checkNormalized(input, normalizeText(input), findings, options.idempotence ?? true),
      );
      lap('normalize');
      // Each platform caps what a user can send; the adapters pass the bot what they extract from that.
      let slackQuestion = '';
      let discordQuestion = '';
      guard(findings, 'question extraction', () => {
        slackQuestion = toQuestion(input.slice(0, SLACK_MAX_MESSAGE_CHARS), SLACK_BOT_USER_ID);
        discordQuestion = stripMention(
          input.slice(0, DISCORD_MAX_MESSAGE_CHARS),
          DISCORD_BOT_USER_ID,
        );
      });
      if (options.scrub ?? true) {
        guard(findings, 'scrubPersonalData', () => {
          for (const question of [slackQuestion, discordQuestion]) {
            const scrubbed = scrubPersonalData(question);
            findings.check(
              typeof scrubbed === 'string',
              'scrub returns a string',
              () => typeof scrubbed,
            );
          }
        });
      }
      lap('scrub');
      // The engine itself gets the whole message: the terminal and the CLI have no length limit.
      guard(findings, 'engine.ask', () =>
        checkReply(input, engine.ask(input), allowedUrls, findings),
      );
      lap('ask');
      guard(findings, 'slack path', () => {
        const reply = engine.ask(slackQuestion);
        checkReply(input, reply, allowedUrls, findings);
        checkSlackMessage(
          formatSlackReply(reply, { shareButton: true }),
          allowedUrls,
          findings,
          true,
        );
      });
      lap('slack');
      guard(findings, 'discord path', () => {
        const reply = engine.ask(discordQuestion);
        checkReply(input, reply, allowedUrls, findings);
        checkDiscordMessage(formatDiscordReply(reply), discordAllowed, findings, true);
      });
      lap('discord');
      guard(findings, 'autocomplete', () => {
        const choices = formatAutocompleteChoices(
          engine.complete(input, DISCORD_MAX_AUTOCOMPLETE_CHOICES),
        );
        findings.check(
          choices.length <= DISCORD_MAX_AUTOCOMPLETE_CHOICES,
          'discord: ≤ 25 choices',
          () => String(choices.length),
        );
        for (const choice of choices) {
          findings.check(
            choice.name.length >= 1 && choice.name.length <= DISCORD_MAX_CHOICE_NAME_LENGTH,
            'discord: choice name 1..100',
            () => preview(choice.name),
          );
          findings.check(
            choice.value.length >= 1 && choice.value.length <= DISCORD_MAX_CHOICE_VALUE_LENGTH,
            'discord: choice value 1..100',
            () => preview(choice.value),
          );
          checkNoPingsOrForeignLinks(
            'autocomplete',
            `${choice.name}\n${choice.value}`,
            allowedUrls,
            findings,
          );
        }
      });
      lap('complete');
      timings.total = performance.now() - begun;
      return { violations: findings.list, timings };
    },
    checkReplyModel(reply, platforms = ['slack', 'discord']) {
      const findings = new Findings();
      // Only sources that a formatter may link: the reply's own.
      const linkable = new Set(reply.sources.map((source) => source.url));
      if (platforms.includes('slack')) {
        guard(findings, 'slack: formatSlackReply', () => {
          checkSlackMessage(formatSlackReply(reply), linkable, findings, false);
          checkSlackMessage(
            formatSlackReply(reply, { shareButton: true }),
            linkable,
            findings,
            false,
          );
        });
      }
      const discordLinkable = new Set([...linkable].map(discordLinkTarget));
      if (platforms.includes('discord'))
        guard(findings, 'discord: formatDiscordReply', () =>
          checkDiscordMessage(formatDiscordReply(reply), discordLinkable, findings, false),
        );
      return findings.list;
    },
  };
}
