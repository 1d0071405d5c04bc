import { latestVotes, type CorrectionRecord, type CuratorRecord, type FeedbackReason } from '../bot/records.js';
import type { NearestFact } from '../engine/types.js';
import { formatReviewFinding, REVIEW_SOON_DAYS, type ReviewFinding } from '../knowledge/freshness.js';
import { REPORT_VARIANTS_SHOWN, type QuestionGroup } from './report.js';

/**
 * The curator's one page (`npm run report`), as data: the unanswered questions with the fact each was
 * nearest to and what a curator might add to reach it, the facts users disliked, the corrections users
 * sent and the facts due for review. Pure: the command reads the files and the fact base, this shapes
 * and prints. Nothing here changes the fact base: every suggestion is for a person to judge.
 */

/** Bump when a field of {@link CuratorReport} changes meaning or goes away (adding one is compatible). */
export const REPORT_JSON_VERSION = 1;

/** Facts shown in the disliked list and in each bar chart. */
export const REPORT_FACTS_SHOWN = 10;

/** Below this score the nearest fact is probably about something else: the suggestion is a new fact. */
export const NEAREST_RELATED_MIN_SCORE = 0.3;

/** What a curator could add so that a group's question reaches its nearest fact; never applied by the tool. */
export interface NearestSuggestion extends NearestFact {
  /** `keywords`: add `missingTerms` to the fact's keywords; `example`: add the question to its example questions; `new-fact`: the nearest fact is too far off. */
  readonly suggest: 'keywords' | 'example' | 'new-fact';
}

export interface UnansweredGroup extends QuestionGroup {
  readonly nearest?: NearestSuggestion;
}

/** One fact's votes, each user's last vote per answer counted once. */
export interface DislikedFact {
  readonly factId: string;
  readonly down: number;
  readonly up: number;
  readonly reasons: Readonly<Partial<Record<FeedbackReason, number>>>;
  /** Questions (scrubbed) that got a 👎, most recent first. */
  readonly questions: readonly string[];
}

export interface CorrectionItem {
  readonly time: string;
  readonly platform: string;
  readonly factId: string;
  readonly language: string;
  readonly question: string;
  readonly text: string;
  readonly link?: string;
}

/** A count per fact or question, for the bar charts. */
export interface Bar {
  readonly label: string;
  readonly count: number;
}

export interface CuratorReport {
  readonly version: typeof REPORT_JSON_VERSION;
  /** The day the review dates were checked against (YYYY-MM-DD). */
  readonly today: string;
  readonly unanswered: {
    /** The unanswered log read, when there was one. */
    readonly source?: string;
    readonly entries: number;
    readonly skipped: number;
    /** Groups in total (the list below holds the top ones). */
    readonly distinct: number;
    readonly groups: readonly UnansweredGroup[];
  };
  readonly feedback: {
    /** The records file read, when there was one. */
    readonly source?: string;
    readonly votes: number;
    readonly skipped: number;
    readonly disliked: readonly DislikedFact[];
  };
  readonly corrections: readonly CorrectionItem[];
  readonly review: readonly ReviewFinding[];
  readonly charts: {
    /** The most asked unanswered questions (group counts). */
    readonly mostAsked: readonly Bar[];
    /** The facts with the most 👎. */
    readonly mostDisliked: readonly Bar[];
  };
}

/** How a nearest fact turns into a suggestion. */
export function suggestFor(nearest: NearestFact): NearestSuggestion {
  if (nearest.score < NEAREST_RELATED_MIN_SCORE) return { ...nearest, suggest: 'new-fact' };
  return { ...nearest, suggest: nearest.missingTerms.length > 0 ? 'keywords' : 'example' };
}

