import { describe, expect, it } from 'vitest';
import { cleanEnv, run } from '../helpers/run.js';

const tsx = (args: string[], input = '', env = cleanEnv()) => run('npx', ['tsx', 'src/cli.ts', ...args], { input, env });

describe('ask --json (the CLI contract)', () => {
  it('writes exactly one JSON object per input line, in order, and nothing else', async () => {
    const questions = ["What was Haidian's GDP in 2016?", 'What is the capital of France?', 'hello', 'help', '', '🙂'];
    const { code, stdout } = await run('npm', ['run', '--silent', 'ask', '--', '--json'], { input: `${questions.join('\n')}\n`, env: cleanEnv() });
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(questions.length);
    const replies = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(replies.map((r) => r.question)).toEqual(questions);
    expect(replies.map((r) => r.kind)).toEqual(['answer', 'no-match', 'smalltalk', 'help', 'help', 'help']);
    for (const reply of replies) {
      expect(Object.keys(reply).sort()).toEqual(['answered', 'confidence', 'kind', 'question', 'sources', 'suggestions', 'text']);
      expect(reply.answered).toBe(reply.kind === 'answer');
      expect(typeof reply.text).toBe('string');
      expect(reply.confidence).toBeGreaterThanOrEqual(0);
      expect(reply.confidence).toBeLessThanOrEqual(1);
      expect(Array.isArray(reply.suggestions)).toBe(true);
    }
    const [answer, decline] = replies;
    expect(answer?.text).toMatch(/490 billion/);
    expect(answer?.sources).toEqual([
      expect.objectContaining({ title: expect.any(String), publisher: expect.any(String), url: expect.stringMatching(/^https?:/), date: expect.stringMatching(/^\d{4}/) }),
    ]);
    expect(Object.keys((answer?.sources as object[])[0] as object).sort()).toEqual(['date', 'publisher', 'title', 'url']);
    expect(decline?.answered).toBe(false);
    expect((decline?.suggestions as string[]).length).toBeGreaterThan(0);
  });

  it('answers one question given as an argument', async () => {
    const { code, stdout } = await tsx(['ask', '--json', 'incubaters in zhongguancun']);
    expect(code).toBe(0);
    const reply = JSON.parse(stdout) as { kind: string; text: string };
    expect(reply.kind).toBe('answer');
    expect(reply.text).toMatch(/400/);
  });
  it('keeps lines independent without --conversation, and one conversation with it', async () => {
    const input = "What was Haidian's GDP in 2016?\nand in 2017?\n";
    const alone = (await tsx(['ask', '--json'], input)).stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { kind: string; text: string });
    expect(alone[1]?.kind).toBe('clarify');
    expect(alone[1]?.text).not.toMatch(/594 billion/);
    const together = (await tsx(['ask', '--json', '--conversation'], input)).stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { kind: string; text: string });
    expect(together[1]?.kind).toBe('answer');
    expect(together[1]?.text).toMatch(/594 billion/);
  });

  it('does not answer a figure for an elliptical question asked alone', async () => {
    const reply = JSON.parse((await tsx(['ask', '--json', 'and in 2017?'])).stdout) as { kind: string; answered: boolean; confidence: number };
    expect(reply).toMatchObject({ kind: 'clarify', answered: false, confidence: 0 });
  });
});

describe('ask (for people)', () => {
  it('prints the answer with numbered sources', async () => {
    const { code, stdout } = await tsx(['ask', 'Who co-founded SenseTime?']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Yang Fan/);
    expect(stdout).toMatch(/Source:\n {2}\[1\] .+ — .+, \d{4}/);
  });
});

