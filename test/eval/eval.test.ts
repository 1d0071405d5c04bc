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
  // The sets written with the grown fact base (issue 16). Where a bar is below the 95 % target it is
  // set at today's measured floor, so it catches a regression; raising it is open work.
  { language: 'English (transport)', file: 'test/eval/kb-transport-en.jsonl', minInScope: 50, minTraps: 11, inScopeBar: 0.9 },
  { language: 'Chinese (transport)', file: 'test/eval/kb-transport-zh.jsonl', minInScope: 28, minTraps: 10, inScopeBar: 0.9 },
  { language: 'English (health, economy)', file: 'test/eval/kb-health-economy-en.jsonl', minInScope: 42, minTraps: 12, trapBar: 0.9 },
  { language: 'Chinese (health, economy)', file: 'test/eval/kb-health-economy-zh.jsonl', minInScope: 14, minTraps: 5 },
  { language: 'English (education)', file: 'test/eval/kb-education-en.jsonl', minInScope: 50, minTraps: 15 },
  { language: 'Chinese (education)', file: 'test/eval/kb-education-zh.jsonl', minInScope: 25, minTraps: 8 },
  { language: 'English (sights, museums, parks)', file: 'test/eval/kb-sights-en.jsonl', minInScope: 60, minTraps: 17, trapBar: 0.85 },
  { language: 'Chinese (sights, museums, parks)', file: 'test/eval/kb-sights-zh.jsonl', minInScope: 36, minTraps: 9, trapBar: 0.85 },
  { language: 'English (schools, sport venues, places)', file: 'test/eval/kb-more-en.jsonl', minInScope: 58, minTraps: 14 },
  { language: 'Chinese (schools, sport venues, places)', file: 'test/eval/kb-more-zh.jsonl', minInScope: 28, minTraps: 9 },
  { language: 'English (towns, company offices, rail)', file: 'test/eval/kb-admin-en.jsonl', minInScope: 65, minTraps: 16 },
  { language: 'Chinese (towns, company offices, rail)', file: 'test/eval/kb-admin-zh.jsonl', minInScope: 34, minTraps: 10 },
  // Issue 18: names the base does not know and attributes it lacks. The bar is no confident answer about
  // another subject at all; the in-scope rows are known subjects asked for what their facts do state.
  { language: 'English (subject traps)', file: 'test/eval/subject-traps-en.jsonl', minInScope: 10, minTraps: 30, trapBar: 1 },
  { language: 'Chinese (subject traps)', file: 'test/eval/subject-traps-zh.jsonl', minInScope: 8, minTraps: 20, trapBar: 1 },
];
const MIN_IN_SCOPE_RIGHT = 0.95;
const MIN_TRAPS_DECLINED = 0.95;

let engine: Engine;
beforeAll(async () => {
  engine = createEngine(await loadKnowledge('knowledge'));
});

describe.each(SETS)('$language eval set', ({ file, minInScope, minTraps, ...bars }) => {
  const inScopeBar = ('inScopeBar' in bars ? bars.inScopeBar : undefined) ?? MIN_IN_SCOPE_RIGHT;
  const trapBar = ('trapBar' in bars ? bars.trapBar : undefined) ?? MIN_TRAPS_DECLINED;
  const cases = parseEvalFile(readFileSync(file, 'utf8'), file);

  it('is large enough to mean something', () => {
    const turns = cases.flatMap((c) => c.turns);
    expect(turns.filter((t) => t.expect).length).toBeGreaterThanOrEqual(minInScope);
    expect(turns.filter((t) => t.decline).length).toBeGreaterThanOrEqual(minTraps);
  });

  it(`answers at least ${inScopeBar * 100} % of in-scope questions right, with a source`, () => {
    const summary = runEval(engine, cases);
    const misses = summary.outcomes.filter((o) => o.group === 'in-scope' && !o.ok).map((o) => `${o.question} → ${o.why ?? ''}`);
    expect(summary.inScope.ok / summary.inScope.total, misses.join('\n')).toBeGreaterThanOrEqual(inScopeBar);
  });

  it(`declines at least ${trapBar * 100} % of out-of-scope questions`, () => {
    const summary = runEval(engine, cases);
    const misses = summary.outcomes.filter((o) => o.group === 'decline' && !o.ok).map((o) => `${o.question} → ${o.why ?? ''}`);
    expect(summary.declines.ok / summary.declines.total, misses.join('\n')).toBeGreaterThanOrEqual(trapBar);
  });

  it('gets every small-talk and help reply kind right', () => {
    const summary = runEval(engine, cases);
    expect(summary.kinds.ok).toBe(summary.kinds.total);
  });
});