/** Each user's last vote per answer and fact, then the tally per fact; most 👎 first. */
export function rankDisliked(records: readonly CuratorRecord[]): { votes: number; disliked: DislikedFact[] } {
  const last = latestVotes(records);
  const byFact = new Map<string, { down: number; up: number; reasons: Partial<Record<FeedbackReason, number>>; questions: { time: string; text: string }[] }>();
  for (const vote of last) {
    const fact = byFact.get(vote.factId) ?? { down: 0, up: 0, reasons: {}, questions: [] };
    if (vote.vote === 'up') fact.up += 1;
    else {
      fact.down += 1;
      if (vote.reason) fact.reasons[vote.reason] = (fact.reasons[vote.reason] ?? 0) + 1;
      if (vote.question.trim()) fact.questions.push({ time: vote.time, text: vote.question.trim() });
    }
    byFact.set(vote.factId, fact);
  }
  const disliked = [...byFact.entries()]
    .filter(([, fact]) => fact.down > 0)
    .map(([factId, fact]) => ({
      factId,
      down: fact.down,
      up: fact.up,
      reasons: fact.reasons,
      questions: [...new Set(fact.questions.sort((a, b) => b.time.localeCompare(a.time)).map((q) => q.text))],
    }))
    .sort((a, b) => b.down - a.down || a.up - b.up || a.factId.localeCompare(b.factId));
  return { votes: last.length, disliked };
}

/** Corrections, newest first. */
export function listCorrections(records: readonly CuratorRecord[]): CorrectionItem[] {
  return records
    .filter((record): record is CorrectionRecord => record.type === 'correction')
    .sort((a, b) => b.time.localeCompare(a.time))
    .map((r) => ({ time: r.time, platform: r.platform, factId: r.factId, language: r.language, question: r.question, text: r.text, ...(r.link ? { link: r.link } : {}) }));
}

export interface ReportInput {
  readonly today: string;
  readonly unanswered?: { readonly source: string; readonly entries: number; readonly skipped: number; readonly groups: readonly QuestionGroup[] };
  readonly records?: { readonly source: string; readonly records: readonly CuratorRecord[]; readonly skipped: number };
  readonly review: readonly ReviewFinding[];
  /** The engine's nearest fact to a question (Engine.nearest). */
  readonly nearest: (question: string) => NearestFact | undefined;
  /** Groups listed (the rest are counted). */
  readonly top: number;
}

/** Builds the page's data from what the command read. */
export function buildCuratorReport(input: ReportInput): CuratorReport {
  const groups = input.unanswered?.groups ?? [];
  const shown = groups.slice(0, input.top).map((group): UnansweredGroup => {
    const nearest = input.nearest(group.question);
    return nearest ? { ...group, nearest: suggestFor(nearest) } : group;
  });
  const { votes, disliked } = rankDisliked(input.records?.records ?? []);
  return {
    version: REPORT_JSON_VERSION,
    today: input.today,
    unanswered: {
      ...(input.unanswered ? { source: input.unanswered.source } : {}),
      entries: input.unanswered?.entries ?? 0,
      skipped: input.unanswered?.skipped ?? 0,
      distinct: groups.length,
      groups: shown,
    },
    feedback: {
      ...(input.records ? { source: input.records.source } : {}),
      votes,
      skipped: input.records?.skipped ?? 0,
      disliked: disliked.slice(0, REPORT_FACTS_SHOWN),
    },
    corrections: listCorrections(input.records?.records ?? []),
    review: input.review,
    charts: {
      mostAsked: groups.slice(0, REPORT_FACTS_SHOWN).map((g) => ({ label: g.question, count: g.count })),
      mostDisliked: disliked.slice(0, REPORT_FACTS_SHOWN).map((f) => ({ label: f.factId, count: f.down })),
    },
  };
}

/** User-written text on one terminal line: control characters (line breaks, escape sequences) become spaces. */
export function plainLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

const REASON_LABELS: Readonly<Record<FeedbackReason, string>> = { wrong: 'wrong', 'out-of-date': 'out of date', 'not-asked': 'not what was asked', other: 'other' };

/** The suggestion for one group, as a curator reads it; always marked as a suggestion. */
export function formatSuggestion(group: UnansweredGroup): string {
  const near = group.nearest;
  if (!near) return 'nearest fact: none (no word of it is in the fact base); suggestion: a new fact';
  const head = `nearest fact: ${near.factId} (score ${near.score.toFixed(2)}, e.g. “${plainLine(near.question)}”)`;
  if (near.suggest === 'new-fact') return `${head}; suggestion: probably a new fact, it is too far off`;
  if (near.suggest === 'keywords') {
    return `${head}; suggestion (not applied): if it answers this, add ${near.missingTerms.map((t) => `“${plainLine(t)}”`).join(', ')} to its keywords, or the question to its example questions`;
  }
  return `${head}; suggestion (not applied): if it answers this, add the question to its example questions`;
}

