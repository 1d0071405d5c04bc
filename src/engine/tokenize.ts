import { normalizeText } from './normalize.js';

/** How a term was made; it decides the term's weight and whether typos are tolerated. */
export const enum TermKind {
  Word = 0,
  Number = 1,
  HanBigram = 2,
  HanUnigram = 3,
  /** where, when, who: they say what kind of answer is wanted, so they break ties but never decide. */
  QuestionWord = 4,
}

export interface Token {
  readonly term: string;
  readonly kind: TermKind;
  /** The word as written (lower case), when stemming changed it; typo lookup compares both. */
  readonly surface?: string;
}

/** Question words kept as light terms: "Where is X?" and "When did X open?" ask for different facts about X. */
const QUESTION_WORDS = new Set(['where', 'when', 'who']);

/**
 * English words that say how something is asked, not what about. Dropping them keeps
 * "How many incubators are there?" and "incubators" equivalent, and stops them from matching on their own.
 */
const ENGLISH_STOPWORDS = new Set(
  `a an the and or but of in on at to for from by with about as into over under than then
  is are was were be been being am do does did done doing have has had having will would shall should can could may might must
  i me my mine we us our you your yours he him his she her it its they them their this that these those there here
  what which whom whose why how whats wheres whos hows
  much many any some all each every more most very so too also just only really please pls plz
  tell know say let give show find get want wanted like need explain describe info information detail details
  anything something thing things bit lot
  today now tomorrow yesterday currently nowadays still right
  kind type sort exactly approximately roughly around number total overall actually
  yes no not ok okay hmm um uh hi hello hey excuse sorry thanks thank cheers
  s t d ll re ve m`.split(/\s+/),
);

/**
 * Chinese function characters (particles, pronouns, question words). Characters that also build
 * names and content words (和 in 颐和园, 道 in 街道, 一 in 第一) are deliberately not here. A bigram containing one is not
 * indexed or searched, so 怎么, 多少 or 是 can never carry a match: "今天天气怎么样" must not reach a
 * fact because a fact's question contains 怎么.
 */
const HAN_STOP_CHARS = new Set(
  Array.from('的了吗嘛呢吧啊呀哦嗯么是在有与及或这那哪什怎几多少个请问我你他她它们告诉也都就被把给对从到为于之其而且能可以还又很更样些谁'),
);

/** True for an English word that says how something is asked, not what about (stop words and where/when/who). */
export const isStopword = (word: string): boolean => ENGLISH_STOPWORDS.has(word) || QUESTION_WORDS.has(word);

/** True for a Chinese function character (particle, pronoun, question word): it never belongs to a name. */
export const isHanStopChar = (char: string): boolean => HAN_STOP_CHARS.has(char);

/** Light English stemming, the same on both sides: plurals fold to the singular, verb forms to the stem. */
export function stemWord(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let stem = word;
  if (word.endsWith('ies') && word.length > 4) stem = `${word.slice(0, -3)}y`;
  else if (word.endsWith('sses')) stem = word.slice(0, -2);
  else if (word.endsWith('s') && !/(ss|us|is|os)$/.test(word)) stem = word.slice(0, -1);
  // Verb forms fold to the stem when enough of the word is left: opened/opening → open, founded → found.
  else if (word.endsWith('ing') && word.length >= 7) stem = word.slice(0, -3);
  else if (word.endsWith('ed') && word.length >= 6 && !word.endsWith('eed')) stem = word.slice(0, -2);
  // A silent final e goes too, so a verb meets its forms: locate, located, locating → locat; services → servic.
  if (stem.endsWith('e') && stem.length >= 6 && !stem.endsWith('ee')) stem = stem.slice(0, -1);
  return stem;
}

// Han runs, numbers, and words of any other script. A Latin word must not swallow the Han text after it
// (GDP突破), and letters and digits split (Line16 = line 16).
const SEGMENT = /(\p{Script=Han}+)|(\d+(?:\.\d+)?)|((?:(?!\p{Script=Han})[\p{L}\p{M}])+)/gu;

/**
 * Splits text into search terms. Latin and other alphabetic words are stemmed and stop words dropped;
 * numbers stay whole (18.5, 6100); Han runs become overlapping character bigrams plus single characters.
 * Bigrams need no dictionary, unlike `Intl.Segmenter`, which splits local names (海淀, 中关村) into
 * single characters.
 */
export function tokenize(raw: string): Token[] {
  return tokenizeNormalized(normalizeText(raw));
}

/** {@link tokenize} for text that is already normalised. */
export function tokenizeNormalized(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(SEGMENT)) {
    const [, han, number, word] = match;
    if (han !== undefined) pushHan(han, tokens);
    else if (number !== undefined) tokens.push({ term: number, kind: TermKind.Number });
    else if (word !== undefined && QUESTION_WORDS.has(word)) tokens.push({ term: word, kind: TermKind.QuestionWord });
    else if (word !== undefined && !ENGLISH_STOPWORDS.has(word)) {
      const term = stemWord(word);
      // Inflected filler is filler too: "info needed", "she wants", "it gets".
      if (term !== word && ENGLISH_STOPWORDS.has(term)) continue;
      tokens.push(term === word ? { term, kind: TermKind.Word } : { term, kind: TermKind.Word, surface: word });
    }
  }
  return tokens;
}

function pushHan(run: string, tokens: Token[]): void {
  const chars = Array.from(run);
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    if (HAN_STOP_CHARS.has(char)) continue;
    tokens.push({ term: char, kind: TermKind.HanUnigram });
    const next = chars[i + 1];
    if (next !== undefined && !HAN_STOP_CHARS.has(next)) {
      tokens.push({ term: char + next, kind: TermKind.HanBigram });
    }
  }
}

/** Four-digit years a question names ("in 2019", "2019年"), in the order written. */
export function extractYears(raw: string): number[] {
  // Most questions name no year: printable ASCII without a digit has none (other text may hold digits NFKC folds).
  if (/^[\x20-\x2f\x3a-\x7e]*$/.test(raw)) return [];
  const text = raw.normalize('NFKC');
  const years: number[] = [];
  for (const match of text.matchAll(/(?<![\d,.])(1[5-9]\d\d|20\d\d)(?![\d,.]*\d)(?!\s*(?:%|percent|billion|million|km|亿|万|家|个|人))/gi)) {
    const year = Number(match[1]);
    // "2,000 enterprises" is normalised to 2000 elsewhere but written with a comma here; a bare round
    // 2000 counts as a year only where the wording says so ("in 2000", "2000年").
    if (year === 2000 && !/(in|year|census|of)\s+2000|2000\s*(年|census)/i.test(text)) continue;
    if (!years.includes(year)) years.push(year);
  }
  return years;
}
