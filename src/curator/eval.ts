import { z } from 'zod';
import { renderPlainText } from '../engine/render.js';
import type { Engine, Reply, ReplyKind } from '../engine/types.js';

/** One line of an eval file: what a right reply must contain, or that it must decline, or its kind. */
export const EvalCaseSchema = z
  .object({
    q: z.string(),
    expect: z.array(z.string()).min(1).optional(),
    decline: z.literal(true).optional(),
    kind: z.enum(['answer', 'no-match', 'smalltalk', 'help', 'related']).optional(),
    category: z.string().optional(),
  })
  .refine((c) => [c.expect, c.decline, c.kind].filter((v) => v !== undefined).length === 1, {
    message: 'needs exactly one of "expect", "decline" or "kind"',
  });
export type EvalCase = z.infer<typeof EvalCaseSchema>;

export interface EvalOutcome {
  readonly case: EvalCase;
  readonly category: string;
  readonly group: 'in-scope' | 'decline' | 'kind';
  readonly ok: boolean;
  readonly reply: Reply;
  readonly text: string;
  readonly why?: string;
}

export interface EvalSummary {
  readonly outcomes: readonly EvalOutcome[];
  readonly byCategory: ReadonlyMap<string, { total: number; ok: number }>;
  readonly inScope: { total: number; ok: number };
  readonly declines: { total: number; ok: number };
  readonly kinds: { total: number; ok: number };
}

/** Parses JSONL eval text; throws with the line number of the first bad line. */
export function parseEvalFile(text: string, file: string): EvalCase[] {
  const cases: EvalCase[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new Error(`${file}:${i + 1}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = EvalCaseSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
    for (const pattern of parsed.data.expect ?? []) {
      try {
        new RegExp(pattern, 'i');
      } catch {
        throw new Error(`${file}:${i + 1}: invalid regex ${JSON.stringify(pattern)}`);
      }
    }
    cases.push(parsed.data);
  });
  return cases;
}

/** Runs every case through the engine and scores it. Pure apart from running the engine. */
export function runEval(engine: Engine, cases: readonly EvalCase[]): EvalSummary {
  const outcomes = cases.map((c) => judge(engine, c));
  const byCategory = new Map<string, { total: number; ok: number }>();
  const tally = { 'in-scope': { total: 0, ok: 0 }, decline: { total: 0, ok: 0 }, kind: { total: 0, ok: 0 } };
  for (const outcome of outcomes) {
    const entry = byCategory.get(outcome.category) ?? { total: 0, ok: 0 };
    entry.total++;
    tally[outcome.group].total++;
    if (outcome.ok) {
      entry.ok++;
      tally[outcome.group].ok++;
    }
    byCategory.set(outcome.category, entry);
  }
  return { outcomes, byCategory, inScope: tally['in-scope'], declines: tally.decline, kinds: tally.kind };
}

function judge(engine: Engine, c: EvalCase): EvalOutcome {
  const reply = engine.ask(c.q);
  const text = renderPlainText(reply);
  if (c.expect) {
    const category = c.category ?? 'in-scope';
    if (reply.kind !== 'answer') return { case: c, category, group: 'in-scope', ok: false, reply, text, why: `no answer (${reply.kind})` };
    if (reply.sources.length === 0) return { case: c, category, group: 'in-scope', ok: false, reply, text, why: 'answer without a source' };
    const missing = c.expect.filter((pattern) => !new RegExp(pattern, 'i').test(text));
    const why = missing.length > 0 ? `answered ${reply.factId ?? '?'}, missing /${missing.join('/, /')}/` : undefined;
    return { case: c, category, group: 'in-scope', ok: missing.length === 0, reply, text, ...(why ? { why } : {}) };
  }
  if (c.decline) {
    const category = c.category ?? 'decline';
    const ok = reply.kind !== 'answer';
    return { case: c, category, group: 'decline', ok, reply, text, ...(ok ? {} : { why: `answered ${reply.factId ?? '?'} (confidence ${reply.confidence})` }) };
  }
  const expected = c.kind as Exclude<ReplyKind, 'notice'>;
  const category = c.category ?? `kind:${expected}`;
  const ok = reply.kind === expected;
  return { case: c, category, group: 'kind', ok, reply, text, ...(ok ? {} : { why: `kind ${reply.kind}, expected ${expected}` }) };
}

const pct = (ok: number, total: number): string => (total === 0 ? '   -  ' : `${((100 * ok) / total).toFixed(1).padStart(5)}%`);

/** The human-readable report: results by category, the totals, then every miss. */
export function formatEvalReport(file: string, summary: EvalSummary): string {
  const lines = [`${file}: ${summary.outcomes.length} questions`, ''];
  lines.push('category          right / total');
  for (const [category, { ok, total }] of [...summary.byCategory].sort()) {
    lines.push(`  ${category.padEnd(16)}${String(ok).padStart(5)} / ${String(total).padEnd(5)} ${pct(ok, total)}`);
  }
  lines.push('');
  lines.push(`in scope answered right, with a source: ${summary.inScope.ok}/${summary.inScope.total} ${pct(summary.inScope.ok, summary.inScope.total)}`);
  lines.push(`out of scope declined:                  ${summary.declines.ok}/${summary.declines.total} ${pct(summary.declines.ok, summary.declines.total)}`);
  lines.push(`reply kind right (small talk, help):    ${summary.kinds.ok}/${summary.kinds.total} ${pct(summary.kinds.ok, summary.kinds.total)}`);
  const misses = summary.outcomes.filter((o) => !o.ok);
  lines.push('', misses.length === 0 ? 'no misses' : `misses (${misses.length}):`);
  for (const miss of misses) {
    lines.push(`  ✗ [${miss.category}] ${miss.case.q}`);
    lines.push(`      ${miss.why ?? ''}; confidence ${miss.reply.confidence}; reply: ${miss.reply.body.slice(0, 110).replace(/\n/g, ' ')}`);
  }
  return lines.join('\n');
}
