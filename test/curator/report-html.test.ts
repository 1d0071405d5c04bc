/**
 * `npm run report -- --html FILE`: a one-file page a curator opens in a browser. Checked as text (no
 * external resource, no script, user text escaped, links never clickable) and rendered in a real
 * headless Chromium (Debian's chromium package): the DOM it builds has the expected headings, and the
 * screenshot it takes is a real, non-trivial PNG of the window size.
 */
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, run } from '../helpers/run.js';
import { serviceAvailable } from '../helpers/services.js';
import { tempDir } from '../host/process.js';

const CHROMIUM = 'chromium';
const chromium = serviceAvailable({ binary: CHROMIUM, args: ['--version'], packageName: 'chromium', tests: 'the HTML report tests in Chromium' });
const execFileAsync = promisify(execFile);

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const HEADINGS = ['Curator report', 'Most asked and most disliked', 'Unanswered questions', 'Disliked answers', 'Corrections to review', 'Facts to review'];
const WINDOW = { width: 1200, height: 1600 };
/** A blank 1200×1600 screenshot is about 9 kB; this page with its tables and charts is over 200 kB. */
const SCREENSHOT_MIN_BYTES = 20_000;

let scratch: { dir: string; remove: () => Promise<void> };
let page: string;
let html: string;

beforeAll(async () => {
  scratch = await tempDir('report-html');
  page = path.join(scratch.dir, 'report.html');
  const env = cleanEnv({ KNOWLEDGE_DIR: 'test/fixtures/fresh-knowledge' });
  const args = ['tsx', 'src/cli.ts', 'report', '--today', '2026-12-07', '--records', path.join(FIXTURES, 'feedback.jsonl'), '--html', page, path.join(FIXTURES, 'unanswered.jsonl')];
  const result = await run('npx', args, { env });
  if (result.code !== 0) throw new Error(`report --html failed (${String(result.code)}): ${result.stderr}`);
  html = await readFile(page, 'utf8');
}, 60_000);
afterAll(() => scratch.remove());

describe('the HTML page, as a file', () => {
  it('is one self-contained document: inline CSS and SVG, no script, no external resource, no link', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<style>');
    expect(html).toMatch(/<svg [^>]*role="img"[^>]*aria-label="Most asked unanswered questions"/);
    expect(html).toMatch(/<svg [^>]*aria-label="Most disliked facts/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<a[\s>]|\ssrc=|\shref=|url\(/i);
  });

  it('escapes everything users wrote, and shows their links as text only', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; There are 45 bakeries since 2025.');
    expect(html).toContain('https://stats.example.org/2025?a=1&amp;b=&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('\u001b');
  });

  it('draws one bar per most asked question and per most disliked fact, the longest for the largest count', () => {
    const widths = [...html.matchAll(/<rect [^>]*width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(4 + 2);
    expect(widths[0]).toBe(Math.max(...widths.slice(0, 4)));
    expect(widths[0]).toBeGreaterThan(widths[1] as number);
  });
});

describe.skipIf(!chromium.available)(`the HTML page in headless Chromium${chromium.available ? '' : ` (${chromium.reason})`}`, () => {
  const browse = async (args: string[]): Promise<string> => {
    const profile = path.join(scratch.dir, `profile-${args[0]?.slice(2, 8) ?? 'x'}`);
    const { stdout } = await execFileAsync(
      CHROMIUM,
      ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`, `--window-size=${WINDOW.width},${WINDOW.height}`, ...args, pathToFileURL(page).href],
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
    );
    return stdout;
  };

  it('builds a DOM with the expected headings and the user text as text', async () => {
    const dom = await browse(['--dump-dom']);
    const headings = [...dom.matchAll(/<h([12])[^>]*>([^<]*)<\/h\1>/g)].map((m) => m[2]);
    expect(headings).toEqual(HEADINGS);
    expect(dom).toMatch(/<h3>Most asked unanswered questions<\/h3><svg/);
    expect(dom).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(dom).not.toMatch(/<script|<a[\s>]/);
  }, 90_000);

  it('takes a screenshot: a PNG of the window size, far from blank', async () => {
    const shot = path.join(scratch.dir, 'report.png');
    await browse([`--screenshot=${shot}`]);
    const png = await readFile(shot);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // IHDR, the first chunk: width and height as 32-bit big-endian numbers at bytes 16 and 20.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([WINDOW.width, WINDOW.height]);
    expect((await stat(shot)).size).toBeGreaterThan(SCREENSHOT_MIN_BYTES);
  }, 90_000);
});
