import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, run } from '../helpers/run.js';

/** Every command a user runs, as npm runs it (package.json), with the usage line its --help starts with. */
const ROOT = path.resolve(import.meta.dirname, '../..');
const COMMANDS: readonly { name: string; script: string; args: readonly string[]; usage: RegExp }[] = [
  { name: 'ask', script: 'src/cli.ts', args: ['ask'], usage: /^usage: npm run --silent ask -- / },
  { name: 'chat', script: 'src/cli.ts', args: ['chat'], usage: /^usage: npm run chat/ },
  { name: 'eval', script: 'src/cli.ts', args: ['eval'], usage: /^usage: npm run eval -- / },
  { name: 'knowledge:check', script: 'src/cli.ts', args: ['check'], usage: /^usage: npm run knowledge:check/ },
  { name: 'report', script: 'src/cli.ts', args: ['report'], usage: /^usage: npm run report/ },
  { name: 'bench', script: 'bench/run.ts', args: [], usage: /^usage: npm run bench/ },
  { name: 'bench:guard', script: 'bench/guard.ts', args: [], usage: /^usage: npm run bench:guard/ },
  { name: 'fuzz', script: 'scripts/fuzz.ts', args: [], usage: /^usage: npm run fuzz/ },
  { name: 'load', script: 'scripts/load.ts', args: [], usage: /^usage: npm run load/ },
  { name: 'discord:register', script: 'adapters/discord/register-cli.ts', args: [], usage: /^usage: npm run discord:register/ },
];

const tsx = (script: string, args: readonly string[]) => run('npx', ['tsx', path.join(ROOT, script), ...args], { env: cleanEnv(), timeoutMs: 30_000 });

describe.each(COMMANDS)('npm run $name', ({ name, script, args, usage }) => {
  it('prints its usage for --help and exits 0', async () => {
    const { code, stdout } = await tsx(script, [...args, '--help']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(usage);
  });

  it('names a wrong option in one line on stderr, without a stack trace, and exits 2', async () => {
    const { code, stderr } = await tsx(script, [...args, '--no-such-option']);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toMatch(new RegExp(`^${name}: unknown option --no-such-option`));
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
