import type { types } from '@slack/bolt';
import { renderPlainText } from '../../src/engine/render.js';
import type { Language, Reply } from '../../src/engine/types.js';
import { formatFeedbackBlock } from './feedback.js';

export type KnownBlock = types.KnownBlock;
type Button = types.Button;

// Slack's documented Block Kit limits: https://docs.slack.dev/reference/block-kit/blocks
/** Max characters of a section's (or context element's) text object. */
export const SLACK_MAX_SECTION_TEXT_CHARS = 3000;
/** Max blocks in one message. */
export const SLACK_MAX_BLOCKS = 50;
/** Max elements in one context block. */
export const SLACK_MAX_CONTEXT_ELEMENTS = 10;
/** Max elements in one actions block. */
export const SLACK_MAX_ACTIONS_ELEMENTS = 25;
/** Max characters of a button's plain-text label. */
export const SLACK_MAX_BUTTON_TEXT_CHARS = 75;
/** Max characters of a button's value. */
export const SLACK_MAX_BUTTON_VALUE_CHARS = 2000;
/** Slack advises keeping the top-level `text` under 4,000 characters (it truncates at 40,000). */
export const SLACK_MAX_FALLBACK_TEXT_CHARS = 4000;
/** A 10,000-character body still shows whole in up to this many sections; beyond that it is cut with an ellipsis. */
export const BODY_SECTIONS_MAX = 4;
/** Longest source title shown in a link label; titles are headlines, a longer one is a data error. */
export const SOURCE_TITLE_MAX_CHARS = 200;
/** Suggestion buttons shown when the bot abstains; more is noise. */
export const SUGGESTION_BUTTONS_MAX = 10;

/** action_id prefixes; each button's full action_id is unique within its message. */
export const ACTION_SUGGEST_PREFIX = 'haidian_suggest_';
export const ACTION_SHARE = 'haidian_share';

const ELLIPSIS = '…';

const LABELS = {
  en: {
    year: (year: number) => `Figure for ${year}`,
    asOf: (date: string) => `as of ${date}`,
    asOfStart: (date: string) => `As of ${date}`,
    sources: 'Sources',
    suggestions: 'You could ask:',
    example: 'e.g.',
    facts: (n: number) => `${n} ${n === 1 ? 'fact' : 'facts'}`,
    share: 'Share in channel',
    more: 'More not shown.',
    stale: (asOf: string) => `:warning: This figure may be out of date (as of ${asOf}).`,
  },
  zh: {
    year: (year: number) => `数据年份：${year}`,
    asOf: (date: string) => `截至 ${date}`,
    asOfStart: (date: string) => `截至 ${date}`,
    sources: '来源',
    suggestions: '你可以问：',
    example: '例如',
    facts: (n: number) => `${n} 条`,
    share: '分享到频道',
    more: '其余内容未显示。',
    stale: (asOf: string) => `:warning: 此数据可能已过时（截至${asOf}）。`,
  },
} as const;

export interface SlackFormatOptions {
  /** Add the "Share in channel" button (ephemeral slash-command answers). */
  readonly shareButton?: boolean;
  /** The answer's id for the 👍 / 👎 buttons (answers only; see feedback.ts). */
  readonly feedbackAnswerId?: string;
}

export interface SlackMessage {
  /** Plain-text fallback for notifications and clients without Block Kit; escaped like the blocks. */
  readonly text: string;
  readonly blocks: KnownBlock[];
}

/**
 * Escapes the three characters Slack treats as control sequences in message text, so text can never
 * become `<!channel>`, `<@U…>` or a link. https://docs.slack.dev/messaging/formatting-message-text#escaping
 */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts escaped text to at most `max` characters, ending in an ellipsis and never splitting an `&amp;` entity. */
export function clipEscaped(escaped: string, max: number): string {
  if (escaped.length <= max) return escaped;
  return withoutDanglingEntity(withoutHalfPair(escaped.slice(0, max - ELLIPSIS.length))) + ELLIPSIS;
}

/** Splits escaped text into at most `maxParts` chunks of at most `max` characters, at whitespace where it can. */
export function splitEscaped(escaped: string, max: number, maxParts: number): string[] {
  const parts: string[] = [];
  let rest = escaped;
  while (rest.length > max && parts.length < maxParts - 1) {
    const window = rest.slice(0, max + 1);
    let cut = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    if (cut < max / 2) cut = max;
    const head = withoutDanglingEntity(withoutHalfPair(rest.slice(0, cut)));
    parts.push(head.trimEnd());
    rest = rest.slice(head.length).trimStart();
  }
  parts.push(clipEscaped(rest, max));
  return parts.filter((part) => part.length > 0);
}

