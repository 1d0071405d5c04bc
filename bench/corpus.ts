/**
 * Synthetic city FAQ in the project's own knowledge format, and query sets whose right answers are
 * known. Deterministic: the same size and seed give the same facts and queries.
 *
 * Facts are (entity, attribute) pairs: a place ("Ashford Library") or a public service ("resident
 * parking permit") and something people ask about it (opening hours, fees, how to apply). Many facts
 * share an entity, many share an attribute, place names recur across kinds (Ashford Library, Ashford
 * Park, North Ashford Library), so neighbours are confusable as in a real fact base.
 */
import type { Fact, KnowledgeBase, Source, Topic } from '../src/knowledge/schema.js';
import {
  ATTRIBUTES,
  DROPPABLE,
  EXTRA_DOCUMENTS,
  FILLER_PREFIXES,
  FILLER_SUFFIXES,
  LANDMARKS,
  MONTHS,
  NAME_PREFIXES,
  NAME_QUALIFIERS,
  NAME_SUFFIXES,
  OFF_TOPIC_FILLERS,
  OFF_TOPIC_TEMPLATES,
  PINYIN_SYLLABLES,
  PLACE_KINDS,
  RESERVED_PREFIXES,
  RESERVED_SUFFIXES,
  RESERVED_SYLLABLES,
  SERVICE_FAMILIES,
  SERVICES,
  STREET_TYPES,
  SYNONYMS,
  TOPICS,
  UNKNOWN_PLACE_ATTRIBUTE_TEMPLATES,
  UNKNOWN_SERVICE_ATTRIBUTE_TEMPLATES,
  UNKNOWN_SERVICES,
  WEEKDAYS,
  type AttributeSpec,
  type PlaceKind,
} from './corpus-data.js';
import { createRng, type Rng } from './rng.js';

export const DEFAULT_SEED = 20260601;

/** Share of a corpus given to public services (permits, taxes, benefits, bookings), capped by how many exist. */
const SERVICE_SHARE = 0.25;
/** Share of place names that also exist with a qualifier (North Ashford beside Ashford). */
const QUALIFIED_NAME_SHARE = 0.08;
/** An out-of-scope place name is at least this many edits from every corpus name, so it cannot pass for a typo. */
const RESERVED_NAME_MIN_DISTANCE = 3;

export const IN_SCOPE_CATEGORIES = ['exact', 'paraphrase', 'typo', 'unseen'] as const;
export const CATEGORIES = [...IN_SCOPE_CATEGORIES, 'oos'] as const;
export type InScopeCategory = (typeof IN_SCOPE_CATEGORIES)[number];
export type Category = (typeof CATEGORIES)[number];
export type OosKind = 'unknown-entity' | 'unknown-attribute' | 'off-topic';

export interface BenchQuery {
  readonly text: string;
  readonly category: Category;
  /** The fact that answers it, or null when it is out of scope and should be declined. */
  readonly expected: string | null;
  readonly oosKind?: OosKind;
}

/** What a fact is about, kept beside the facts to derive queries from them. */
interface Entity {
  readonly display: string;
  readonly withArticle: string;
  readonly aliases: readonly string[];
  readonly topic: string;
  readonly attributes: readonly string[];
  readonly keywords: readonly string[];
  readonly kind?: PlaceKind;
  readonly placeName?: string;
}

interface FactInfo {
  readonly entity: Entity;
  readonly attribute: AttributeSpec;
  /** Example-question templates used by this fact, with `{V}`/`{A}` already filled in. */
  readonly templates: readonly string[];
}

export interface CorpusStats {
  readonly facts: number;
  readonly entities: number;
  readonly placeEntities: number;
  readonly serviceFacts: number;
  readonly topics: number;
  readonly questions: number;
  readonly distinctWords: number;
}

export interface Corpus {
  readonly seed: number;
  readonly facts: readonly Fact[];
  readonly kb: KnowledgeBase;
  readonly stats: CorpusStats;
  /** @internal Per-fact generation details for the query generator. */
  readonly info: readonly FactInfo[];
}

export interface QueryCounts {
  readonly exact: number;
  readonly paraphrase: number;
  readonly typo: number;
  readonly unseen: number;
  readonly oos: number;
}

