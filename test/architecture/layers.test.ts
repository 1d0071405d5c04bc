import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS module without declarations; its shape is checked by the tests below.
import { layers } from '../../eslint.layers.js';

/** The layers of docs/architecture.md: the ESLint rules that enforce them, and the import graph they shape. */

const ROOT = path.resolve(import.meta.dirname, '../..');
const CODE_DIRS = ['src', 'adapters', 'scripts', 'bench', 'test'];

function tsFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return name === 'node_modules' ? [] : tsFiles(rel);
    return rel.endsWith('.ts') ? [rel] : [];
  });
}

/** Relative imports of a file (static, dynamic and re-exports), resolved to repository paths (.ts where one exists). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  // Statements that start a line, and awaited dynamic imports: not import-like text inside strings.
  const statics = text.matchAll(/^\s*(?:import|export)\b[^;]*?['"](\.{1,2}\/[^'"]+)['"]/gm);
  const dynamics = text.matchAll(/\bawait import\(\s*['"](\.{1,2}\/[^'"]+)['"]/g);
  return [...statics, ...dynamics].map((m) => {
    const target = path.join(path.dirname(file), m[1] as string);
    const ts = target.replace(/\.js$/, '.ts');
    return ts !== target && existsSync(path.join(ROOT, ts)) ? ts : target;
  });
}

describe('the dependency rule, enforced by ESLint', () => {
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { '@typescript-eslint': tseslint.plugin } }, ...(layers as [])],
  });
  const lint = async (filePath: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).map((m) => m.message);
  };

  it.each([
    ['src/engine/x.ts', "import { startApp } from '../host/app.js';"],
    ['src/engine/x.ts', "import { loadKnowledge } from '../knowledge/load.js';"],
    ['src/engine/x.ts', "import { readFile } from 'node:fs/promises';"],
    ['src/knowledge/x.ts', "import { createBot } from '../bot/bot.js';"],
    ['src/bot/x.ts', "import { createMetrics } from '../host/metrics.js';"],
    ['src/curator/x.ts', "import { startApp } from '../host/app.js';"],
    ['src/host/x.ts', "import { startSlackAdapter } from '../../adapters/slack/index.js';"],
    ['src/host/x.ts', "import { App } from '@slack/bolt';"],
    ['src/config.ts', "import { createEngine } from './engine/engine.js';"],
    ['adapters/slack/x.ts', "import { startApp } from '../../src/host/app.js';"],
    ['adapters/slack/x.ts', "import { formatDiscordReply } from '../discord/format.js';"],
    ['adapters/discord/x.ts', "import { loadKnowledge } from '../../src/knowledge/load.js';"],
    ['adapters/terminal/x.ts', "import '../../src/main.js';"],
  ])('%s may not: %s', async (file, code) => {
    expect(await lint(file, code)).toHaveLength(1);
  });

  it.each([
    ['src/engine/x.ts', "import type { Fact } from '../knowledge/schema.js';"],
    ['src/knowledge/x.ts', "import { createEngine } from '../engine/engine.js';"],
    ['src/curator/x.ts', "import type { ReplyObserver } from '../bot/bot.js';"],
    ['src/host/x.ts', "import { ShardingManager } from 'discord.js';\nimport { createUnansweredLog } from '../curator/unanswered.js';"],
    ['adapters/slack/x.ts', "import { App } from '@slack/bolt';\nimport type { Bot } from '../../src/bot/bot.js';"],
    ['src/main.ts', "import { startSlackAdapter } from '../adapters/slack/index.js';"],
  ])('%s may: %s', async (file, code) => {
    expect(await lint(file, code)).toEqual([]);
  });
});

describe('the import graph', () => {
  const files = CODE_DIRS.flatMap(tsFiles);
  const graph = new Map(files.map((file) => [file, importsOf(file).filter((target) => target !== file)]));

  it('has no import cycle anywhere (src, adapters, scripts, bench, test)', () => {
    // Depth-first search with colours; a grey node reached again closes a cycle.
    const colour = new Map<string, 'grey' | 'black'>();
    const cycles: string[] = [];
    const stack: string[] = [];
    const visit = (file: string): void => {
      colour.set(file, 'grey');
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (colour.get(next) === 'grey') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
        else if (!colour.has(next)) visit(next);
      }
      stack.pop();
      colour.set(file, 'black');
    };
    for (const file of files) if (!colour.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('lets only the two entry points of src/ import adapters/', () => {
    const importers = files.filter((f) => f.startsWith('src/') && (graph.get(f) ?? []).some((t) => t.startsWith('adapters/')));
    expect(importers.sort()).toEqual(['src/cli.ts', 'src/main.ts']);
  });

  it('keeps at most 6 modules directly under src/', () => {
    expect(files.filter((f) => path.dirname(f) === 'src').length).toBeLessThanOrEqual(6);
  });

  it('resolves every relative import to a file that exists (the graph above is complete)', () => {
    const known = new Set(files);
    const missing = [...graph].flatMap(([file, targets]) => targets.filter((t) => t.endsWith('.ts') && !known.has(t)).map((t) => `${file} → ${t}`));
    expect(missing).toEqual([]);
  });
});
