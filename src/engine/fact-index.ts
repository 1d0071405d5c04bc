import {
  CANDIDATE_TERM_MAX_DF_RATIO,
  CANDIDATE_TERM_MAX_POSTINGS,
  CANDIDATE_TERM_MAX_POSTINGS_RATIO,
  FIELD_WEIGHT_ALIAS,
  FIELD_WEIGHT_ANSWER,
  FIELD_WEIGHT_KEYWORD,
  FIELD_WEIGHT_QUESTION,
  GENERIC_TERM_WEIGHT,
  HAN_UNIGRAM_WEIGHT,
  PROPER_NOUN_UNKNOWN_FACTOR,
  QUESTION_WORD_WEIGHT,
  SKIPPED_TERM_RESCAN_POOL,
  SCORE_BEST_QUESTION_WEIGHT,
  SCORE_COVERAGE_WEIGHT,
  TYPO_MIN_LENGTH,
  TYPO_ONE_EDIT_WEIGHT,
  TYPO_TWO_EDITS_MIN_LENGTH,
  SYNONYM_WEIGHT,
  TYPO_TWO_EDITS_WEIGHT,
  UNKNOWN_TERM_WEIGHT_RATIO,
} from './defaults.js';
import { deletions, osaDistance } from './osa.js';
import { SYNONYMS } from './synonyms.js';
import { stemWord, TermKind, tokenize, type Token } from './tokenize.js';

/** The text of one fact, by field. */
export interface IndexDocument {
  readonly questions: readonly string[];
  readonly keywords: readonly string[];
  readonly aliases: readonly string[];
  readonly answers: readonly string[];
}

/** One scored fact. `score` is in 0..1. */
export interface Candidate {
  readonly doc: number;
  readonly score: number;
  readonly coverage: number;
  readonly bestQuestion: number;
  /** Index of the example question closest to the query, within the document's questions. */
  readonly question: number;
  /** True when at least one matched query term is specific (not a generic word or a lone Han character). */
  readonly specific: boolean;
  /** True when every query term matched the document (nothing in the question is foreign to it). */
  readonly complete: boolean;
  /** Which query terms matched, as a bit set over their positions (the first 31 terms). */
  readonly matched: number;
}

interface TermMatch {
  readonly term: number;
  /** How much of the term's weight a match earns: 1 exact, less for a typo or a synonym. */
  readonly edit: number;
  /** Found through the thesaurus: it adds a place to match but never sets the word's weight. */
  readonly synonym?: boolean;
}

/** A query term with what it matched in the vocabulary (nothing, for an unknown word). */
interface QueryTerm {
  readonly weight: number;
  readonly matches: readonly TermMatch[];
  readonly specific: boolean;
}

export interface SearchOptions {
  /** Treat the last word as a prefix (autocomplete). */
  readonly prefixLast?: boolean;
  /** Terms that must match nothing (names of other places). */
  readonly unmatchable?: ReadonlySet<string>;
  /** Terms written like names (capitalised mid-sentence): unknown ones weigh more, as an unknown name is strong evidence of another subject. */
  readonly names?: ReadonlySet<string>;
}

export interface FactIndexOptions {
  /** Terms every document is about (e.g. the district's own name): they weigh little and never match alone. */
  readonly genericTerms?: readonly string[];
  /** Weight of an unknown query word relative to the rarest known word (default {@link UNKNOWN_TERM_WEIGHT_RATIO}). */
  readonly unknownTermWeightRatio?: number;
}

const STEMMED_SYNONYMS = new Map(
  Object.entries(SYNONYMS).map(([word, synonyms]) => [stemWord(word), synonyms.flatMap((s) => tokenize(s).map((t) => t.term))]),
);

