import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatReport, groupUnanswered, parseUnansweredLog, REPORT_TOP_DEFAULT } from './report.js';

/**
 * `npm run report [-- [--top N] [--json] [FILE]]` (run by src/cli.ts): the most frequent unanswered questions in the
 * unanswered log (FILE, or UNANSWERED_LOG), similar wordings grouped, with counts.
 * Exit codes: 0 report printed, 1 the log cannot be read, 2 usage error.
 */
const USAGE = 'usage: npm run report -- [--top N] [--json] [FILE]   (FILE defaults to UNANSWERED_LOG)\n';

export async function runReportCommand(argv: readonly string[], defaultLogFile: () => string | undefined): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { top: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const top = args.values.top === undefined ? REPORT_TOP_DEFAULT : Number(args.values.top);
  if (!Number.isInteger(top) || top < 1) {
    process.stderr.write(`--top must be a positive whole number\n${USAGE}`);
    return 2;
  }
  const file = args.positionals[0] ?? defaultLogFile();
  if (!file) {
    process.stderr.write(`No log to read: pass a FILE or set UNANSWERED_LOG.\n${USAGE}`);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    process.stderr.write(`Cannot read the unanswered log ${file}: ${(error as Error).message}\n`);
    return 1;
  }
  const { entries, skipped } = parseUnansweredLog(text);
  const groups = groupUnanswered(entries);
  if (args.values.json) {
    for (const group of groups.slice(0, top)) process.stdout.write(`${JSON.stringify(group)}\n`);
  } else {
    process.stdout.write(formatReport(groups, { source: file, entries: entries.length, skipped, top }));
  }
  return 0;
}
