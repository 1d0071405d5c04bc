/**
 * `npm run load`: a bounded load test on 127.0.0.1. For each platform it starts a fake platform
 * (test/fakes), the bot in a process of its own (by default the real one as production runs it,
 * the compiled `node dist/src/main.js`, built first when dist/ is stale; `--tsx`: `src/main.ts` through
 * tsx; `--bot adapter`: only the platform adapter and the engine, scripts/load/bot-process.ts), and sends questions at stepped rates, each for a fixed time. Per
 * step: answers per second, p50/p99 from the scheduled send to the answer reaching the fake, lost and
 * duplicated answers. It reports the highest rate held (p99 < 1 s, nothing lost or duplicated).
 *
 *   npm run load -- [--platform slack|discord|both] [--rates 50,100,200,400,800] [--seconds 5]
 *                   [--drain-seconds 5] [--max-seconds 240] [--bot main|adapter] [--tsx] [--replicas 1] [--json]
 *
 * `--replicas 2` (Slack, `--bot main`): that many bot processes on one redis-server behind a
 * round-robin proxy (scripts/load/replicas.ts), measured as one bot.
 *
 * Both processes share the machine: the figures are for this machine with the load generator and
 * the fake on the same cores. docs/reliability.md records them.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  defineCommand,
  listOf,
  numberIn,
  oneOf,
  runCommand,
  UsageError,
  wholeNumber,
  type CommandValues,
} from '../src/bot/command-line.js';
import { startFakeDiscord } from '../test/fakes/fake-discord.js';
import { startFakeSlack } from '../test/fakes/fake-slack.js';
import { createDiscordDriver } from './load/discord-driver.js';
import {
  highestHeld,
  HELD_P99_MS,
  runSteps,
  startBotProcess,
  type StepResult,
} from './load/run.js';
import { buildIfStale } from './load/build.js';
import { MAIN_COMMAND, startMainProcess, type MainRuntime } from './load/main-process.js';
import { startReplicas } from './load/replicas.js';
import { createSlackDriver } from './load/slack-driver.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DEFAULT_RATES = [50, 100, 200, 400, 800];
/** Rates above this are refused: the generator itself cannot keep a schedule much finer than its 2 ms tick. */
const MAX_RATE_PER_SECOND = 5_000;
/** Questions sent before the steps, unmeasured (JIT, connections). */
const WARMUP_QUESTIONS = 50;
/** More replicas than this on one machine measure the machine, not the bot. */
const MAX_REPLICAS = 8;
// Fake credentials for the fake platforms; nothing here reaches a real Slack or Discord.
const SIGNING_SECRET = 'load-test-signing-secret';
const BOT_TOKEN = 'xoxb-load-test';
const DISCORD_TOKEN = 'load-test-discord-token';

type Platform = 'slack' | 'discord';