/** An append-only typed array that doubles as it grows: no boxed numbers during a 100k build. */
class GrowableInt32 {
  private data = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

class GrowableFloat32 {
  private data = new Float32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  toArray(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

/** FNV-1a over a string's UTF-16 code units. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** FNV-1a over a sorted list of term ids: the key of an example question's term set. */
function hashIds(ids: readonly number[]): number {
  let hash = 0x811c9dc5;
  for (const id of ids) {
    hash = Math.imul(hash ^ (id & 0xffff), 0x01000193);
    hash = Math.imul(hash ^ (id >>> 16), 0x01000193);
  }
  return hash >>> 0;
}

/** One posting list to walk for a query word's vocabulary match. */
interface PostingWalk {
  readonly term: number;
  readonly start: number;
  readonly end: number;
  readonly gain: number;
  readonly light: boolean;
  /** The query word it reads (its position in the query), and that word's credit stamp (0: its only list). */
  readonly position: number;
  readonly stamp: number;
  /** The length of the word's shortest list: words are walked rarest first. */
  order: number;
  /** Set once its postings have been added to the accumulator. */
  walked: boolean;
}

/** Credit stamps restart (and the stamp array is cleared) before they could overflow. */
const STAMP_LIMIT = 0x3fffffff;

/** Query matches one document can hold for the example-question pass (a 500-character question has fewer). */
const RESCORE_MATCHES_MAX = 256;

/** Strings up to this long are tokenised once per build and reused (keywords and aliases repeat). */
const TOKEN_CACHE_MAX_CHARS = 40;

const isTypoEligible = (term: string): boolean => term.length >= TYPO_MIN_LENGTH && /^\p{L}+$/u.test(term);
const TYPO_MAX_EDITS = 2;
const maxEditsFor = (length: number): number => (length >= TYPO_TWO_EDITS_MIN_LENGTH ? TYPO_MAX_EDITS : 1);

/**
 * An inverted index over facts: term → facts (with the best field weight), a deletion neighbourhood
 * of the vocabulary for typo-tolerant lookup, and per-fact and per-question term sets (sorted, in flat
 * typed arrays) for exact rescoring of a few candidates. Query cost depends on the query and on the
 * posting lists of its rarer terms, not on the number of facts.
 */
export class FactIndex {
  readonly size: number;
  private readonly termIds = new Map<string, number>();
  /** Each term's text, by id. */
  private readonly termTexts: string[] = [];
  private readonly termKinds: TermKind[] = [];
  private readonly termGeneric: boolean[] = [];
  private readonly termWeight: Float64Array;
  private readonly postingStart: Int32Array;
  private readonly postingDoc: Int32Array;
  private readonly postingField: Float32Array;
  private readonly docTermStart: Int32Array;
  private readonly docTermIds: Int32Array;
  private readonly docTermField: Float32Array;
  private readonly docQuestionStart: Int32Array;
  private readonly questionTermStart: Int32Array;
  private readonly questionTermIds: Int32Array;
  private readonly questionNorm: Float64Array;
  /** Deletion variant → indexes into `formText`/`formTerm`: the vocabulary's stems and the surface words they came from. */
  // Keyed by a 32-bit hash of the variant, not the string: a collision only adds a candidate that the
  // edit-distance check then rejects, and a million variant strings need not stay in memory.
  private readonly deletionMap = new Map<number, number | number[]>();
  private readonly formText: string[] = [];
  private readonly formTerm: number[] = [];
  private readonly formIndex = new Map<string, number>();
  private longestForm = 0;
  /** Example questions by their term set, so a question asked word for word always reaches its fact. */
  private readonly questionKeys = new Map<number, number | number[]>();
  private readonly sortedWords: string[];
  private readonly unknownWeight: number;
  private readonly accumulator: Float64Array;
  private readonly touched: Int32Array;
  /** What each fact has earned for the query word being walked (valid where `creditStamp` is that word's stamp). */
  private readonly credit: Float64Array;
  private readonly creditStamp: Int32Array;
  private stamp = 0;
  /** Scratch for {@link rescore}: the query's matches found in the document being scored. */
  private readonly presentPosition = new Int32Array(RESCORE_MATCHES_MAX);
  private readonly presentTerm = new Int32Array(RESCORE_MATCHES_MAX);
  private readonly presentEdit = new Float64Array(RESCORE_MATCHES_MAX);

  constructor(docs: readonly IndexDocument[], options: FactIndexOptions = {}) {
    this.size = docs.length;
    const generic = new Set(options.genericTerms?.flatMap((name) => tokenize(name).map((t) => t.term)) ?? []);

    // Keywords and aliases repeat across facts: tokenise each distinct short string once. Long texts
    // (answers, questions) rarely repeat, and caching them would only hold memory through the build.
    const tokenCache = new Map<string, readonly Token[]>();
    const tokensOf = (text: string): readonly Token[] => {
      if (text.length > TOKEN_CACHE_MAX_CHARS) return tokenize(text);
      let tokens = tokenCache.get(text);
      if (!tokens) {
        tokens = tokenize(text);
        tokenCache.set(text, tokens);
      }
      return tokens;
    };
    const surfaces = new Map<string, number>();
    // Each document's sorted (term, best field weight) pairs, appended to flat arrays as built: no
    // per-document maps survive the loop, which keeps the garbage collector out of a 100k build.
    const docTermStart = new Int32Array(docs.length + 1);
    const flatTerms = new GrowableInt32();
    const flatFields = new GrowableFloat32();
    const fields = new Map<number, number>();
    // Every example question's sorted unique term ids, flat, with start offsets.
    const questionStarts = new GrowableInt32();
    const questionFlat = new GrowableInt32();
    const docQuestionStart = new Int32Array(docs.length + 1);
    for (const [d, doc] of docs.entries()) {
      fields.clear();
      const add = (text: string, weight: number, ids?: number[]): void => {
        for (const token of tokensOf(text)) {
          const id = this.intern(token, generic);
          if (token.surface !== undefined) surfaces.set(token.surface, id);
          ids?.push(id);
          if ((fields.get(id) ?? 0) < weight) fields.set(id, weight);
        }
      };
      docQuestionStart[d] = questionStarts.length;
      for (const question of doc.questions) {
        const raw: number[] = [];
        add(question, FIELD_WEIGHT_QUESTION, raw);
        const ids = [...new Set(raw)].sort((a, b) => a - b);
        questionStarts.push(questionFlat.length);
        for (const id of ids) questionFlat.push(id);
        const key = hashIds(ids);
        const owners = this.questionKeys.get(key);
        if (owners === undefined) this.questionKeys.set(key, d);
        else if (typeof owners === 'number') {
          if (owners !== d) this.questionKeys.set(key, [owners, d]);
        } else if (!owners.includes(d)) owners.push(d);
      }
      for (const keyword of doc.keywords) add(keyword, FIELD_WEIGHT_KEYWORD);
      for (const alias of doc.aliases) add(alias, FIELD_WEIGHT_ALIAS);
      for (const answer of doc.answers) add(answer, FIELD_WEIGHT_ANSWER);
      docTermStart[d] = flatTerms.length;
      for (const id of [...fields.keys()].sort((a, b) => a - b)) {
        flatTerms.push(id);
        flatFields.push(fields.get(id) as number);
      }
    }
    tokenCache.clear();
    docTermStart[docs.length] = flatTerms.length;
    docQuestionStart[docs.length] = questionStarts.length;
    this.docQuestionStart = docQuestionStart;

    const termCount = this.termKinds.length;
    const postingTotal = flatTerms.length;
    const termsOfDocs = flatTerms.toArray();
    const df = new Int32Array(termCount);
    for (const id of termsOfDocs) df[id] = (df[id] as number) + 1;
    // Inverted lists in one flat array (CSR): compact at 100k facts and cheap to walk.
    this.postingStart = new Int32Array(termCount + 1);
    for (let t = 0; t < termCount; t++) this.postingStart[t + 1] = (this.postingStart[t] as number) + (df[t] as number);
    this.postingDoc = new Int32Array(postingTotal);
    this.postingField = new Float32Array(postingTotal);
    const fill = this.postingStart.slice(0, termCount);
    this.docTermStart = docTermStart;
    this.docTermIds = termsOfDocs;
    this.docTermField = flatFields.toArray();
    for (let d = 0; d < docs.length; d++) {
      for (let i = docTermStart[d] as number; i < (docTermStart[d + 1] as number); i++) {
        const id = termsOfDocs[i] as number;
        const slot = fill[id] as number;
        this.postingDoc[slot] = d;
        this.postingField[slot] = this.docTermField[i] as number;
        fill[id] = slot + 1;
      }
    }

    // Term weight: inverse document frequency, scaled down for lone Han characters and generic words.
    this.termWeight = new Float64Array(termCount);
    const n = Math.max(docs.length, 1);
    let maxIdf = Math.log(1 + n);
    for (let t = 0; t < termCount; t++) {
      const idf = Math.log(1 + n / Math.max(df[t] as number, 1));
      maxIdf = Math.max(maxIdf, idf);
      this.termWeight[t] = idf * this.kindFactor(t);
    }
    this.unknownWeight = maxIdf * (options.unknownTermWeightRatio ?? UNKNOWN_TERM_WEIGHT_RATIO);

    questionStarts.push(questionFlat.length);
    this.questionTermStart = questionStarts.toArray();
    this.questionTermIds = questionFlat.toArray();
    this.questionNorm = new Float64Array(this.questionTermStart.length - 1);
    for (let i = 0; i < this.questionNorm.length; i++) {
      let norm = 0;
      for (let at = this.questionTermStart[i] as number; at < (this.questionTermStart[i + 1] as number); at++) {
        norm += this.termWeight[this.questionTermIds[at] as number] as number;
      }
      this.questionNorm[i] = norm;
    }

    // SymSpell-style deletion neighbourhood: typo lookup costs a few map reads, whatever the vocabulary size.
    // Stems and the surface words they came from are both typo targets: "classew" is one edit from
    // "classes" but two from its stem "class".
    const words: string[] = [];
    const addForm = (text: string, id: number): void => {
      if (this.formIndex.has(text)) return;
      const form = this.formText.length;
      this.formText.push(text);
      this.formTerm.push(id);
      this.formIndex.set(text, form);
      this.longestForm = Math.max(this.longestForm, text.length);
      if (!isTypoEligible(text)) return;
      // Most variants belong to one form: store a bare number and make an array only when shared.
      for (const variant of deletions(text, maxEditsFor(text.length))) {
        const key = hashString(variant);
        const entry = this.deletionMap.get(key);
        if (entry === undefined) this.deletionMap.set(key, form);
        else if (typeof entry === 'number') {
          if (entry !== form) this.deletionMap.set(key, [entry, form]);
        } else if (!entry.includes(form)) entry.push(form);
      }
    };
    for (const [term, id] of this.termIds) {
      if (this.termKinds[id] !== TermKind.Word) continue;
      words.push(term);
      addForm(term, id);
    }
    for (const [surface, id] of surfaces) addForm(surface, id);
    this.sortedWords = words.sort();
    this.accumulator = new Float64Array(docs.length);
    this.touched = new Int32Array(docs.length);
    this.credit = new Float64Array(docs.length);
    this.creditStamp = new Int32Array(docs.length);
  }

  /** The best documents for a query, best first, each with a score in 0..1. */
  search(tokens: readonly Token[], limit: number, options: SearchOptions = {}): Candidate[] {
    const query = this.prepare(tokens, options);
    const total = query.reduce((sum, term) => sum + term.weight, 0);
    if (total === 0) return [];
    const docs = this.candidates(query, limit);
    // Word-for-word example questions join the candidates even when their words are too common to rank
    // ("What is Haidian?" is made of a word every fact shares).
    for (const doc of this.exactQuestionDocs(query)) if (!docs.includes(doc)) docs.push(doc);
    const scored = docs.map((doc) => this.rescore(doc, query, total));
    return scored.filter((c) => c.score > 0).sort((a, b) => b.score - a.score || a.doc - b.doc);
  }

  /** True when the term (as {@link tokenize} makes it) occurs anywhere in the fact base. */
  hasTerm(term: string): boolean {
    return this.termIds.has(term);
  }

  /** True when the fact has the term in any of its fields. */
  docHasTerm(doc: number, term: string): boolean {
    const id = this.termIds.get(term);
    return id !== undefined && binarySearch(this.docTermIds, this.docTermStart[doc] as number, this.docTermStart[doc + 1] as number, id) >= 0;
  }

  /**
   * True when the fact has a term at most `maxEdits` typing slips (insertions, deletions, changes,
   * swaps) from `term`, the term itself included: a walk over the fact's own terms, for the few
   * facts a caller asks about.
   */
  docHasNear(doc: number, term: string, maxEdits: number): boolean {
    const end = this.docTermStart[doc + 1] as number;
    for (let i = this.docTermStart[doc] as number; i < end; i++) {
      const text = this.termTexts[this.docTermIds[i] as number] as string;
      if (Math.abs(text.length - term.length) <= maxEdits && osaDistance(term, text, maxEdits) <= maxEdits) return true;
    }
    return false;
  }

  /** For each token, whether the fact has it: exactly, as a typo or through a synonym (as scoring counts it). */
  tokensInDocument(doc: number, tokens: readonly Token[]): boolean[] {
    const start = this.docTermStart[doc] as number;
    const end = this.docTermStart[doc + 1] as number;
    return tokens.map((token) => this.lookup(token, false).some((match) => binarySearch(this.docTermIds, start, end, match.term) >= 0));
  }

  /** Scores one document against a query, for callers that already know which fact they want. */
  scoreDocument(doc: number, tokens: readonly Token[]): Candidate {
    const query = this.prepare(tokens, {});
    const total = query.reduce((sum, term) => sum + term.weight, 0);
    if (total === 0) return { doc, score: 0, coverage: 0, bestQuestion: 0, question: 0, specific: false, complete: false, matched: 0 };
    return this.rescore(doc, query, total);
  }

  private exactQuestionDocs(query: readonly QueryTerm[]): readonly number[] {
    const ids: number[] = [];
    for (const term of query) {
      // The word itself, as written: its synonyms do not make it any less exact.
      const first = term.matches[0];
      const exact = first !== undefined && first.edit === 1 && first.synonym !== true ? first.term : undefined;
      if (exact === undefined) return [];
      ids.push(exact);
    }
    ids.sort((a, b) => a - b);
    const owners = this.questionKeys.get(hashIds(ids));
    const docs = owners === undefined ? [] : typeof owners === 'number' ? [owners] : owners;
    // The key is a hash: keep only documents that really have a question with exactly these terms.
    return docs.filter((doc) => this.hasQuestionWithTerms(doc, ids));
  }

  private hasQuestionWithTerms(doc: number, ids: readonly number[]): boolean {
    for (let qi = this.docQuestionStart[doc] as number; qi < (this.docQuestionStart[doc + 1] as number); qi++) {
      const start = this.questionTermStart[qi] as number;
      if ((this.questionTermStart[qi + 1] as number) - start !== ids.length) continue;
      if (ids.every((id, i) => this.questionTermIds[start + i] === id)) return true;
    }
    return false;
  }

  private intern(token: Token, generic: ReadonlySet<string>): number {
    let id = this.termIds.get(token.term);
    if (id === undefined) {
      id = this.termKinds.length;
      this.termIds.set(token.term, id);
      this.termTexts.push(token.term);
      this.termKinds.push(token.kind);
      this.termGeneric.push(generic.has(token.term));
    }
    return id;
  }

  private kindFactor(term: number): number {
    if (this.termGeneric[term]) return GENERIC_TERM_WEIGHT;
    const kind = this.termKinds[term];
    if (kind === TermKind.QuestionWord) return QUESTION_WORD_WEIGHT;
    return kind === TermKind.HanUnigram ? HAN_UNIGRAM_WEIGHT : 1;
  }

  /** Query terms with their vocabulary matches; `unmatchable` terms (names of other places) count as unknown. */
  private prepare(tokens: readonly Token[], options: SearchOptions): QueryTerm[] {
    const seen = new Set<string>();
    const query: QueryTerm[] = [];
    tokens.forEach((token, position) => {
      if (seen.has(token.term)) return;
      seen.add(token.term);
      const isLast = position === tokens.length - 1;
      const matches = options.unmatchable?.has(token.term) ? [] : this.lookup(token, Boolean(options.prefixLast) && isLast);
      if (matches.length === 0) {
        // A question word the fact base never uses, or a misspelt one ("wher", "hwere"), says nothing either way.
        if (token.kind === TermKind.QuestionWord || looksLikeQuestionWord(token)) return;
        const emphasis = options.names?.has(token.term) ? PROPER_NOUN_UNKNOWN_FACTOR : 1;
        query.push({ weight: this.unknownWeight * unknownKindFactor(token.kind) * emphasis, matches, specific: false });
        return;
      }
      let weight = 0;
      let specific = false;
      // A known word weighs its own rarity; its synonyms only add places where it can match.
      const known = matches[0]?.synonym !== true;
      for (const match of matches) {
        if (!(known && match.synonym)) weight = Math.max(weight, this.termWeight[match.term] as number);
        const kind = this.termKinds[match.term];
        specific ||= !this.termGeneric[match.term] && kind !== TermKind.HanUnigram && kind !== TermKind.QuestionWord;
      }
      query.push({ weight, matches, specific });
    });
    return query;
  }

  private lookup(token: Token, prefix: boolean): TermMatch[] {
    const exact = this.termIds.get(token.term);
    const matches: TermMatch[] = exact === undefined ? [] : [{ term: exact, edit: 1 }];
    if (prefix && token.kind === TermKind.Word) return matches.concat(this.prefixMatches(token.term, exact));
    if (token.kind !== TermKind.Word) return matches;
    // A known word also reaches its thesaurus synonyms, at a lower weight: "reserve" finds the fact that
    // says "book" even when some other fact happens to use "reserve".
    if (exact !== undefined) {
      const synonyms = this.synonymMatches(token.term, exact);
      return synonyms.length === 0 ? matches : matches.concat(synonyms);
    }
    const typos = this.typoMatches(token.term, token.surface);
    return typos.length > 0 ? typos : this.synonymMatches(token.term);
  }

  /** The word's thesaurus entries found in the vocabulary, other than the word itself (`self`). */
  private synonymMatches(word: string, self?: number): TermMatch[] {
    const entries = STEMMED_SYNONYMS.get(word);
    if (entries === undefined) return [];
    const out: TermMatch[] = [];
    for (const synonym of entries) {
      const id = this.termIds.get(synonym);
      if (id !== undefined && id !== self && !out.some((m) => m.term === id)) out.push({ term: id, edit: SYNONYM_WEIGHT, synonym: true });
    }
    return out;
  }

  private prefixMatches(prefix: string, exact: number | undefined): TermMatch[] {
    const out: TermMatch[] = [];
    let lo = 0;
    let hi = this.sortedWords.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.sortedWords[mid] as string) < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.sortedWords.length && out.length < 50; i++) {
      const word = this.sortedWords[i] as string;
      if (!word.startsWith(prefix)) break;
      const id = this.termIds.get(word) as number;
      if (id !== exact) out.push({ term: id, edit: TYPO_ONE_EDIT_WEIGHT });
    }
    return out;
  }

