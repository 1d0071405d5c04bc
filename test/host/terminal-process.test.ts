import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, run } from '../helpers/run.js';
import { eventually, ROOT, startBot, type BotProcess } from './process.js';

/** With no platform configured, the process is the terminal chat: stdout is the conversation. */

let bot: BotProcess | undefined;
afterEach(async () => {
  await bot?.kill();
  bot = undefined;
});

describe('the bot process in terminal mode', () => {
  it('keeps stdout for the chat: info logs are not written, even with LOG_LEVEL=info', async () => {
    const { code, stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `${ROOT}/src/main.ts`], {
      input: 'How many incubators are on Zhongguancun street?\n',
      env: cleanEnv({ LOG_LEVEL: 'info' }),
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Zhongguancun Street in Haidian .* 400 business incubators/);
    expect(stdout).not.toMatch(/"level"/);
    expect(stderr).not.toMatch(/"level":30/);
  });

  it('exits 0 on SIGINT while waiting for input', async () => {
    bot = startBot({ LOG_LEVEL: 'info' });
    // Give it time to load the fact base and open the chat; the input stays open.
    await eventually(() => bot?.child.stdin.writable, 2_000);
    bot.child.stdin.write('hello\n');
    await eventually(() => bot?.stdout.some((line) => /Hello/.test(line)), 15_000);
    bot.child.kill('SIGINT');
    expect(await bot.exited).toBe(0);
  });
});
