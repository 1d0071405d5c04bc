// Developer tool: grid over the answer threshold and the unknown-word weight, per eval file.
import { readFileSync } from 'node:fs';
import { createEngine } from '../src/engine/engine.js';
import { parseEvalFile, runEval } from '../src/curator/eval.js';
import { loadKnowledge } from '../src/knowledge/load.js';

const kb = await loadKnowledge('knowledge');
const sets = process.argv.slice(2).map((f) => ({ f, cases: parseEvalFile(readFileSync(f, 'utf8'), f) }));
const pct = (x: { ok: number; total: number }) => ((100 * x.ok) / x.total).toFixed(1).padStart(5);
for (const ratio of [0.75, 1]) {
  for (const threshold of [0.42, 0.45, 0.48, 0.5, 0.52, 0.55]) {
    const engine = createEngine(kb, { threshold, unknownTermWeightRatio: ratio });
    const cols = sets.map(({ cases }) => {
      const s = runEval(engine, cases);
      return `${pct(s.inScope)} ${pct(s.declines)}`;
    });
    console.log(`ratio ${ratio} thr ${threshold.toFixed(2)}: ${cols.join(' | ')}`);
  }
}
