import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { runTerminalChat } from '../adapters/terminal/chat.js';
import { createBot } from './bot/bot.js';
import { ConfigError, knowledgeDirFrom, loadConfig } from './config.js';
import { createEngine } from './engine/engine.js';
import { renderPlainText } from './engine/render.js';
import type { ConversationContext, Engine, Reply } from './engine/types.js';
import { formatEvalReport, parseEvalFile, runEval } from './curator/eval.js';
import { runReportCommand } from './curator/report-cli.js';
import { KnowledgeError } from './knowledge/errors.js';
import { checkEvidence, loadEvidence } from './knowledge/evidence.js';
import { lintKnowledge, type LintFinding } from './knowledge/lint.js';
import { loadKnowledge } from './knowledge/load.js';

const USAGE = `usage:
  npm run --silent ask -- "question"          print the reply as a person reads it
  npm run --silent ask -- --json "question"   one JSON object
  npm run --silent ask -- --json < file       one JSON object per input line
  npm run --silent ask -- --json --conversation < file   the lines of the file as one conversation (follow-ups)
  npm run chat                                chat in the terminal
  npm run eval -- FILE.jsonl [FILE.jsonl …]   score question files
  npm run knowledge:check                     validate and lint the fact base
  npm run report -- [--top N] [--json] [FILE] the unanswered questions, grouped`;

/** The JSON shape of one reply on the CLI (a stable contract: evaluation tools read it). */
export function toCliJson(question: string, reply: Reply): Record<string, unknown> {
  return {
    question,
    kind: reply.kind,
    answered: reply.kind === 'answer',
    text: renderPlainText(reply),
    sources: reply.sources.map(({ title, publisher, url, date }) => ({ title, publisher, url, date })),
    confidence: reply.confidence,
    suggestions: reply.suggestions.map((s) => s.question),
  };
}

async function buildEngine(): Promise<{ engine: Engine; kb: Awaited<ReturnType<typeof loadKnowledge>> }> {
  const kb = await loadKnowledge(knowledgeDirFrom(process.env));
  return { kb, engine: createEngine(kb) };
}

async function* stdinLines(): AsyncGenerator<string> {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) yield line;
}

async function ask(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, conversation: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const { engine } = await buildEngine();
  // With --conversation the lines of one batch are one conversation (each follow-up sees the previous
  // reply's context); without it every line stands alone, as the `ask --json` contract says.
  let context: ConversationContext | undefined;
  const reply = (question: string): Reply => {
    const result = engine.ask(question, values.conversation && context ? { context } : {});
    context = result.context ?? context;
    return result;
  };
  const answer = (question: string): string => (values.json ? JSON.stringify(toCliJson(question, reply(question))) : renderPlainText(reply(question)));
  if (positionals.length > 0) {
    process.stdout.write(`${answer(positionals.join(' '))}\n`);
    return 0;
  }
  if (process.stdin.isTTY) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let first = true;
  for await (const line of stdinLines()) {
    if (values.json) process.stdout.write(`${answer(line)}\n`);
    else if (line.trim() !== '') {
      process.stdout.write(`${first ? '' : '\n'}${answer(line)}\n`);
      first = false;
    }
  }
  return 0;
}

async function evaluate(args: string[]): Promise<number> {
  if (args.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const { engine } = await buildEngine();
  for (const file of args) {
    const cases = parseEvalFile(await readFile(file, 'utf8'), file);
    process.stdout.write(`${formatEvalReport(file, runEval(engine, cases))}\n\n`);
  }
  return 0;
}

/**
 * `check [--strict-evidence]`: the fact base must load and lint clean (exit 1 otherwise). The evidence
 * checks print their findings as warnings while the older facts still lack passages; with
 * `--strict-evidence` they fail the check too.
 */
async function check(args: string[]): Promise<number> {
  const strictEvidence = args.includes('--strict-evidence');
  const { kb, engine } = await buildEngine();
  const questions = kb.facts.reduce((n, f) => n + f.questions.en.length + f.questions.zh.length, 0);
  process.stdout.write(`fact base valid: ${kb.facts.length} facts, ${kb.sources.size} sources, ${kb.topics.length} topics, ${questions} example questions\n`);
  const lint = lintKnowledge(kb, engine);
  if (lint.length === 0) process.stdout.write('lint: every example question reaches its own fact; no two facts share a question\n');
  else printFindings('lint', lint);
  const evidence = await loadEvidence(knowledgeDirFrom(process.env));
  const evidenceFindings = checkEvidence(kb, evidence);
  if (evidenceFindings.length === 0) {
    process.stdout.write(`evidence: ${evidence.length} passages; every fact has one, every answer number is in a passage, every source is cited\n`);
  } else {
    const missing = evidenceFindings.filter((f) => f.message.startsWith('no evidence entry')).length;
    process.stdout.write(`evidence: ${evidence.length} passages; ${missing} fact(s) without a passage\n`);
    printFindings(strictEvidence ? 'evidence' : 'evidence (warnings; --strict-evidence makes them fail)', evidenceFindings);
  }
  return lint.length === 0 && (!strictEvidence || evidenceFindings.length === 0) ? 0 : 1;
}

function printFindings(check: string, findings: readonly LintFinding[]): void {
  process.stdout.write(`${check}: ${findings.length} problem(s):\n`);
  for (const f of findings) process.stdout.write(`  ${f.file}: ${f.factId}: ${f.message}\n`);
}

async function chat(): Promise<number> {
  const { engine } = await buildEngine();
  await runTerminalChat({ bot: createBot({ getEngine: () => engine }), input: process.stdin, output: process.stdout });
  return 0;
}

// The environment is read only when no log file is named: a curator can report on a copied log anywhere.
const report = (args: string[]): Promise<number> => runReportCommand(args, () => loadConfig(process.env).unansweredLog);

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = { ask, eval: evaluate, check, chat, report };

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (error) {
    if (error instanceof KnowledgeError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
