import { cp, mkdir, readdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/host/app.js';
import { createMetrics } from '../../src/host/metrics.js';
import { RELOAD_DEBOUNCE_MS } from '../../src/host/reload.js';
import { captureLogs, connectedPlatform, testConfig } from './app.js';
import { copyKnowledge, eventually, tempDir } from './process.js';

/** Hot reload through the file watcher, on a copy of the real fact base. */

const INCUBATORS = 'How many incubators are on Zhongguancun street?';
const context = { platform: 'terminal', userId: 'local' } as const;

let app: RunningApp | undefined;
let scratch: { dir: string; remove: () => Promise<void> };
let dir: string;
let file: string;
let original: string;

beforeEach(async () => {
  scratch = await tempDir('reload');
  dir = await copyKnowledge(scratch.dir);
  file = path.join(dir, 'zhongguancun.yaml');
  original = await readFile(file, 'utf8');
});

afterEach(async () => {
  await app?.stop();
  app = undefined;
  await scratch.remove();
});

async function start(knowledgeDir = dir) {
  const metrics = createMetrics({ processMetrics: false });
  const logs = captureLogs('info', metrics);
  app = await startApp({ config: testConfig({ KNOWLEDGE_DIR: knowledgeDir, WATCH_KNOWLEDGE: 'true' }), logger: logs.logger, platforms: [connectedPlatform().launcher], metrics });
  return { app, ...logs, metrics };
}

const answerText = async (running: RunningApp): Promise<string> => (await running.bot.ask(INCUBATORS, context)).body;

describe('hot reload of the fact base', () => {
  it('serves a valid edit from the next question on, and records the reload time', async () => {
    const { app: running, metrics } = await start();
    expect(await answerText(running)).toContain('more than 400 business incubators');
    const before = await metrics.render();

    const editedAt = performance.now();
    await writeFile(file, original.replace('more than 400 business incubators', 'more than 444 business incubators'));
    await eventually(async () => (await answerText(running)).includes('more than 444'));
    const latencyMs = performance.now() - editedAt;
    console.log(`file saved → new answer served: ${latencyMs.toFixed(0)} ms (debounce ${RELOAD_DEBOUNCE_MS} ms)`);
    expect(latencyMs).toBeGreaterThanOrEqual(RELOAD_DEBOUNCE_MS - 20);

    const after = await metrics.render();
    const stamp = (text: string) => Number(/^haidian_fact_base_last_reload_timestamp_seconds (\S+)$/m.exec(text)?.[1]);
    expect(stamp(after)).toBeGreaterThan(stamp(before));
    expect(after).toMatch(/^haidian_fact_base_reload_failures_total 0$/m);
  });

  it('keeps serving the previous fact base after an invalid edit, logging file, path and problem and counting the failure', async () => {
    const { app: running, metrics, records } = await start();
    // A fact without its answer and with a misspelled key: the loader rejects the whole fact base.
    await writeFile(file, original.replace(/^(\s+)answer:/m, '$1answr:'));
    const rejected = await eventually(() => records().find((r) => String(r['msg']).startsWith('knowledge: reload rejected')), 5_000);
    expect(rejected['level']).toBe(50);
    expect(String(rejected['msg'])).toMatch(/zhongguancun\.yaml:\d+: facts\[0\]/);
    expect(rejected['issues']).toEqual(expect.arrayContaining([expect.objectContaining({ file: expect.stringMatching(/zhongguancun\.yaml$/), path: expect.stringMatching(/^facts\[0\]/) })]));

    expect(await answerText(running)).toContain('more than 400 business incubators');
    expect(await metrics.render()).toMatch(/^haidian_fact_base_reload_failures_total 1$/m);

    // Fixing the file brings the watcher back to a valid fact base: nothing was lost, no restart.
    await writeFile(file, original.replace('more than 400', 'more than 401'));
    await eventually(async () => (await answerText(running)).includes('more than 401'));
  });

  it('reloads once for a burst of saves (debounced)', async () => {
    const { app: running, records } = await start();
    for (let i = 1; i <= 5; i += 1) await writeFile(file, original.replace('more than 400', `more than ${400 + i}`));
    await eventually(async () => (await answerText(running)).includes('more than 405'));
    await new Promise((resolve) => setTimeout(resolve, RELOAD_DEBOUNCE_MS * 2));
    expect(records().filter((r) => r['msg'] === 'knowledge: reloaded')).toHaveLength(1);
  });

  it('follows a Kubernetes ConfigMap update: an atomic swap of the ..data symlink, no .yaml name touched', async () => {
    // The layout kubelet writes: the files in a timestamped folder, `..data` pointing at it, and each
    // file a symlink through `..data`.
    const mounted = path.join(scratch.dir, 'configmap');
    await mkdir(mounted);
    await cp(dir, path.join(mounted, '..v1'), { recursive: true });
    await symlink('..v1', path.join(mounted, '..data'));
    for (const name of await readdir(path.join(mounted, '..v1'))) await symlink(path.join('..data', name), path.join(mounted, name));
    const { app: running } = await start(mounted);
    expect(await answerText(running)).toContain('more than 400');

    await cp(path.join(mounted, '..v1'), path.join(mounted, '..v2'), { recursive: true });
    await writeFile(path.join(mounted, '..v2', 'zhongguancun.yaml'), original.replace('more than 400', 'more than 403'));
    await symlink('..v2', path.join(mounted, '..data_tmp'));
    await rename(path.join(mounted, '..data_tmp'), path.join(mounted, '..data'));
    await eventually(async () => (await answerText(running)).includes('more than 403'));
  });

  it('does not watch when WATCH_KNOWLEDGE=false, but reloads on request (SIGHUP)', async () => {
    const { logger } = captureLogs();
    app = await startApp({ config: testConfig({ KNOWLEDGE_DIR: dir, WATCH_KNOWLEDGE: 'false' }), logger, platforms: [connectedPlatform().launcher] });
    await writeFile(file, original.replace('more than 400', 'more than 402'));
    await new Promise((resolve) => setTimeout(resolve, RELOAD_DEBOUNCE_MS * 3));
    expect(await answerText(app)).toContain('more than 400');
    expect(await app.reload('SIGHUP')).toBe(true);
    expect(await answerText(app)).toContain('more than 402');
  });
});
