import type { Fact } from '../knowledge/schema.js';
import type { SubjectAttribute, SubjectLexicon } from '../knowledge/subjects.js';
import { escapeRegExp, hasHan, normalizeText } from './normalize.js';
import { osaDistance } from './osa.js';
import { isHanStopChar, isStopword, stemWord, tokenizeNormalized } from './tokenize.js';

/**
 * The subject guard: the last check before the engine answers with a fact. Two questions, both
 * answered from the words of `knowledge/subjects.yaml` and the facts' own aliases and answers (never
 * a list of today's facts), so it keeps working as the fact base grows:
 *
 * 1. Does the question name something the fact is not about? A name (capitalised words, an acronym,
 *    the words before a marker: "Yonghe Temple", "BFSU", "北京外国语大学") that is no fact's alias and
 *    not in the matched fact's aliases, answer or keywords is a subject the base does not know.
 * 2. Does the question ask for an attribute (founded, former name, address …) the fact does not state?
 *
 * Pure: the verdict is a function of the question and the fact.
 */

export type SubjectVerdict =
  /** The question names something the base has no facts about. */
  | { readonly kind: 'unknown-subject'; readonly name: string }
  /** The question names a subject the base knows, which the fact is not about; `subjects` are facts whose alias it is. */
  | { readonly kind: 'other-subject'; readonly name: string; readonly subjects: readonly number[] }
  /** The fact is about the right subject but does not state what the question asks for. */
  | {
      readonly kind: 'missing-attribute';
      readonly attribute: SubjectAttribute;
      /** A fact about the subject the question asks about (the matched one, or the one whose alias the question names). */
      readonly subject: number;
    };

export interface SubjectGuard {
  /** Whether `doc` may answer the question; `undefined` when it may. */
  check(raw: string, normalized: string, doc: number): SubjectVerdict | undefined;
  /** The facts about the same subject as `doc` (sharing one of its own aliases), `doc` first. */
  siblingsOf(doc: number): readonly number[];
  /** The name of `doc`'s subject in the language (its first own alias of two or more characters), if it has one. */
  subjectOf(doc: number, language: 'en' | 'zh'): string | undefined;
  /** True when `doc` states the attribute (its answer or keywords say it, or one of its example questions asks it). */
  states(doc: number, attribute: SubjectAttribute): boolean;
}

export interface SubjectGuardOptions {
  /** Words every fact is about (Haidian, 海淀): they name no subject. */
  readonly genericTerms: readonly string[];
  /** True when the term occurs anywhere in the fact base (the index's vocabulary). */
  readonly knowsTerm: (term: string) => boolean;
  /** True when the fact has the term in one of its fields (the index's postings). */
  readonly docHasTerm: (doc: number, term: string) => boolean;
  /** True when the fact has a term within that many typing slips of the term. */
  readonly docHasNear: (doc: number, term: string, maxEdits: number) => boolean;
}

/** Words of a capitalised name longer than this are a sentence in title case, not a name. */
const NAME_WORDS_MAX = 6;
/** Words read before an English marker ("Beijing Foreign Studies University"). */
const MARKER_WORDS_BEFORE_MAX = 5;
/** Words read after "university of" / "bank of". */
const MARKER_WORDS_AFTER_MAX = 4;
/** Acronyms users type in lower case ("bfsu") are this long; longer unknown words are more likely typos or pinyin. */
const ACRONYM_MAX_LETTERS = 5;
/**
 * A Chinese name's characters before its marker, trimmed to this many from the start, still tell it
 * apart: 首都师范 must not pass for 北京师范 because both end in 师范, but 外国语 or 人民 are enough.
 */
const HAN_NAME_SUFFIX_MIN_CHARS = 3;
/** A Chinese name has at least this many characters before its marker: 所大学, 座车站 are a count, not a name. */
const HAN_NAME_BEFORE_MARKER_MIN_CHARS = 2;
/** A count before a marker (三所大学, 两座寺) is no part of a name. */
const HAN_COUNT = /^[一二三四五六七八九十百两几多\d]+[所座家条处间个位名]/u;
/** Words that join the parts of a capitalised name ("University of Science and Technology"). */
const NAME_CONNECTORS = new Set(['of', 'and', 'the', 'de', 'for', 'on']);
/**
 * Two consonants that can begin an English word. A short word unknown to the fact base that begins
 * with any other pair ("bf", "pk", "bj") or has no vowel is read as an acronym typed in lower case.
 */
const ENGLISH_ONSETS = new Set(
  'bl br ch cl cr dr dw fl fr gh gl gn gr kl kn kr ph pl pr ps qu rh sc sh sk sl sm sn sp sq st sw th tr ts tw wh wr'.split(' '),
);
const VOWEL = /[aeiouy]/;
/** Distinct runs and words whose reading the guard keeps; past this many it starts again. */
const MEMO_MAX = 20_000;
/** Facts a name's judgement is kept for (a name is asked of few facts; a flood of them starts it again). */
const JUDGEMENTS_PER_NAME_MAX = 64;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** "Tsinghua's" → Tsinghua. */
const withoutPossessive = (word: string): string => (word.endsWith("'s") || word.endsWith('’s') ? word.slice(0, -2) : word);

/** What `numberedIn` finds in a text with no digit (most questions): one empty map, not a new one each time. */
const NO_NUMBERS: ReadonlyMap<string, string> = new Map();

/** A memo of a pure function's results by key, emptied when it holds `max` of them (so odd input cannot grow it without bound). */
class BoundedMemo<T> {
  private readonly values = new Map<string, T>();
  constructor(private readonly max: number) {}
  get(key: string, compute: () => T): T {
    const known = this.values.get(key);
    if (known !== undefined || this.values.has(key)) return known as T;
    const value = compute();
    if (this.values.size >= this.max) this.values.clear();
    this.values.set(key, value);
    return value;
  }
}

/** Capitalised words in a row, joined by spaces, hyphens and the words of {@link NAME_CONNECTORS}: the candidates for a name. */
const CAPITALISED_RUN = /\p{Lu}[\p{L}\p{N}]*(?:['’]s)?(?:[ \t-]+(?:(?:of|and|the|de|for|on)[ \t-]+)*\p{Lu}[\p{L}\p{N}]*(?:['’]s)?)*/gu;

