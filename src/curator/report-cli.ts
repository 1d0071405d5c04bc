import { access, readFile, writeFile } from 'node:fs/promises';
import { defineCommand, runCommand, UsageError, ValueError, wholeNumber } from '../bot/command-line.js';
import { createSilentLogger } from '../bot/log.js';
import { parseRecords, readRecordLog } from '../bot/records.js';
import { createEngine } from '../engine/engine.js';
import { findDueReviews } from '../knowledge/freshness.js';
import { isCalendarDay, type KnowledgeBase } from '../knowledge/schema.js';
import { buildCuratorReport, formatCuratorReport, type ReportInput } from './curator-page.js';
import { renderCuratorReportHtml } from './report-html.js';
import { groupUnanswered, parseUnansweredLog, REPORT_TOP_DEFAULT } from './report.js';

/** `parse` for `--today`: a real day written YYYY-MM-DD. */
export function calendarDay(text: string): string {
  if (!isCalendarDay(text)) throw new ValueError('a real date written YYYY-MM-DD');
  return text;
}

/** `npm run report` (run by src/cli.ts). Exit codes: 0 report printed, 1 a log cannot be read, 2 usage error. */
export const REPORT_COMMAND = defineCommand({
  command: 'npm run report',
  summary:
    "The curator's page: unanswered questions (similar wordings grouped) with the nearest fact and suggested words, facts ranked by 👎 with reasons, corrections to review, facts past review. Suggestions are never applied.",
  options: {
    top: { type: 'string', value: 'N', default: String(REPORT_TOP_DEFAULT), parse: wholeNumber(), description: 'how many unanswered groups to list' },
    records: { type: 'string', value: 'FILE', description: 'the feedback and correction records (default: FEEDBACK_LOG from the environment)' },
    json: { type: 'boolean', description: 'print the report as one JSON document (with version: 1) for tools' },
    html: { type: 'string', value: 'FILE', description: 'also write the report as a one-file HTML page (with bar charts) to FILE' },
    today: { type: 'string', value: 'YYYY-MM-DD', parse: calendarDay, description: "the day to check review dates against (default: today's UTC date)" },
  },
  positionals: { name: 'FILE', description: 'the unanswered log (default: UNANSWERED_LOG from the environment)', max: 1 },
  notes: 'exit codes: 0 report printed, 1 a log cannot be read or the page cannot be written, 2 usage error',
  example: 'npm run report -- --top 5 --records feedback.jsonl --html report.html unanswered.jsonl',
});

export interface ReportSources {
  /** UNANSWERED_LOG, read only when no FILE is given. */
  readonly unansweredLog: () => string | undefined;
  /** FEEDBACK_LOG, read only when no --records is given. */
  readonly feedbackLog: () => string | undefined;
  /** The fact base (KNOWLEDGE_DIR), for the nearest facts and the review dates. */
  readonly loadKnowledge: () => Promise<KnowledgeBase>;
  /** Today's date, YYYY-MM-DD, when --today is not given. */
  readonly today: () => string;
  /**
   * The replicas' shared records (REDIS_URL): read instead of the environment's files, which then
   * hold one replica's copy only. Undefined without Redis; throws when Redis cannot be read.
   */
  readonly shared?: () => Promise<SharedRecords | undefined>;
}

/** Both kinds of record as JSON lines, from the shared store. */
export interface SharedRecords {
  /** Where they were read, for the page ("redis://host:6379/ (haidian:)"). */
  readonly source: string;
  readonly unanswered: readonly string[];
  readonly records: readonly string[];
}

/** Reads a log; a missing file named by the environment is an empty log (nothing was recorded yet), any other failure is an error. */
async function readLog(file: string, what: string, fromEnvironment: boolean): Promise<string | Error> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (fromEnvironment && (error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    return new Error(`Cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
}

export function runReportCommand(argv: readonly string[], sources: ReportSources): Promise<number> {
  return runCommand(REPORT_COMMAND, argv, async ({ values, positionals }) => {
    let shared: SharedRecords | undefined;
    if (positionals[0] === undefined && values.records === undefined && sources.shared) {
      try {
        shared = await sources.shared();
      } catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        return 1;
      }
    }
    const logFile = shared ? undefined : (positionals[0] ?? sources.unansweredLog());
    const recordsFile = shared ? undefined : (values.records ?? sources.feedbackLog());
    if (!shared && !logFile && !recordsFile) throw new UsageError('no log to read: pass a FILE or set UNANSWERED_LOG (and --records FILE or FEEDBACK_LOG for feedback)');
    const today = values.today ?? sources.today();
    const input: { -readonly [K in keyof ReportInput]: ReportInput[K] } = { today, review: [], nearest: () => undefined, top: values.top };

    if (shared) {
      const { entries, skipped } = parseUnansweredLog(shared.unanswered.join('\n'));
      input.unanswered = { source: shared.source, entries: entries.length, skipped, groups: groupUnanswered(entries) };
      input.records = { source: shared.source, ...parseRecords(shared.records.join('\n')) };
    }
    if (logFile) {
      const text = await readLog(logFile, 'unanswered log', positionals[0] === undefined);
      if (text instanceof Error) {
        process.stderr.write(`${text.message}\n`);
        return 1;
      }
      const { entries, skipped } = parseUnansweredLog(text);
      input.unanswered = { source: logFile, entries: entries.length, skipped, groups: groupUnanswered(entries) };
    }
    if (recordsFile) {
      // A file named on the command line must exist; one from the environment may not yet (nothing recorded).
      if (values.records !== undefined) {
        const missing = await access(recordsFile).then(
          () => undefined,
          (error: unknown) => error as Error,
        );
        if (missing) {
          process.stderr.write(`Cannot read the feedback records ${recordsFile}: ${missing.message}\n`);
          return 1;
        }
      }
      try {
        // With its rotated part (FEEDBACK_LOG_MAX_BYTES), older records first; the skipped count is reported below.
        input.records = { source: recordsFile, ...(await readRecordLog(recordsFile, createSilentLogger())) };
      } catch (error) {
        process.stderr.write(`Cannot read the feedback records ${recordsFile}: ${(error as Error).message}\n`);
        return 1;
      }
    }
    const kb = await sources.loadKnowledge();
    const engine = createEngine(kb);
    input.nearest = (question) => engine.nearest(question);
    input.review = findDueReviews(kb, today);

    const report = buildCuratorReport(input);
    // Malformed lines never stop the report; they are counted in it, and said on stderr too.
    for (const [count, source] of [[report.unanswered.skipped, report.unanswered.source], [report.feedback.skipped, report.feedback.source]] as const) {
      if (count > 0) process.stderr.write(`report: skipped ${count} unreadable line(s) in ${source ?? '?'}\n`);
    }
    if (values.html) {
      try {
        await writeFile(values.html, renderCuratorReportHtml(report), 'utf8');
      } catch (error) {
        process.stderr.write(`Cannot write the HTML page ${values.html}: ${(error as Error).message}\n`);
        return 1;
      }
    }
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(formatCuratorReport(report));
    return 0;
  });
}