const LOAD_COMMAND = defineCommand({
  command: 'npm run load',
  summary:
    'A bounded load test on 127.0.0.1: starts a fake Slack and/or Discord and the bot, sends questions at stepped rates and reports answers per second, p50/p99, lost and duplicated answers, and the highest rate held. By default the bot is the compiled build, as production runs it (node dist/src/main.js, built first when dist/ is stale).',
  options: {
    platform: { type: 'string', value: 'NAME', default: 'both', parse: oneOf('slack', 'discord', 'both'), description: 'slack, discord or both' },
    rates: { type: 'string', value: 'LIST', default: DEFAULT_RATES.join(','), parse: listOf(numberIn(0, MAX_RATE_PER_SECOND), `rates in (0, ${MAX_RATE_PER_SECOND}] per second`), description: 'questions per second for each step, comma-separated' },
    seconds: { type: 'string', value: 'S', default: '5', parse: numberIn(0, 3_600), description: 'length of each step' },
    'drain-seconds': { type: 'string', value: 'S', default: '5', parse: numberIn(0, 3_600), description: 'time allowed after a step for late answers' },
    'max-seconds': { type: 'string', value: 'S', default: '240', parse: numberIn(0, 3_600), description: 'no step starts after this; the process ends by itself 60 s later at the latest' },
    bot: { type: 'string', value: 'KIND', default: 'main', parse: oneOf('main', 'adapter'), description: 'main: the whole bot process; adapter: the platform adapter and the engine alone' },
    tsx: { type: 'boolean', description: 'run the bot from the TypeScript sources (node --import tsx src/main.ts) instead of the compiled build' },
    replicas: { type: 'string', value: 'N', default: '1', parse: wholeNumber(), description: `bot processes on one redis-server behind a round-robin proxy (1..${MAX_REPLICAS}; above 1 needs --platform slack and --bot main)` },
    'log-level': { type: 'string', value: 'LEVEL', default: 'info', parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'), description: "the bot's log level" },
    json: { type: 'boolean', description: 'print one JSON object instead of the tables' },
  },
  notes: 'exit codes: 0 the run finished, 1 it failed (the bot did not start, the build failed), 2 usage error',
  example: 'npm run load -- --platform slack --rates 100,400 --seconds 3',
});

type LoadValues = CommandValues<typeof LOAD_COMMAND.options>;

interface LoadOptions {
  readonly platforms: readonly Platform[];
  readonly rates: readonly number[];
  readonly seconds: number;
  readonly drainSeconds: number;
  readonly maxSeconds: number;
  readonly bot: 'main' | 'adapter';
  readonly runtime: MainRuntime;
  readonly replicas: number;
  readonly logLevel: string;
  readonly json: boolean;
}

function loadOptions(values: LoadValues): LoadOptions {
  const platforms: Platform[] = values.platform === 'both' ? ['slack', 'discord'] : [values.platform];
  if (values.replicas > MAX_REPLICAS) throw new UsageError(`--replicas must be a whole number in 1..${MAX_REPLICAS} (got "${values.replicas}")`);
  // Discord replicas on the same shard each receive every event: more replicas add availability there, not throughput.
  if (values.replicas > 1 && (values.bot !== 'main' || platforms.includes('discord')))
    throw new UsageError('--replicas above 1 needs --platform slack and --bot main');
  if (values.tsx && values.bot !== 'main') throw new UsageError('--tsx applies to --bot main only (--bot adapter always runs from the sources)');
  return {
    platforms,
    rates: values.rates,
    seconds: values.seconds,
    drainSeconds: values['drain-seconds'],
    maxSeconds: values['max-seconds'],
    bot: values.bot,
    runtime: values.tsx ? 'tsx' : 'compiled',
    replicas: values.replicas,
    logLevel: values['log-level'],
    json: values.json,
  };
}

/** Real questions in both languages (answers, abstentions and small talk, as users mix them). */
function loadQuestions(): string[] {
  const questions: string[] = [];
  for (const file of ['test/eval/haidian-en.jsonl', 'test/eval/haidian-zh.jsonl']) {
    for (const line of readFileSync(path.join(ROOT, file), 'utf8').split('\n')) {
      if (line.trim()) questions.push((JSON.parse(line) as { q: string }).q);
    }
  }
  return questions;
}

async function runPlatform(
  platform: Platform,
  options: LoadOptions,
  deadline: number,
  onStep: (step: StepResult) => void,
): Promise<StepResult[]> {
  const questions = loadQuestions();
  const knowledgeDir = path.join(ROOT, 'knowledge');
  const common = {
    rates: options.rates,
    seconds: options.seconds,
    drainSeconds: options.drainSeconds,
    deadline,
    warmup: WARMUP_QUESTIONS,
    onStep,
  };
  if (platform === 'slack') {
    const fake = await startFakeSlack();
    const slackEnv = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      LOG_LEVEL: options.logLevel,
    };
    const bot =
      options.replicas > 1
        ? await startReplicas(options.replicas, (redisEnv) => startMainProcess({ ...slackEnv, ...redisEnv }, options.runtime))
        : options.bot === 'main'
        ? await startMainProcess(slackEnv, options.runtime)
        : await startBotProcess({
            platform,
            knowledgeDir,
            logLevel: options.logLevel,
            slack: {
              mode: 'http',
              botToken: BOT_TOKEN,
              signingSecret: SIGNING_SECRET,
              apiUrl: fake.apiUrl,
              command: 'haidian',
            },
          });
    const driver = createSlackDriver({
      fake,
      port: bot.port ?? 0,
      signingSecret: SIGNING_SECRET,
      questions,
    });
    try {
      return await runSteps(driver, bot, common);
    } finally {
      driver.close();
      await bot.stop();
      await fake.close();
    }
  }
  const fake = await startFakeDiscord();
  const bot =
    options.bot === 'main'
      ? await startMainProcess({
          DISCORD_TOKEN,
          DISCORD_APPLICATION_ID: fake.applicationId,
          DISCORD_API_URL: fake.apiUrl,
          LOG_LEVEL: options.logLevel,
        }, options.runtime)
      : await startBotProcess({
          platform,
          knowledgeDir,
          logLevel: options.logLevel,
          discord: {
            token: DISCORD_TOKEN,
            applicationId: fake.applicationId,
            apiUrl: fake.apiUrl,
            command: 'haidian',
          },
        });
  try {
    return await runSteps(createDiscordDriver({ fake, questions }), bot, common);
  } finally {
    await bot.stop();
    await fake.close();
  }
}

