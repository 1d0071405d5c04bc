import { z } from 'zod';

/**
 * How long Discord start-up waits for the gateway's READY before giving up with a clear error. Here,
 * not in the adapter, because the shard supervisor (src/host) waits on it too.
 */
export const DISCORD_READY_TIMEOUT_MS = 60_000;

/** Empty strings count as unset, so `FOO=` in a .env file means "use the default". */
const optionalString = z.preprocess((value) => (value === '' ? undefined : value), z.string().trim().min(1).optional());
const withDefault = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
  z.preprocess((value) => (value === '' || value === undefined ? fallback : value), schema);

const port = z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0..65535').max(65535, 'must be 0..65535');
const positiveInt = z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive');
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const commandName = z.string().regex(/^[a-z0-9_-]{1,32}$/, 'must be 1-32 lower-case letters, digits, "-" or "_"');

/** Every environment variable the bot reads. `.env.example` lists each one; a test keeps the two in sync. */
export const EnvSchema = z.object({
  NODE_ENV: optionalString,
  LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  KNOWLEDGE_DIR: withDefault(z.string(), 'knowledge'),
  HOST: withDefault(z.string(), '0.0.0.0'),
  PORT: withDefault(port, 3000),
  UNANSWERED_LOG: optionalString,
  FEEDBACK_LOG: optionalString,
  RATE_LIMIT_PER_MINUTE: withDefault(positiveInt, 20),
  WATCH_KNOWLEDGE: withDefault(z.enum(['true', 'false']), 'true'),
  REDIS_URL: z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : v),
    z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  ),
  REDIS_KEY_PREFIX: withDefault(z.string().regex(/^[\w:.-]{1,64}$/, 'must be 1-64 letters, digits, ":", ".", "-" or "_"'), 'haidian:'),
  REDIS_OPTIONAL: withDefault(z.enum(['true', 'false']), 'false'),

  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: z.preprocess((v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : v), httpUrl.optional()),
  SLACK_COMMAND: withDefault(commandName, 'haidian'),

  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^\d{5,25}$/, 'must be a numeric Discord id').optional()),
  DISCORD_GUILD_ID: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^\d{5,25}$/, 'must be a numeric Discord id').optional()),
  DISCORD_API_URL: z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : v),
    // discord.js appends the version itself (`/v10/...`); a URL that already ends in it would double it.
    httpUrl.refine((url) => !/\/v\d+\/?$/.test(url), 'must not include the API version (use e.g. https://discord.com/api, not …/api/v10)').optional(),
  ),
  DISCORD_COMMAND: withDefault(commandName, 'haidian'),
  DISCORD_SHARDS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.union([z.literal('auto'), z.coerce.number().int().positive()], { error: 'must be "auto" or a positive whole number' }).optional(),
  ),
});

export interface SlackConfig {
  readonly mode: 'http' | 'socket';
  readonly botToken: string;
  readonly signingSecret?: string;
  readonly appToken?: string;
  /** Web API base URL ending in `/api/` (GovSlack, proxies, tests); undefined means Slack's own. */
  readonly apiUrl?: string;
  readonly command: string;
}

export interface DiscordConfig {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId?: string;
  /** REST base URL without the version (discord.js `rest.api`), e.g. `https://discord.com/api`. */
  readonly apiUrl?: string;
  readonly command: string;
  readonly shards?: number | 'auto';
}

export interface RedisConfig {
  readonly url: string;
  /** Prefix of every key the bot writes, so that several bots (or other apps) can share one Redis. */
  readonly keyPrefix: string;
  /** Start even when Redis cannot be reached (state stays in memory until it can). */
  readonly optional: boolean;
}

export interface Config {
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly knowledgeDir: string;
  readonly host: string;
  readonly port: number;
  readonly unansweredLog?: string;
  /** File of the users' feedback and correction records (src/bot/records.ts); `npm run report` reads it. */
  readonly feedbackLog?: string;
  readonly rateLimitPerMinute: number;
  readonly watchKnowledge: boolean;
  /** Shared state for several replicas; unset: everything stays in this process's memory. */
  readonly redis?: RedisConfig;
  readonly slack?: SlackConfig;
  readonly discord?: DiscordConfig;
}

