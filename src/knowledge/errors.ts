/** One problem in the fact base: which file, where inside it, and what is wrong. */
export interface KnowledgeIssue {
  readonly file: string;
  /** Path inside the file, e.g. `facts[3].sources[0]`; empty for the whole file. */
  readonly path: string;
  readonly line?: number;
  readonly message: string;
}

export function formatIssue(issue: KnowledgeIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** The fact base is invalid; start-up stops and every problem is listed. */
export class KnowledgeError extends Error {
  readonly issues: readonly KnowledgeIssue[];

  constructor(issues: readonly KnowledgeIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(
      `The fact base is invalid (${count}); fix the files and run \`npm run knowledge:check\`:\n` +
        issues.map((issue) => `  ${formatIssue(issue)}`).join('\n'),
    );
    this.name = 'KnowledgeError';
    this.issues = issues;
  }
}
