/**
 * The subject guard as the benchmark's engine uses it, on its own (bench/guard.ts times it): the
 * guard over a corpus, and the checks the guarded engine makes for a seed's questions.
 */
import { createEngine, indexFacts, subjectGuardOptions } from '../src/engine/engine.js';
import { createExpansions } from '../src/engine/expansions.js';
import { normalizeText } from '../src/engine/normalize.js';
import { detectIntent } from '../src/engine/smalltalk.js';
import { createSubjectGuard, type SubjectGuard } from '../src/engine/subject-guard.js';
import type { Engine } from '../src/engine/types.js';
import { defaultQueryCounts, generateQueries, knowledgeBaseOf, type Corpus } from './corpus.js';
import { loadExpansions, loadSubjectLexicon } from './peers.js';

/** One call of the guard: the question as asked, normalised without its small talk, and the fact about to answer it. */
export type GuardCheck = readonly [raw: string, normalized: string, doc: number];

export interface GuardBench {
  /** The engine without its guard, as bench/peers.ts builds haidian-bot-unguarded. */
  readonly unguarded: Engine;
  /** A new guard over the corpus, as the guarded engine builds its own. */
  newGuard(): SubjectGuard;
}

export function guardBench(corpus: Corpus): GuardBench {
  const expansions = loadExpansions();
  const subjects = loadSubjectLexicon();
  const kb = { ...knowledgeBaseOf(corpus.facts), expansions };
  // The Haidian generic words mean nothing in a synthetic city (as in bench/peers.ts).
  const options = subjectGuardOptions(indexFacts(corpus.facts, createExpansions(expansions), { genericTerms: [] }), []);
  return {
    unguarded: createEngine(kb, { genericTerms: [] }),
    newGuard: () => createSubjectGuard(subjects, corpus.facts, options),
  };
}

/**
 * The checks the guarded engine makes for a seed's questions: every question the unguarded engine
 * answers, with the fact it answers (the two engines are the same up to the guard).
 */
export function guardChecks(corpus: Corpus, unguarded: Engine, seed: number, queries: number): GuardCheck[] {
  const at = new Map(corpus.facts.map((fact, doc) => [fact.id, doc]));
  const checks: GuardCheck[] = [];
  for (const { text } of generateQueries(corpus, defaultQueryCounts(queries), seed)) {
    const reply = unguarded.ask(text);
    const doc = reply.kind === 'answer' && reply.factId !== undefined ? at.get(reply.factId) : undefined;
    if (doc !== undefined) checks.push([text, detectIntent(normalizeText(text)).rest, doc]);
  }
  return checks;
}
