/**
 * The engines compared by the benchmark, behind one interface: build an index over the facts, then
 * answer a question with the id of one fact or decline with null. The peers are what a user would pick
 * instead of the project's engine, configured as their documentation suggests.
 */
import { Document } from 'flexsearch';
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { createEngine } from '../src/engine/engine.js';
import type { Fact } from '../src/knowledge/schema.js';
import { ExpansionsFileSchema, type ExpansionGroups } from '../src/knowledge/expansions.js';
import { SubjectsFileSchema, type SubjectLexicon } from '../src/knowledge/subjects.js';
import { knowledgeBaseOf } from './corpus.js';

/** The project's subject lexicon (knowledge/subjects.yaml): the engine runs its subject guard as it does in production. */
export function loadSubjectLexicon(): SubjectLexicon {
  return SubjectsFileSchema.parse(parseYaml(readFileSync(new URL('../knowledge/subjects.yaml', import.meta.url), 'utf8')));
}

/** The project's wordings (knowledge/expansions.yaml): the engine reads acronyms and expansions as it does in production. */
export function loadExpansions(): ExpansionGroups {
  return ExpansionsFileSchema.parse(parseYaml(readFileSync(new URL('../knowledge/expansions.yaml', import.meta.url), 'utf8'))).groups;
}

/**
 * `haidian-bot-unguarded` is the project's engine without its subject guard: run beside `haidian-bot`
 * (`--engines haidian-bot,haidian-bot-unguarded`), it shows what the guard costs. Not run by default.
 */
export const ENGINE_NAMES = ['haidian-bot', 'haidian-bot-unguarded', 'fuse.js', 'minisearch', 'flexsearch'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
/** The engines a run measures unless told otherwise. */
export const DEFAULT_ENGINES: readonly EngineName[] = ['haidian-bot', 'fuse.js', 'minisearch', 'flexsearch'];

export interface Peer {
  readonly name: EngineName;
  /** Builds the index over the facts; call once. */
  build(facts: readonly Fact[]): void;
  /** The id of the fact that answers the question, or null when the engine declines. */
  query(question: string): string | null;
}

/**
 * MiniSearch's BM25 score is unbounded and grows with the number of query words that match, so
 * "no result" almost never happens (every question shares "what", "is", "the" with some fact). This
 * is the single score below which the adapter declines. It was calibrated once by
 * `npx tsx bench/calibrate.ts` (1,000 facts, a seed the benchmark does not use, best
 * answered-right-or-declined rate over in-scope and out-of-scope questions) and is used at every size.
 */
export const MINISEARCH_MIN_SCORE = 206;

/** The text of a fact as the peers index it: aliases count as keywords, as a user indexing their data would add them. */
interface PeerDoc {
  [key: string]: string | string[];
  id: string;
  questions: string[];
  keywords: string[];
  answer: string;
}

const toDoc = (fact: Fact): PeerDoc => ({
  id: fact.id,
  questions: [...fact.questions.en],
  keywords: [...fact.keywords, ...fact.aliases],
  answer: fact.answer.en,
});

/**
 * The project's engine, with the Haidian generic words switched off (they mean nothing in a synthetic
 * city); `guarded: false` leaves out the subject guard (subjects.yaml), all else the same.
 */
export function createHaidianPeer({ guarded = true }: { readonly guarded?: boolean } = {}): Peer {
  let engine: ReturnType<typeof createEngine> | undefined;
  const subjects = guarded ? loadSubjectLexicon() : undefined;
  const expansions = loadExpansions();
  const name = guarded ? 'haidian-bot' : 'haidian-bot-unguarded';
  return {
    name,
    build(facts) {
      engine = createEngine({ ...knowledgeBaseOf(facts), ...(subjects ? { subjects } : {}), expansions }, { genericTerms: [] });
    },
    query(question) {
      if (!engine) throw new Error(`${name}: build() first`);
      const reply = engine.ask(question);
      return reply.kind === 'answer' ? (reply.factId ?? null) : null;
    },
  };
}

/** Plain Fuse.js as its docs suggest for fuzzy search over several keys; it declines when nothing passes its threshold. */
export function createFusePeer(): Peer {
  let fuse: Fuse<PeerDoc> | undefined;
  return {
    name: 'fuse.js',
    build(facts) {
      fuse = new Fuse(facts.map(toDoc), {
        keys: ['questions', 'keywords', 'answer'],
        threshold: 0.4,
        ignoreLocation: true,
        includeScore: true,
      });
    },
    query(question) {
      if (!fuse) throw new Error('fuse.js: build() first');
      return fuse.search(question, { limit: 1 })[0]?.item.id ?? null;
    },
  };
}

/** MiniSearch with fuzzy and prefix search and field boosts; it declines below {@link MINISEARCH_MIN_SCORE}. */
export function createMiniSearchPeer(
  minScore = MINISEARCH_MIN_SCORE,
): Peer & { topScore(question: string): { id: string; score: number } | null } {
  let index: MiniSearch<PeerDoc> | undefined;
  const top = (question: string): { id: string; score: number } | null => {
    if (!index) throw new Error('minisearch: build() first');
    const best = index.search(question)[0];
    return best ? { id: String(best.id), score: best.score } : null;
  };
  return {
    name: 'minisearch',
    build(facts) {
      index = new MiniSearch<PeerDoc>({
        fields: ['questions', 'keywords', 'answer'],
        extractField: (doc, field) => {
          const value = doc[field];
          return Array.isArray(value) ? value.join(' ') : (value ?? '');
        },
        searchOptions: {
          fuzzy: 0.2,
          prefix: true,
          boost: { questions: 2, keywords: 1.5, answer: 1 },
        },
      });
      index.addAll(facts.map(toDoc));
    },
    query(question) {
      const best = top(question);
      return best && best.score >= minScore ? best.id : null;
    },
    topScore: top,
  };
}

/**
 * FlexSearch's Document index with forward tokenisation (partial words match) and `suggest`, so a
 * question matches even when some of its words are in no fact; without `suggest` every query word
 * must match and most rewordings return nothing. It gives no score: it declines only on no result.
 */
export function createFlexSearchPeer(): Peer {
  let index: Document<PeerDoc> | undefined;
  return {
    name: 'flexsearch',
    build(facts) {
      index = new Document<PeerDoc>({
        document: { id: 'id', index: ['questions', 'keywords', 'answer'] },
        tokenize: 'forward',
      });
      for (const fact of facts) index.add(toDoc(fact));
    },
    query(question) {
      if (!index) throw new Error('flexsearch: build() first');
      const results = index.search(question, { limit: 1, suggest: true, merge: true });
      const first = results[0];
      return first ? String(first.id) : null;
    },
  };
}

export const PEER_FACTORIES: Readonly<Record<EngineName, () => Peer>> = {
  'haidian-bot': () => createHaidianPeer(),
  'haidian-bot-unguarded': () => createHaidianPeer({ guarded: false }),
  'fuse.js': createFusePeer,
  minisearch: () => createMiniSearchPeer(),
  flexsearch: createFlexSearchPeer,
};
