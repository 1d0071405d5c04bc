import type { Engine } from '../engine/types.js';
import { normalizeText } from '../engine/normalize.js';
import type { KnowledgeBase } from './schema.js';

export interface LintFinding {
  readonly factId: string;
  readonly file: string;
  readonly message: string;
}

/**
 * Checks that the fact base works as a whole: every example question (both languages) reaches its
 * own fact, and no two facts share an example question.
 */
export function lintKnowledge(kb: KnowledgeBase, engine: Engine): LintFinding[] {
  const findings: LintFinding[] = [];
  const owners = new Map<string, string>();
  for (const fact of kb.facts) {
    const file = kb.factFiles.get(fact.id) ?? '?';
    for (const [language, questions] of [['en', fact.questions.en], ['zh', fact.questions.zh]] as const) {
      questions.forEach((question, i) => {
        const key = normalizeText(question);
        const owner = owners.get(key);
        if (owner && owner !== fact.id) {
          findings.push({ factId: fact.id, file, message: `questions.${language}[${i}] "${question}" is also an example question of "${owner}"` });
        }
        owners.set(key, fact.id);
        const reply = engine.ask(question);
        if (reply.kind !== 'answer') {
          findings.push({ factId: fact.id, file, message: `questions.${language}[${i}] "${question}" gets no answer (${reply.kind}, confidence ${reply.confidence})` });
        } else if (reply.factId !== fact.id) {
          findings.push({ factId: fact.id, file, message: `questions.${language}[${i}] "${question}" reaches "${reply.factId}" instead` });
        }
      });
    }
  }
  return findings;
}
