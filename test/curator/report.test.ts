import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCuratorReport, formatCuratorReport, type CuratorReport } from '../../src/curator/curator-page.js';
import { groupUnanswered, jaccard, parseUnansweredLog, questionTerms } from '../../src/curator/report.js';
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

  it('prints the groups a curator can act on, each with its nearest fact and a suggestion', () => {
    const { entries, skipped } = parseUnansweredLog(SAMPLE);
    const nearest = (question: string) =>
      question.startsWith('GDP') ? { factId: 'gdp-2023', score: 0.52, question: "What is Haidian's GDP?", missingTerms: ['2030'] } : undefined;
    const report = buildCuratorReport({ today: '2026-12-07', unanswered: { source: 'sample.jsonl', entries: entries.length, skipped, groups: groupUnanswered(entries) }, review: [], nearest, top: 3 });
    const text = formatCuratorReport(report);
    expect(text.slice(0, text.indexOf('\n\n== Disliked'))).toBe(
      [
        'Curator report, 2026-12-07',
        '',
        '== Unanswered questions ==',
        'sample.jsonl: 11 logged, 5 distinct (similar wordings grouped), most asked first; top 3 shown.',
        '4× What is the weather in Haidian today?',
        '   also: “What\'s the weather forecast for Haidian today”',
        '   no-match 4; discord, slack; last 2025-05-02',
        '   nearest fact: none (no word of it is in the fact base); suggestion: a new fact',
        '3× 海淀区有多少家医院？',
        '   also: “海淀区医院有多少家”',
        '   no-match 3; discord; last 2025-05-01',
        '   nearest fact: none (no word of it is in the fact base); suggestion: a new fact',
        '2× GDP in 2030?',
        '   low-confidence answer 2; answered with gdp-2016; slack; last 2025-05-01',
        "   nearest fact: gdp-2023 (score 0.52, e.g. “What is Haidian's GDP?”); suggestion (not applied): if it answers this, add “2030” to its keywords, or the question to its example questions",
      ].join('\n'),
    );
    expect(text).toMatch(/\n1 unreadable line\(s\) skipped in sample\.jsonl\.\n$/);
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

  it('reads UNANSWERED_LOG when no file is given, and prints one JSON document with --json', async () => {
    const { code, stdout } = await run('npm', ['run', '--silent', 'report', '--', '--json', '--top', '1'], { env: cleanEnv({ UNANSWERED_LOG: file }) });
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { version: number; unanswered: { groups: unknown[]; distinct: number } };
    expect(report.version).toBe(1);
    expect(report.unanswered.distinct).toBe(5);
    expect(report.unanswered.groups).toEqual([expect.objectContaining({ question: 'What is the weather in Haidian today?', count: 4 })]);
  });

  it('exits 1 when the log cannot be read, 2 when there is no log to read', async () => {
    const missing = await run('npm', ['run', '--silent', 'report', '--', path.join(scratch.dir, 'nope.jsonl')], { env: cleanEnv() });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read the unanswered log/);
    const none = await run('npm', ['run', '--silent', 'report'], { env: cleanEnv({ UNANSWERED_LOG: '' }) });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/pass a FILE or set UNANSWERED_LOG/);
    const records = await run('npm', ['run', '--silent', 'report', '--', '--records', path.join(scratch.dir, 'nope.jsonl'), file], { env: cleanEnv() });
    expect(records.code).toBe(1);
    expect(records.stderr).toMatch(/Cannot read the feedback records .*nope\.jsonl/);
  });
});

/** The fixture logs (test/curator/fixtures/) over the freshness fixture's fact base, on a fixed day. */
const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const FIXTURE_ENV = cleanEnv({ KNOWLEDGE_DIR: 'test/fixtures/fresh-knowledge', FEEDBACK_LOG: path.join(FIXTURES, 'feedback.jsonl') });
const reportOn = (args: string[], env = FIXTURE_ENV) =>
  run('npx', ['tsx', 'src/cli.ts', 'report', '--today', '2026-12-07', ...args, path.join(FIXTURES, 'unanswered.jsonl')], { env });

