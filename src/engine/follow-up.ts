import type { Fact } from '../knowledge/schema.js';
import { SUGGESTIONS_MAX } from './defaults.js';
import { joinList, MESSAGES } from './messages.js';
import { hasHan, normalizeText } from './normalize.js';
import { extractYears, tokenizeNormalized } from './tokenize.js';
import type { AskOptions, ConversationContext, Engine, Language, Reply, Suggestion } from './types.js';

/**
 * Follow-up questions: "and in 2017?", "2019 呢？", "what about its area?", "when was it built?",
 * "tell me more", "source?". A question that leans on what came before resolves against the
 * conversation's context (the fact last answered, its series and subject); with no context it is not
 * guessed: the reply is a `clarify` asking what it refers to. A question that stands on its own starts
 * over. Pure: the context comes in with the question and goes out with the reply.
 */

/**
 * Asks the next question of a conversation: the context the previous reply left goes in, and out comes
 * the reply with the context the conversation has after it (the reply's own; a reply without one leaves
 * it as it was). The CLI's `ask --conversation` and the eval's multi-turn cases run conversations with
 * it; the bot keeps the same rule in its store (src/bot/conversation.ts).
 */
export function askNextTurn(
  engine: Pick<Engine, 'ask'>,
  question: string,
  previous: ConversationContext | undefined,
  options: Omit<AskOptions, 'context'> = {},
): { reply: Reply; context: ConversationContext | undefined } {
  const reply = engine.ask(question, previous ? { ...options, context: previous } : options);
  return { reply, context: reply.context ?? previous };
}

/** What the engine lends the follow-up resolver. */
export interface FollowUpDeps {
  readonly facts: readonly Fact[];
  readonly factAt: (factId: string) => Fact | undefined;
  /** Series id → its facts, oldest year first. */
  readonly seriesOf: (series: string) => readonly Fact[];
  /** The engine's own answer to a question that stands on its own. */
  readonly askFresh: (question: string, language: Language) => Reply;
  readonly answerWith: (fact: Fact, language: Language) => Reply;
  readonly questionIn: (fact: Fact, language: Language) => string;
  /** Words every fact is about (Haidian, 海淀): naming them names the district. */
  readonly genericTerms: readonly string[];
  /** Other places and organisations the fact base knows by name (foreign and unsupported subjects). */
  readonly otherNames: readonly string[];
}

/** Leading words that continue a conversation ("and …", "what about …", "那…"). */
const LEADING_MARKER = /^(?:(?:and|also|so|ok|okay|then|but|what|how)\s+about\s+|(?:and|also|so|ok|okay|then|but)\s+|那么?|还有|那)+/u;
/** Trailing words that do the same ("… then?", "… too?", "…呢"). */
const TRAILING_MARKER = /(?:\s+(?:then|too|as well|instead)|\s*(?:的)?呢|\s*那)+$/u;
/**
 * Words that stand for the subject of the last answer. "there" only after a verb of going ("how do I
 * get there?"): "how many universities are there?" names none.
 */