  /** Vocabulary terms within the edit budget of the word (or of its unstemmed surface), nearest first. */
  private typoMatches(word: string, surface: string | undefined): TermMatch[] {
    let best = Number.POSITIVE_INFINITY;
    let found: number[] = [];
    for (const text of surface === undefined ? [word] : [word, surface]) {
      // Deletion variants grow with the cube of a word's length: a word longer than any in the
      // vocabulary plus the edit budget cannot be a typo of one, so a 500-letter paste costs nothing.
      if (!isTypoEligible(text) || text.length > this.longestForm + TYPO_MAX_EDITS) continue;
      const maxEdits = maxEditsFor(text.length);
      const forms = new Set<number>();
      const collect = (key: string): void => {
        const entry = this.deletionMap.get(hashString(key));
        if (typeof entry === 'number') forms.add(entry);
        else if (entry) for (const form of entry) forms.add(form);
      };
      collect(text);
      for (const variant of deletions(text, maxEdits)) {
        const direct = this.formIndex.get(variant);
        if (direct !== undefined) forms.add(direct);
        collect(variant);
      }
      for (const form of forms) {
        const target = this.formText[form] as string;
        const limit = Math.min(maxEdits, maxEditsFor(target.length));
        const distance = osaDistance(text, target, limit);
        if (distance > limit) continue;
        const term = this.formTerm[form] as number;
        if (distance < best) {
          best = distance;
          found = [term];
        } else if (distance === best && !found.includes(term)) found.push(term);
      }
    }
    if (found.length === 0) return [];
    const edit = best <= 1 ? TYPO_ONE_EDIT_WEIGHT : TYPO_TWO_EDITS_WEIGHT;
    return found.map((term) => ({ term, edit }));
  }

