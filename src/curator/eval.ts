import { z } from 'zod';
import { askNextTurn } from '../engine/follow-up.js';
import { renderPlainText } from '../engine/render.js';
import type { ConversationContext, Engine, Reply, ReplyKind } from '../engine/types.js';

const Expect = z.array(z.string()).min(1).optional();
const Kind = z.enum(['answer', 'no-match', 'smalltalk', 'help', 'related', 'clarify']).optional();
const checksOf = (c: { expect?: unknown; decline?: unknown; kind?: unknown }): number => [c.expect, c.decline, c.kind].filter((v) => v !== undefined).length;

/** One line of an eval file that is one question: what a right reply must contain, or that it must decline, or its kind. */
const SingleLineSchema = z
  .object({
    q: z.string(),
    expect: Expect,
    decline: z.literal(true).optional(),
    kind: Kind,
    category: z.string().optional(),
  })
  .refine((c) => checksOf(c) === 1, { message: 'needs exactly one of "expect", "decline" or "kind"' });

/** One question of a conversation; a turn without a check only sets the conversation up. */
const TurnSchema = z
  .object({ q: z.string(), expect: Expect, decline: z.literal(true).optional(), kind: Kind })
  .refine((t) => checksOf(t) <= 1, { message: 'a turn has at most one of "expect", "decline" or "kind"' });

/** One line that is a conversation: its turns are asked in order, each with the context the previous reply left. */
const ConversationLineSchema = z
  .object({ turns: z.array(TurnSchema).min(2, 'a conversation needs at least two turns'), category: z.string().optional() })
  .refine((c) => c.turns.some((t) => checksOf(t) === 1), { message: 'at least one turn needs "expect", "decline" or "kind"' });

export type EvalTurn = z.infer<typeof TurnSchema>;

/** A parsed eval line: one question is a conversation of one turn. */
export interface EvalCase {
  readonly turns: readonly EvalTurn[];
  readonly category?: string;
}

export interface EvalOutcome {
  readonly case: EvalCase;
  /** The turn scored (the case's only turn for a one-question line). */
  readonly turn: EvalTurn;
  /** The question as shown in reports: a conversation's earlier turns first ("… → and in 2017?"). */
  readonly question: string;
  readonly category: string;
  readonly group: 'in-scope' | 'decline' | 'kind';
  readonly ok: boolean;
  readonly reply: Reply;
  readonly text: string;
  readonly why?: string;
  /** Asked with no conversation before it and expected to get `clarify`, but answered: a guess. */
  readonly guessedWithoutContext?: boolean;
}

export interface EvalSummary {
  readonly outcomes: readonly EvalOutcome[];
  readonly byCategory: ReadonlyMap<string, { total: number; ok: number }>;
  readonly inScope: { total: number; ok: number };
  readonly declines: { total: number; ok: number };
  readonly kinds: { total: number; ok: number };
  /** Every scored turn. */
  readonly all: { total: number; ok: number };
  /** Questions that lean on a conversation, asked without one (expected `clarify`), and how many were answered anyway. */
  readonly noContext: { total: number; answered: number };
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
    const conversation = typeof json === 'object' && json !== null && 'turns' in json;
    const parsed = conversation ? ConversationLineSchema.safeParse(json) : SingleLineSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
    const c: EvalCase =
      'turns' in parsed.data
        ? parsed.data
        : (({ category, ...turn }) => ({ turns: [turn], ...(category !== undefined ? { category } : {}) }))(parsed.data);
    for (const pattern of c.turns.flatMap((t) => t.expect ?? [])) {
      try {
        new RegExp(pattern, 'i');
      } catch {
        throw new Error(`${file}:${i + 1}: invalid regex ${JSON.stringify(pattern)}`);
      }
    }
    cases.push(c);
  });
  return cases;
}

/** Runs every case through the engine and scores it; a conversation's turns follow each other as in a thread. */
export function runEval(engine: Engine, cases: readonly EvalCase[]): EvalSummary {
  const outcomes = cases.flatMap((c) => runCase(engine, c));
  const byCategory = new Map<string, { total: number; ok: number }>();
  const tally = { 'in-scope': { total: 0, ok: 0 }, decline: { total: 0, ok: 0 }, kind: { total: 0, ok: 0 } };
  const all = { total: 0, ok: 0 };
  const noContext = { total: 0, answered: 0 };
  for (const outcome of outcomes) {
    const entry = byCategory.get(outcome.category) ?? { total: 0, ok: 0 };
    entry.total++;
    all.total++;
    tally[outcome.group].total++;
    if (outcome.ok) {
      entry.ok++;
      all.ok++;
      tally[outcome.group].ok++;
    }
    if (outcome.guessedWithoutContext !== undefined) {
      noContext.total++;
      if (outcome.guessedWithoutContext) noContext.answered++;
    }
    byCategory.set(outcome.category, entry);
  }
  return { outcomes, byCategory, inScope: tally['in-scope'], declines: tally.decline, kinds: tally.kind, all, noContext };
}

