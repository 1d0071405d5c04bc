import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { runTerminalChat } from '../adapters/terminal/chat.js';
import { createBot, todayUtc } from './bot/bot.js';
import { createLogger } from './bot/log.js';
import { createMemoryStore } from './bot/store.js';
import { createFeedbackRecording } from './bot/feedback.js';
import { defineCommand, formatSynopsis, runCommand, UsageError, type CommandSpec, type OptionSpec } from './bot/command-line.js';
import { ConfigError, knowledgeDirFrom, loadConfig } from './config.js';
import { createEngine } from './engine/engine.js';
import { renderPlainText } from './engine/render.js';
import { askNextTurn } from './engine/follow-up.js';
import type { ConversationContext, Engine, Reply } from './engine/types.js';
import { formatEvalReport, parseEvalFile, runEval } from './curator/eval.js';
import { calendarDay, REPORT_COMMAND, runReportCommand } from './curator/report-cli.js';
import { readSharedRecords } from './host/redis-records.js';
import { KnowledgeError } from './knowledge/errors.js';
import { checkEvidence, loadEvidence } from './knowledge/evidence.js';
import { findDueReviews, formatReviewFinding, REVIEW_SOON_DAYS } from './knowledge/freshness.js';
import { lintKnowledge, type LintFinding } from './knowledge/lint.js';
import { loadKnowledge } from './knowledge/load.js';

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

const ASK = defineCommand({
  command: 'npm run --silent ask',
  summary:
    'Asks the bot one question (the arguments) or one per line of stdin, and prints the reply as a person reads it, or with --json as one JSON object per question (the contract in the README).',
  options: {
    json: { type: 'boolean', description: 'print each reply as one JSON object on one line' },
    conversation: { type: 'boolean', description: 'answer the lines of stdin as one conversation (follow-ups see the previous reply)' },
  },
  positionals: { name: 'QUESTION', description: 'the question (its words are joined); without it, one question per line of stdin' },
  example: `npm run --silent ask -- --json "What was Haidian's GDP in 2016?"`,
});

const CHAT = defineCommand({
  command: 'npm run chat',
  summary: 'Chats with the bot in the terminal, from the fact base in KNOWLEDGE_DIR, whatever platforms are configured.',
  options: {},
  example: 'npm run chat',
});

const EVAL = defineCommand({
  command: 'npm run eval',
  summary: 'Scores question files (one JSON object per line: {"q": …, "expect": […]}) against the fact base, by category, and lists every miss.',
  options: {},
  positionals: { name: 'FILE.jsonl', description: 'a question file (at least one)', min: 1 },
  example: 'npm run eval -- test/eval/haidian-en.jsonl test/eval/haidian-zh.jsonl',
});

const CHECK = defineCommand({
  command: 'npm run knowledge:check',
  summary: `Validates the fact base in KNOWLEDGE_DIR and lints it: every example question must reach its own fact; lists evidence findings and the facts past their review_by date or due within ${REVIEW_SOON_DAYS} days.`,
  options: {
    'strict-evidence': { type: 'boolean', description: 'fail on evidence findings too (a fact without a passage, an answer number no passage gives)' },
    'strict-review': { type: 'boolean', description: `fail on facts past their review_by date or due within ${REVIEW_SOON_DAYS} days too` },
    today: { type: 'string', value: 'YYYY-MM-DD', parse: calendarDay, description: "the day to check review dates against (default: today's UTC date)" },
  },
  notes: 'exit codes: 0 valid and clean, 1 a lint problem, an invalid fact file or (with --strict-evidence / --strict-review) such a finding, 2 usage error',
  example: 'npm run knowledge:check -- --strict-review --today 2026-12-07',
});

async function* stdinLines(): AsyncGenerator<string> {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) yield line;
}

