import {
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
  type APIActionRowComponent,
  type APIApplicationCommandOptionChoice,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import type { Completion, Language, Reply, ReplyKind, SourceRef } from '../../src/engine/types.js';
import { buildFactCustomId } from './custom-ids.js';

// Discord's documented limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits,
// .../interactions/receiving-and-responding#interaction-response-object-autocomplete).
/** Characters in a message's `content`. */
export const DISCORD_MAX_CONTENT_LENGTH = 2000;
/** Characters in an embed's description. */
export const DISCORD_MAX_EMBED_DESCRIPTION_LENGTH = 4096;
/** Characters across title, description, field names and values, footer and author of all embeds of a message. */
export const DISCORD_MAX_EMBED_TOTAL_LENGTH = 6000;
/** Fields in one embed. */
export const DISCORD_MAX_EMBED_FIELDS = 25;
/** Characters in an embed field's name. */
export const DISCORD_MAX_EMBED_FIELD_NAME_LENGTH = 256;
/** Characters in an embed field's value. */
export const DISCORD_MAX_EMBED_FIELD_VALUE_LENGTH = 1024;
/** Characters in an embed footer. */
export const DISCORD_MAX_EMBED_FOOTER_LENGTH = 2048;
/** Characters in a button label. */
export const DISCORD_MAX_BUTTON_LABEL_LENGTH = 80;
/** Characters in a component's custom_id. */
export const DISCORD_MAX_CUSTOM_ID_LENGTH = 100;
/** Choices in one autocomplete response. */
export const DISCORD_MAX_AUTOCOMPLETE_CHOICES = 25;
/** Characters in an autocomplete choice's name. */
export const DISCORD_MAX_CHOICE_NAME_LENGTH = 100;
/** Characters in a string autocomplete choice's value. */
export const DISCORD_MAX_CHOICE_VALUE_LENGTH = 100;

/** Suggestion buttons under an abstention: the issue asks for at most three, one action row. */
export const SUGGESTION_BUTTONS_MAX = 3;
/** Room kept for the sources when a very long body would otherwise fill the 6000-character embed: one full field. */
export const SOURCES_RESERVED_LENGTH = DISCORD_MAX_EMBED_FIELD_VALUE_LENGTH;

/** Embed colour per reply kind, so an abstention or a notice is recognisable at a glance. */
export const DISCORD_COLOR_BY_KIND: Readonly<Record<ReplyKind, number>> = {
  answer: 0x2ecc71,
  'no-match': 0xf1c40f,
  clarify: 0x3498db,
  related: 0x1abc9c,
  help: 0x5865f2,
  smalltalk: 0x95a5a6,
  notice: 0xe67e22,
};

/** Text of the apology sent when answering failed. */
export const APOLOGY_TEXT: Readonly<Record<Language, string>> = {
  en: 'Sorry, something went wrong while answering. Please try again.',
  zh: '抱歉，回答时出了点问题，请再试一次。',
};

const LABELS = {
  en: {
    source: 'Source',
    sources: 'Sources',
    continued: ' (continued)',
    more: (n: number) => `…and ${n} more`,
    suggestions: 'You could ask:',
    facts: (n: number) => `${n} ${n === 1 ? 'fact' : 'facts'}`,
    example: (question: string) => `e.g. “${question}”`,
    moreTopics: 'More topics',
    figureFor: (year: number) => `Figure for ${year}`,
    asOf: (date: string, first: boolean) => `${first ? 'As' : 'as'} of ${date}`,
    stale: (date: string) => `⚠️ This figure may be out of date (as of ${date}).`,
  },
  zh: {
    source: '来源',
    sources: '来源',
    continued: '（续）',
    more: (n: number) => `……还有${n}条`,
    suggestions: '你可以问：',
    facts: (n: number) => `${n}条`,
    example: (question: string) => `例如“${question}”`,
    moreTopics: '更多主题',
    figureFor: (year: number) => `数据年份：${year}`,
    asOf: (date: string) => `截至${date}`,
    stale: (date: string) => `⚠️ 此数据可能已过时（截至${date}）。`,
  },
} as const;

/** What the adapter passes to `reply`, `editReply`, `followUp` or `send`. */
export interface DiscordMessagePayload {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  /** Always parse nothing: user text that reached a reply must never ping a role, `@everyone` or `@here`. */
  allowedMentions: { parse: [] };
}

export interface FormatDiscordReplyOptions {
  /** Offer the reply's suggestions as buttons (default true). */
  readonly suggestionButtons?: boolean;
}

/** Renders the engine's reply model as a Discord message: one embed, optional suggestion buttons, no mentions. Pure. */
export function formatDiscordReply(
  reply: Reply,
  options: FormatDiscordReplyOptions = {},
): DiscordMessagePayload {
  const labels = LABELS[reply.language];
  const footer = footerText(reply);
  const fixedLength = footer?.length ?? 0;

  const listed: { name: string; lines: string[] } | undefined =
    reply.sources.length > 0
      ? {
          name: reply.sources.length > 1 ? labels.sources : labels.source,
          lines: reply.sources.map(formatSourceMarkdown),
        }
      : reply.suggestions.length > 0
        ? {
            name: labels.suggestions,
            lines: reply.suggestions.map((s) => `• ${escapeText(s.question)}`),
          }
        : undefined;
  const topicFields: APIEmbedField[] = reply.topics.map((topic) => ({
    name: truncate(
      `${escapeText(topic.title)} · ${labels.facts(topic.factCount)}`,
      DISCORD_MAX_EMBED_FIELD_NAME_LENGTH,
    ),
    value: truncate(
      topic.example ? labels.example(escapeText(topic.example)) : '…',
      DISCORD_MAX_EMBED_FIELD_VALUE_LENGTH,
    ),
  }));

  // The body comes first, but a 10,000-character body must not push every source out of the embed.
  const fieldsWanted =
    (listed ? listed.name.length + listed.lines.join('\n').length : 0) + fieldsLength(topicFields);
  const descriptionMax = Math.min(
    DISCORD_MAX_EMBED_DESCRIPTION_LENGTH,
    DISCORD_MAX_EMBED_TOTAL_LENGTH - fixedLength - Math.min(fieldsWanted, SOURCES_RESERVED_LENGTH),
  );
  const description = truncate(escapeText(reply.body) || '…', descriptionMax);

  const fields: APIEmbedField[] = [];
  const budget = () =>
    DISCORD_MAX_EMBED_TOTAL_LENGTH - fixedLength - description.length - fieldsLength(fields);
  if (listed) {
    fields.push(
      ...packLines(
        listed.name,
        labels.continued,
        listed.lines,
        budget(),
        DISCORD_MAX_EMBED_FIELDS,
        labels.more,
      ),
    );
  }
  if (topicFields.length > 0) {
    const more = (n: number): APIEmbedField => ({ name: labels.moreTopics, value: labels.more(n) });
    fields.push(
      ...fitFields(topicFields, budget(), DISCORD_MAX_EMBED_FIELDS - fields.length, more),
    );
  }

  const embed: APIEmbed = {
    description,
    color: DISCORD_COLOR_BY_KIND[reply.kind],
    ...(fields.length > 0 ? { fields } : {}),
    ...(footer ? { footer: { text: footer } } : {}),
  };
  const buttons = options.suggestionButtons === false ? [] : suggestionButtons(reply);
  return {
    embeds: [embed],
    components: buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [],
    allowedMentions: { parse: [] },
  };
}

/** The short apology sent when answering failed: plain content, the bot's own words only. */
export function formatApology(language: Language = 'en'): DiscordMessagePayload {
  return {
    content: APOLOGY_TEXT[language],
    embeds: [],
    components: [],
    allowedMentions: { parse: [] },
  };
}

/**
 * Autocomplete choices from the engine's completions, best first. A question that fits in a choice
 * value is sent as itself; a longer one as a fact reference (`haidian:fact:<id>:<lang>`), which the
 * command handler resolves with `answerFact` instead of answering a cut-off question.
 */
export function formatAutocompleteChoices(
  completions: readonly Completion[],
): APIApplicationCommandOptionChoice<string>[] {
  const choices: APIApplicationCommandOptionChoice<string>[] = [];
  const seen = new Set<string>();
  for (const completion of completions) {
    const question = completion.question.trim();
    if (question === '') continue;
    const value =
      question.length <= DISCORD_MAX_CHOICE_VALUE_LENGTH
        ? question
        : buildFactCustomId(completion.factId, languageOf(question));
    if (value.length > DISCORD_MAX_CHOICE_VALUE_LENGTH || seen.has(value)) continue;
    seen.add(value);
    choices.push({ name: truncate(question, DISCORD_MAX_CHOICE_NAME_LENGTH), value });
    if (choices.length === DISCORD_MAX_AUTOCOMPLETE_CHOICES) break;
  }
  return choices;
}

/** Cuts text to at most `max` UTF-16 units, ending with "…" when cut, never splitting a surrogate pair or leaving a dangling escape. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  // An odd run of trailing backslashes would escape the ellipsis (or the next line) instead of a character.
  const trailing = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailing % 2 === 1) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Engine text is plain text: escape Discord markdown so `*`, `_`, `#` or `[x](y)` in it show as written. */
function escapeText(text: string): string {
  // discord.js's maskedLink option escapes only the first masked link of a line: escape every bracket
  // ourselves so no [text](url) in engine text can become a live link.
  // escapeMarkdown doubles every backslash already in the text, so each bracket left after it is live
  // and one more backslash escapes it (\\[ in the text cannot cancel ours).
  return escapeMarkdown(text, {
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: false,
  }).replace(/[[\]]/g, (c) => `\\${c}`);
}

/** `[Title](url) — Publisher, 2017-02-09`: a masked link when the URL is http(s), plain text otherwise. */
function formatSourceMarkdown(source: SourceRef, index: number): string {
  const title = escapeText(source.title);
  const link = /^https?:\/\//i.test(source.url)
    ? `[${title}](${encodeLinkUrl(source.url)})`
    : title;
  return `${index + 1}. ${link} — ${escapeText(source.publisher)}, ${source.date}`;
}

/** Characters that would end or break a markdown link target are percent-encoded. */
function encodeLinkUrl(url: string): string {
  return url.replace(
    /[()\s<>]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

function footerText(reply: Reply): string | undefined {
  const labels = LABELS[reply.language];
  const parts: string[] = [];
  if (reply.year !== undefined) parts.push(labels.figureFor(reply.year));
  // A stale answer's warning names the as-of date itself, so it takes the place of the "as of" part.
  if (reply.stale) parts.push(labels.stale(reply.stale.asOf));
  else if (reply.asOf) parts.push(labels.asOf(reply.asOf, parts.length === 0));
  return parts.length > 0
    ? truncate(parts.join(' · '), DISCORD_MAX_EMBED_FOOTER_LENGTH)
    : undefined;
}

function suggestionButtons(reply: Reply): APIButtonComponentWithCustomId[] {
  const buttons: APIButtonComponentWithCustomId[] = [];
  for (const suggestion of reply.suggestions) {
    const customId = buildFactCustomId(suggestion.factId, reply.language);
    const label = truncate(suggestion.question.trim(), DISCORD_MAX_BUTTON_LABEL_LENGTH);
    if (
      customId.length > DISCORD_MAX_CUSTOM_ID_LENGTH ||
      label === '' ||
      buttons.some((b) => b.custom_id === customId)
    )
      continue;
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label,
      custom_id: customId,
    });
    if (buttons.length === SUGGESTION_BUTTONS_MAX) break;
  }
  return buttons;
}

/**
 * Packs lines into as few fields as possible (each at most 1024 characters), within a character
 * budget and a field count. Lines that do not fit are replaced by one "…and N more" line.
 */
function packLines(
  name: string,
  continued: string,
  lines: readonly string[],
  budget: number,
  maxFields: number,
  more: (n: number) => string,
): APIEmbedField[] {
  const fieldName = (i: number) =>
    truncate(i === 0 ? name : `${name}${continued}`, DISCORD_MAX_EMBED_FIELD_NAME_LENGTH);
  const build = (kept: readonly string[], dropped: number): APIEmbedField[] => {
    const all = dropped > 0 ? [...kept, more(dropped)] : [...kept];
    const fields: APIEmbedField[] = [];
    let value = '';
    for (const raw of all) {
      const line = truncate(raw, DISCORD_MAX_EMBED_FIELD_VALUE_LENGTH);
      if (value !== '' && value.length + 1 + line.length > DISCORD_MAX_EMBED_FIELD_VALUE_LENGTH) {
        fields.push({ name: fieldName(fields.length), value });
        value = '';
      }
      value = value === '' ? line : `${value}\n${line}`;
    }
    if (value !== '') fields.push({ name: fieldName(fields.length), value });
    return fields;
  };
  const fits = (fields: readonly APIEmbedField[]) =>
    fields.length <= maxFields && fieldsLength(fields) <= budget;

  for (let kept = lines.length; kept >= 0; kept -= 1) {
    const fields = build(lines.slice(0, kept), lines.length - kept);
    if (fits(fields)) return fields;
  }
  return [];
}

/** Keeps whole fields while they fit; the last slot then says how many were left out. */
function fitFields(
  fields: readonly APIEmbedField[],
  budget: number,
  maxFields: number,
  more: (n: number) => APIEmbedField,
): APIEmbedField[] {
  if (fields.length <= maxFields && fieldsLength(fields) <= budget) return [...fields];
  for (let kept = Math.min(fields.length, maxFields - 1); kept >= 0; kept -= 1) {
    const list = [...fields.slice(0, kept), more(fields.length - kept)];
    if (fieldsLength(list) <= budget) return list;
  }
  return [];
}

/** Characters that count towards the 6000-character embed total. */
function fieldsLength(fields: readonly APIEmbedField[]): number {
  return fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0);
}

function languageOf(text: string): Language {
  return /\p{Script=Han}/u.test(text) ? 'zh' : 'en';
}