function runCase(engine: Engine, c: EvalCase): EvalOutcome[] {
  const outcomes: EvalOutcome[] = [];
  let context: ConversationContext | undefined;
  const asked: string[] = [];
  c.turns.forEach((turn, i) => {
    const next = askNextTurn(engine, turn.q, context);
    context = next.context;
    asked.push(turn.q);
    const question = asked.length > 3 ? `… → ${asked.slice(-3).join(' → ')}` : asked.join(' → ');
    const judged = judge(turn, c.category, next.reply);
    if (!judged) return;
    // A question that leans on a conversation, asked as a conversation's first words, must not be answered.
    const first = i === 0 && turn.kind === 'clarify';
    outcomes.push({ case: c, turn, question, ...judged, ...(first ? { guessedWithoutContext: next.reply.kind === 'answer' } : {}) });
  });
  return outcomes;
}

type Judged = Pick<EvalOutcome, 'category' | 'group' | 'ok' | 'reply' | 'text' | 'why'>;

function judge(c: EvalTurn, caseCategory: string | undefined, reply: Reply): Judged | undefined {
  const text = renderPlainText(reply);
  if (c.expect) {
    const category = caseCategory ?? 'in-scope';
    if (reply.kind !== 'answer') return { category, group: 'in-scope', ok: false, reply, text, why: `no answer (${reply.kind})` };
    if (reply.sources.length === 0) return { category, group: 'in-scope', ok: false, reply, text, why: 'answer without a source' };
    const missing = c.expect.filter((pattern) => !new RegExp(pattern, 'i').test(text));
    const why = missing.length > 0 ? `answered ${reply.factId ?? '?'}, missing /${missing.join('/, /')}/` : undefined;
    return { category, group: 'in-scope', ok: missing.length === 0, reply, text, ...(why ? { why } : {}) };
  }
  if (c.decline) {
    const category = caseCategory ?? 'decline';
    const ok = reply.kind !== 'answer';
    return { category, group: 'decline', ok, reply, text, ...(ok ? {} : { why: `answered ${reply.factId ?? '?'} (confidence ${reply.confidence})` }) };
  }
  if (c.kind === undefined) return undefined;
  const expected: Exclude<ReplyKind, 'notice'> = c.kind;
  const category = caseCategory ?? `kind:${expected}`;
  const ok = reply.kind === expected;
  return { category, group: 'kind', ok, reply, text, ...(ok ? {} : { why: `kind ${reply.kind}${reply.factId ? ` (${reply.factId})` : ''}, expected ${expected}` }) };
}

const pct = (ok: number, total: number): string => (total === 0 ? '   -  ' : `${((100 * ok) / total).toFixed(1).padStart(5)}%`);

/** The human-readable report: results by category, the totals, then every miss. */
export function formatEvalReport(file: string, summary: EvalSummary): string {
  const turns = summary.outcomes.length;
  const conversations = new Set(summary.outcomes.filter((o) => o.case.turns.length > 1).map((o) => o.case)).size;
  const lines = [`${file}: ${turns} questions${conversations > 0 ? ` scored (${conversations} conversations)` : ''}`, ''];
  lines.push('category          right / total');
  for (const [category, { ok, total }] of [...summary.byCategory].sort()) {
    lines.push(`  ${category.padEnd(16)}${String(ok).padStart(5)} / ${String(total).padEnd(5)} ${pct(ok, total)}`);
  }
  lines.push('');
  lines.push(`in scope answered right, with a source: ${summary.inScope.ok}/${summary.inScope.total} ${pct(summary.inScope.ok, summary.inScope.total)}`);
  lines.push(`out of scope declined:                  ${summary.declines.ok}/${summary.declines.total} ${pct(summary.declines.ok, summary.declines.total)}`);
  lines.push(`reply kind right (small talk, help):    ${summary.kinds.ok}/${summary.kinds.total} ${pct(summary.kinds.ok, summary.kinds.total)}`);
  if (conversations > 0 || summary.noContext.total > 0) {
    lines.push(`all questions right:                    ${summary.all.ok}/${summary.all.total} ${pct(summary.all.ok, summary.all.total)}`);
    lines.push(`follow-ups with no context answered (confident wrong): ${summary.noContext.answered}/${summary.noContext.total}`);
  }
  const misses = summary.outcomes.filter((o) => !o.ok);
  lines.push('', misses.length === 0 ? 'no misses' : `misses (${misses.length}):`);
  for (const miss of misses) {
    lines.push(`  ✗ [${miss.category}] ${miss.question}`);
    lines.push(`      ${miss.why ?? ''}; confidence ${miss.reply.confidence}; reply: ${miss.reply.body.slice(0, 110).replace(/\n/g, ' ')}`);
  }
  return lines.join('\n');
}
