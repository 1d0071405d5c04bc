import { normalizeText } from '../engine/normalize.js';
import type { UnansweredEntry } from './unanswered.js';

/**
 * The pure part of `npm run report`: reads unanswered-log lines, groups similar wordings of the same
 * question and ranks the groups by how often they were asked, so a curator adds the facts most asked for.
 */

/**
 * Two wordings belong to one group when their term sets overlap at least this much (Jaccard index:
 * shared terms / all distinct terms). After stop words, "What's the weather forecast for Haidian
 * today" {weather, forecast, today} joins "weather in haidian today" {weather, today} (2/3), while
 * "GDP in 2016" {gdp, 2016} stays apart from "GDP in 2020" {gdp, 2020} (1/3): a different year is a
 * different fact to add. At 0.5 two-word questions sharing one word would merge; at 0.75 one extra
 * word would split a group.
 */
export const GROUP_SIMILARITY_MIN = 0.6;

/** Groups shown by default. */
export const REPORT_TOP_DEFAULT = 20;

/** Other wordings shown under each group. */
export const REPORT_VARIANTS_SHOWN = 3;

/**
 * Words that say nothing about what was asked. Besides English function words, the names every
 * question here shares (Haidian, Beijing, district) are dropped, as the engine weighs them down too.
 */
const STOP_WORDS = new Set(
  (
    'a an the is are was were be been am do does did of in on at to for from by with about as and or ' +
    'what whats which who whom whose when where why how many much there it its this that these those ' +
    'i me my we our you your he she they them can could would should will shall may might please tell ' +
    'know give show get any some have has had haidian beijing district'
  ).split(' '),
);

/** Chinese function words and question words, removed before the text is cut into character pairs. */
const ZH_STOP_PHRASES = ['海淀区', '海淀', '北京市', '北京', '请问', '什么', '多少', '哪些', '哪里', '哪个', '怎么', '是否', '吗', '呢', '吧', '啊', '的', '了', '是', '有', '在', '和'];

/** A parsed log line. */
export type LogEntry = UnansweredEntry;

/** The log's lines, parsed; unreadable lines are counted, not fatal (a crash may cut the last line). */
export function parseUnansweredLog(text: string): { entries: LogEntry[]; skipped: number } {
  const entries: LogEntry[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as Partial<LogEntry>;
      if (typeof value.question !== 'string' || typeof value.kind !== 'string') throw new Error('not an entry');
      entries.push({
        time: String(value.time ?? ''),
        platform: String(value.platform ?? ''),
        kind: value.kind,
        confidence: typeof value.confidence === 'number' ? value.confidence : 0,
        ...(typeof value.factId === 'string' ? { factId: value.factId } : {}),
        question: value.question,
      });
    } catch {
      skipped += 1;
    }
  }
  return { entries, skipped };
}

/**
 * The words of a question that say what it is about: normalised (case, width, punctuation, traditional
 * → simplified), stop words removed, plural "s" dropped. Chinese has no spaces: it becomes its
 * characters plus overlapping character pairs, so reordered wordings (医院有多少家 / 有多少家医院) still
 * share most terms while the pairs keep different words (学校 / 医院) apart.
 */
export function questionTerms(question: string): Set<string> {
  const terms = new Set<string>();
  for (const word of normalizeText(question).split(/\s+/)) {
    if (word === '' || STOP_WORDS.has(word)) continue;
    if (/\p{Script=Han}/u.test(word)) {
      let rest = word;
      for (const phrase of ZH_STOP_PHRASES) rest = rest.split(phrase).join(' ');
      for (const run of rest.split(/[^\p{Script=Han}]+/u)) {
        for (const char of run) terms.add(char);
        for (let i = 0; i + 1 < run.length; i++) terms.add(run.slice(i, i + 2));
      }
      for (const latin of rest.split(/\p{Script=Han}+/u)) addWord(terms, latin.trim());
    } else addWord(terms, word);
  }
  return terms;
}

function addWord(terms: Set<string>, word: string): void {
  if (word === '' || STOP_WORDS.has(word)) return;
  if (/^[a-z]{4,}ies$/.test(word)) terms.add(`${word.slice(0, -3)}y`);
  else if (/^[a-z]{3,}[^s]s$/.test(word)) terms.add(word.slice(0, -1));
  else terms.add(word);
}

/** Jaccard index of two sets: |A ∩ B| / |A ∪ B|, 1 for two empty sets. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/** One group of similar questions. */
export interface QuestionGroup {
  /** The most frequent wording. */
  readonly question: string;
  readonly count: number;
  /** Other wordings, most frequent first, with their counts. */
  readonly variants: readonly { readonly question: string; readonly count: number }[];
  /** Entries by reply kind: `no-match` or `answer` (a low-confidence answer). */
  readonly kinds: Readonly<Record<string, number>>;
  /** Facts low-confidence answers picked, most frequent first: what the question was confused with. */
  readonly closestFacts: readonly string[];
  readonly platforms: readonly string[];
  /** ISO time of the latest entry. */
  readonly lastAsked: string;
}

interface Wording {
  readonly text: string;
  readonly terms: Set<string>;
  readonly entries: LogEntry[];
}

/** Groups similar wordings (Jaccard ≥ {@link GROUP_SIMILARITY_MIN} on {@link questionTerms}); most asked first. */
export function groupUnanswered(entries: readonly LogEntry[], similarityMin = GROUP_SIMILARITY_MIN): QuestionGroup[] {
  // Wordings that normalise to the same terms are the same wording; the first text seen stands for them.
  const wordings = new Map<string, Wording>();
  for (const entry of entries) {
    const terms = questionTerms(entry.question);
    const key = terms.size > 0 ? [...terms].sort().join(' ') : `=${normalizeText(entry.question)}`;
    const wording = wordings.get(key) ?? { text: entry.question.trim(), terms, entries: [] };
    wording.entries.push(entry);
    wordings.set(key, wording);
  }
  // Greedy clustering, most frequent wording first: each joins the first group whose leading wording is
  // similar enough. Comparing with the leader (not any member) stops chains drifting from topic to topic.
  const ordered = [...wordings.values()].sort((a, b) => b.entries.length - a.entries.length || a.text.localeCompare(b.text));
  const clusters: Wording[][] = [];
  for (const wording of ordered) {
    const home = wording.terms.size > 0 ? clusters.find((cluster) => jaccard((cluster[0] as Wording).terms, wording.terms) >= similarityMin) : undefined;
    if (home) home.push(wording);
    else clusters.push([wording]);
  }
  return clusters
    .map((cluster) => summarise(cluster))
    .sort((a, b) => b.count - a.count || b.lastAsked.localeCompare(a.lastAsked) || a.question.localeCompare(b.question));
}

function summarise(cluster: readonly Wording[]): QuestionGroup {
  const all = cluster.flatMap((wording) => wording.entries);
  const kinds: Record<string, number> = {};
  const facts = new Map<string, number>();
  for (const entry of all) {
    kinds[entry.kind] = (kinds[entry.kind] ?? 0) + 1;
    if (entry.factId) facts.set(entry.factId, (facts.get(entry.factId) ?? 0) + 1);
  }
  const [lead, ...rest] = cluster as [Wording, ...Wording[]];
  return {
    question: lead.text,
    count: all.length,
    variants: rest.map((wording) => ({ question: wording.text, count: wording.entries.length })),
    kinds,
    closestFacts: [...facts.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id),
    platforms: [...new Set(all.map((entry) => entry.platform))].sort(),
    lastAsked: all.map((entry) => entry.time).sort().at(-1) ?? '',
  };
}