/** Whether a URL can go inside `<url|label>` as is: http(s) and none of Slack's delimiters. */
export function isLinkableUrl(url: string): boolean {
  return /^https?:\/\/[^\s<>|]+$/.test(url);
}

/** Encodes a fact reference for a button value: `en:gdp-2016`. The fact id is the only thing trusted back. */
export function encodeFactRef(factId: string, language: Language): string | undefined {
  const value = `${language}:${factId}`;
  return decodeFactRef(value) ? value : undefined;
}

/** Parses a button value from Slack; anything that is not exactly a language and a fact slug is rejected. */
export function decodeFactRef(value: string | undefined): { factId: string; language: Language } | undefined {
  const match = /^(en|zh):([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(value ?? '');
  if (!match || (value?.length ?? 0) > SLACK_MAX_BUTTON_VALUE_CHARS) return undefined;
  return { language: match[1] as Language, factId: match[2] as string };
}

/** The line that keeps the year a figure refers to visible, e.g. "Figure for 2016 · as of 2017-02-09". */
export function formatYearLine(reply: Reply): string | undefined {
  const labels = LABELS[reply.language];
  if (reply.kind !== 'answer') return undefined;
  if (reply.year !== undefined && reply.asOf) return `${labels.year(reply.year)} · ${labels.asOf(reply.asOf)}`;
  if (reply.year !== undefined) return labels.year(reply.year);
  if (reply.asOf) return labels.asOfStart(reply.asOf);
  return undefined;
}

/** One source as a context element: `*[1]* <url|Title> · Publisher, 2017-02-09`. */
export function formatSourceElement(source: Reply['sources'][number], index: number): string {
  const title = clipEscaped(escapeSlackText(source.title), SOURCE_TITLE_MAX_CHARS);
  const link = isLinkableUrl(source.url) ? `<${source.url}|${title}>` : `${title} (${escapeSlackText(source.url)})`;
  const text = `*[${index + 1}]* ${link} · ${escapeSlackText(source.publisher)}, ${escapeSlackText(source.date)}`;
  // The title is clipped above; publisher or date that long is a data error, so a plain cut is enough.
  return text.length <= SLACK_MAX_SECTION_TEXT_CHARS ? text : clipEscaped(`*[${index + 1}]* ${title} · ${escapeSlackText(source.publisher)}`, SLACK_MAX_SECTION_TEXT_CHARS);
}

/** Renders a reply as a Slack message: Block Kit plus an escaped plain-text fallback, within Slack's limits. */
export function formatSlackReply(reply: Reply, options: SlackFormatOptions = {}): SlackMessage {
  const labels = LABELS[reply.language];
  const blocks: KnownBlock[] = [];

  for (const part of splitEscaped(escapeSlackText(reply.body), SLACK_MAX_SECTION_TEXT_CHARS, BODY_SECTIONS_MAX)) {
    blocks.push(section(part));
  }
  const yearLine = formatYearLine(reply);
  if (yearLine) blocks.push(context([escapeSlackText(yearLine)]));
  // Its own context block, right under the year line, so it is not lost among the sources.
  if (reply.stale) blocks.push(context([labels.stale(escapeSlackText(reply.stale.asOf))]));

  const sourceElements = reply.sources.map(formatSourceElement);
  for (let i = 0; i < sourceElements.length; i += SLACK_MAX_CONTEXT_ELEMENTS) {
    blocks.push(context(sourceElements.slice(i, i + SLACK_MAX_CONTEXT_ELEMENTS)));
  }

  if (reply.topics.length > 0) {
    const lines = reply.topics.map((topic) =>
      clipEscaped(
        `• *${escapeSlackText(topic.title.trim())}* (${labels.facts(topic.factCount)}) — ${labels.example} “${escapeSlackText(topic.example)}”`,
        SLACK_MAX_SECTION_TEXT_CHARS,
      ),
    );
    for (const text of packLines(lines, SLACK_MAX_SECTION_TEXT_CHARS)) blocks.push(section(text));
  }

  const suggestionButtons = reply.suggestions.slice(0, SUGGESTION_BUTTONS_MAX).flatMap((suggestion, i): Button[] => {
    const value = encodeFactRef(suggestion.factId, reply.language);
    // Slack rejects a button whose label is empty or blank.
    return value && suggestion.question.trim() ? [button(`${ACTION_SUGGEST_PREFIX}${i}`, suggestion.question, value)] : [];
  });
  if (suggestionButtons.length > 0) {
    blocks.push(section(escapeSlackText(labels.suggestions)));
    for (let i = 0; i < suggestionButtons.length; i += SLACK_MAX_ACTIONS_ELEMENTS) {
      blocks.push({ type: 'actions', elements: suggestionButtons.slice(i, i + SLACK_MAX_ACTIONS_ELEMENTS) });
    }
  }

  const tail: KnownBlock[] = [];
  const shareValue = reply.factId ? encodeFactRef(reply.factId, reply.language) : undefined;
  if (options.shareButton && reply.kind === 'answer' && shareValue) {
    tail.push({ type: 'actions', elements: [{ ...button(ACTION_SHARE, labels.share, shareValue), style: 'primary' }] });
  }
  if (options.feedbackAnswerId && reply.kind === 'answer' && shareValue && reply.factId) {
    tail.push(formatFeedbackBlock({ factId: reply.factId, language: reply.language, answerId: options.feedbackAnswerId }));
  }

  // renderPlainText shows the year line itself, so the fallback keeps it too.
  const plain = renderPlainText(reply);
  const text = clipEscaped(escapeSlackText(plain).trim(), SLACK_MAX_FALLBACK_TEXT_CHARS) || ELLIPSIS;
  // Slack rejects an empty section or an empty blocks array; an empty body still gets one block.
  if (blocks.length === 0) blocks.push(section(clipEscaped(text, SLACK_MAX_SECTION_TEXT_CHARS)));
  return { text, blocks: fitBlocks(blocks, tail, labels.more) };
}

/** Builds the short apology sent when answering failed. */
export function formatApology(): SlackMessage {
  const text = 'Sorry, something went wrong while answering. Please try again.';
  return { text, blocks: [section(text)] };
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function context(texts: readonly string[]): KnownBlock {
  return { type: 'context', elements: texts.map((text) => ({ type: 'mrkdwn' as const, text })) };
}

/** A button whose plain-text label can never form a mention or a link, clipped to Slack's limit. */
export function button(actionId: string, label: string, value: string): Button {
  // plain_text is never parsed for mentions or links, but entities are not decoded either, so escaping
  // would show "&amp;". Angle brackets become look-alikes instead: no `<!channel>` appears anywhere.
  const safe = label.replace(/</g, '‹').replace(/>/g, '›');
  const text = safe.length <= SLACK_MAX_BUTTON_TEXT_CHARS ? safe : withoutHalfPair(safe.slice(0, SLACK_MAX_BUTTON_TEXT_CHARS - 1)) + ELLIPSIS;
  return { type: 'button', action_id: actionId, text: { type: 'plain_text', text, emoji: true }, value };
}

/** Keeps the message within SLACK_MAX_BLOCKS: the tail (share button) always survives; the middle is cut with a note. */
function fitBlocks(blocks: KnownBlock[], tail: KnownBlock[], moreLabel: string): KnownBlock[] {
  if (blocks.length + tail.length <= SLACK_MAX_BLOCKS) return [...blocks, ...tail];
  const keep = SLACK_MAX_BLOCKS - tail.length - 1;
  return [...blocks.slice(0, keep), context([escapeSlackText(moreLabel)]), ...tail];
}

/** Packs lines into as few texts of at most `max` characters as possible; each line is already ≤ max. */
function packLines(lines: readonly string[], max: number): string[] {
  const texts: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + 1 + line.length > max) {
      texts.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) texts.push(current);
  return texts;
}

/** Drops a trailing high surrogate left by a cut, so an emoji or astral character is never split in half. */
function withoutHalfPair(text: string): string {
  return /[\uD800-\uDBFF]$/.test(text) ? text.slice(0, -1) : text;
}

/** Drops a trailing partial `&amp;`/`&lt;`/`&gt;` entity left by a cut. */
function withoutDanglingEntity(text: string): string {
  const amp = text.lastIndexOf('&');
  return amp >= 0 && amp > text.length - 5 && !text.slice(amp).includes(';') ? text.slice(0, amp) : text;
}
