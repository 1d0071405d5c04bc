/**
 * The compiled bot that `npm run load` runs by default, as production does (`node dist/src/main.js`,
 * docs/hosting.md). Before a run the build is checked: when `dist/src/main.js` is missing, or any source
 * it is built from (src/, adapters/, the tsconfig files) changed after it, `tsc -p tsconfig.build.json`
 * runs first, so the figures never come from an old build.
 */
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** What production runs (package.json's start:prod). */
export const COMPILED_MAIN = path.join(ROOT, 'dist/src/main.js');
const SOURCE_DIRS = ['src', 'adapters'];
const SOURCE_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

async function newestSourceMtime(): Promise<number> {
  let newest = 0;
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await visit(full);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, (await stat(full)).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) await visit(path.join(ROOT, dir));
  for (const file of SOURCE_FILES) newest = Math.max(newest, (await stat(path.join(ROOT, file))).mtimeMs);
  return newest;
}

/** Builds dist/ when it is missing or older than its sources; says which it was. */
export async function buildIfStale(): Promise<'up to date' | 'rebuilt'> {
  const built = await stat(COMPILED_MAIN).then(
    (info) => info.mtimeMs,
    () => undefined,
  );
  if (built !== undefined && built >= (await newestSourceMtime())) return 'up to date';
  const tsc = path.join(ROOT, 'node_modules/.bin/tsc');
  try {
    await promisify(execFile)(tsc, ['-p', 'tsconfig.build.json'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`the build failed (tsc -p tsconfig.build.json); run it to see why:\n${stdout}${stderr}`);
  }
  return 'rebuilt';
}