const ATTRIBUTE_BY_ID = new Map(ATTRIBUTES.map((a) => [a.id, a]));
const attributeOf = (id: string): AttributeSpec => {
  const attribute = ATTRIBUTE_BY_ID.get(id);
  if (!attribute) throw new Error(`corpus-data: unknown attribute ${id}`);
  return attribute;
};

const SOURCES: ReadonlyMap<string, Source> = new Map(
  [
    ...TOPICS.map((t) => ({ id: `${t.id}-portal`, title: `${t.title}: city services portal` })),
    { id: 'city-handbook-2025', title: 'City residents handbook 2025' },
  ].map((s) => [
    s.id,
    {
      id: s.id,
      title: s.title,
      publisher: 'City government (synthetic)',
      url: `https://city.example/${s.id}`,
      published: '2025-01-15',
    },
  ]),
);
const TOPIC_RECORDS: readonly Topic[] = TOPICS.map((t) => ({ id: t.id, title: { en: t.title } }));

/** The knowledge base the project's engine is built from: the facts, with the synthetic sources and topics. */
export function knowledgeBaseOf(facts: readonly Fact[]): KnowledgeBase {
  return {
    facts,
    sources: SOURCES,
    topics: TOPIC_RECORDS,
    foreignEntities: [],
    unsupportedSubjects: [],
    factFiles: new Map(),
  };
}

// ---------------------------------------------------------------------------------------------
// Names

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

function englishNames(prefixes: readonly string[], suffixes: readonly string[]): string[] {
  const out: string[] = [];
  for (const prefix of prefixes) {
    for (const suffix of suffixes) {
      if (prefix.toLowerCase().endsWith(suffix) || prefix.toLowerCase() === suffix) continue;
      out.push(prefix + suffix);
    }
  }
  return out;
}

function pinyinNames(first: readonly string[], second: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of first) for (const b of second) if (a !== b) out.push(capitalize(a + b));
  return out;
}

let universeCache: { names: string[]; reserved: string[] } | undefined;

/** Every place name the corpus may use (same for every size), and names it never uses. */
function nameUniverse(): { names: string[]; reserved: string[] } {
  if (universeCache) return universeCache;
  const rng = createRng('names');
  const base = [
    ...new Set([
      ...englishNames(NAME_PREFIXES, NAME_SUFFIXES),
      ...pinyinNames(PINYIN_SYLLABLES, PINYIN_SYLLABLES),
    ]),
  ];
  const qualified = rng
    .sample(base, Math.round(base.length * QUALIFIED_NAME_SHARE))
    .map((name) => `${rng.pick(NAME_QUALIFIERS)} ${name}`);
  const names = rng.shuffle([...base, ...qualified]);
  const lower = base.map((n) => n.toLowerCase());
  const candidates = rng.sample(
    [
      ...new Set([
        ...englishNames(RESERVED_PREFIXES, [...NAME_SUFFIXES, ...RESERVED_SUFFIXES]),
        ...englishNames(NAME_PREFIXES, RESERVED_SUFFIXES),
        ...pinyinNames(RESERVED_SYLLABLES, PINYIN_SYLLABLES),
        ...pinyinNames(PINYIN_SYLLABLES, RESERVED_SYLLABLES),
      ]),
    ],
    400,
  );
  const reserved = candidates.filter((name) => {
    const n = name.toLowerCase();
    return lower.every((other) => editDistanceAtLeast(n, other, RESERVED_NAME_MIN_DISTANCE));
  });
  universeCache = { names, reserved };
  return universeCache;
}

/** True when the Levenshtein distance of a and b is at least `min` (early exit). */
function editDistanceAtLeast(a: string, b: string, min: number): boolean {
  if (Math.abs(a.length - b.length) >= min) return true;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= min) return true;
    prev = cur;
  }
  return (prev[b.length] as number) >= min;
}

// ---------------------------------------------------------------------------------------------
// Facts

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const withArticle = (name: string, article: string): string =>
  article ? `${article} ${name}` : name;

function fillKind(template: string, kind: PlaceKind | undefined): string {
  return template
    .replaceAll('{V}', kind?.vehicle ?? 'bus')
    .replaceAll('{A}', kind?.activity ?? 'fitness');
}