const ask = (args: readonly string[]): Promise<number> =>
  runCommand(ASK, args, async ({ values, positionals }) => {
    if (positionals.length === 0 && process.stdin.isTTY) throw new UsageError('no question: pass one, or pipe one per line on stdin');
    const { engine } = await buildEngine();
    const today = todayUtc();
    // With --conversation the lines of one batch are one conversation (each follow-up sees the previous
    // reply's context); without it every line stands alone, as the `ask --json` contract says.
    let context: ConversationContext | undefined;
    const reply = (question: string): Reply => {
      if (!values.conversation) return engine.ask(question, { today });
      const turn = askNextTurn(engine, question, context, { today });
      context = turn.context;
      return turn.reply;
    };
    const answer = (question: string): string => (values.json ? JSON.stringify(toCliJson(question, reply(question))) : renderPlainText(reply(question)));
    if (positionals.length > 0) {
      process.stdout.write(`${answer(positionals.join(' '))}\n`);
      return 0;
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
  });

function printFindings(check: string, findings: readonly LintFinding[]): void {
  process.stdout.write(`${check}: ${findings.length} problem(s):\n`);
  for (const f of findings) process.stdout.write(`  ${f.file}: ${f.factId}: ${f.message}\n`);
}

const evaluate = (args: readonly string[]): Promise<number> =>
  runCommand(EVAL, args, async ({ positionals }) => {
    const { engine } = await buildEngine();
    for (const file of positionals) {
      let cases: ReturnType<typeof parseEvalFile>;
      try {
        cases = parseEvalFile(await readFile(file, 'utf8'), file);
      } catch (error) {
        // A missing or malformed question file is the user's to fix: its name and line, no stack.
        process.stderr.write(`eval: ${(error as Error).message}\n`);
        return 1;
      }
      process.stdout.write(`${formatEvalReport(file, runEval(engine, cases))}\n\n`);
    }
    return 0;
  });

const check = (args: readonly string[]): Promise<number> =>
  runCommand(CHECK, args, async ({ values }) => {
    const { kb, engine } = await buildEngine();
    const questions = kb.facts.reduce((n, f) => n + f.questions.en.length + f.questions.zh.length, 0);
    process.stdout.write(`fact base valid: ${kb.facts.length} facts, ${kb.sources.size} sources, ${kb.topics.length} topics, ${questions} example questions\n`);
    const lint = lintKnowledge(kb, engine);
    if (lint.length === 0) process.stdout.write('lint: every example question reaches its own fact; no two facts share a question\n');
    else printFindings('lint', lint);
    // The evidence checks are warnings while the older facts still lack passages; --strict-evidence fails on them.
    const evidence = await loadEvidence(knowledgeDirFrom(process.env));
    const evidenceFindings = checkEvidence(kb, evidence);
    if (evidenceFindings.length === 0) {
      process.stdout.write(`evidence: ${evidence.length} passages; every fact has one, every answer number is in a passage, every source is cited\n`);
    } else {
      const missing = evidenceFindings.filter((f) => f.message.startsWith('no evidence entry')).length;
      process.stdout.write(`evidence: ${evidence.length} passages; ${missing} fact(s) without a passage\n`);
      printFindings(values['strict-evidence'] ? 'evidence' : 'evidence (warnings; --strict-evidence makes them fail)', evidenceFindings);
    }
    // Review dates are warnings too: an overdue figure still answers (with its out-of-date line); --strict-review fails on them.
    const today = values.today ?? todayUtc();
    const due = findDueReviews(kb, today);
    if (due.length === 0) process.stdout.write(`review: no fact is past its review_by date or due within ${REVIEW_SOON_DAYS} days (${today})\n`);
    else {
      const past = due.filter((f) => f.status === 'past').length;
      const label = values['strict-review'] ? 'review' : 'review (warnings; --strict-review makes them fail)';
      process.stdout.write(`${label}: on ${today}, ${past} fact(s) past their review_by date, ${due.length - past} due within ${REVIEW_SOON_DAYS} days:\n`);
      for (const finding of due) process.stdout.write(`  ${finding.status === 'past' ? 'past' : 'soon'}: ${formatReviewFinding(finding)}\n`);
    }
    const failed = lint.length > 0 || (values['strict-evidence'] && evidenceFindings.length > 0) || (values['strict-review'] && due.length > 0);
    return failed ? 1 : 0;
  });

const chat = (args: readonly string[]): Promise<number> =>
  runCommand(CHAT, args, async () => {
    const { engine } = await buildEngine();
    // Only the feedback variables: the chat runs whatever else is configured (or half-configured).
    const config = loadConfig({ FEEDBACK_LOG: process.env.FEEDBACK_LOG, FEEDBACK_HASH_KEY: process.env.FEEDBACK_HASH_KEY, FEEDBACK_LOG_MAX_BYTES: process.env.FEEDBACK_LOG_MAX_BYTES });
    // Warnings (a failed append) go to stderr; stdout is the conversation.
    const { feedback, records, persisted } = createFeedbackRecording({ config, store: createMemoryStore(), logger: createLogger('warn', process.stderr), quiet: true });
    await runTerminalChat({ bot: createBot({ getEngine: () => engine }), input: process.stdin, output: process.stdout, feedback: { service: feedback, persisted } });
    await records.flush();
    return 0;
  });

// The environment is read only when no log file is named: a curator can report on a copied log anywhere.
const report = (args: readonly string[]): Promise<number> =>
  runReportCommand(args, {
    unansweredLog: () => loadConfig(process.env).unansweredLog,
    feedbackLog: () => loadConfig(process.env).feedbackLog,
    loadKnowledge: () => loadKnowledge(knowledgeDirFrom(process.env)),
    today: todayUtc,
    // With REDIS_URL the replicas' records are in Redis streams; the files hold one replica's copy at most.
    shared: async () => {
      const { redis } = loadConfig(process.env);
      return redis ? readSharedRecords(redis) : undefined;
    },
  });

const COMMANDS: Record<string, { readonly spec: CommandSpec<Record<string, OptionSpec>>; readonly run: (args: readonly string[]) => Promise<number> }> = {
  ask: { spec: ASK, run: ask },
  chat: { spec: CHAT, run: chat },
  eval: { spec: EVAL, run: evaluate },
  check: { spec: CHECK, run: check },
  report: { spec: REPORT_COMMAND, run: report },
};

const OVERVIEW = `usage: tsx src/cli.ts COMMAND [--help | options]; through npm:\n${Object.values(COMMANDS)
  .map(({ spec }) => formatSynopsis(spec).replace(/^usage: /, '  '))
  .join('\n')}\n`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    process.stdout.write(OVERVIEW);
    return 0;
  }
  const entry = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!entry) {
    process.stderr.write(`cli: ${command === undefined ? 'no command' : `unknown command "${command}"`} (commands: ${Object.keys(COMMANDS).join(', ')})\n${OVERVIEW}`);
    return 2;
  }
  try {
    return await entry.run(rest);
  } catch (error) {
    if (error instanceof KnowledgeError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