const PRONOUN_EN = /(?<![\p{L}\p{N}])(it|its|itself|they|them|their|this one|that one|this place|that place|(?<=(?:get|go|getting|going|travel|come|walk|ride)\s)there)(?![\p{L}\p{N}])/gu;
const PRONOUN_ZH = /它的|它|该地|那里|这里|那儿|这儿|这个|那个|其/gu;
/** Asking for the source of what was just said. */
const META_SOURCE = /^(?:(?:and\s+)?(?:what\s+is\s+|whats\s+|what\s+|where\s+is\s+|wheres\s+|any\s+|the\s+|your\s+){0,2}(?:source|sources|reference|references|citation|proof|evidence)(?:\s+(?:for|of)\s+(?:that|this|it))?(?:\s+please)?|where\s+(?:did|does)\s+(?:you\s+get|that\s+come\s+from|it\s+come\s+from)(?:\s+(?:that|it)(?:\s+from)?)?|how\s+do\s+you\s+know(?:\s+(?:that|this))?|why(?:\s+(?:is\s+that|so|that))?|says\s+who|出处|来源|来源是什么|出处是什么|有什么来源|哪里来的|从哪里来的|为什么|根据是什么|依据是什么|怎么知道的)$/u;
/** Asking for more about the same subject. */
const META_MORE = /^(?:(?:can\s+you\s+|could\s+you\s+|please\s+)?tell\s+me\s+more(?:\s+about\s+(?:it|that|this|them))?(?:\s+please)?|more(?:\s+please)?|more\s+about\s+(?:it|that|this)|anything\s+else(?:\s+about\s+(?:it|that|this))?|what\s+else(?:\s+(?:do\s+you\s+know|can\s+you\s+tell\s+me))?(?:\s+about\s+(?:it|that|this))?|go\s+on|详细|详细点|详细说说|多说点|再说说|还有吗|还有什么|更多|具体点|具体说说|继续)$/u;
/** Words that only frame a year ("in 2017", "for the year 2019", "2019年"). */
const YEAR_FILLER = new Set(['year', '年', '年份', '度']);

export interface FollowUpReading {
  /** The question without the words that continue a conversation. */
  readonly rest: string;
  readonly years: readonly number[];
  /** Nothing but a year ("and in 2017?", "2019 呢"). */
  readonly yearOnly: boolean;
  readonly meta?: 'source' | 'more';
  /** It leans on something said before: a pronoun or a continuing word. */
  readonly leaning: boolean;
}

/** How a question reads as a possible follow-up. Works on normalised text. */
export function readFollowUp(normalized: string, raw: string): FollowUpReading {
  const marked = normalized.replace(LEADING_MARKER, '').replace(TRAILING_MARKER, '').trim();
  const leaningWord = marked !== normalized;
  const years = extractYears(raw);
  const meta = META_SOURCE.test(marked) ? 'source' : META_MORE.test(marked) ? 'more' : undefined;
  const withoutYears = years.reduce((text, year) => text.replaceAll(String(year), ' '), marked);
  const yearOnly = years.length > 0 && tokenizeNormalized(withoutYears).every((token) => YEAR_FILLER.has(token.term));
  const pronoun = new RegExp(PRONOUN_EN.source, 'u').test(marked) || new RegExp(PRONOUN_ZH.source, 'u').test(marked);
  return { rest: marked, years, yearOnly, ...(meta ? { meta } : {}), leaning: leaningWord || pronoun };
}

/** The context a reply about `fact` leaves for the next question. */
export function contextOf(fact: Fact, language: Language, genericTerms: ReadonlySet<string>): ConversationContext {
  const named = fact.aliases.filter((alias) => !genericTerms.has(normalizeText(alias)) && !isDistrictName(alias, genericTerms));
  const en = named.find((alias) => !hasHan(alias));
  const zh = named.find((alias) => hasHan(alias));
  return {
    factId: fact.id,
    ...(fact.series ? { series: fact.series } : {}),
    ...(fact.year !== undefined ? { year: fact.year } : {}),
    ...(en || zh ? { subject: { ...(en ? { en } : {}), ...(zh ? { zh } : {}) } } : {}),
    language,
  };
}

/** "Haidian District", "海淀区": made only of words every fact is about. */
function isDistrictName(alias: string, genericTerms: ReadonlySet<string>): boolean {
  const words = normalizeText(alias).split(' ');
  return words.every((word) => genericTerms.has(word));
}

