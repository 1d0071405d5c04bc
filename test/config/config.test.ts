import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, EnvSchema, loadConfig } from '../../src/config.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('runs with sensible defaults and no platform when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ logLevel: 'info', knowledgeDir: 'knowledge', host: '0.0.0.0', port: 3000, rateLimitPerMinute: 20 });
    expect(config.slack).toBeUndefined();
    expect(config.discord).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('keeps everything in memory without REDIS_URL, and shares it on Redis with it', () => {
    expect(loadConfig({}).redis).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redis).toEqual({ url: 'redis://127.0.0.1:6379', keyPrefix: 'haidian:', optional: false });
    expect(loadConfig({ REDIS_URL: 'rediss://h:6380/2', REDIS_KEY_PREFIX: 'bot-a:', REDIS_OPTIONAL: 'true' }).redis).toEqual({
      url: 'rediss://h:6380/2',
      keyPrefix: 'bot-a:',
      optional: true,
    });
  });

  it('names a bad Redis variable', () => {
    expect(problemsOf({ REDIS_URL: 'http://127.0.0.1:6379' })).toEqual([expect.stringMatching(/^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/)]);
    expect(problemsOf({ REDIS_URL: 'redis://h', REDIS_KEY_PREFIX: 'has space' })).toEqual([expect.stringMatching(/^REDIS_KEY_PREFIX: must be 1-64/)]);
    expect(problemsOf({ REDIS_OPTIONAL: 'yes' })).toEqual([expect.stringMatching(/^REDIS_OPTIONAL: /)]);
  });

  it('reads the feedback variables, and names a short FEEDBACK_HASH_KEY without showing it', () => {
    expect(loadConfig({})).toMatchObject({ feedbackLogMaxBytes: 10 * 1024 * 1024 });
    expect(loadConfig({}).feedbackLog).toBeUndefined();
    expect(loadConfig({ FEEDBACK_LOG: '/data/feedback.jsonl', FEEDBACK_HASH_KEY: 'a-long-enough-secret', FEEDBACK_LOG_MAX_BYTES: '2048' })).toMatchObject({
      feedbackLog: '/data/feedback.jsonl',
      feedbackHashKey: 'a-long-enough-secret',
      feedbackLogMaxBytes: 2048,
    });
    const problems = problemsOf({ FEEDBACK_HASH_KEY: 'short-secret', FEEDBACK_LOG_MAX_BYTES: '0' });
    expect(problems).toEqual([
      expect.stringMatching(/^FEEDBACK_HASH_KEY: must be at least 16 characters/),
      expect.stringMatching(/^FEEDBACK_LOG_MAX_BYTES: must be positive/),
    ]);
    expect(problems.join('\n')).not.toContain('short-secret');
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', SLACK_BOT_TOKEN: '', LOG_LEVEL: '' }).port).toBe(3000);
  });

  it('selects Slack HTTP mode with a bot token and a signing secret', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'http://127.0.0.1:9/api' });
    expect(config.slack).toMatchObject({ mode: 'http', botToken: 'xoxb-1', apiUrl: 'http://127.0.0.1:9/api/', command: 'haidian' });
  });

  it('selects Socket Mode with an app token', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack?.mode).toBe('socket');
  });

  it('names the missing variable of a half-configured Slack', () => {
    expect(problemsOf({ SLACK_SIGNING_SECRET: 's' })).toEqual([expect.stringMatching(/^SLACK_BOT_TOKEN: missing/)]);
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([expect.stringMatching(/^SLACK_SIGNING_SECRET or SLACK_APP_TOKEN: missing/)]);
  });

  it('rejects an app token of the wrong kind', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' })).toEqual([expect.stringMatching(/^SLACK_APP_TOKEN: must be an app-level token/)]);
  });

  it('names each missing Discord variable', () => {
    expect(problemsOf({ DISCORD_TOKEN: 't' })).toEqual([expect.stringMatching(/^DISCORD_APPLICATION_ID: missing/)]);
    expect(problemsOf({ DISCORD_APPLICATION_ID: '123456789' })).toEqual([expect.stringMatching(/^DISCORD_TOKEN: missing/)]);
  });

  it('configures Slack and Discord together without either needing the other', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '123456789', DISCORD_API_URL: 'http://127.0.0.1:5/api/' });
    expect(config.slack?.mode).toBe('http');
    expect(config.discord).toMatchObject({ token: 't', applicationId: '123456789', apiUrl: 'http://127.0.0.1:5/api' });
  });

  it.each([
    ['PORT', 'eighty', /^PORT: must be a number/],
    ['PORT', '70000', /^PORT: must be 0\.\.65535/],
    ['LOG_LEVEL', 'loud', /^LOG_LEVEL: /],
    ['RATE_LIMIT_PER_MINUTE', '0', /^RATE_LIMIT_PER_MINUTE: must be positive/],
    ['SLACK_API_URL', 'ftp://x', /^SLACK_API_URL: must be an http\(s\) URL/],
    ['DISCORD_APPLICATION_ID', 'abc', /^DISCORD_APPLICATION_ID: must be a numeric Discord id/],
    ['DISCORD_SHARDS', 'many', /^DISCORD_SHARDS: must be "auto" or a positive whole number/],
    ['SLACK_COMMAND', '/Haidian!', /^SLACK_COMMAND: must be 1-32 lower-case/],
  ])('names %s when its value %j is bad', (name, value, message) => {
    // The first problem is the bad value; a lone platform variable also reports its missing partners.
    expect(problemsOf({ [name]: value })[0]).toMatch(message);
  });

  it('reports every bad variable at once', () => {
    expect(problemsOf({ PORT: 'x', LOG_LEVEL: 'loud' })).toHaveLength(2);
  });

  it('never puts a secret value in its error message', () => {
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-secret-value', SLACK_APP_TOKEN: 'not-an-app-token-secret' });
    } catch (error) {
      expect((error as Error).message).not.toMatch(/secret-value|not-an-app-token-secret/);
      return;
    }
    throw new Error('expected a ConfigError');
  });
});

