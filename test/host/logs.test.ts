import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type PlatformDeps, type RunningApp } from '../../src/host/app.js';
import type { Config } from '../../src/config.js';
import { createMetrics } from '../../src/host/metrics.js';
import { captureLogs, connectedPlatform, testConfig } from './app.js';

/** What the process logs: ids and outcomes at info, never the question or a secret; adapter errors counted. */

const QUESTION = 'Is there a quiet reading room near Wudaokou for otter-lantern-77? Mail me: a.b@example.com';
const TOKEN = 'xoxb-9999-logs-test-secret';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

/** Starts the app with one platform and hands back the deps it got (its bot and logger). */
async function start(level: Config['logLevel']) {
  const metrics = createMetrics({ processMetrics: false });
  const logs = captureLogs(level, metrics);
  const platform = connectedPlatform();
  let deps: PlatformDeps | undefined;
  const launcher = {
    ...platform.launcher,
    start: (given: PlatformDeps) => {
      deps = given;
      return platform.launcher.start(given);
    },
  };
  app = await startApp({ config: testConfig({ LOG_LEVEL: level }), logger: logs.logger, platforms: [launcher], metrics });
  if (!deps) throw new Error('not started');
  return { ...logs, deps, metrics };
}

describe('process logs', () => {
  it('log ids, kind, fact, confidence and latency at info, and not the question text', async () => {
    const { deps, lines, records } = await start('info');
    await deps.bot.ask(QUESTION, { platform: 'discord', userId: 'U42', conversationId: 'C7', eventId: 'E1' });
    await deps.bot.ask('How many incubators are on Zhongguancun street?', { platform: 'discord', userId: 'U42', eventId: 'E2' });
    const replies = records().filter((r) => r['msg'] === 'reply');
    expect(replies).toEqual([
      expect.objectContaining({ level: 30, platform: 'discord', userId: 'U42', conversationId: 'C7', eventId: 'E1', kind: 'no-match', confidence: expect.any(Number), latencyMs: expect.any(Number) }),
      expect.objectContaining({ eventId: 'E2', kind: 'answer', factId: expect.any(String) }),
    ]);
    const output = lines.join('\n');
    expect(output).not.toMatch(/otter-lantern|reading room|a\.b@example\.com|How many|Zhongguancun street/);
  });

  it('show the question, scrubbed, only at debug', async () => {
    const { deps, records } = await start('debug');
    await deps.bot.ask(QUESTION, { platform: 'discord', userId: 'U42', eventId: 'E3' });
    expect(records().find((r) => r['msg'] === 'reply: question')).toMatchObject({
      level: 20,
      eventId: 'E3',
      question: 'Is there a quiet reading room near Wudaokou for otter-lantern-77? Mail me: [email]',
    });
  });

  it('mask tokens even when an object carrying one reaches a log call', async () => {
    const { deps, lines } = await start('info');
    deps.logger.child({ adapter: 'slack' }).info({ config: { botToken: TOKEN }, token: TOKEN }, 'slack: something happened');
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(lines.join('\n')).toContain('[redacted]');
  });

  it('count adapter errors as platform errors in /metrics, whatever LOG_LEVEL says', async () => {
    const { deps, metrics, lines } = await start('silent');
    const adapterLogger = deps.logger.child({ adapter: 'discord' });
    adapterLogger.error({ err: new Error('delivery failed') }, 'discord: answering failed');
    adapterLogger.warn('discord: gateway reconnecting');
    deps.logger.error('an error outside any adapter');
    expect(lines).toEqual([]);
    expect(await metrics.render()).toMatch(/^haidian_platform_errors_total\{platform="discord"\} 1$/m);
  });
});