interface Name {
  /** As shown to the user. */
  readonly display: string;
  /** `display` normalised, as the facts' aliases are (names read from the normalised question are already). */
  readonly key: string;
  /** Latin: the stemmed terms that must all be found; empty for a Chinese name. */
  readonly terms: readonly string[];
  /** Latin: the words as written (lower case), for a name with a slip in it. */
  readonly words?: readonly string[];
  /** A lower-case name read back from its marker may have taken words of the sentence ("obtain free school"): the same name with fewer words before the marker. */
  readonly shorter?: readonly Name[];
  /** Chinese: the name and the part before its marker (with and without trailing common words). */
  readonly han?: { readonly name: string; readonly stems: readonly string[]; readonly marker: string };
  /** What the name is to each fact it was judged on (see `judge`). */
  judgements?: Map<number, NameJudgement>;
  /** Worked out the first time a fact needs it, the same for every fact (names are shared between questions). */
  cache?: {
    /** The facts whose whole alias the name is (empty: none). */
    aliasOf?: readonly number[];
    /** A Latin name without a marker: the terms that make it a name (see `coversLatin`). */
    essential?: readonly string[];
    /** Some fact's alias holds it (see `isKnown`). */
    known?: boolean;
  };
}

type NameJudgement = 'here' | 'unknown' | 'elsewhere' | readonly number[];

interface CompiledAttribute {
  readonly attribute: SubjectAttribute;
  /** Its place in the lexicon's list. */
  readonly index: number;
  readonly asks: RegExp | undefined;
  readonly states: RegExp | undefined;
}

/**
 * A name is checked against the fact with more slack than the index matches words: the two are
 * stemmed ("houwing" → houw, "housing" → hous), so a slip in the word shows as a slip in a shorter
 * stem. The guard must not decline what the index forgave; a slip too far still declines.
 */
const NAME_TYPO_MIN_LENGTH = 4;
const NAME_TYPO_TWO_EDITS_MIN_LENGTH = 5;
const isLatinWord = (word: string): boolean => /^\p{Script=Latin}+$/u.test(word);
const isTypoEligible = (term: string): boolean => term.length >= NAME_TYPO_MIN_LENGTH && /^\p{L}+$/u.test(term);
const maxEditsFor = (term: string): number => (term.length >= NAME_TYPO_TWO_EDITS_MIN_LENGTH ? 2 : 1);
/** The same term, or one a typing slip or two away (as the index forgives them). */
const sameTerm = (a: string, b: string): boolean => {
  if (a === b) return true;
  // The cheap tests first: this runs for every word of every piece a name is looked for in.
  const max = maxEditsFor(a);
  return Math.abs(a.length - b.length) <= max && a.length >= NAME_TYPO_MIN_LENGTH && isTypoEligible(a) && osaDistance(a, b, max) <= max;
};


/** Endings an English phrase's last word may take: "found" matches founded, founder and founding, "am" never "among". */
const ENGLISH_ENDINGS = '(?:s|es|d|ed|ing|er|ers|ment|ments)?(?!\\p{L})';

/** One regex for a list of phrases: English ones are whole words (with {@link ENGLISH_ENDINGS}), `*` is one to four words; Chinese ones anywhere. */
function phraseRegExp(en: readonly string[], zh: readonly string[], wordStart: string): RegExp | undefined {
  return phraseListsRegExp([{ en, zh }], wordStart)?.regex;
}

/**
 * One regex for several lists of phrases (as {@link phraseRegExp}), each list a capture group:
 * `listOf` tells which list a match is from (the first that matches where the match starts).
 */
function phraseListsRegExp(
  lists: readonly { readonly en: readonly string[]; readonly zh: readonly string[] }[],
  wordStart: string,
): { readonly regex: RegExp; readonly listOf: (match: RegExpExecArray) => number } | undefined {
  const english: string[] = [];
  const chinese: string[] = [];
  // Capture group i + 1 is list groups[i].
  const groups: number[] = [];
  lists.forEach(({ en }, list) => {
    const phrases = en
      .map((phrase) => phrase.trim().split(/\s+/).map((w) => (w === '*' ? '\\S+(?: \\S+){0,3}' : escapeRegExp(normalizeText(w)))).join(' '))
      .filter((part) => part !== '');
    if (phrases.length === 0) return;
    english.push(`(${phrases.join('|')})`);
    groups.push(list);
  });
  lists.forEach(({ zh }, list) => {
    const phrases = zh.map((phrase) => escapeRegExp(normalizeText(phrase))).filter((part) => part !== '');
    if (phrases.length === 0) return;
    chinese.push(`(${phrases.join('|')})`);
    groups.push(list);
  });
  // The word start and the endings are written once around the alternatives: a regex tries each
  // alternative at each position, and a hundred lookbehinds per position cost tens of microseconds.
  const parts = [...(english.length > 0 ? [`${wordStart}(?:${english.join('|')})${ENGLISH_ENDINGS}`] : []), ...(chinese.length > 0 ? [`(?:${chinese.join('|')})`] : [])];
  if (parts.length === 0) return undefined;
  return {
    regex: new RegExp(parts.join('|'), 'u'),
    listOf: (match) => groups[groups.findIndex((_, i) => match[i + 1] !== undefined)] as number,
  };
}

const PLAIN_WORD = /^[a-z]+$/;
/** A plain lower-case word's term as the tokenizer makes it, without its regex walk; `undefined` for filler. */
const plainTerm = (word: string): string | undefined => {
  if (isStopword(word)) return undefined;
  const term = stemWord(word);
  return term !== word && isStopword(term) ? undefined : term;
};
const stemsOf = (text: string): string[] => {
  // One plain word (most calls): its stem, without the tokenizer's regex walk.
  if (PLAIN_WORD.test(text)) {
    const term = plainTerm(text);
    return term === undefined ? [] : [term];
  }
  return tokenizeNormalized(text).filter((t) => !hasHan(t.term)).map((t) => t.term);
};
/** Normalised like the question: plain ASCII words only need lower case. */
const normalizeWord = (word: string): string => (/^[A-Za-z0-9]+$/.test(word) ? word.toLowerCase() : normalizeText(word));