describe('.env.example', () => {
  const documented = readFileSync('.env.example', 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
    .map((line) => line.slice(0, line.indexOf('=')));

  it('lists every variable the schema reads, and nothing else', () => {
    expect([...documented].sort()).toEqual(Object.keys(EnvSchema.shape).sort());
  });

  it('gives each variable a one-line comment', () => {
    const lines = readFileSync('.env.example', 'utf8').split('\n');
    for (const name of documented) {
      const at = lines.findIndex((line) => line.startsWith(`${name}=`));
      expect(lines[at - 1], name).toMatch(/^# \S/);
    }
  });

  it('is itself a valid configuration (terminal mode)', () => {
    const env = Object.fromEntries(readFileSync('.env.example', 'utf8').split('\n').filter((l) => /^[A-Z]/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(loadConfig(env).slack).toBeUndefined();
  });
});

describe('contradictory Slack variables', () => {
  it('stops when both the signing secret and the app token are set, naming both', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_APP_TOKEN: 'xapp-1' })).toEqual([
      expect.stringMatching(/^SLACK_APP_TOKEN and SLACK_SIGNING_SECRET: both set/),
    ]);
  });
});

describe('DISCORD_API_URL', () => {
  it('rejects a URL that already names the API version, which discord.js would double', () => {
    expect(problemsOf({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '123456789', DISCORD_API_URL: 'https://discord.com/api/v10' })).toEqual([
      expect.stringMatching(/^DISCORD_API_URL: must not include the API version/),
    ]);
  });

  it('trims surrounding whitespace', () => {
    expect(loadConfig({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '123456789', DISCORD_API_URL: ' http://127.0.0.1:5/api ' }).discord?.apiUrl).toBe('http://127.0.0.1:5/api');
  });
});

describe('reporting everything at once', () => {
  it('names a malformed value and a half-configured platform in the same run', () => {
    const problems = problemsOf({ PORT: 'abc', SLACK_SIGNING_SECRET: 's' });
    expect(problems).toEqual([expect.stringMatching(/^PORT: /), expect.stringMatching(/^SLACK_BOT_TOKEN: missing/)]);
  });
});