describe("npm run report: the curator's page on fixture logs", () => {
  it('shows each group with its nearest fact and suggested words, the disliked facts, the corrections and the facts to review', async () => {
    const { code, stdout, stderr } = await reportOn([]);
    expect(code).toBe(0);
    const sections = stdout.split(/^== /m).map((part) => part.trim());
    expect(sections.map((part) => part.split('\n')[0])).toEqual([
      'Curator report, 2026-12-07',
      'Unanswered questions ==',
      'Disliked answers (👎) ==',
      'Corrections to review ==',
      'Facts to review ==',
    ]);
    const [, unanswered, disliked, corrections, review] = sections as [string, string, string, string, string];
    expect(unanswered).toContain(
      '3× bakery opening hours\n' +
        '   low-confidence answer 3; answered with fixture-bakeries; discord, slack; last 2026-11-03\n' +
        '   nearest fact: fixture-bakeries (score 0.49, e.g. “How many bakeries are there?”); suggestion (not applied): if it answers this, add “opening”, “hours” to its keywords, or the question to its example questions',
    );
    expect(unanswered).toMatch(/1× What is the weather today\?\n.*\n {3}nearest fact: none \(no word of it is in the fact base\); suggestion: a new fact/);
    expect(unanswered).toMatch(/1× Where can I buy bread in the town\?\n.*\n {3}nearest fact: fixture-river \(score 0\.\d+, .*\); suggestion: probably a new fact/);
    // Twice-clicked 👎 counts once; a user's later vote on the same answer replaces the earlier one.
    expect(disliked.split('\n').slice(1)).toEqual([
      "test/curator/fixtures/feedback.jsonl: 6 vote(s) (each user's last per answer), most 👎 first.".replace('test/curator/fixtures/', `${FIXTURES}/`),
      '2👎 0👍 fixture-bridges: not what was asked 1, other 1',
      '      asked: “How many bridges are there?”, “Is there a bridge for cyclists?”',
      '2👎 1👍 fixture-bakeries: out of date 1, wrong 1',
      '      asked: “bakeries in town?”, “How many bakeries are there?”',
    ]);
    // User text is shown as written, on one line, without its control characters; links stay text.
    expect(corrections).toContain('2026-11-08 12:30 slack fixture-bakeries (en): <script>alert(1)</script> There are 45 bakeries since 2025.');
    expect(corrections).toContain('      source given (not checked): https://stats.example.org/2025?a=1&b=<b>x</b>');
    expect(corrections).toContain('2026-11-09 08:00 discord fixture-bridges (zh): [31m现在有8座桥 [0m 第8座2025年建成。');
    expect(stdout).not.toContain('\u001b');
    expect(review.split('\n').slice(1)).toEqual([
      'past: test/fixtures/fresh-knowledge/economy.yaml: fixture-bakeries: review by 2021-03-01 (2107 days ago; as of 2020-03-01)',
      'soon: test/fixtures/fresh-knowledge/economy.yaml: fixture-bridges: review by 2026-12-20 (in 13 days; as of 2024-05-01)',
      '',
      `1 unreadable line(s) skipped in ${path.join(FIXTURES, 'unanswered.jsonl')}; 2 unreadable line(s) skipped in ${path.join(FIXTURES, 'feedback.jsonl')}.`,
    ]);
    expect(stderr).toMatch(/skipped 2 unreadable line\(s\) in .*feedback\.jsonl/);
  });

  it('prints the same page as one JSON document with --json, version 1, for tools', async () => {
    const { code, stdout } = await reportOn(['--json']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(stdout) as CuratorReport;
    expect(report.version).toBe(1);
    expect(report.today).toBe('2026-12-07');
    expect(report.unanswered).toMatchObject({ entries: 6, skipped: 1, distinct: 4 });
    expect(report.unanswered.groups[0]).toMatchObject({
      question: 'bakery opening hours',
      count: 3,
      nearest: { factId: 'fixture-bakeries', missingTerms: ['opening', 'hours'], suggest: 'keywords', question: 'How many bakeries are there?' },
    });
    expect(report.feedback).toMatchObject({ votes: 6, skipped: 2 });
    expect(report.feedback.disliked.map((f) => [f.factId, f.down, f.up])).toEqual([
      ['fixture-bridges', 2, 0],
      ['fixture-bakeries', 2, 1],
    ]);
    expect(report.feedback.disliked[1]?.reasons).toEqual({ 'out-of-date': 1, wrong: 1 });
    expect(report.corrections.map((c) => c.factId)).toEqual(['fixture-bridges', 'fixture-bakeries']);
    expect(report.corrections[1]).toMatchObject({ link: 'https://stats.example.org/2025?a=1&b=<b>x</b>' });
    expect(report.corrections[1]).not.toHaveProperty('user');
    expect(report.review.map((r) => [r.factId, r.status])).toEqual([
      ['fixture-bakeries', 'past'],
      ['fixture-bridges', 'soon'],
    ]);
    expect(report.charts.mostAsked[0]).toEqual({ label: 'bakery opening hours', count: 3 });
    expect(report.charts.mostDisliked).toEqual([
      { label: 'fixture-bridges', count: 2 },
      { label: 'fixture-bakeries', count: 2 },
    ]);
  });

  it('takes the records from --records over FEEDBACK_LOG, and reports without them', async () => {
    const none = await reportOn([], cleanEnv({ KNOWLEDGE_DIR: 'test/fixtures/fresh-knowledge' }));
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No feedback records (pass --records FILE or set FEEDBACK_LOG).');
    expect(none.stdout).toContain('3× bakery opening hours');
    const given = await reportOn(['--records', path.join(FIXTURES, 'feedback.jsonl')], cleanEnv({ KNOWLEDGE_DIR: 'test/fixtures/fresh-knowledge', FEEDBACK_LOG: '/nonexistent/feedback.jsonl' }));
    expect(given.code).toBe(0);
    expect(given.stdout).toContain('2👎 1👍 fixture-bakeries');
  });
});