/** Start-up stops with this: every bad or missing variable, each by name. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads the environment into a frozen, typed config. Pure: pass `process.env` or a plain object. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    // Report a half-configured platform in the same run as the malformed values: the platform checks
    // only look at which variables are present, so the raw strings are enough for them.
    const present = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v?.trim() ? v.trim() : undefined])) as unknown as Env;
    const platformProblems: string[] = [];
    slackConfig(present, platformProblems);
    discordConfig(present, platformProblems);
    const named = new Set(problems.map((p) => p.slice(0, p.indexOf(':'))));
    problems.push(...platformProblems.filter((p) => !named.has(p.slice(0, p.indexOf(':')))));
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const problems: string[] = [];
  const slack = slackConfig(e, problems);
  const discord = discordConfig(e, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    logLevel: e.LOG_LEVEL,
    knowledgeDir: e.KNOWLEDGE_DIR,
    host: e.HOST,
    port: e.PORT,
    ...(e.UNANSWERED_LOG ? { unansweredLog: e.UNANSWERED_LOG } : {}),
    ...(e.FEEDBACK_LOG ? { feedbackLog: e.FEEDBACK_LOG } : {}),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    watchKnowledge: e.WATCH_KNOWLEDGE === 'true',
    ...(e.REDIS_URL ? { redis: Object.freeze({ url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX, optional: e.REDIS_OPTIONAL === 'true' }) } : {}),
    ...(slack ? { slack: Object.freeze(slack) } : {}),
    ...(discord ? { discord: Object.freeze(discord) } : {}),
  });
}

type Env = z.infer<typeof EnvSchema>;

function slackConfig(e: Env, problems: string[]): SlackConfig | undefined {
  const any = e.SLACK_BOT_TOKEN ?? e.SLACK_SIGNING_SECRET ?? e.SLACK_APP_TOKEN ?? e.SLACK_API_URL;
  if (!any) return undefined;
  if (!e.SLACK_BOT_TOKEN) {
    problems.push('SLACK_BOT_TOKEN: missing (Slack is half-configured: set the bot token, xoxb-…, from OAuth & Permissions)');
    return undefined;
  }
  if (!e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
    problems.push('SLACK_SIGNING_SECRET or SLACK_APP_TOKEN: missing (set the signing secret for HTTP mode, or the app-level token xapp-… for Socket Mode)');
    return undefined;
  }
  if (e.SLACK_APP_TOKEN && e.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_APP_TOKEN and SLACK_SIGNING_SECRET: both set, which is contradictory (set SLACK_APP_TOKEN for Socket Mode or SLACK_SIGNING_SECRET for HTTP mode, not both)');
    return undefined;
  }
  if (e.SLACK_APP_TOKEN && !e.SLACK_APP_TOKEN.startsWith('xapp-')) {
    problems.push('SLACK_APP_TOKEN: must be an app-level token starting with "xapp-"');
  }
  const apiUrl = e.SLACK_API_URL ? (e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`) : undefined;
  return {
    // Socket Mode when an app token is given: it needs no public URL.
    mode: e.SLACK_APP_TOKEN ? 'socket' : 'http',
    botToken: e.SLACK_BOT_TOKEN,
    ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
    ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
    ...(apiUrl ? { apiUrl } : {}),
    command: e.SLACK_COMMAND,
  };
}

function discordConfig(e: Env, problems: string[]): DiscordConfig | undefined {
  const any = e.DISCORD_TOKEN ?? e.DISCORD_APPLICATION_ID ?? e.DISCORD_API_URL ?? e.DISCORD_GUILD_ID;
  if (!any) return undefined;
  const missing = [!e.DISCORD_TOKEN && 'DISCORD_TOKEN', !e.DISCORD_APPLICATION_ID && 'DISCORD_APPLICATION_ID'].filter(Boolean);
  if (missing.length > 0 || !e.DISCORD_TOKEN || !e.DISCORD_APPLICATION_ID) {
    for (const name of missing) problems.push(`${name as string}: missing (Discord is half-configured: both DISCORD_TOKEN and DISCORD_APPLICATION_ID are needed)`);
    return undefined;
  }
  return {
    token: e.DISCORD_TOKEN,
    applicationId: e.DISCORD_APPLICATION_ID,
    ...(e.DISCORD_GUILD_ID ? { guildId: e.DISCORD_GUILD_ID } : {}),
    ...(e.DISCORD_API_URL ? { apiUrl: e.DISCORD_API_URL.replace(/\/+$/, '') } : {}),
    command: e.DISCORD_COMMAND,
    ...(e.DISCORD_SHARDS !== undefined ? { shards: e.DISCORD_SHARDS } : {}),
  };
}

/** The fact base folder alone, for the CLI tools that need nothing else from the environment. */
export function knowledgeDirFrom(env: Readonly<Record<string, string | undefined>>): string {
  const dir = env.KNOWLEDGE_DIR?.trim();
  return dir ? dir : 'knowledge';
}