describe('eval', () => {
  it('scores a question file by category and lists every miss', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/eval-`);
    const file = `${dir}/q.jsonl`;
    await writeFile(
      file,
      [
        { q: "What was Haidian's GDP in 2016?", expect: ['490 billion'] },
        { q: "What was Haidian's GDP in 2016?", expect: ['this will not match'], category: 'deliberate-miss' },
        { q: 'What is the capital of France?', decline: true },
        { q: 'hello', kind: 'smalltalk' },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n'),
    );
    const { code, stdout } = await tsx(['eval', file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/in scope answered right, with a source: 1\/2/);
    expect(stdout).toMatch(/out of scope declined: +1\/1/);
    expect(stdout).toMatch(/deliberate-miss +0 \/ 1/);
    expect(stdout).toMatch(/✗ \[deliberate-miss\] What was Haidian's GDP in 2016\?/);
  });

  it('names the line of a malformed eval file', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/eval-`);
    await writeFile(`${dir}/bad.jsonl`, '{"q": "ok", "decline": true}\n{"q": "no expectation"}\n');
    const { code, stderr } = await tsx(['eval', `${dir}/bad.jsonl`]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.jsonl:2: .*exactly one of/);
  });
});

describe('knowledge:check', () => {
  it('validates and lints the real fact base', async () => {
    const { code, stdout } = await tsx(['check']);
    expect(stdout).toMatch(/fact base valid: \d+ facts/);
    expect(stdout).toMatch(/lint: every example question reaches its own fact/);
    expect(stdout).toMatch(/^evidence: \d+ passages; /m);
    expect(code).toBe(0);
  });

  it('stops with the file, path and problem for an invalid fact base', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/kb-`);
    await writeFile(`${dir}/sources.yaml`, 'sources:\n  - id: a\n    title: A\n    publisher: P\n    url: "http://a.example"\n    published: "2020"\n');
    await writeFile(`${dir}/facts.yaml`, 'facts:\n  - id: x\n    topic: t\n    as_of: "2020"\n    answer: { en: "" }\n    questions: { en: [a, b, c, d] }\n    sources: [a]\n');
    const { code, stderr } = await tsx(['check'], '', cleanEnv({ KNOWLEDGE_DIR: dir }));
    expect(code).toBe(1);
    expect(stderr).toMatch(/facts\.yaml:\d+: facts\[0\] \(x\)\.answer\.en: must not be empty/);
  });

  const FRESH_KB = cleanEnv({ KNOWLEDGE_DIR: 'test/fixtures/fresh-knowledge' });

  it('lists the facts past their review date and those due within 30 days, as a warning (exit 0)', async () => {
    const { code, stdout } = await tsx(['check', '--today', '2026-12-07'], '', FRESH_KB);
    expect(stdout).toMatch(/^review \(warnings; --strict-review makes them fail\): on 2026-12-07, 1 fact\(s\) past their review_by date, 1 due within 30 days:$/m);
    expect(stdout).toMatch(/^ {2}past: test\/fixtures\/fresh-knowledge\/economy\.yaml: fixture-bakeries: review by 2021-03-01 \(2107 days ago; as of 2020-03-01\)$/m);
    expect(stdout).toMatch(/^ {2}soon: .*: fixture-bridges: review by 2026-12-20 \(in 13 days; as of 2024-05-01\)$/m);
    expect(stdout.slice(stdout.indexOf('review ('))).not.toMatch(/fixture-museums|fixture-river/);
    expect(code).toBe(0);
  });

  it('fails on them with --strict-review, and passes when none is due on the day given', async () => {
    const strict = await tsx(['check', '--strict-review', '--today', '2026-12-07'], '', FRESH_KB);
    expect(strict.stdout).toMatch(/^review: on 2026-12-07, 1 fact\(s\) past/m);
    expect(strict.code).toBe(1);
    const early = await tsx(['check', '--strict-review', '--today', '2019-01-01'], '', FRESH_KB);
    expect(early.stdout).toMatch(/^review: no fact is past its review_by date or due within 30 days \(2019-01-01\)$/m);
    expect(early.code).toBe(0);
  });

  it('rejects a --today that is not a real date (exit 2)', async () => {
    const { code, stderr } = await tsx(['check', '--today', '2026-02-30'], '', FRESH_KB);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--today must be a real date written YYYY-MM-DD \(got "2026-02-30"\)/);
  });
});