/** Builds the engine's `ask`: a question resolved against the conversation's context when it leans on it. */
export function createFollowUpAsk(deps: FollowUpDeps): (question: string, language: Language, options: AskOptions) => Reply {
  const generic = new Set(deps.genericTerms.map(normalizeText));
  const names = collectNames(deps, generic);

  /** True when the text names something itself: a fact's alias, the district, another place. */
  const namesSubject = (normalized: string): boolean => {
    const padded = ` ${normalized} `;
    for (const name of names.latin) if (padded.includes(` ${name} `)) return true;
    for (const name of names.han) if (normalized.includes(name)) return true;
    return false;
  };

  const withContext = (reply: Reply, context: ConversationContext | undefined): Reply =>
    reply.kind === 'answer' || context === undefined ? reply : { ...reply, context };

  const clarify = (language: Language, reading: FollowUpReading, context: ConversationContext | undefined): Reply => {
    const suggestions: Suggestion[] = [];
    const add = (fact: Fact | undefined): void => {
      if (fact && suggestions.length < SUGGESTIONS_MAX && !suggestions.some((s) => s.factId === fact.id)) {
        suggestions.push({ factId: fact.id, question: deps.questionIn(fact, language) });
      }
    };
    // "and in 2017?" → the figures the base has for 2017; otherwise what the words alone come closest to.
    for (const fact of deps.facts) if (fact.year !== undefined && reading.years.includes(fact.year)) add(fact);
    if (suggestions.length === 0 && reading.rest !== '') {
      const guess = deps.askFresh(reading.rest, language);
      add(guess.factId ? deps.factAt(guess.factId) : undefined);
      for (const s of guess.suggestions) add(deps.factAt(s.factId));
    }
    if (suggestions.length === 0) for (const fact of deps.facts.slice(0, SUGGESTIONS_MAX)) add(fact);
    return {
      kind: 'clarify',
      language,
      body: MESSAGES.clarify[language],
      sources: [],
      suggestions,
      topics: [],
      confidence: 0,
      ...(context ? { context } : {}),
    };
  };

  const anotherYear = (fact: Fact, language: Language, years: readonly number[], context: ConversationContext): Reply => {
    // A figure outside any series (the latest population estimate) has its yearly counterparts in the
    // series of the same topic (the census and year-end counts).
    const seriesId = fact.series ?? deps.facts.find((other) => other.topic === fact.topic && other.series !== undefined && other.year !== undefined && years.includes(other.year))?.series;
    const members = seriesId ? deps.seriesOf(seriesId) : [fact];
    const match = members.find((member) => member.year !== undefined && years.includes(member.year));
    if (match) return deps.answerWith(match, language);
    const have = members.filter((m) => m.year !== undefined).map((m) => String(m.year));
    const body =
      have.length > 0
        ? MESSAGES.missingYear[language](joinList(years.map(String), language), joinList(have, language))
        : MESSAGES.noYear[language](joinList(years.map(String), language));
    const suggestions = [...members]
      .reverse()
      .slice(0, SUGGESTIONS_MAX)
      .map((m) => ({ factId: m.id, question: deps.questionIn(m, language) }));
    return { kind: 'no-match', language, body, sources: [], suggestions, topics: [], confidence: 0, context };
  };

  const more = (fact: Fact, language: Language, context: ConversationContext): Reply => {
    const own = new Set(fact.aliases.map(normalizeText).filter((alias) => !generic.has(alias) && !isDistrictName(alias, generic)));
    const sibling = deps.facts.find(
      (other) => other.id !== fact.id && (fact.series === undefined || other.series !== fact.series) && other.aliases.some((alias) => own.has(normalizeText(alias))),
    );
    if (sibling) return deps.answerWith(sibling, language);
    const related = deps.facts.filter((other) => other.topic === fact.topic && other.id !== fact.id && (fact.series === undefined || other.series !== fact.series));
    return {
      kind: 'no-match',
      language,
      body: MESSAGES.noMore[language],
      sources: [],
      suggestions: related.slice(0, SUGGESTIONS_MAX).map((other) => ({ factId: other.id, question: deps.questionIn(other, language) })),
      topics: [],
      confidence: 0,
      context,
    };
  };

  /** True when the reply's fact is about the context's subject (or shares its series), so it answers the follow-up. */
  const isAbout = (reply: Reply, context: ConversationContext): boolean => {
    const fact = reply.factId ? deps.factAt(reply.factId) : undefined;
    if (!fact) return false;
    if (context.series !== undefined && fact.series === context.series) return true;
    const subjects = [context.subject?.en, context.subject?.zh].filter((name): name is string => name !== undefined).map(normalizeText);
    if (subjects.length === 0) return true;
    return fact.aliases.some((alias) => subjects.includes(normalizeText(alias)));
  };

  const notAbout = (reply: Reply, language: Language, context: ConversationContext): Reply => ({
    kind: 'no-match',
    language,
    body: MESSAGES.noMatch[language],
    sources: [],
    suggestions: reply.factId ? [{ factId: reply.factId, question: deps.questionIn(deps.factAt(reply.factId) as Fact, language) }] : [],
    topics: [],
    confidence: 0,
    context,
  });

  /** The question with its pronouns (or, lacking one, its end) standing for the context's subject and year. */
  const rewrite = (reading: FollowUpReading, context: ConversationContext, language: Language, withYear: boolean): string => {
    const subject = (language === 'zh' ? (context.subject?.zh ?? context.subject?.en) : (context.subject?.en ?? context.subject?.zh)) ?? '';
    let text = reading.rest.replace(new RegExp(PRONOUN_EN.source, 'gu'), ` ${subject} `).replace(new RegExp(PRONOUN_ZH.source, 'gu'), subject);
    if (!text.includes(normalizeText(subject))) text = `${text} ${subject}`;
    if (withYear && reading.years.length === 0 && context.year !== undefined) text = `${text} ${context.year}`;
    return text.trim();
  };

  return (question, language, options) => {
    const normalized = normalizeText(question);
    const reading = readFollowUp(normalized, question);
    const context = options.context;
    const fact = context ? deps.factAt(context.factId) : undefined;
    const elliptical = reading.meta !== undefined || reading.yearOnly || (reading.leaning && !namesSubject(reading.rest));
    if (!context || !fact) return elliptical ? clarify(language, reading, undefined) : deps.askFresh(question, language);

    if (reading.meta === 'source') return deps.answerWith(fact, language);
    if (reading.meta === 'more') return more(fact, language, context);
    if (reading.yearOnly) return anotherYear(fact, language, reading.years, context);
    if (elliptical) {
      // Another attribute of the same subject: first for the same year (its growth that year), then for any.
      const sameYear = deps.askFresh(rewrite(reading, context, language, true), language);
      if (sameYear.kind === 'answer' && isAbout(sameYear, context)) return sameYear;
      const anyYear = deps.askFresh(rewrite(reading, context, language, false), language);
      // "what about its area?" after the Summer Palace must not answer the Old Summer Palace's: a reply about
      // another subject is a wrong confident answer, so it becomes "I don't know" with that fact suggested.
      if (anyYear.kind === 'answer' && !isAbout(anyYear, context)) return notAbout(anyYear, language, context);
      return withContext(anyYear, context);
    }
    const fresh = deps.askFresh(question, language);
    if (fresh.kind === 'answer' || namesSubject(normalized)) return withContext(fresh, context);
    // A question that names nothing and finds nothing alone ("什么时候建的？") may be about the subject in hand.
    const leaned = deps.askFresh(rewrite(reading, context, language, false), language);
    return withContext(leaned.kind === 'answer' ? leaned : fresh, context);
  };
}

function collectNames(deps: FollowUpDeps, generic: ReadonlySet<string>): { latin: string[]; han: string[] } {
  const all = new Set<string>([...generic, ...deps.otherNames.map(normalizeText)]);
  for (const fact of deps.facts) for (const alias of fact.aliases) all.add(normalizeText(alias));
  const latin: string[] = [];
  const han: string[] = [];
  for (const name of all) {
    if (name === '') continue;
    (hasHan(name) ? han : latin).push(name);
  }
  return { latin, han };
}