  /**
   * Stage 1: walk the posting lists of the rarer query terms and keep the best `limit` documents.
   * Lists too long to walk (common words) still count: their weight is added to the documents already
   * touched, by a lookup in each document's sorted term list, so a common word can break a tie.
   */
  private candidates(query: readonly QueryTerm[], limit: number): number[] {
    const acc = this.accumulator;
    const touched = this.touched;
    const stamps = this.creditStamp;
    const credits = this.credit;
    let count = 0;
    const maxDf = Math.max(1, this.size * CANDIDATE_TERM_MAX_DF_RATIO);
    const maxPostings = Math.max(CANDIDATE_TERM_MAX_POSTINGS, this.size * CANDIDATE_TERM_MAX_POSTINGS_RATIO);
    // One posting list per vocabulary match; a query word with synonyms or typo readings has several,
    // and a fact earns the word once, for its best match, not once per synonym it happens to contain.
    const lists: PostingWalk[] = [];
    for (let position = 0; position < query.length; position++) {
      const term = query[position] as QueryTerm;
      let stamp = 0;
      if (term.matches.length > 1) {
        if (this.stamp >= STAMP_LIMIT) {
          stamps.fill(0);
          this.stamp = 0;
        }
        stamp = ++this.stamp;
      }
      let shortest = Number.POSITIVE_INFINITY;
      const first = lists.length;
      for (const match of term.matches) {
        const start = this.postingStart[match.term] as number;
        const end = this.postingStart[match.term + 1] as number;
        shortest = Math.min(shortest, end - start);
        // Question words only break ties: they are looked up in the best documents, never walked.
        const light = this.termKinds[match.term] === TermKind.QuestionWord;
        lists.push({ term: match.term, start, end, gain: term.weight * match.edit, light, position, stamp, order: 0, walked: false });
      }
      for (let i = first; i < lists.length; i++) (lists[i] as PostingWalk).order = shortest;
    }
    // Rarest first, and a word's lists together, so its credit per fact stays exact.
    lists.sort((a, b) => a.order - b.order || a.position - b.position || a.end - a.start - (b.end - b.start));
    let used = 0;
    const skipped: PostingWalk[] = [];
    for (const list of lists) {
      const length = list.end - list.start;
      if (list.light || (used >= 2 && (length > maxDf || length > maxPostings))) {
        skipped.push(list);
        continue;
      }
      used++;
      list.walked = true;
      if (list.stamp === 0) {
        // The word's only list: each fact appears once in it.
        for (let p = list.start; p < list.end; p++) {
          const doc = this.postingDoc[p] as number;
          if (acc[doc] === 0) touched[count++] = doc;
          acc[doc] = (acc[doc] as number) + list.gain * (this.postingField[p] as number);
        }
        continue;
      }
      for (let p = list.start; p < list.end; p++) {
        const doc = this.postingDoc[p] as number;
        const gain = list.gain * (this.postingField[p] as number);
        if (stamps[doc] !== list.stamp) {
          stamps[doc] = list.stamp;
          credits[doc] = 0;
        }
        const earned = credits[doc] as number;
        if (gain <= earned) continue;
        if (acc[doc] === 0) touched[count++] = doc;
        acc[doc] = (acc[doc] as number) + gain - earned;
        credits[doc] = gain;
      }
    }
    if (skipped.length > 0 && count > limit) {
      // Common words too long to walk still break ties among the best documents so far: look each up in
      // the sorted term lists of a bounded pool, then keep the best `limit` of the pool.
      const pool = selectTop(touched, count, acc, SKIPPED_TERM_RESCAN_POOL);
      // A word earns a fact once, for its best list: what its skipped lists add is the best of them
      // beyond the best of its walked lists (already credited).
      const words = new Map<number, { walked: PostingWalk[]; skipped: PostingWalk[] }>();
      for (const list of skipped) {
        let word = words.get(list.position);
        if (!word) {
          word = { walked: lists.filter((l) => l.walked && l.position === list.position), skipped: [] };
          words.set(list.position, word);
        }
        word.skipped.push(list);
      }
      for (const doc of pool) {
        for (const word of words.values()) {
          let gain = 0;
          for (const list of word.skipped) gain = Math.max(gain, this.gainIn(doc, list));
          if (gain === 0) continue;
          let earned = 0;
          for (const list of word.walked) earned = Math.max(earned, this.gainIn(doc, list));
          if (gain > earned) acc[doc] = (acc[doc] as number) + gain - earned;
        }
      }
      const poolIds = Int32Array.from(pool);
      const top = selectTop(poolIds, poolIds.length, acc, limit);
      for (let i = 0; i < count; i++) acc[touched[i] as number] = 0;
      return top;
    }
    const top = selectTop(touched, count, acc, limit);
    for (let i = 0; i < count; i++) acc[touched[i] as number] = 0;
    return top;
  }