/** Builds the guard for a fact base. */
export function createSubjectGuard(lexicon: SubjectLexicon, facts: readonly Fact[], options: SubjectGuardOptions): SubjectGuard {
  const districtWords = new Set(options.genericTerms.map(normalizeText));
  const genericEn = new Set([...lexicon.generic.en, ...options.genericTerms].map((word) => normalizeText(word)).filter((w) => !hasHan(w)));
  const genericStems = new Set([...genericEn].flatMap((word) => stemsOf(word)));
  const genericZh = new Set([...lexicon.generic.zh, ...options.genericTerms].map(normalizeText).filter(hasHan));
  const markersEn = new Set(lexicon.markers.en.map(normalizeText));
  const markerStems = new Set([...markersEn].map(stemWord));
  // Chinese markers by their first character, longest first: one map read per character of the question.
  const markersZh = new Map<string, string[]>();
  for (const marker of new Set(lexicon.markers.zh.map(normalizeText))) {
    const first = Array.from(marker)[0] as string;
    markersZh.set(first, [...(markersZh.get(first) ?? []), marker].sort((a, b) => b.length - a.length));
  }
  const notMarkersBefore = new Set(lexicon.not_markers_before.map(normalizeText));
  const leadZh = [...new Set(lexicon.lead.zh.map(normalizeText))].sort((a, b) => b.length - a.length);
  // "Founded", "Address": a word that asks for an attribute ends a capitalised name ("When Was Tsinghua Founded").
  const askWords = new Set(lexicon.attributes.flatMap((a) => a.asks.en.map((phrase) => phrase.trim())).filter((phrase) => !/[\s*]/.test(phrase)).map(normalizeText));
  const attributes: CompiledAttribute[] = lexicon.attributes.map((attribute, index) => ({
    attribute,
    index,
    asks: phraseRegExp(attribute.asks.en, attribute.asks.zh, '(?<![\\p{L}\\p{N}])'),
    // "9am", "430.77km2": a figure may touch the word that states the attribute.
    states: phraseRegExp(attribute.states.en, attribute.states.zh, '(?<!\\p{L})'),
  }));
  const asksAny = phraseListsRegExp(lexicon.attributes.map((a) => a.asks), '(?<![\\p{L}\\p{N}])');
  /** The first attribute in the lexicon's order that the question asks for. */
  const askedIn = (normalized: string): CompiledAttribute | undefined => {
    // One regex run finds the attribute asked for first in the question; only the attributes listed
    // before it are left to look for. Most questions ask for none, and their run builds no match.
    const match = asksAny?.regex.exec(normalized);
    if (!match) return undefined;
    const first = asksAny?.listOf(match) ?? 0;
    for (let before = 0; before < first; before++) if (attributes[before]?.asks?.test(normalized)) return attributes[before];
    return attributes[first];
  };
  // V8 compiles a regex the first time it runs and again, to machine code, the second time: for the
  // regex of every phrase it takes a few milliseconds, which the first questions to need each would
  // pay. They are paid here, with the rest of the build.
  for (const regex of [asksAny?.regex, ...attributes.flatMap((compiled) => [compiled.asks, compiled.states])]) for (let run = 0; run < 2; run++) regex?.test('');

  /** `build(fact)` for a fact, made the first time it is needed: the guard looks at few facts per question. */
  const lazy = <T>(build: (fact: Fact, doc: number) => T): ((doc: number) => T) => {
    const cache: (T | undefined)[] = [];
    return (doc) => (cache[doc] ??= build(facts[doc] as Fact, doc));
  };

  // Numbered names ("Line 16", "16号线"): the numbers a question names, and the facts that mention each.
  const numberedEn = lexicon.numbered.en.map((word) => escapeRegExp(normalizeText(word))).filter((word) => word !== '');
  const numberedZh = lexicon.numbered.zh.map((word) => escapeRegExp(normalizeText(word))).filter((word) => word !== '');
  const NUMBER_LIST_EN = '\\d+(?:(?:\\s*(?:,|and|&|/|or)\\s*|\\s+)\\d+)*';
  const NUMBER_LIST_ZH = '\\d+(?:(?:\\s*[、,，和及与/或]\\s*|\\s+)\\d+)*';
  const numberedPatterns: { readonly pattern: RegExp; readonly list: 1 | 2 }[] = [
    ...(numberedEn.length > 0 ? [{ pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${numberedEn.join('|')})\\s+(${NUMBER_LIST_EN})(?!\\p{N})`, 'gu'), list: 1 as const }] : []),
    ...(numberedZh.length > 0 ? [{ pattern: new RegExp(`(?<!\\d)(${NUMBER_LIST_ZH})\\s*(?:${numberedZh.join('|')})`, 'gu'), list: 1 as const }] : []),
  ];
  const numberedName = (n: string, language: 'en' | 'zh'): string => {
    const word = (language === 'zh' ? lexicon.numbered.zh[0] : lexicon.numbered.en[0]) ?? '';
    return language === 'zh' ? `${n}${word}` : `${word.charAt(0).toUpperCase()}${word.slice(1)} ${n}`;
  };
  /** The numbers of the numbered names in a normalised text ("lines 4 and 16" → 4, 16), each with how the text writes it. */
  const numberedIn = (text: string): ReadonlyMap<string, string> => {
    if (!/\d/.test(text)) return NO_NUMBERS;
    const found = new Map<string, string>();
    numberedPatterns.forEach(({ pattern, list }, kind) => {
      for (const match of text.matchAll(pattern)) {
        for (const digits of (match[list] as string).match(/\d+/g) ?? []) {
          const n = String(Number(digits));
          if (!found.has(n)) found.set(n, numberedName(n, kind === 0 && numberedEn.length > 0 ? 'en' : 'zh'));
        }
      }
    });
    return found;
  };
  const numberedOf = lazy<ReadonlySet<string>>((fact) => {
    const text = normalizeText([...fact.aliases, fact.answer.en, fact.answer.zh ?? '', ...fact.keywords, ...fact.questions.en, ...fact.questions.zh].join(' \n '));
    return new Set(numberedIn(text).keys());
  });
  /** The facts that mention a numbered name, built the first time a question needs it. */
  let numberedFacts: Map<string, number[]> | undefined;
  const factsNumbered = (n: string): readonly number[] => {
    if (numberedFacts === undefined) {
      numberedFacts = new Map();
      for (let doc = 0; doc < facts.length; doc++) for (const m of numberedOf(doc)) numberedFacts.set(m, [...(numberedFacts.get(m) ?? []), doc]);
    }
    return numberedFacts.get(n) ?? [];
  };

  /** A term of a fact's text that can be part of a name: not a common word, unless a marker or the district's name. */
  const isNameTerm = (term: string): boolean => !genericStems.has(term) || markerStems.has(term) || districtWords.has(term);
  // What each word of the facts' text is to the guard, shared by all facts: a fact's text is built from lookups.
  interface FactWord {
    readonly terms: readonly string[];
    /** Its terms as part of a name (common words out). */
    readonly nameTerms: readonly string[];
  }
  const factWords = new Map<string, FactWord>();
  const factWord = (word: string): FactWord => {
    let known = factWords.get(word);
    if (known === undefined) {
      const terms = stemsOf(word);
      known = {
        terms,
        nameTerms: terms.filter(isNameTerm),
      };
      factWords.set(word, known);
    }
    return known;
  };
  /** A fact's words as the terms a name is made of (common words out), so that "Beida subway station" finds "beida station". */
  const nameTermsOfFact = (words: readonly string[]): string[] => {
    const terms: string[] = [];
    for (const word of words) {
      // A plain word (most of them): its stem, worked out on the spot, costs less than a look in the
      // map of every word the facts use.
      if (PLAIN_WORD.test(word)) {
        const term = plainTerm(word);
        if (term !== undefined && isNameTerm(term)) terms.push(term);
      } else for (const term of factWord(word).nameTerms) terms.push(term);
    }
    return terms;
  };

  // Every fact alias, as stemmed terms (Latin) or as the set of its substrings (Chinese): "nor an alias
  // of any fact"; and each fact's aliases as the terms of a name (most names are checked there).
  interface AliasText {
    /** Every term of the fact's aliases. */
    readonly terms: ReadonlySet<string>;
    /** Each alias's terms, in order. */
    readonly pieces: readonly (readonly string[])[];
  }
  const aliasTexts: AliasText[] = [];
  const aliasesByTerm = new Map<string, number[]>();
  const hanAliasParts = new Set<string>();
  const hanAliases = new Set<string>();
  const ownAliases: string[][] = [];
  const factsByAlias = new Map<string, number[]>();
  let aliasCount = 0;
  facts.forEach((fact, doc) => {
    const own: string[] = [];
    const pieces: string[][] = [];
    for (const alias of fact.aliases) {
      const normalized = normalizeText(alias);
      pieces.push(nameTermsOfFact(normalized.split(' ')));
      if (normalized === '') continue;
      const isDistrict = normalized.split(' ').every((word) => districtWords.has(word));
      if (!isDistrict) {
        own.push(normalized);
        const list = factsByAlias.get(normalized) ?? [];
        if (!list.includes(doc)) list.push(doc);
        factsByAlias.set(normalized, list);
      }
      if (hasHan(normalized)) {
        hanAliases.add(normalized);
        const chars = Array.from(normalized);
        for (let i = 0; i < chars.length; i++) for (let j = i + 2; j <= chars.length; j++) hanAliasParts.add(chars.slice(i, j).join(''));
      }
      const terms = new Set(stemsOf(normalized));
      const id = aliasCount++;
      for (const term of terms) {
        const list = aliasesByTerm.get(term) ?? [];
        list.push(id);
        aliasesByTerm.set(term, list);
      }
    }
    ownAliases.push(own);
    aliasTexts.push({ terms: new Set(pieces.flat()), pieces });
  });
  /** The aliases of one word: the only ones a lower-case word of the question can be. */
  const oneWordAliases = new Set([...factsByAlias.keys()].filter((alias) => !alias.includes(' ')));

  /** Some alias holds every one of the name's terms. */
  const isKnownLatin = (terms: readonly string[]): boolean => {
    let common: number[] | undefined;
    for (const term of terms) {
      const list = aliasesByTerm.get(term);
      if (!list) return false;
      common = common === undefined ? list : common.filter((id) => list.includes(id));
      if (common.length === 0) return false;
    }
    return common !== undefined;
  };

  // The rest of what each fact says, built on demand for the few facts the guard looks at, in parts:
  // its Latin text, its Chinese text, what it states.
  interface StatedText {
    readonly states: string;
    readonly questions: string;
  }
  // A fact's Latin texts: its aliases, its answer, its keywords and its example questions (curators
  // write those with the names people use: "yiheyuan ximen station"). Each text's words and name terms
  // are made the first time they are read: a name is most often found in the answer or the first
  // question, and most facts the guard meets it meets once.
  const latinPartCount = (fact: Fact): number => fact.aliases.length + 1 + fact.keywords.length + fact.questions.en.length;
  const latinPart = (fact: Fact, i: number): string => {
    const aliases = fact.aliases.length;
    if (i < aliases) return fact.aliases[i] as string;
    if (i === aliases) return fact.answer.en;
    const keywords = fact.keywords.length;
    return (i <= aliases + keywords ? fact.keywords[i - aliases - 1] : fact.questions.en[i - aliases - 1 - keywords]) as string;
  };
  const partWords: (string[] | undefined)[][] = [];
  /** The words of the fact's `i`th Latin text, normalised. */
  const wordsOfPart = (doc: number, i: number): readonly string[] => {
    const parts = (partWords[doc] ??= []);
    return (parts[i] ??= normalizeText(latinPart(facts[doc] as Fact, i)).split(' '));
  };
  const partPieces: (string[] | undefined)[][] = [];
  /** True when the test holds for the name terms of one of the fact's answer, keywords or example questions (its aliases are in {@link aliasTexts}). */
  const someLatinPiece = (doc: number, test: (piece: readonly string[]) => boolean): boolean => {
    const fact = facts[doc] as Fact;
    const pieces = (partPieces[doc] ??= []);
    for (let i = fact.aliases.length; i < latinPartCount(fact); i++) if (test((pieces[i] ??= nameTermsOfFact(wordsOfPart(doc, i))))) return true;
    return false;
  };
  /** Every term of the fact's Latin texts. */
  const latinTermsOf = lazy<ReadonlySet<string>>((fact, doc) => {
    const terms = new Set<string>();
    for (let i = 0; i < latinPartCount(fact); i++) for (const word of wordsOfPart(doc, i)) for (const term of factWord(word).terms) terms.add(term);
    return terms;
  });
  /** The fact's Latin words as written (lower case, unstemmed), for a name with a slip in it: no stemming needed. */
  const surfacesOf = lazy<readonly string[]>((fact, doc) => {
    const surfaces = new Set<string>();
    for (let i = 0; i < latinPartCount(fact); i++) for (const word of wordsOfPart(doc, i)) if (word.length >= NAME_TYPO_MIN_LENGTH && isLatinWord(word)) surfaces.add(word);
    return [...surfaces];
  });
  const hanTextOf = lazy<string>((fact) =>
    normalizeText([...fact.aliases, fact.answer.zh ?? '', fact.answer.en, ...fact.keywords, ...fact.questions.zh].join(' \n ')),
  );
  const statedTextOf = lazy<StatedText>((fact) => ({
    states: normalizeText([fact.answer.en, fact.answer.zh ?? '', ...fact.keywords].join(' \n ')),
    questions: normalizeText([...fact.questions.en, ...fact.questions.zh].join(' \n ')),
  }));

  /** The fact names the term, or a word a typing slip or two away (the index forgives the same slips). */
  const factHasTerm = (doc: number, term: string): boolean =>
    options.docHasTerm(doc, term) || (isTypoEligible(term) && options.docHasNear(doc, term, maxEditsFor(term)));

  /**
   * A name of several words is covered when one piece of the fact has them in a row ("Haidian Hospital"
   * is not covered by "the 301 Hospital is in Haidian"), or its aliases have them all ("Peking
   * University East Gate" by "East Gate of Peking University", "PKU Hospital of Stomatology" by the
   * aliases "PKU School of Stomatology" and "PKU dental hospital").
   */
  const coversLatin = (doc: number, name: Name): boolean => {
    const terms = name.terms;
    const aliases = aliasTexts[doc] as AliasText;
    if (terms.every((term) => aliases.terms.has(term))) return true;
    if (terms.length === 1) return factHasTerm(doc, terms[0] as string);
    if (!terms.some((term) => markerStems.has(term))) {
      // No marker ("UNESCO World Heritage Site", "Changping Line Qinghe"): the words that make it a name
      // (an alias's words, words the base has never seen) must be there; common words may differ.
      const cache = (name.cache ??= {});
      if (cache.essential === undefined) {
        const essential = terms.filter((term) => aliasesByTerm.has(term) || !options.knowsTerm(term));
        cache.essential = essential.length > 0 ? essential : terms;
      }
      return cache.essential.every((term) => factHasTerm(doc, term));
    }
    if (!terms.every((term) => factHasTerm(doc, term))) return false;
    const inRow = (same: (a: string, b: string) => boolean) => (piece: readonly string[]): boolean => {
      for (let start = 0; start + terms.length <= piece.length; start++) if (terms.every((term, i) => same(term, piece[start + i] as string))) return true;
      return false;
    };
    const inSomePiece = (test: (piece: readonly string[]) => boolean): boolean => aliases.pieces.some(test) || someLatinPiece(doc, test);
    // Word for word first; with typing slips only when that fails.
    return (
      inSomePiece(inRow((a, b) => a === b)) ||
      inSomePiece(inRow(sameTerm)) ||
      terms.every((term) => aliases.pieces.some((piece) => piece.some((other) => sameTerm(term, other))))
    );
  };

  const covers = (doc: number, name: Name): boolean => coversWhole(doc, name) || (name.shorter ?? []).some((shorter) => coversWhole(doc, shorter));
  const coversWhole = (doc: number, name: Name): boolean => {
    if (name.han) {
      const han = hanTextOf(doc);
      if (han.includes(name.han.name)) return true;
      // 首师大附中 is not 首师大: a fact that never says what kind of place the name is (附中) is not about it.
      if (!han.includes(name.han.marker)) return false;
      return name.han.stems.some((stem) => {
        const chars = Array.from(stem);
        // A stem that is only the district's name (海淀医院) must be found whole: every fact says 海淀.
        if (genericZh.has(stem)) return false;
        // The part before the marker in pieces the fact has (北大 + 东门), or, when a leading verb stayed
        // on it, its last few characters.
        if (isMadeOfPieces(chars, han)) return true;
        for (let from = 1; chars.length - from >= HAN_NAME_SUFFIX_MIN_CHARS; from++) if (han.includes(chars.slice(from).join(''))) return true;
        return false;
      });
    }
    if (coversLatin(doc, name)) return true;
    // A name with a slip in it ("Qingpign Houssing Office"): every word near one the fact has, as written.
    const surfaces = surfacesOf(doc);
    const words = (name.words ?? []).filter((word) => !NAME_CONNECTORS.has(word) && (!isCommonWord(word) || markersEn.has(word)));
    return words.some((word) => !surfaces.includes(word)) && words.every((word) => surfaces.some((other) => sameTerm(word, other)));
  };

  const isKnown = (name: Name): boolean => ((name.cache ??= {}).known ??= isKnownOnce(name));
  const isKnownOnce = (name: Name): boolean => {
    if (name.han) {
      if (hanAliasParts.has(name.han.name)) return true;
      // 看看北京大学: the name's tail is exactly an alias.
      return name.han.stems.some((stem) => {
        const chars = Array.from(stem);
        for (let from = 1; chars.length - from >= 2; from++) if (hanAliases.has(chars.slice(from).join('') + name.han!.marker)) return true;
        return false;
      });
    }
    return isKnownLatin(name.terms);
  };

  /**
   * In a lower-case question, a word before a marker is part of the name when the base has never seen
   * it (a new name) or has it in an alias (a known one); a word the base uses otherwise ("serve",
   * "passengers") is the rest of the sentence.
   */
  const mayBeNamePart = (word: string): boolean =>
    districtWords.has(word) || genericEn.has(word) || /^\d+$/.test(word) || stemsOf(word).every((term) => aliasesByTerm.has(term) || !options.knowsTerm(term));
  const isNameWord = (word: string): boolean => !isStopword(word) && !askWords.has(word);
  /** A word that is only a common word: generic, or a marker. A name needs at least one other word. */
  const isCommonWord = (word: string): boolean => genericEn.has(word) || markersEn.has(word) || genericStems.has(stemWord(word));
  const termsOf = (words: readonly string[], keepDistrict = false): string[] => {
    const terms: string[] = [];
    for (const word of words) {
      for (const term of stemsOf(word)) if (!genericStems.has(term) || markerStems.has(term) || (keepDistrict && districtWords.has(term))) terms.push(term);
    }
    return terms;
  };

  /**
   * A run of capitalised words read as a name, or not, at a sentence start and within one: a function
   * of its words, so each run is worked out once. Names repeat (they are the base's names, and the
   * names users keep asking about), and reading one costs more than looking it up. Where the run
   * stands only decides whether it is a name, never what the name is.
   */
  const readingsOf = (run: readonly string[]): RunPart['readings'] => {
    const kept = [...run];
    while (kept.length > 0 && NAME_CONNECTORS.has((kept[kept.length - 1] as string).toLowerCase())) kept.pop();
    if (kept.length === 0 || kept.length > NAME_WORDS_MAX) return NO_READINGS;
    const words = kept.map(normalizeWord);
    const proper = words.filter((word) => !NAME_CONNECTORS.has(word) && !isCommonWord(word));
    const acronym = kept.length === 1 && /^(?=.*\p{Lu}.*\p{Lu})[\p{Lu}\d]+$/u.test(kept[0] as string);
    const single = proper.length === 1 && words.length === 1 && !acronym;
    // "Haidian Hospital", "Beijing Zoo": a capitalised marker after the district's name is a name too.
    const districtAndMarker = words.length >= 2 && words.some((word) => districtWords.has(word)) && words.some((word) => markersEn.has(word));
    const terms = termsOf(words.filter((word) => !NAME_CONNECTORS.has(word)), proper.length === 0);
    if (!((proper.length > 0 || districtAndMarker) && terms.length > 0)) return NO_READINGS;
    // One ordinary capitalised word ("Population") is a name only if the base has never seen it, or has
    // it as a whole alias ("Tsinghua"); at the start of a sentence ("Whereabouts is …", "Whih bus …")
    // only as a whole alias.
    const atStart = !single || oneWordAliases.has(words[0] as string);
    const within = atStart || !terms.some((term) => options.knowsTerm(term));
    if (!within) return NO_READINGS;
    const display = kept.join(' ');
    // Letters and digits only: in ASCII, normalising is lower case, which `words` already are.
    const name: Name = { display, key: PRINTABLE_ASCII.test(display) ? words.join(' ') : normalizeText(display), terms, words };
    return { start: atStart ? name : undefined, within: name };
  };

  interface RunPart {
    /** The words of one name candidate, as written. */
    readonly words: readonly string[];
    /** Where it starts in the run. */
    readonly offset: number;
    /** The name it is at a sentence start, and within a sentence. */
    readonly readings: { readonly start: Name | undefined; readonly within: Name | undefined };
  }
  const NO_READINGS: RunPart['readings'] = { start: undefined, within: undefined };
  interface RunLayout {
    /** Every capitalised word, in lower case. */
    readonly capitalised: readonly string[];
    readonly parts: readonly RunPart[];
  }
  /** A run's capitalised words and the name candidates in it: the words that may be part of a name, split at the others. */
  const layOut = (text: string): RunLayout => {
    const capitalised: string[] = [];
    const parts: RunPart[] = [];
    let run: string[] = [];
    let runStart = 0;
    let offset = 0;
    for (const piece of text.split(/([\s-]+)/u)) {
      if (piece === '' || /^[\s-]+$/u.test(piece)) {
        offset += piece.length;
        continue;
      }
      const word = withoutPossessive(piece);
      const lower = normalizeWord(word);
      const capital = /^\p{Lu}/u.test(word);
      if (capital) capitalised.push(lower);
      if (capital && isNameWord(lower) && !NAME_CONNECTORS.has(lower)) {
        if (run.length === 0) runStart = offset;
        run.push(word);
      } else if (run.length > 0 && NAME_CONNECTORS.has(lower)) run.push(word);
      else {
        if (run.length > 0) parts.push({ words: run, offset: runStart, readings: readingsOf(run) });
        run = [];
      }
      offset += piece.length;
    }
    if (run.length > 0) parts.push({ words: run, offset: runStart, readings: readingsOf(run) });
    return { capitalised, parts };
  };
  const layouts = new BoundedMemo<RunLayout>(MEMO_MAX);

  /** Capitalised runs ("Beijing Foreign Studies University", "BFSU", "Quarrywood") as written. */
  const capitalisedNames = (raw: string, out: Name[]): ReadonlySet<string> => {
    const text = PRINTABLE_ASCII.test(raw) ? raw : raw.normalize('NFKC');
    const capitalised = new Set<string>();
    // One regex pass finds the capitalised runs; what each run holds is worked out once per run.
    for (const match of text.matchAll(CAPITALISED_RUN)) {
      const layout = layouts.get(match[0], () => layOut(match[0]));
      for (const word of layout.capitalised) capitalised.add(word);
      for (const part of layout.parts) {
        const { start, within } = part.readings;
        const name = start === within ? start : isSentenceStart(text, match.index + part.offset) ? start : within;
        if (name !== undefined) out.push(name);
      }
    }
    return capitalised;
  };

  /** "x university", "university of x", lower-case acronyms ("bfsu"), in the normalised question. */
  const lowerCaseNames = (normalized: string, han: boolean, capitalised: ReadonlySet<string>, withMarkers: boolean, doc: number, out: Name[]): void => {
    const words = normalized.split(' ').filter((word) => word !== '' && (!han || !hasHan(word)));
    for (let i = 0; i < words.length; i++) {
      const word = words[i] as string;
      // Most words are no marker, no one-word alias and not shaped like an acronym: two reads of small sets and a look at the letters.
      if (!markersEn.has(word) && !oneWordAliases.has(word) && !isAcronymShaped(word)) continue;
      const reading = lowerCaseReadings.get(word, () => readLowerCase(word));
      // A marker the user capitalised is part of a name the capitalised reading has taken whole.
      if (reading.marker && !capitalised.has(word)) {
        if (!withMarkers) continue;
        const before: string[] = [];
        for (let j = i - 1; j >= 0 && before.length < MARKER_WORDS_BEFORE_MAX; j--) {
          const previous = words[j] as string;
          if (!isNameWord(previous) || markersEn.has(previous) || !mayBeNamePart(previous)) break;
          before.unshift(previous);
        }
        while (before.length > 0 && isCommonWord(before[0] as string) && !districtWords.has(before[0] as string)) before.shift();
        const after: string[] = [];
        if (words[i + 1] === 'of') {
          for (let j = i + 2; j < words.length && after.length < MARKER_WORDS_AFTER_MAX; j++) {
            const next = words[j] as string;
            if (next !== 'and' && (!isNameWord(next) || !mayBeNamePart(next))) break;
            after.push(next);
          }
          while (after.length > 0 && after[after.length - 1] === 'and') after.pop();
        }
        const nameWords = [...before, word, ...(after.length > 0 ? ['of', ...after] : [])];
        if (!nameWords.some((w) => w !== 'of' && w !== 'and' && !isCommonWord(w))) continue;
        const terms = termsOf(nameWords);
        if (terms.length > 0) out.push({ display: nameWords.join(' '), key: nameWords.join(' '), terms, words: nameWords, ...(before.length > 1 ? { shorter: shorterNames(before, word, after) } : {}) });
        continue;
      }
      if (reading.acronym !== undefined && !isSlipOf(word, doc)) out.push(reading.acronym);
      else if (reading.alias !== undefined && !capitalised.has(word)) out.push(reading.alias);
    }
  };

  interface LowerCaseReading {
    readonly marker: boolean;
    /** A word shaped like an acronym the base has never seen ("bfsu"), unless it is a slip of the fact's word. */
    readonly acronym: Name | undefined;
    /** A whole alias typed in lower case ("how big is tsinghua") names that subject. */
    readonly alias: Name | undefined;
  }
  /** What a lower-case word can be, whatever the fact: worked out once per word. */
  const readLowerCase = (word: string): LowerCaseReading => ({
    marker: markersEn.has(word),
    acronym:
      isAcronymShaped(word) && !genericEn.has(word) && !isStopword(word) && !options.knowsTerm(stemWord(word))
        ? { display: word.toUpperCase(), key: word, terms: [word] }
        : undefined,
    alias: factsByAlias.has(word) && !genericEn.has(word) ? { display: word, key: word, terms: stemsOf(word) } : undefined,
  });
  const lowerCaseReadings = new BoundedMemo<LowerCaseReading>(MEMO_MAX);

  /** "gpd" for GDP: a short word one slip (a swap, a wrong letter) away from a common or a fact's word is a typo, not an acronym. */
  const isSlipOf = (word: string, doc: number): boolean => {
    const near = (other: string): boolean => other.length >= 2 && Math.abs(other.length - word.length) <= 1 && osaDistance(word, other, 1) <= 1;
    for (const other of genericEn) if (near(other)) return true;
    for (const other of latinTermsOf(doc)) if (near(other)) return true;
    return surfacesOf(doc).some((other) => sameTerm(word, other));
  };

  const shorterNames = (before: readonly string[], marker: string, after: readonly string[]): Name[] => {
    const out: Name[] = [];
    for (let from = 1; from < before.length; from++) {
      const kept = before.slice(from);
      if (!kept.some((w) => !isCommonWord(w))) break;
      const nameWords = [...kept, marker, ...(after.length > 0 ? ['of', ...after] : [])];
      out.push({ display: nameWords.join(' '), key: nameWords.join(' '), terms: termsOf(nameWords), words: nameWords });
    }
    return out;
  };

  /** "北京外国语大学", "雍和宫": the characters before a marker, back to a particle or a non-Chinese character. */
  const hanNames = (normalized: string, out: Name[]): void => {
    const chars = Array.from(normalized);
    let covered = -1;
    for (let i = 0; i < chars.length; i++) {
      if (i <= covered) continue;
      const marker = markersZh.get(chars[i] as string)?.find((m) => chars.slice(i, i + Array.from(m).length).join('') === m);
      if (marker === undefined) continue;
      const end = i + Array.from(marker).length;
      if (notMarkersBefore.has(chars[end] ?? '')) continue;
      covered = end - 1;
      let start = i;
      while (start > 0 && /\p{Script=Han}/u.test(chars[start - 1] as string) && !isHanStopChar(chars[start - 1] as string)) start--;
      let before = chars.slice(start, i).join('');
      for (let trimmed = true; trimmed; ) {
        trimmed = false;
        const lead = leadZh.find((word) => before.startsWith(word) && before.length > word.length);
        if (lead) {
          before = before.slice(lead.length);
          trimmed = true;
        }
      }
      before = before.replace(HAN_COUNT, '');
      // 五道口地铁站, 十座车站: a common word before or across the marker is no part of the name to look for.
      const stems = [before];
      const whole = before + marker;
      for (const word of genericZh) {
        if (before.endsWith(word) && before.length > word.length) stems.push(before.slice(0, -word.length));
        if (whole.endsWith(word) && whole.length > word.length && word.length > marker.length) stems.push(whole.slice(0, -word.length));
      }
      // 海淀医院, 北京医院 are names; 地铁站, 火车站 are not.
      const named = stems.filter((stem) => Array.from(stem).length >= HAN_NAME_BEFORE_MARKER_MIN_CHARS && (!genericZh.has(stem) || districtWords.has(stem)));
      if (named.length < stems.length) continue;
      out.push({ display: before + marker, key: before + marker, terms: [], han: { name: before + marker, stems, marker } });
    }
  };

  /**
   * 北大, 清华: a fact's whole Chinese alias in the question names that subject, marker or not (as a
   * whole alias typed in lower case does in English), unless a name read from a marker holds it.
   */
  const hanAliasNames = (normalized: string, out: Name[]): void => {
    const chars = Array.from(normalized);
    for (let i = 0; i < chars.length - 1; i++) {
      // The longest alias starting here: every alias's beginning is one of the aliases' parts, so the
      // walk stops at the first longer text that is none.
      let part = chars[i] as string;
      let alias: string | undefined;
      for (let j = i + 1; j < chars.length; j++) {
        part += chars[j] as string;
        if (!hanAliasParts.has(part)) break;
        if (factsByAlias.has(part)) alias = part;
      }
      if (alias === undefined) continue;
      const found = alias;
      if (!out.some((name) => name.han !== undefined && name.key.includes(found))) out.push({ display: found, key: found, terms: [], han: { name: found, stems: [found], marker: '' } });
      i += Array.from(found).length - 1;
    }
  };

  const namesIn = (raw: string, normalized: string, doc: number): Name[] => {
    const out: Name[] = [];
    const capitalised = capitalisedNames(raw, out);
    // A question that writes its names with capitals ("Is Churchmead Theatre a vehicle park?") has
    // no name among its lower-case words.
    const han = hasHan(normalized);
    lowerCaseNames(normalized, han, capitalised, out.length === 0, doc, out);
    if (han) {
      hanNames(normalized, out);
      hanAliasNames(normalized, out);
    }
    return out;
  };

  /**
   * The facts whose alias the name is, word for word, when the name only contains one of `doc`'s own
   * names ("the Old Summer Palace" for a fact about the Summer Palace) and `doc` never says it (in its
   * answer, keywords or example questions): the
   * question is about their subject. (The words of the two names overlap, so {@link covers} passes it.)
   */
  const otherSubjectNamed = (doc: number, name: Name): readonly number[] | undefined => {
    const whole = name.key;
    const docs = ((name.cache ??= {}).aliasOf ??= factsByAlias.get(whole) ?? []);
    if (docs.length === 0 || docs.includes(doc)) return undefined;
    const within = (part: string): boolean => part !== whole && (hasHan(whole) ? whole.includes(part) : ` ${whole} `.includes(` ${part} `));
    if (!(ownAliases[doc] ?? []).some(within)) return undefined;
    // Said anywhere in the fact (its answer, keywords or example questions): the curator meant it to answer.
    const stated = statedTextOf(doc);
    const text = `${stated.states} ${stated.questions}`;
    return (hasHan(whole) ? text.includes(whole) : ` ${text.replaceAll('\n', ' ')} `.includes(` ${whole} `)) ? undefined : docs;
  };

  // What each fact states, by attribute: 0 not yet known, 1 stated, 2 not stated.
  const stated = new Uint8Array(facts.length * attributes.length);
  const states = (doc: number, compiled: CompiledAttribute): boolean => {
    const at = doc * attributes.length + compiled.index;
    if (stated[at] === 0) {
      const text = statedTextOf(doc);
      stated[at] = compiled.states?.test(text.states) || compiled.asks?.test(text.questions) ? 1 : 2;
    }
    return stated[at] === 1;
  };

  /**
   * What a name in the question is to the fact: its subject or one of its names (`here`), a name the
   * base does not know, a subject the base knows that the fact is not about (`elsewhere`), or the
   * whole name of other facts' subject (their docs).
   */
  const judgeOnce = (doc: number, name: Name): NameJudgement => {
    // "the Old Summer Palace" is another subject's whole name, even though "Summer Palace" is this fact's.
    const others = otherSubjectNamed(doc, name);
    if (others) return others;
    if (covers(doc, name)) return 'here';
    if (!isKnown(name)) return 'unknown';
    // A known name that shares a proper word with the fact ("Jiayang branch library" for a fact on
    // "Jiayang Public Library") is another name of the same subject.
    if (!name.han && name.terms.some((term) => !markerStems.has(term) && !districtWords.has(term) && factHasTerm(doc, term))) return 'here';
    return 'elsewhere';
  };
  // Names read from a run or a word are shared between questions (see readingsOf), so the judgement of a
  // name on a fact is kept with the name: the same name asked of the same fact is judged once.
  const judge = (doc: number, name: Name): NameJudgement => {
    const byDoc = (name.judgements ??= new Map<number, NameJudgement>());
    let judgement = byDoc.get(doc);
    if (judgement === undefined) {
      judgement = judgeOnce(doc, name);
      if (byDoc.size >= JUDGEMENTS_PER_NAME_MAX) byDoc.clear();
      byDoc.set(doc, judgement);
    }
    return judgement;
  };

  const check = (raw: string, normalized: string, doc: number): SubjectVerdict | undefined => {
    // "When will Line 19 open?" matched to a fact about another line's station.
    if (numberedPatterns.length > 0) {
      for (const [n, display] of numberedIn(normalized)) {
        if (numberedOf(doc).has(n)) continue;
        const others = factsNumbered(n);
        return others.length > 0 ? { kind: 'other-subject', name: display, subjects: others } : { kind: 'unknown-subject', name: display };
      }
    }
    const names = namesIn(raw, normalized, doc);
    const elsewhere: Name[] = [];
    for (const name of names) {
      const judgement = judge(doc, name);
      if (judgement === 'here') continue;
      if (judgement === 'unknown') return { kind: 'unknown-subject', name: name.display };
      if (judgement === 'elsewhere') elsewhere.push(name);
      else return { kind: 'other-subject', name: name.display, subjects: judgement };
    }
    // Only subjects the base knows, and none of them this fact's ("How big is Tsinghua?" → Haidian's area).
    // A fact about one of several named subjects ("baidu sohu sina offices") still answers.
    const first = elsewhere[0];
    if (first !== undefined && elsewhere.length === names.length) {
      return { kind: 'other-subject', name: first.display, subjects: factsByAlias.get(first.key) ?? [] };
    }
    const asked = askedIn(normalized);
    if (!asked) return undefined;
    // "How big is Peking University?" matched to a fact about Peking University's dental hospital: the
    // question names another fact's subject exactly, which the matched fact's subject only contains.
    const own = ownAliases[doc] ?? [];
    const exact = names.map((name) => name.key);
    if (!exact.some((name) => own.includes(name))) {
      const words = new Set(normalized.split(' '));
      // …unless the question has the rest of that subject's name too ("the west gate of the Summer Palace").
      const asksForIt = (alias: string, name: string): boolean =>
        hasHan(name)
          ? Array.from(alias.replace(name, ' ')).some((char, i, chars) => /\p{Script=Han}/u.test(char) && /\p{Script=Han}/u.test(chars[i + 1] ?? '') && normalized.includes(char + (chars[i + 1] as string)))
          : ` ${alias} `.replace(` ${name} `, ' ').split(' ').some((word) => word !== '' && !districtWords.has(word) && !isStopword(word) && words.has(word));
      const contains = (alias: string, name: string): boolean => (hasHan(name) ? alias.includes(name) && alias !== name : ` ${alias} `.includes(` ${name} `) && alias !== name);
      const other = exact
        .filter((name) => own.some((alias) => contains(alias, name)) && !own.some((alias) => contains(alias, name) && asksForIt(alias, name)))
        .map((name) => factsByAlias.get(name))
        // Facts that share one of this fact's own names are about its subject (商汤 and 商汤科技 for SenseTime).
        .find((docs) => docs !== undefined && !docs.includes(doc) && !docs.some((other) => (ownAliases[other] ?? []).some((alias) => own.includes(alias))));
      if (other !== undefined) {
        const stating = other.find((candidate) => states(candidate, asked));
        return { kind: 'missing-attribute', attribute: asked.attribute, subject: stating ?? (other[0] as number) };
      }
    }
    if (!states(doc, asked)) return { kind: 'missing-attribute', attribute: asked.attribute, subject: doc };
    return undefined;
  };

  const siblingsOf = (doc: number): readonly number[] => {
    const out = [doc];
    for (const alias of ownAliases[doc] ?? []) for (const other of factsByAlias.get(alias) ?? []) if (!out.includes(other)) out.push(other);
    return out;
  };

  const subjectOf = (doc: number, language: 'en' | 'zh'): string | undefined => {
    const own = new Set(ownAliases[doc]);
    const named = (facts[doc] as Fact).aliases.filter((alias) => own.has(normalizeText(alias)) && Array.from(alias).length >= 2);
    return named.find((alias) => hasHan(alias) === (language === 'zh')) ?? named[0];
  };

  const byId = new Map(attributes.map((compiled) => [compiled.attribute.id, compiled]));
  return {
    check,
    siblingsOf,
    subjectOf,
    states: (doc, attribute) => {
      const compiled = byId.get(attribute.id);
      return compiled !== undefined && states(doc, compiled);
    },
  };
}

/** "bfsu", "pku", "bjtu": a short word with no vowel or with a start no English word has. */
/** True when only punctuation, quotes or nothing stand before `start` back to the text's start or a sentence's end. */
function isSentenceStart(text: string, start: number): boolean {
  const before = text.slice(0, start);
  return /^[\s"'“‘(]*$/u.test(before) || /[.!?:;。！？：]["'”’)]*\s*$/u.test(before);
}

function isAcronymShaped(word: string): boolean {
  if (word.length < 2 || word.length > ACRONYM_MAX_LETTERS || !/^[a-z]+$/.test(word)) return false;
  if (!VOWEL.test(word)) return true;
  const first = word[0] as string;
  const second = word[1] as string;
  return !VOWEL.test(first) && !VOWEL.test(second) && !ENGLISH_ONSETS.has(first + second);
}

/** The characters split into pieces of two or more, each found in the text: 北大东门 in a text with 北大 and 东门. */
function isMadeOfPieces(chars: readonly string[], text: string): boolean {
  const reachable = new Array<boolean>(chars.length + 1).fill(false);
  reachable[0] = true;
  for (let end = 2; end <= chars.length; end++) {
    for (let start = end - 2; start >= 0 && !reachable[end]; start--) {
      if (reachable[start] && text.includes(chars.slice(start, end).join(''))) reachable[end] = true;
    }
  }
  return reachable[chars.length] === true;
}
