import type { KnowledgeBase } from './schema.js';

/** A fact due for review within this many days is listed before its date passes, so a curator has time to check it. */
export const REVIEW_SOON_DAYS = 30;

const DAY_MS = 86_400_000;

/** A fact past its `review_by` date, or due within {@link REVIEW_SOON_DAYS} of it. */
export interface ReviewFinding {
  readonly factId: string;
  readonly file: string;
  readonly reviewBy: string;
  readonly asOf: string;
  /** `past`: answers now say the figure may be out of date; `soon`: they will within the window. */
  readonly status: 'past' | 'soon';
  /** Days from today to the review date: negative once it has passed. */
  readonly daysLeft: number;
}

/** Whole days from `from` to `to`, both YYYY-MM-DD. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * The facts a curator should check again on `today` (YYYY-MM-DD): past their review date (as the
 * engine marks their answers stale: the day after `review_by`) or within `soonDays` of it; most overdue first.
 */
export function findDueReviews(kb: KnowledgeBase, today: string, soonDays = REVIEW_SOON_DAYS): ReviewFinding[] {
  const out: ReviewFinding[] = [];
  for (const fact of kb.facts) {
    if (fact.review_by === undefined) continue;
    const daysLeft = daysBetween(today, fact.review_by);
    if (daysLeft > soonDays) continue;
    out.push({
      factId: fact.id,
      file: kb.factFiles.get(fact.id) ?? '?',
      reviewBy: fact.review_by,
      asOf: fact.as_of,
      status: daysLeft < 0 ? 'past' : 'soon',
      daysLeft,
    });
  }
  return out.sort((a, b) => a.daysLeft - b.daysLeft || a.factId.localeCompare(b.factId));
}

/** One finding as a line of `knowledge:check` and the report: `economy.yaml: gdp-2023: review by 2025-06-30 (159 days ago; as of 2024-03-20)`. */
export function formatReviewFinding(finding: ReviewFinding): string {
  const when =
    finding.daysLeft < 0
      ? `${-finding.daysLeft} day${finding.daysLeft === -1 ? '' : 's'} ago`
      : finding.daysLeft === 0
        ? 'today'
        : `in ${finding.daysLeft} day${finding.daysLeft === 1 ? '' : 's'}`;
  return `${finding.file}: ${finding.factId}: review by ${finding.reviewBy} (${when}; as of ${finding.asOf})`;
}