// Issue 16: whatever a set's own bar, each language holds the 95 % / 95 % bars over all its sets together.
describe.each(['en', 'zh'])('all %s sets together', (language) => {
  it(`answer at least ${MIN_IN_SCOPE_RIGHT * 100} % of in-scope questions right and decline at least ${MIN_TRAPS_DECLINED * 100} % of traps`, () => {
    const files = SETS.map((set) => set.file).filter((file) => file.endsWith(`-${language}.jsonl`));
    const summaries = files.map((file) => runEval(engine, parseEvalFile(readFileSync(file, 'utf8'), file)));
    const sum = (pick: (summary: (typeof summaries)[number]) => { ok: number; total: number }) =>
      summaries.reduce((total, summary) => ({ ok: total.ok + pick(summary).ok, total: total.total + pick(summary).total }), { ok: 0, total: 0 });
    const inScope = sum((summary) => summary.inScope);
    const traps = sum((summary) => summary.declines);
    expect(files.length).toBeGreaterThanOrEqual(7);
    expect(inScope.ok / inScope.total, `${inScope.ok}/${inScope.total} in scope`).toBeGreaterThanOrEqual(MIN_IN_SCOPE_RIGHT);
    expect(traps.ok / traps.total, `${traps.ok}/${traps.total} traps`).toBeGreaterThanOrEqual(MIN_TRAPS_DECLINED);
  });
});

// Issue 14: follow-ups. Each line is a conversation run as a thread runs it (each reply's context goes
// with the next question), or a follow-up asked with no conversation, which must get `clarify`.
const FOLLOW_UP_SETS = [
  { language: 'English (follow-ups)', file: 'test/eval/follow-up-en.jsonl', minLines: 30, minNoContext: 10 },
  { language: 'Chinese (follow-ups)', file: 'test/eval/follow-up-zh.jsonl', minLines: 15, minNoContext: 8 },
];
const MIN_FOLLOW_UPS_RIGHT = 0.9;

describe.each(FOLLOW_UP_SETS)('$language eval set', ({ file, minLines, minNoContext }) => {
  const cases = parseEvalFile(readFileSync(file, 'utf8'), file);

  it('is large enough to mean something', () => {
    expect(cases.length).toBeGreaterThanOrEqual(minLines);
    expect(cases.filter((c) => c.turns.length > 1).length).toBeGreaterThanOrEqual(minLines - minNoContext);
    expect(cases.filter((c) => c.turns.length === 1 && c.turns[0]?.kind === 'clarify').length).toBeGreaterThanOrEqual(minNoContext);
  });

  it(`gets at least ${MIN_FOLLOW_UPS_RIGHT * 100} % of its questions right`, () => {
    const summary = runEval(engine, cases);
    const misses = summary.outcomes.filter((o) => !o.ok).map((o) => `${o.question} → ${o.why ?? ''}`);
    expect(summary.all.ok / summary.all.total, misses.join('\n')).toBeGreaterThanOrEqual(MIN_FOLLOW_UPS_RIGHT);
    expect(summary.inScope.ok / summary.inScope.total, misses.join('\n')).toBeGreaterThanOrEqual(MIN_FOLLOW_UPS_RIGHT);
  });

  it('never answers a follow-up asked with no conversation (no confident wrong answer)', () => {
    const summary = runEval(engine, cases);
    expect(summary.noContext.total).toBeGreaterThanOrEqual(minNoContext);
    const guessed = summary.outcomes.filter((o) => o.guessedWithoutContext).map((o) => `${o.question} → ${o.reply.factId ?? ''}`);
    expect(guessed).toEqual([]);
  });
});
