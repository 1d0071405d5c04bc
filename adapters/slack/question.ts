import { QUESTION_MAX_CHARS } from '../../src/engine/defaults.js';

/**
 * Turns Slack message text into the question the engine sees: drops the bot's own mention, unwraps
 * Slack markup to what a reader sees, and decodes the three entities Slack escapes.
 * https://docs.slack.dev/messaging/formatting-message-text
 */
export function toQuestion(text: string | undefined, botUserId?: string): string {
  let question = text ?? '';
  // Without the bot's id (it should always be known), a leading mention is the one addressing the bot.
  question = botUserId
    ? question.replace(new RegExp(`<@${escapeRegExp(botUserId)}(?:\\|[^>]*)?>`, 'g'), ' ')
    : question.replace(/^\s*<@[A-Z0-9]+(?:\|[^>]*)?>/, ' ');
  question = question.replace(/<([^<>]*)>/g, (_whole, inner: string) => unwrapMarkup(inner));
  return clip(decodeEntities(question).replace(/\s+/g, ' ').trim(), QUESTION_MAX_CHARS);
}

/**
 * A Slack message can hold 40,000 characters; the engine reads the first QUESTION_MAX_CHARS. Cutting
 * here gives the same answer and keeps every later step (the unanswered log's scrubbing and storage,
 * logs at debug) as cheap as for a real question. Never halves a surrogate pair.
 */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** `<@U1|ann>` → `@ann`, `<#C1|general>` → `#general`, `<https://x|label>` → `label`, `<!here>` → `@here`. */
function unwrapMarkup(inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? inner.slice(bar + 1) : undefined;
  if (target.startsWith('@')) return label ? ` @${label.replace(/^@/, '')} ` : ' ';
  if (target.startsWith('#')) return label ? ` #${label.replace(/^#/, '')} ` : ' ';
  if (target.startsWith('!')) {
    if (label) return ` ${label} `;
    const special = target.slice(1).split('^')[0] ?? '';
    return ['here', 'channel', 'everyone'].includes(special) ? ` @${special} ` : ' ';
  }
  return ` ${label ?? target} `;
}

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
