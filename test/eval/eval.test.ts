import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import type { Engine } from '../../src/engine/types.js';
import { parseEvalFile, runEval } from '../../src/curator/eval.js';
import { loadKnowledge } from '../../src/knowledge/load.js';

// The project's own eval sets (not the shared development set: a user's clone does not have it).
const SETS = [
  { language: 'English', file: 'test/eval/haidian-en.jsonl', minInScope: 150, minTraps: 35 },
  { language: 'Chinese', file: 'test/eval/haidian-zh.jsonl', minInScope: 45, minTraps: 12 },
];
const MIN_IN_SCOPE_RIGHT = 0.95;
const MIN_TRAPS_DECLINED = 0.95;

let engine: Engine;
beforeAll(async () => {
  engine = createEngine(await loadKnowledge('knowledge'));
});

describe.each(SETS)('$language eval set', ({ file, minInScope, minTraps }) => {
  const cases = parseEvalFile(readFileSync(file, 'utf8'), file);

  it('is large enough to mean something', () => {
    expect(cases.filter((c) => c.expect).length).toBeGreaterThanOrEqual(minInScope);
    expect(cases.filter((c) => c.decline).length).toBeGreaterThanOrEqual(minTraps);
  });

  it(`answers at least ${MIN_IN_SCOPE_RIGHT * 100} % of in-scope questions right, with a source`, () => {
    const summary = runEval(engine, cases);
    const misses = summary.outcomes.filter((o) => o.group === 'in-scope' && !o.ok).map((o) => `${o.case.q} → ${o.why ?? ''}`);
    expect(summary.inScope.ok / summary.inScope.total, misses.join('\n')).toBeGreaterThanOrEqual(MIN_IN_SCOPE_RIGHT);
  });

  it(`declines at least ${MIN_TRAPS_DECLINED * 100} % of out-of-scope questions`, () => {
    const summary = runEval(engine, cases);
    const misses = summary.outcomes.filter((o) => o.group === 'decline' && !o.ok).map((o) => `${o.case.q} → ${o.why ?? ''}`);
    expect(summary.declines.ok / summary.declines.total, misses.join('\n')).toBeGreaterThanOrEqual(MIN_TRAPS_DECLINED);
  });

  it('gets every small-talk and help reply kind right', () => {
    const summary = runEval(engine, cases);
    expect(summary.kinds.ok).toBe(summary.kinds.total);
  });
});
