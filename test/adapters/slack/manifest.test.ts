import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Manifest {
  display_information: { name: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean };
    bot_user: { display_name: string };
    slash_commands: { command: string; url: string; usage_hint: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

const manifest = parse(readFileSync('adapters/slack/manifest.yml', 'utf8')) as Manifest;

describe('Slack app manifest', () => {
  it('asks for the scopes the adapter uses', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['app_mentions:read', 'chat:write', 'im:history', 'im:read', 'im:write', 'commands']),
    );
  });

  it('subscribes to mentions, direct messages, channel messages (for thread follow-ups) and the Home tab, with their scopes', () => {
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_home_opened', 'app_mention', 'message.channels', 'message.groups', 'message.im']);
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['channels:history', 'groups:history', 'im:history']));
  });

  it('enables the Home tab, whose buttons answer in the DM (im:write for conversations.open)', () => {
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.oauth_config.scopes.bot).toContain('im:write');
  });

  it('declares /haidian with a usage hint, interactivity on, and /slack/events everywhere', () => {
    const [command] = manifest.features.slash_commands;
    expect(command).toMatchObject({ command: '/haidian', url: 'https://YOUR-HOST/slack/events' });
    expect(command?.usage_hint.length).toBeGreaterThan(0);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://YOUR-HOST/slack/events' });
    expect(manifest.settings.event_subscriptions.request_url).toBe('https://YOUR-HOST/slack/events');
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.features.bot_user.display_name).toBeTruthy();
  });
});
