import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';

/** The Slack part of the configuration; the schema itself lives in src/config.ts. */
describe('loadConfig, Slack variables', () => {
  it('runs HTTP mode with a bot token, a signing secret, an API URL and a port (the issue contract)', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: 'http://127.0.0.1:4000/api/', PORT: '4100' });
    expect(config.slack).toEqual({ mode: 'http', botToken: 'xoxb-1', signingSecret: 'secret', apiUrl: 'http://127.0.0.1:4000/api/', command: 'haidian' });
    expect(config.port).toBe(4100);
    expect(config.discord).toBeUndefined();
  });

  it('defaults to port 3000 on 0.0.0.0 and Slack’s own API', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 3000 });
    expect(config.slack?.apiUrl).toBeUndefined();
  });

  it('runs Socket Mode with an app token', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack).toMatchObject({ mode: 'socket', appToken: 'xapp-1' });
  });

  it('adds the trailing slash the Web API client needs to SLACK_API_URL', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'https://slack-gov.com/api' }).slack?.apiUrl).toBe('https://slack-gov.com/api/');
  });

  it('takes the slash command name from SLACK_COMMAND', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_COMMAND: 'hd' }).slack?.command).toBe('hd');
  });

  it('needs no Slack variables at all, and treats empty ones as unset', () => {
    expect(loadConfig({}).slack).toBeUndefined();
    expect(loadConfig({ SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' }).slack).toBeUndefined();
  });

  it.each([
    [{ SLACK_SIGNING_SECRET: 's' }, 'SLACK_BOT_TOKEN'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET or SLACK_APP_TOKEN'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-wrong' }, 'SLACK_APP_TOKEN'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'not a url' }, 'SLACK_API_URL'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_COMMAND: '/Haidian' }, 'SLACK_COMMAND'],
  ])('stops start-up naming the variable: %j', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });
});
