// Developer tool: grid over the answer threshold and the unknown-word weight on the eval sets.
import { readFileSync } from 'node:fs';
import { createEngine } from '../src/engine/engine.js';
import { parseEvalFile, runEval } from '../src/eval.js';
import { loadKnowledge } from '../src/knowledge/load.js';

const kb = await loadKnowledge('knowledge');
const files = process.argv.slice(2);
const cases = files.flatMap((f) => parseEvalFile(readFileSync(f, 'utf8'), f));
for (const ratio of [0.75, 1, 1.25, 1.5]) {
  for (const threshold of [0.42, 0.46, 0.5, 0.54, 0.58]) {
    const s = runEval(createEngine(kb, { threshold, unknownTermWeightRatio: ratio }), cases);
    const pct = (x: { ok: number; total: number }) => ((100 * x.ok) / x.total).toFixed(1);
    console.log(`ratio ${ratio} threshold ${threshold}: in-scope ${pct(s.inScope)}%  declined ${pct(s.declines)}%  kinds ${pct(s.kinds)}%`);
  }
}