const round = (value: number, digits = 0): string =>
  Number.isFinite(value) ? value.toFixed(digits) : '–';

function tableRow(step: StepResult): string {
  return [
    `| ${step.rate}`,
    step.sent,
    round(step.answersPerSecond, 1),
    round(step.p50Ms, 1),
    round(step.p99Ms, 1),
    round(step.maxMs),
    step.lost,
    step.late,
    step.duplicated,
    step.rejected + step.apologies,
    round(step.bot?.cpuPercent ?? Number.NaN),
    round(step.bot?.loopDelayP99Ms ?? Number.NaN, 1),
    round(step.generatorCpuPercent),
    round(step.machineLoad, 1),
    `${step.held ? 'yes' : 'no'} |`,
  ].join(' | ');
}

const TABLE_HEAD = [
  '| rate/s | sent | answers/s | p50 ms | p99 ms | max ms | lost | late | dup | failed | bot CPU % | bot loop lag p99 ms | generator CPU % | machine load | held |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|',
];

async function main(options: LoadOptions): Promise<number> {
  let build = '';
  if (options.bot === 'main' && options.runtime === 'compiled') {
    try {
      build = `; build ${await buildIfStale()}`;
    } catch (error) {
      process.stderr.write(`load: ${(error as Error).message}\n`);
      return 1;
    }
  }
  const begun = performance.now();
  // The hard cap: whatever happens, the process ends (steps stop being started at max-seconds).
  const killer = setTimeout(
    () => {
      process.stderr.write(`load: hard cap of ${options.maxSeconds + 60} s reached, exiting\n`);
      process.exit(2);
    },
    (options.maxSeconds + 60) * 1000,
  );
  killer.unref();

  const environment = `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${os.platform()}`;
  const command = `${MAIN_COMMAND[options.runtime]}${build}`;
  const botDescription =
    options.replicas > 1
      ? `${options.replicas} bot processes (${command}) on one redis-server behind a round-robin proxy`
      : options.bot === 'main'
        ? options.runtime === 'compiled'
          ? `the bot process as production runs it (${command})`
          : `the bot process from its sources (${command})`
        : 'the platform adapter and the engine alone, in a child process';
  if (!options.json)
    process.stdout.write(
      `load: ${botDescription}\nload: ${environment}; steps of ${options.seconds} s (+ up to ${options.drainSeconds} s to drain); held = p99 < ${HELD_P99_MS} ms, nothing lost, late, duplicated or failed\n`,
    );
  const report: Record<string, { steps: StepResult[]; highestHeld: number | null }> = {};
  for (const platform of options.platforms) {
    const remaining = options.maxSeconds - (performance.now() - begun) / 1000;
    if (remaining <= 0) break;
    if (!options.json) process.stdout.write(`\n${platform}:\n${TABLE_HEAD.join('\n')}\n`);
    const steps = await runPlatform(platform, options, remaining, (step) => {
      if (!options.json) process.stdout.write(`${tableRow(step)}\n`);
    });
    const held = highestHeld(steps);
    report[platform] = { steps, highestHeld: held ?? null };
    if (!options.json)
      process.stdout.write(
        `${platform}: highest rate held ${held === undefined ? 'none' : `${held}/s`}\n`,
      );
  }
  if (options.json)
    process.stdout.write(
      `${JSON.stringify({ bot: options.bot, runtime: options.bot === 'main' ? MAIN_COMMAND[options.runtime] : 'tsx', replicas: options.replicas, environment, seconds: options.seconds, heldP99Ms: HELD_P99_MS, platforms: report })}\n`,
    );
  clearTimeout(killer);
  return 0;
}

process.exitCode = await runCommand(LOAD_COMMAND, process.argv.slice(2), ({ values }) => main(loadOptions(values)));
