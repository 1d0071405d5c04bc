import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReport, groupUnanswered, jaccard, parseUnansweredLog, questionTerms } from '../../src/curator/report.js';
import { cleanEnv, run } from '../helpers/run.js';
import { tempDir } from '../host/process.js';

const line = (question: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ time: '2025-05-01T10:00:00.000Z', platform: 'slack', kind: 'no-match', confidence: 0, question, ...extra });

/** A sample unanswered log: four wordings of the weather, three of hospitals (one traditional), two of a future GDP. */
const SAMPLE = [
  line('What is the weather in Haidian today?'),
  line('weather in haidian today', { platform: 'discord', time: '2025-05-02T08:00:00.000Z' }),
  line('Haidian weather today?'),
  line("What's the weather forecast for Haidian today"),
  line('GDP in 2030?', { kind: 'answer', confidence: 0.5, factId: 'gdp-2016' }),
  line('What will the GDP be in 2030', { kind: 'answer', confidence: 0.55, factId: 'gdp-2016' }),
  line('GDP in 2016 per person', { kind: 'answer', confidence: 0.58, factId: 'gdp-2016' }),
  line('海淀区有多少家医院？', { platform: 'discord' }),
  line('海淀区医院有多少家', { platform: 'discord' }),
  line('海淀有多少家醫院', { platform: 'discord' }),
  line('best restaurants in Wudaokou'),
  '{"truncated by a crash',
].join('\n');

describe('grouping unanswered questions', () => {
  it('normalises case, punctuation, stop words, plurals and traditional characters', () => {
    expect([...questionTerms("What's the weather forecast for Haidian today?")].sort()).toEqual(['forecast', 'today', 'weather']);
    expect(questionTerms('Best RESTAURANTS in Wudaokou!')).toEqual(new Set(['best', 'restaurant', 'wudaokou']));
    expect(questionTerms('海淀有多少家醫院')).toEqual(questionTerms('海淀区有多少家医院？'));
  });

  it('measures similarity as the Jaccard index of the term sets', () => {
    expect(jaccard(new Set(['weather', 'forecast', 'today']), new Set(['weather', 'today']))).toBeCloseTo(2 / 3);
    expect(jaccard(new Set(['gdp', '2016']), new Set(['gdp', '2030']))).toBeCloseTo(1 / 3);
  });

  it('groups similar wordings, counts them and ranks the most asked first', () => {
    const { entries, skipped } = parseUnansweredLog(SAMPLE);
    expect(skipped).toBe(1);
    const groups = groupUnanswered(entries);
    expect(groups.map((g) => [g.question, g.count])).toEqual([
      ['What is the weather in Haidian today?', 4],
      ['海淀区有多少家医院？', 3],
      ['GDP in 2030?', 2],
      ['best restaurants in Wudaokou', 1],
      ['GDP in 2016 per person', 1],
    ]);
    expect(groups[0]).toMatchObject({ variants: [{ question: "What's the weather forecast for Haidian today", count: 1 }], platforms: ['discord', 'slack'], lastAsked: '2025-05-02T08:00:00.000Z' });
    expect(groups[2]).toMatchObject({ kinds: { answer: 2 }, closestFacts: ['gdp-2016'] });
  });

  it('prints a report a curator can act on', () => {
    const { entries, skipped } = parseUnansweredLog(SAMPLE);
    const text = formatReport(groupUnanswered(entries), { source: 'sample.jsonl', entries: entries.length, skipped, top: 3 });
    expect(text).toBe(
      [
        'Unanswered questions in sample.jsonl: 11 logged, 5 distinct (similar wordings grouped), most asked first; top 3 shown.',
        '',
        '4× What is the weather in Haidian today?',
        '   also: “What\'s the weather forecast for Haidian today”',
        '   no-match 4; discord, slack; last 2025-05-02',
        '3× 海淀区有多少家医院？',
        '   also: “海淀区医院有多少家”',
        '   no-match 3; discord; last 2025-05-01',
        '2× GDP in 2030?',
        '   low-confidence answer 2; answered with gdp-2016; slack; last 2025-05-01',
        '',
        '1 unreadable line(s) skipped.',
        '',
      ].join('\n'),
    );
  });
});

describe('npm run report', () => {
  let scratch: { dir: string; remove: () => Promise<void> };
  let file: string;
  beforeAll(async () => {
    scratch = await tempDir('report');
    file = path.join(scratch.dir, 'unanswered.jsonl');
    await writeFile(file, `${SAMPLE}\n`);
  });
  afterAll(() => scratch.remove());

  it('reports on the file given', async () => {
    const { code, stdout } = await run('npm', ['run', '--silent', 'report', '--', file], { env: cleanEnv() });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^4× What is the weather in Haidian today\?$/m);
    expect(stdout).toMatch(/^3× 海淀区有多少家医院？$/m);
  });

  it('reads UNANSWERED_LOG when no file is given, and prints JSON with --json', async () => {
    const { code, stdout } = await run('npm', ['run', '--silent', 'report', '--', '--json', '--top', '1'], { env: cleanEnv({ UNANSWERED_LOG: file }) });
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ question: 'What is the weather in Haidian today?', count: 4 });
  });

  it('exits 1 when the log cannot be read, 2 when there is no log to read', async () => {
    const missing = await run('npm', ['run', '--silent', 'report', '--', path.join(scratch.dir, 'nope.jsonl')], { env: cleanEnv() });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read the unanswered log/);
    const none = await run('npm', ['run', '--silent', 'report'], { env: cleanEnv({ UNANSWERED_LOG: '' }) });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/pass a FILE or set UNANSWERED_LOG/);
  });
});