function renderEntity(
  template: string,
  entity: Entity,
  name = entity.display,
  article = entity.withArticle,
): string {
  return template
    .replaceAll('{aE}', article)
    .replaceAll('{E_cap}', capitalize(name))
    .replaceAll('{E}', name);
}

const time = (hour: number, minute: number): string =>
  `${hour}:${minute === 0 ? '00' : String(minute)}`;

/** Fills the value slots of an answer template. */
function fillValues(template: string, rng: Rng, names: readonly string[]): string {
  const street = (): string => `${rng.pick(names)} ${rng.pick(STREET_TYPES)}`;
  const values: Record<string, () => string> = {
    open: () => time(rng.between(7, 10), rng.pick([0, 30])),
    close: () => time(rng.between(17, 21), rng.pick([0, 30])),
    close_early: () => time(rng.between(14, 17), rng.pick([0, 30])),
    afternoon: () => time(rng.between(13, 16), rng.pick([0, 30])),
    early: () => time(rng.between(7, 8), rng.pick([0, 15, 30, 45])),
    dawn: () => time(rng.between(5, 6), rng.pick([0, 10, 20, 30, 40, 50])),
    night: () => time(rng.between(22, 23), rng.pick([0, 15, 30, 45])),
    days: () =>
      rng.pick(['every day', 'Monday to Friday', 'Tuesday to Sunday', 'Monday to Saturday']),
    weekday: () => rng.pick(WEEKDAYS),
    phone: () => `010-6${rng.between(100, 999)}-${rng.between(1000, 9999)}`,
    addr: () => `${rng.between(1, 300)} ${street()}`,
    street,
    place: () => rng.pick(names),
    place2: () => rng.pick(names),
    landmark: () => rng.pick(LANDMARKS),
    price: () => String(rng.between(20, 300)),
    price_small: () => String(rng.between(5, 40)),
    price_tiny: () => String(rng.between(1, 9)),
    price_tiny2: () => String(rng.between(1, 9)),
    price_big: () => String(rng.between(500, 5000)),
    pct: () => String(rng.between(1, 12)),
    n: () => String(rng.between(2, 30)),
    n2: () => String(rng.between(2, 14)),
    cap: () => String(rng.between(4, 40) * 10),
    weeks: () => String(rng.between(2, 12)),
    minutes: () => String(rng.between(3, 15) * 5),
    bus: () => String(rng.between(1, 999)),
    bus2: () => String(rng.between(1, 999)),
    line: () => String(rng.between(1, 19)),
    exit: () => rng.pick(['A', 'B', 'C', 'D']),
    level: () => String(rng.between(1, 6)),
    date: () => `${rng.between(1, 28)} ${rng.pick(MONTHS)}`,
    date2: () => `${rng.between(1, 28)} ${rng.pick(MONTHS)}`,
    extra_doc: () => rng.pick(EXTRA_DOCUMENTS),
  };
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key]?.() ?? whole);
}

