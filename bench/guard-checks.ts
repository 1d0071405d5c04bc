/**
 * The subject guard as the benchmark's engine uses it, on its own (bench/guard.ts times it): the
 * guard over a corpus, and the checks the guarded engine makes for a seed's questions.
 */
import { indexFacts, subjectGuardOptions } from '../src/engine/engine.js';
import { createExpansions } from '../src/engine/expansions.js';
import { normalizeText } from '../src/engine/normalize.js';
import { detectIntent } from '../src/engine/smalltalk.js';
import { createSubjectGuard, type SubjectGuard } from '../src/engine/subject-guard.js';
import { defaultQueryCounts, generateQueries, type Corpus } from './corpus.js';
import { createHaidianPeer, loadExpansions, loadSubjectLexicon, type Peer } from './peers.js';

/** One call of the guard: the question as asked, normalised without its small talk, and the fact about to answer it. */
export type GuardCheck = readonly [raw: string, normalized: string, doc: number];

export interface GuardBench {
  /** haidian-bot-unguarded (bench/peers.ts), built over the corpus. */
  readonly unguarded: Peer;
  /** A new guard over the corpus, as haidian-bot builds its own. */
  newGuard(): SubjectGuard;
}

export function guardBench(corpus: Corpus): GuardBench {
  const unguarded = createHaidianPeer({ guarded: false });
  unguarded.build(corpus.facts);
  const subjects = loadSubjectLexicon();
  // The Haidian generic words mean nothing in a synthetic city (as in bench/peers.ts).
  const options = subjectGuardOptions(indexFacts(corpus.facts, createExpansions(loadExpansions()), { genericTerms: [] }), []);
  return { unguarded, newGuard: () => createSubjectGuard(subjects, corpus.facts, options) };
}

/**
 * The checks the guarded engine makes for a seed's questions: every question the unguarded engine
 * answers, with the fact it answers (the two engines are the same up to the guard).
 */
export function guardChecks(corpus: Corpus, unguarded: Peer, seed: number, queries: number): GuardCheck[] {
  const at = new Map(corpus.facts.map((fact, doc) => [fact.id, doc]));
  const checks: GuardCheck[] = [];
  for (const { text } of generateQueries(corpus, defaultQueryCounts(queries), seed)) {
    const answered = unguarded.query(text);
    const doc = answered === null ? undefined : at.get(answered);
    if (doc !== undefined) checks.push([text, detectIntent(normalizeText(text)).rest, doc]);
  }
  return checks;
}