/** The page as plain text, sections in a fixed order. */
export function formatCuratorReport(report: CuratorReport, options: { variants?: number } = {}): string {
  const lines: string[] = [`Curator report, ${report.today}`, ''];
  const u = report.unanswered;
  lines.push('== Unanswered questions ==');
  if (u.source === undefined) lines.push('No unanswered log (pass FILE or set UNANSWERED_LOG).');
  else if (u.entries === 0) lines.push(`No unanswered questions in ${u.source} yet.`);
  else {
    lines.push(
      `${u.source}: ${u.entries} logged, ${u.distinct} distinct (similar wordings grouped), most asked first${u.distinct > u.groups.length ? `; top ${u.groups.length} shown` : ''}.`,
    );
    const width = String(u.groups[0]?.count ?? 0).length;
    const indent = ' '.repeat(width + 2);
    const variantsShown = options.variants ?? REPORT_VARIANTS_SHOWN;
    for (const group of u.groups) {
      lines.push(`${String(group.count).padStart(width)}× ${plainLine(group.question)}`);
      const variants = group.variants.slice(0, variantsShown).map((v) => `“${plainLine(v.question)}”${v.count > 1 ? ` ×${v.count}` : ''}`);
      const more = group.variants.length - variantsShown;
      if (variants.length > 0) lines.push(`${indent}also: ${variants.join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
      const kinds = Object.entries(group.kinds)
        .map(([kind, n]) => `${kind === 'answer' ? 'low-confidence answer' : kind} ${n}`)
        .join(', ');
      const facts = group.closestFacts.length > 0 ? `; answered with ${group.closestFacts.slice(0, 3).join(', ')}` : '';
      lines.push(`${indent}${kinds}${facts}; ${group.platforms.join(', ')}; last ${group.lastAsked.slice(0, 10)}`);
      lines.push(`${indent}${formatSuggestion(group)}`);
    }
  }

  const f = report.feedback;
  lines.push('', '== Disliked answers (👎) ==');
  if (f.source === undefined) lines.push('No feedback records (pass --records FILE or set FEEDBACK_LOG).');
  else if (f.disliked.length === 0) lines.push(`No 👎 in ${f.source} (${f.votes} vote(s)).`);
  else {
    lines.push(`${f.source}: ${f.votes} vote(s) (each user's last per answer), most 👎 first.`);
    for (const fact of f.disliked) {
      const reasons = Object.entries(fact.reasons)
        .sort((a, b) => b[1] - a[1])
        .map(([reason, n]) => `${REASON_LABELS[reason as FeedbackReason]} ${n}`)
        .join(', ');
      lines.push(`${fact.down}👎 ${fact.up}👍 ${fact.factId}${reasons ? `: ${reasons}` : ''}`);
      if (fact.questions.length > 0) lines.push(`      asked: ${fact.questions.slice(0, 3).map((q) => `“${plainLine(q)}”`).join(', ')}`);
    }
  }

  lines.push('', '== Corrections to review ==');
  if (report.corrections.length === 0) lines.push(f.source === undefined ? 'No feedback records.' : 'No corrections.');
  for (const c of report.corrections) {
    lines.push(`${c.time.slice(0, 16).replace('T', ' ')} ${c.platform} ${c.factId} (${c.language}): ${plainLine(c.text)}`);
    if (c.link) lines.push(`      source given (not checked): ${plainLine(c.link)}`);
    if (c.question.trim()) lines.push(`      asked: “${plainLine(c.question)}”`);
  }

  lines.push('', '== Facts to review ==');
  if (report.review.length === 0) lines.push(`No fact is past its review_by date or due within ${REVIEW_SOON_DAYS} days.`);
  for (const finding of report.review) lines.push(`${finding.status}: ${formatReviewFinding(finding)}`);

  const skipped = [
    u.skipped > 0 ? `${u.skipped} unreadable line(s) skipped in ${u.source ?? 'the unanswered log'}` : undefined,
    f.skipped > 0 ? `${f.skipped} unreadable line(s) skipped in ${f.source ?? 'the feedback records'}` : undefined,
  ].filter(Boolean);
  if (skipped.length > 0) lines.push('', `${skipped.join('; ')}.`);
  return `${lines.join('\n')}\n`;
}