const normalizeQuestion = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** Builds a fact base of `size` facts. */
export function generateCorpus(size: number, seed: number = DEFAULT_SEED): Corpus {
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`corpus size must be a positive integer, got ${size}`);
  const rng = createRng(`${seed}:corpus:${size}`);
  const { names } = nameUniverse();
  const facts: Fact[] = [];
  const info: FactInfo[] = [];
  const seenQuestions = new Set<string>();
  const ids = new Set<string>();
  let entities = 0;
  let placeEntities = 0;

  const addFacts = (entity: Entity, attributes: readonly string[], budget: number): number => {
    let added = 0;
    for (const attributeId of attributes) {
      if (added >= budget) break;
      const attribute = attributeOf(attributeId);
      const id = `${slug(entity.display)}-${attribute.id}`;
      if (ids.has(id)) continue;
      const pool = rng.shuffle(attribute.questions.map((q) => fillKind(q, entity.kind)));
      const want = Math.min(pool.length, rng.between(4, 5));
      const templates: string[] = [];
      const questions: string[] = [];
      for (const template of pool) {
        if (questions.length >= want) break;
        const question = renderEntity(template, entity);
        const key = normalizeQuestion(question);
        if (seenQuestions.has(key)) continue;
        seenQuestions.add(key);
        templates.push(template);
        questions.push(question);
      }
      if (questions.length < 4) continue; // every wording taken by a neighbour: skip rather than invent one
      const keywords = [
        ...new Set([
          ...rng.sample(attribute.keywords, rng.between(2, 3)).map((k) => fillKind(k, entity.kind)),
          ...rng.sample(entity.keywords, Math.min(entity.keywords.length, rng.between(1, 2))),
        ]),
      ];
      const aliases = rng.sample(
        entity.aliases,
        Math.min(entity.aliases.length, rng.between(1, 2)),
      );
      const answer = fillValues(
        renderEntity(fillKind(rng.pick(attribute.answers), entity.kind), entity),
        rng,
        names,
      );
      const sources = [
        `${entity.topic}-portal`,
        ...(rng.chance(0.2) ? ['city-handbook-2025'] : []),
      ];
      facts.push({
        id,
        topic: entity.topic,
        as_of: `${rng.between(2023, 2025)}-${String(rng.between(1, 12)).padStart(2, '0')}-${String(rng.between(1, 28)).padStart(2, '0')}`,
        answer: { en: answer },
        questions: { en: questions, zh: [] },
        keywords,
        aliases,
        sources,
      });
      info.push({ entity, attribute, templates });
      ids.add(id);
      added++;
    }
    return added;
  };

  // Public services first, up to their share; then places fill the rest.
  const serviceFacts = SERVICES.reduce((sum, s) => sum + SERVICE_FAMILIES[s.family].length, 0);
  let serviceBudget = Math.min(Math.round(size * SERVICE_SHARE), serviceFacts);
  for (const service of rng.shuffle(SERVICES)) {
    if (serviceBudget <= 0) break;
    const family = SERVICE_FAMILIES[service.family];
    const entity: Entity = {
      display: service.name,
      withArticle: withArticle(service.name, service.article),
      aliases: service.aliases,
      topic: service.topic,
      attributes: family,
      keywords: service.keywords,
    };
    const attributes = rng.sample(family, rng.between(Math.min(4, family.length), family.length));
    const added = addFacts(entity, attributes, serviceBudget);
    serviceBudget -= added;
    if (added > 0) entities++;
  }
  const servicesAdded = facts.length;

  const pairs = createRng(`${seed}:places`).shuffle(
    names.flatMap((_, n) => PLACE_KINDS.map((__, k) => n * PLACE_KINDS.length + k)),
  );
  for (const pair of pairs) {
    if (facts.length >= size) break;
    const name = names[Math.floor(pair / PLACE_KINDS.length)] as string;
    const kind = PLACE_KINDS[pair % PLACE_KINDS.length] as PlaceKind;
    const display = `${name} ${kind.label}`;
    const entity: Entity = {
      display,
      withArticle: display,
      aliases: kind.aliases.map((a) => a.replaceAll('{P}', name)),
      topic: kind.topic,
      attributes: kind.attributes,
      keywords: kind.keywords,
      kind,
      placeName: name,
    };
    const attributes = rng.sample(
      kind.attributes,
      rng.between(Math.min(3, kind.attributes.length), kind.attributes.length),
    );
    const added = addFacts(entity, attributes, size - facts.length);
    if (added > 0) {
      entities++;
      placeEntities++;
    }
  }
  if (facts.length < size)
    throw new Error(`corpus: only ${facts.length} facts could be generated (asked ${size})`);

  const words = new Set<string>();
  let questionCount = 0;
  for (const fact of facts) {
    questionCount += fact.questions.en.length;
    for (const text of [...fact.questions.en, ...fact.keywords, ...fact.aliases, fact.answer.en]) {
      for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) words.add(word);
    }
  }
  return {
    seed,
    facts,
    kb: knowledgeBaseOf(facts),
    info,
    stats: {
      facts: facts.length,
      entities,
      placeEntities,
      serviceFacts: servicesAdded,
      topics: new Set(facts.map((f) => f.topic)).size,
      questions: questionCount,
      distinctWords: words.size,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Queries

const PREPOSITIONS = new Set([
  'of',
  'at',
  'in',
  'for',
  'to',
  'from',
  'with',
  'near',
  'into',
  'by',
  'about',
  'on',
  'through',
]);
const SLOT = /^\{a?E\}$/;

const GENERIC_UNSEEN_PLACE = [
  "I'd like to know the {N} of {E}",
  'Could you tell me about {N} at {E}?',
  'Info needed: {E}, {N}',
  'Any details on {N} for {E}?',
];
const GENERIC_UNSEEN_SERVICE = [
  "I'd like to know the {N} for the {E}",
  'Could you tell me about the {N} of the {E}?',
  'Info needed: {E} {N}',
  'Any details on {E} {N}?',
];

/** Splits a template into words and punctuation, keeping slots whole. */
const tokenizeTemplate = (template: string): string[] =>
  template.match(/\{a?E\}|[\p{L}\p{N}'’+&-]+|[^\s\p{L}\p{N}]/gu) ?? [];

const joinTokens = (tokens: readonly string[]): string =>
  tokens
    .join(' ')
    .replace(/\s+([?,.!:;])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();

const bare = (token: string): string => token.toLowerCase();

/** A reworded version of a template: synonyms swapped, words dropped, the entity moved, filler added. */
function paraphraseTemplate(template: string, rng: Rng): string {
  let tokens = tokenizeTemplate(template);
  const ops = {
    synonym: rng.chance(0.75),
    drop: rng.chance(0.6),
    reorder: rng.chance(0.4),
    filler: rng.chance(0.2),
  };
  if (!ops.synonym && !ops.drop && !ops.reorder)
    ops[rng.pick(['synonym', 'drop', 'reorder'] as const)] = true;

  if (ops.synonym) {
    const found: { at: number; length: number; key: string }[] = [];
    for (const key of Object.keys(SYNONYMS)) {
      const parts = key.split(' ');
      for (let i = 0; i + parts.length <= tokens.length; i++) {
        if (parts.every((p, j) => bare(tokens[i + j] as string) === p))
          found.push({ at: i, length: parts.length, key });
      }
    }
    const picks = rng
      .shuffle(found)
      .slice(0, rng.chance(0.3) ? 2 : 1)
      .sort((a, b) => b.at - a.at);
    let lastStart = Infinity;
    for (const pick of picks) {
      if (pick.at + pick.length > lastStart) continue; // overlapping phrases
      const replacement = rng.pick(SYNONYMS[pick.key] ?? [pick.key]).split(' ');
      if (/^[A-Z]/.test(tokens[pick.at] as string))
        replacement[0] = capitalize(replacement[0] as string);
      tokens = [
        ...tokens.slice(0, pick.at),
        ...replacement,
        ...tokens.slice(pick.at + pick.length),
      ];
      lastStart = pick.at;
    }
  }
  if (ops.drop) {
    const droppable = tokens.map((t, i) => (DROPPABLE.has(bare(t)) ? i : -1)).filter((i) => i >= 0);
    const wordCount = tokens.filter((t) => /[\p{L}\p{N}]/u.test(t) && !SLOT.test(t)).length;
    const drop = new Set(
      rng.sample(
        droppable,
        Math.min(droppable.length, rng.between(1, 2), Math.max(0, wordCount - 2)),
      ),
    );
    tokens = tokens.filter((_, i) => !drop.has(i));
  }
  if (ops.reorder) {
    const at = tokens.findIndex((t) => SLOT.test(t));
    if (at > 0) {
      const slot = (tokens[at] as string).replace('{aE}', '{E}'); // "A skip permit: …" reads wrong
      const start = PREPOSITIONS.has(bare(tokens[at - 1] as string)) ? at - 1 : at;
      const rest = [...tokens.slice(0, start), ...tokens.slice(at + 1)];
      if (rest[0] !== undefined) rest[0] = rest[0].toLowerCase();
      tokens = [slot, ':', ...rest];
    } else if (at === 0) {
      const rest = tokens.slice(1).filter((t) => t !== '?');
      tokens = [...rest, rng.pick(['for', 'at', '-']), tokens[0] as string, '?'];
    }
  }
  if (ops.filler) {
    if (rng.chance(0.5)) {
      const first = tokens[0];
      if (first !== undefined && !SLOT.test(first)) tokens[0] = first.toLowerCase();
      tokens = [rng.pick(FILLER_PREFIXES), ...tokens];
    } else tokens = [...tokens.filter((t) => t !== '?'), ',', rng.pick(FILLER_SUFFIXES)];
  }
  return joinTokens(tokens);
}

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
function keyboardNeighbour(char: string, rng: Rng): string {
  const lower = char.toLowerCase();
  for (const [r, row] of KEYBOARD_ROWS.entries()) {
    const c = row.indexOf(lower);
    if (c < 0) continue;
    const options = [
      row[c - 1],
      row[c + 1],
      KEYBOARD_ROWS[r - 1]?.[c],
      KEYBOARD_ROWS[r + 1]?.[c],
    ].filter((x): x is string => x !== undefined);
    const pick = rng.pick(options);
    return char === lower ? pick : pick.toUpperCase();
  }
  return char;
}

/** One typing error: a neighbouring key, a dropped or doubled letter, or two letters swapped. */
function typoEdit(word: string, rng: Rng): string {
  const op = rng.next();
  const i = rng.int(word.length);
  const char = word[i] as string;
  if (op < 0.4) return word.slice(0, i) + keyboardNeighbour(char, rng) + word.slice(i + 1);
  if (op < 0.6) return word.slice(0, i) + word.slice(i + 1);
  if (op < 0.8)
    return (
      word.slice(0, i) + (rng.chance(0.5) ? char : keyboardNeighbour(char, rng)) + word.slice(i)
    );
  const j = i < word.length - 1 ? i : i - 1;
  return word.slice(0, j) + (word[j + 1] as string) + (word[j] as string) + word.slice(j + 2);
}

const stripPlural = (word: string): string => word.toLowerCase().replace(/s$/, '');

/** The question with 1–2 typing errors in 1–2 words of at least 5 letters, or undefined if it has none. */
function addTypos(question: string, rng: Rng): string | undefined {
  const words = [...question.matchAll(/\p{L}+/gu)].filter((m) => m[0].length >= 5);
  if (words.length === 0) return undefined;
  const plan = rng.next();
  const targets =
    plan < 0.25 && words.length >= 2
      ? rng.sample(words, 2).map((m) => ({ m, edits: 1 }))
      : [{ m: rng.pick(words), edits: plan < 0.5 ? 2 : 1 }];
  let text = question;
  for (const { m, edits } of targets.sort((a, b) => (b.m.index ?? 0) - (a.m.index ?? 0))) {
    const original = m[0];
    let typo = original;
    for (let attempt = 0; attempt < 10 && stripPlural(typo) === stripPlural(original); attempt++) {
      typo = original;
      for (let e = 0; e < edits; e++) typo = typoEdit(typo, rng);
    }
    if (stripPlural(typo) === stripPlural(original)) return undefined;
    const at = m.index ?? 0;
    text = text.slice(0, at) + typo + text.slice(at + original.length);
  }
  return text;
}

/** Query sets for a corpus: in-scope categories with the fact that answers them, and out-of-scope questions. */
export function generateQueries(
  corpus: Corpus,
  counts: QueryCounts,
  seed: number = corpus.seed,
): BenchQuery[] {
  const rng = createRng(`${seed}:queries:${corpus.facts.length}:${counts.exact}:${counts.oos}`);
  const { reserved } = nameUniverse();
  const queries: BenchQuery[] = [];
  const factAt = (): { fact: Fact; info: FactInfo } => {
    const i = rng.int(corpus.facts.length);
    return { fact: corpus.facts[i] as Fact, info: corpus.info[i] as FactInfo };
  };
  const isNew = (fact: Fact, text: string): boolean => {
    const key = normalizeQuestion(text);
    return key !== '' && !fact.questions.en.some((q) => normalizeQuestion(q) === key);
  };
  const repeat = (count: number, make: () => BenchQuery | undefined): void => {
    for (let made = 0, tries = 0; made < count; tries++) {
      if (tries > count * 50)
        throw new Error('query generation keeps failing: check the corpus data');
      const query = make();
      if (query) {
        queries.push(query);
        made++;
      }
    }
  };

  repeat(counts.exact, () => {
    const { fact } = factAt();
    return { text: rng.pick(fact.questions.en), category: 'exact', expected: fact.id };
  });
  repeat(counts.paraphrase, () => {
    const { fact, info } = factAt();
    let text = renderEntity(paraphraseTemplate(rng.pick(info.templates), rng), info.entity);
    if (rng.chance(0.3)) text = text.replace(/\?$/, '').toLowerCase(); // typed in a hurry
    return isNew(fact, text) ? { text, category: 'paraphrase', expected: fact.id } : undefined;
  });
  repeat(counts.typo, () => {
    const { fact } = factAt();
    const text = addTypos(rng.pick(fact.questions.en), rng);
    return text !== undefined && isNew(fact, text)
      ? { text, category: 'typo', expected: fact.id }
      : undefined;
  });
  repeat(counts.unseen, () => {
    const { fact, info } = factAt();
    const { entity, attribute } = info;
    const name =
      entity.aliases.length > 0 && rng.chance(0.25) ? rng.pick(entity.aliases) : entity.display;
    const generic = entity.kind ? GENERIC_UNSEEN_PLACE : GENERIC_UNSEEN_SERVICE;
    const template = rng.chance(0.5)
      ? fillKind(rng.pick(attribute.unseen), entity.kind)
      : rng.pick(generic).replace('{N}', rng.pick([attribute.noun, ...attribute.nounAlts]));
    const article = name === entity.display ? entity.withArticle : name;
    const text = renderEntity(template, entity, name, article);
    return isNew(fact, text) ? { text, category: 'unseen', expected: fact.id } : undefined;
  });
  repeat(counts.oos, () => {
    const kind = rng.next();
    if (kind < 0.35)
      return {
        text: unknownEntityQuestion(rng, reserved),
        category: 'oos',
        expected: null,
        oosKind: 'unknown-entity',
      };
    if (kind < 0.6) {
      const { info } = factAt();
      const template = rng.pick(
        info.entity.kind ? UNKNOWN_PLACE_ATTRIBUTE_TEMPLATES : UNKNOWN_SERVICE_ATTRIBUTE_TEMPLATES,
      );
      return {
        text: renderEntity(template, info.entity),
        category: 'oos',
        expected: null,
        oosKind: 'unknown-attribute',
      };
    }
    const text = rng.pick(OFF_TOPIC_TEMPLATES).replace(/\{(\w+)\}/g, (whole, key: string) => {
      const fillers = OFF_TOPIC_FILLERS[key];
      return fillers ? rng.pick(fillers) : whole;
    });
    return { text, category: 'oos', expected: null, oosKind: 'off-topic' };
  });
  return queries;
}

/** A question about a place or service that does not exist, worded like the in-scope ones. */
function unknownEntityQuestion(rng: Rng, reserved: readonly string[]): string {
  if (rng.chance(0.8)) {
    const kind = rng.pick(PLACE_KINDS);
    const name = `${rng.pick(reserved)} ${kind.label}`;
    const entity: Entity = {
      display: name,
      withArticle: name,
      aliases: [],
      topic: kind.topic,
      attributes: kind.attributes,
      keywords: [],
      kind,
    };
    const attribute = attributeOf(rng.pick(kind.attributes));
    const roll = rng.next();
    const template =
      roll < 0.5
        ? rng.pick(attribute.questions)
        : roll < 0.8
          ? rng.pick(attribute.unseen)
          : rng.pick(GENERIC_UNSEEN_PLACE).replace('{N}', attribute.noun);
    return renderEntity(fillKind(template, kind), entity);
  }
  const service = rng.pick(UNKNOWN_SERVICES);
  const entity: Entity = {
    display: service.name,
    withArticle: withArticle(service.name, service.article),
    aliases: [],
    topic: 'permits',
    attributes: SERVICE_FAMILIES.permit,
    keywords: [],
  };
  const attribute = attributeOf(rng.pick(SERVICE_FAMILIES.permit));
  return renderEntity(
    rng.chance(0.7) ? rng.pick(attribute.questions) : rng.pick(attribute.unseen),
    entity,
  );
}

/** Default query counts: 200 per in-scope category and 200 out of scope (20 % of 1,000). */
export function defaultQueryCounts(total: number): QueryCounts {
  const per = Math.max(1, Math.round(total / CATEGORIES.length));
  return { exact: per, paraphrase: per, typo: per, unseen: per, oos: per };
}