  private gainIn(doc: number, list: PostingWalk): number {
    const at = binarySearch(this.docTermIds, this.docTermStart[doc] as number, this.docTermStart[doc + 1] as number, list.term);
    return at >= 0 ? list.gain * (this.docTermField[at] as number) : 0;
  }

  /** Stage 2: exact score of one document, bounded to 0..1. */
  private rescore(doc: number, query: readonly QueryTerm[], total: number): Candidate {
    const termStart = this.docTermStart[doc] as number;
    const termEnd = this.docTermStart[doc + 1] as number;
    // The query's matches present in this document, by query position: an example question only holds
    // terms of its own fact, so the question pass below looks at these and nothing else.
    const presentPosition = this.presentPosition;
    const presentTerm = this.presentTerm;
    const presentEdit = this.presentEdit;
    let present = 0;
    let covered = 0;
    let specific = false;
    let complete = true;
    let matched = 0;
    for (let position = 0; position < query.length; position++) {
      const term = query[position] as QueryTerm;
      let best = 0;
      for (const match of term.matches) {
        const at = binarySearch(this.docTermIds, termStart, termEnd, match.term);
        if (at < 0) continue;
        best = Math.max(best, match.edit * (this.docTermField[at] as number));
        if (present < presentTerm.length) {
          presentPosition[present] = position;
          presentTerm[present] = match.term;
          presentEdit[present] = match.edit;
          present++;
        }
      }
      if (best > 0) {
        covered += term.weight * best;
        specific ||= term.specific;
        if (position < 31) matched |= 1 << position;
      } else complete = false;
    }
    let bestQuestion = 0;
    let question = 0;
    const qStart = this.docQuestionStart[doc] as number;
    const qEnd = this.docQuestionStart[doc + 1] as number;
    for (let qi = qStart; qi < qEnd; qi++) {
      const start = this.questionTermStart[qi] as number;
      const end = this.questionTermStart[qi + 1] as number;
      let shared = 0;
      for (let i = 0; i < present; ) {
        const position = presentPosition[i] as number;
        let best = 0;
        for (; i < present && presentPosition[i] === position; i++) {
          const edit = presentEdit[i] as number;
          if (edit > best && binarySearch(this.questionTermIds, start, end, presentTerm[i] as number) >= 0) best = edit;
        }
        shared += (query[position] as QueryTerm).weight * best;
      }
      const dice = (2 * shared) / (total + (this.questionNorm[qi] as number));
      if (dice > bestQuestion) {
        bestQuestion = dice;
        question = qi - qStart;
      }
    }
    const coverage = covered / total;
    const score = Math.min(1, SCORE_COVERAGE_WEIGHT * coverage + SCORE_BEST_QUESTION_WEIGHT * bestQuestion);
    return { doc, score, coverage, bestQuestion, question, specific, complete, matched };
  }
}

const QUESTION_WORD_SPELLINGS = ['where', 'when', 'what', 'which'];

/** An unknown word of 4–7 letters within two edits of where/when/what/which is taken as a misspelt question word. */
function looksLikeQuestionWord(token: Token): boolean {
  if (token.kind !== TermKind.Word || token.term.length < 4 || token.term.length > 7) return false;
  return QUESTION_WORD_SPELLINGS.some((word) => osaDistance(token.surface ?? token.term, word, 2) <= 2);
}

function unknownKindFactor(kind: TermKind): number {
  // Bigrams that straddle two words (家孵 in 多少家孵化器) are unknown without meaning anything: weigh them less.
  if (kind === TermKind.HanBigram) return 0.5;
  if (kind === TermKind.HanUnigram) return HAN_UNIGRAM_WEIGHT;
  return 1;
}

function binarySearch(array: Int32Array, start: number, end: number, value: number): number {
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const found = array[mid] as number;
    if (found === value) return mid;
    if (found < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The `limit` documents with the highest accumulated score, by a bounded min-heap. */
function selectTop(docs: Int32Array, count: number, scores: Float64Array, limit: number): number[] {
  if (count <= limit) return Array.from(docs.subarray(0, count));
  // A min-heap of the best `limit` so far, in a typed array, swaps by hand: this runs over every
  // touched document of every question, so it must not allocate.
  const heap = new Int32Array(limit);
  const below = (a: number, b: number): boolean => {
    const sa = scores[a] as number;
    const sb = scores[b] as number;
    return sa < sb || (sa === sb && a > b);
  };
  const siftDown = (from: number): void => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < limit && below(heap[l] as number, heap[m] as number)) m = l;
      if (r < limit && below(heap[r] as number, heap[m] as number)) m = r;
      if (m === i) return;
      const swap = heap[i] as number;
      heap[i] = heap[m] as number;
      heap[m] = swap;
      i = m;
    }
  };
  for (let i = 0; i < limit; i++) heap[i] = docs[i] as number;
  for (let i = (limit >> 1) - 1; i >= 0; i--) siftDown(i);
  for (let i = limit; i < count; i++) {
    const doc = docs[i] as number;
    if (below(heap[0] as number, doc)) {
      heap[0] = doc;
      siftDown(0);
    }
  }
  return Array.from(heap);
}
