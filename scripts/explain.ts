// Developer tool: shows how the engine scores a question (top candidates with coverage and best-question Dice).
import { createEngine } from '../src/engine/engine.js';
import { FactIndex } from '../src/engine/fact-index.js';
import { normalizeText } from '../src/engine/normalize.js';
import { tokenizeNormalized } from '../src/engine/tokenize.js';
import { loadKnowledge } from '../src/knowledge/load.js';

const kb = await loadKnowledge(process.env.KNOWLEDGE_DIR ?? 'knowledge');
const engine = createEngine(kb);
const index = new FactIndex(
  kb.facts.map((f) => ({ questions: [...f.questions.en, ...f.questions.zh], keywords: f.keywords, aliases: f.aliases, answers: [f.answer.en, f.answer.zh ?? ''] })),
  { genericTerms: ['haidian', 'beijing', 'district', 'china', 'chinese', '海淀区', '海淀', '北京市', '北京', '中国'] },
);
for (const question of process.argv.slice(2)) {
  const tokens = tokenizeNormalized(normalizeText(question));
  console.log(`\n${question}\n  tokens: ${tokens.map((t) => t.term).join(' ')}`);
  for (const c of index.search(tokens, 5)) {
    const fact = kb.facts[c.doc];
    console.log(`  ${c.score.toFixed(3)} cov ${c.coverage.toFixed(2)} dice ${c.bestQuestion.toFixed(2)} ${c.specific ? 'S' : '-'}${c.complete ? 'C' : '-'} ${fact?.id} « ${[...(fact?.questions.en ?? []), ...(fact?.questions.zh ?? [])][c.question]} »`);
  }
  const reply = engine.ask(question);
  console.log(`  → ${reply.kind} ${reply.factId ?? ''} ${reply.confidence}`);
}
