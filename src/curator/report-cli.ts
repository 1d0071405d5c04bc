import { readFile } from 'node:fs/promises';
import { defineCommand, runCommand, UsageError, wholeNumber } from '../bot/command-line.js';
import { formatReport, groupUnanswered, parseUnansweredLog, REPORT_TOP_DEFAULT } from './report.js';

/** `npm run report` (run by src/cli.ts). Exit codes: 0 report printed, 1 the log cannot be read, 2 usage error. */
export const REPORT_COMMAND = defineCommand({
  command: 'npm run report',
  summary: 'Prints the most frequent unanswered questions of the unanswered log, similar wordings grouped, with counts.',
  options: {
    top: { type: 'string', value: 'N', default: String(REPORT_TOP_DEFAULT), parse: wholeNumber(), description: 'how many groups to print' },
    json: { type: 'boolean', description: 'one JSON object per group instead of the table' },
  },
  positionals: { name: 'FILE', description: 'the unanswered log (default: UNANSWERED_LOG from the environment)', max: 1 },
  notes: 'exit codes: 0 report printed, 1 the log cannot be read, 2 usage error',
  example: 'npm run report -- --top 5 unanswered.jsonl',
});

export function runReportCommand(argv: readonly string[], defaultLogFile: () => string | undefined): Promise<number> {
  return runCommand(REPORT_COMMAND, argv, async ({ values, positionals }) => {
    const file = positionals[0] ?? defaultLogFile();
    if (!file) throw new UsageError('no log to read: pass a FILE or set UNANSWERED_LOG');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      process.stderr.write(`Cannot read the unanswered log ${file}: ${(error as Error).message}\n`);
      return 1;
    }
    const { entries, skipped } = parseUnansweredLog(text);
    const groups = groupUnanswered(entries);
    if (values.json) {
      for (const group of groups.slice(0, values.top)) process.stdout.write(`${JSON.stringify(group)}\n`);
    } else {
      process.stdout.write(formatReport(groups, { source: file, entries: entries.length, skipped, top: values.top }));
    }
    return 0;
  });
}
