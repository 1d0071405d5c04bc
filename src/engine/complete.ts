import Fuse from 'fuse.js';
import type { Fact } from '../knowledge/schema.js';
import { hasHan, normalizeText } from './normalize.js';
import type { FactIndex } from './fact-index.js';
import { tokenizeNormalized } from './tokenize.js';
import type { Completion } from './types.js';

/** Facts whose questions are offered for one partial text; fuse.js then ranks only their few questions. */
const COMPLETION_CANDIDATE_FACTS = 12;
/** fuse.js on a few dozen short strings: 0.4 lets "incub" and "sensetme" through but not unrelated questions. */
const COMPLETION_FUSE_THRESHOLD = 0.4;

/**
 * Autocomplete for slash commands: the example questions that best fit what the user has typed so
 * far. The index finds candidate facts (the last word counts as a prefix); fuse.js ranks only their
 * questions, a job it does well on a handful of short strings.
 */
export function createCompleter(facts: readonly Fact[], index: FactIndex): (partial: string, limit: number) => Completion[] {
  const opening = (language: 'en' | 'zh'): Completion[] =>
    facts.map((fact) => ({ factId: fact.id, question: (language === 'zh' ? fact.questions.zh[0] : undefined) ?? fact.questions.en[0] ?? fact.id }));

  return (partial, limit) => {
    if (limit <= 0) return [];
    const zh = hasHan(partial);
    const normalized = normalizeText(partial);
    if (normalized === '') return opening(zh ? 'zh' : 'en').slice(0, limit);
    const tokens = tokenizeNormalized(normalized);
    const endsInWord = /[\p{L}\p{N}]$/u.test(partial);
    const candidates = index.search(tokens, COMPLETION_CANDIDATE_FACTS, { prefixLast: endsInWord });
    const pool: Completion[] = [];
    for (const candidate of candidates) {
      const fact = facts[candidate.doc] as Fact;
      for (const question of zh ? [...fact.questions.zh, ...fact.questions.en] : fact.questions.en) {
        pool.push({ factId: fact.id, question });
      }
    }
    const fuse = new Fuse(pool, { keys: ['question'], threshold: COMPLETION_FUSE_THRESHOLD, ignoreLocation: true, includeScore: true });
    const seen = new Set<string>();
    const out: Completion[] = [];
    const push = (completion: Completion): void => {
      if (out.length < limit && !seen.has(completion.question)) {
        seen.add(completion.question);
        out.push(completion);
      }
    };
    for (const result of fuse.search(partial.trim())) push(result.item);
    // Then the best question of each remaining candidate fact, in index order.
    for (const candidate of candidates) {
      const fact = facts[candidate.doc] as Fact;
      const questions = zh && fact.questions.zh.length > 0 ? fact.questions.zh : fact.questions.en;
      const question = questions[0];
      if (question) push({ factId: fact.id, question });
    }
    return out;
  };
}
