import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KnowledgeError } from '../../src/knowledge/errors.js';
import { loadKnowledge, parseKnowledge } from '../../src/knowledge/load.js';

const SOURCES = `sources:
  - id: gov-cn-2017
    title: "An article"
    publisher: "english.gov.cn"
    url: "http://english.gov.cn/a.htm"
    published: "2017-02-09"
`;

const fact = (overrides: string[] = []): string => {
  const fields: Record<string, string> = {
    id: 'id: gdp-2016',
    topic: 'topic: economy',
    as_of: 'as_of: "2017-02-09"',
    answer: 'answer: { en: "In 2016, GDP was expected to top 490 billion yuan." }',
    questions: 'questions: { en: ["GDP 2016?", "How big was the economy in 2016?", "Output in 2016?", "2016 economy size?"] }',
    sources: 'sources: [gov-cn-2017]',
  };
  for (const override of overrides) {
    // "key: line" replaces that field's line; "key: DELETE" drops the field.
    const at = override.indexOf(': ');
    const key = override.slice(0, at);
    fields[key] = override.slice(at + 2) === 'DELETE' ? `${key}: DELETE` : override.slice(at + 2);
  }
  return Object.values(fields)
    .filter((line) => !line.endsWith(': DELETE'))
    .map((line, i) => (i === 0 ? `  - ${line}` : `    ${line}`))
    .join('\n');
};

const topics = 'topics:\n  - id: economy\n    title: { en: Economy }\n';

function parse(files: Record<string, string>) {
  return parseKnowledge(Object.entries(files).map(([name, text]) => ({ name, file: `knowledge/${name}`, text })));
}

function issuesOf(files: Record<string, string>): string[] {
  try {
    parse(files);
  } catch (error) {
    expect(error).toBeInstanceOf(KnowledgeError);
    return (error as KnowledgeError).message.split('\n').slice(1).map((line) => line.trim());
  }
  throw new Error('expected the fact base to be rejected');
}

describe('parseKnowledge', () => {
  it('accepts a valid fact base', () => {
    const kb = parse({ 'sources.yaml': SOURCES, 'economy.yaml': `${topics}facts:\n${fact()}\n` });
    expect(kb.facts.map((f) => f.id)).toEqual(['gdp-2016']);
    expect(kb.sources.get('gov-cn-2017')?.publisher).toBe('english.gov.cn');
    expect(kb.factFiles.get('gdp-2016')).toBe('knowledge/economy.yaml');
  });

  it('reads sources defined in a fact file, and rejects an id defined twice across files', () => {
    const local = SOURCES.replace('gov-cn-2017', 'local-2017').replace(/^sources:\n/, '');
    const kb = parse({
      'sources.yaml': SOURCES,
      'economy.yaml': `sources:\n${local}${topics}facts:\n${fact(['sources: sources: [local-2017]'])}\n`,
    });
    expect(kb.sources.get('local-2017')?.url).toBe('http://english.gov.cn/a.htm');
    const twice = issuesOf({ 'sources.yaml': SOURCES, 'economy.yaml': `${SOURCES}${topics}facts:\n${fact()}\n` });
    expect(twice).toEqual([expect.stringContaining('duplicate source id "gov-cn-2017"')]);
  });

  it('names the file, fact and source for an unknown source reference', () => {
    const issues = issuesOf({ 'sources.yaml': SOURCES, 'economy.yaml': `${topics}facts:\n${fact(['sources: sources: [gov-cn-2071]'])}\n` });
    expect(issues).toEqual(['knowledge/economy.yaml:10: facts[0] (gdp-2016).sources[0]: unknown source "gov-cn-2071" (define it in sources.yaml or under sources: in a fact file)']);
  });

  it('reports malformed YAML with its line number', () => {
    const issues = issuesOf({ 'sources.yaml': SOURCES, 'economy.yaml': `${topics}facts:\n  - id: [unclosed\n` });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^knowledge\/economy\.yaml:\d+: malformed YAML: /);
  });

  it('rejects duplicate fact ids across files and says where the first one is', () => {
    const issues = issuesOf({
      'sources.yaml': SOURCES,
      'a.yaml': `${topics}facts:\n${fact()}\n`,
      'b.yaml': `facts:\n${fact()}\n`,
    });
    expect(issues).toEqual(['knowledge/b.yaml:2: facts[0] (gdp-2016).id: duplicate fact id "gdp-2016" (also at knowledge/a.yaml facts[0])']);
  });

  it('rejects an empty answer', () => {
    const issues = issuesOf({ 'sources.yaml': SOURCES, 'economy.yaml': `${topics}facts:\n${fact(['answer: answer: { en: "  " }'])}\n` });
    expect(issues).toEqual(['knowledge/economy.yaml:8: facts[0] (gdp-2016).answer.en: must not be empty']);
  });

  it('rejects a fact with fewer than four example questions', () => {
    const issues = issuesOf({ 'sources.yaml': SOURCES, 'economy.yaml': `${topics}facts:\n${fact(['questions: questions: { en: ["GDP?"] }'])}\n` });
    expect(issues[0]).toMatch(/facts\[0\] \(gdp-2016\)\.questions\.en: needs at least 4 example questions/);
  });

  it('rejects unknown fields, so a typo in a field name is not silently ignored', () => {
    const issues = issuesOf({ 'sources.yaml': SOURCES, 'economy.yaml': `${topics}facts:\n${fact(['sources: sources: [gov-cn-2017]\n    sauces: [x]'])}\n` });
    expect(issues[0]).toMatch(/facts\[0\]: unknown field "sauces"/);
  });

  it('rejects a missing required field', () => {
    const issues = issuesOf({ 'sources.yaml': SOURCES, 'economy.yaml': `${topics}facts:\n${fact(['as_of: DELETE'])}\n` });
    expect(issues[0]).toMatch(/facts\[0\] \(gdp-2016\)\.as_of: missing/);
  });

  it('reads review_by, and names the file, fact and field of a review_by that is not a real date', () => {
    const kb = parse({ 'sources.yaml': SOURCES, 'economy.yaml': `${topics}facts:\n${fact(['sources: sources: [gov-cn-2017]\n    review_by: 2019-02-09'])}\n` });
    expect(kb.facts[0]?.review_by).toBe('2019-02-09');
    const wrongDay = issuesOf({ 'sources.yaml': SOURCES, 'economy.yaml': `${topics}facts:\n${fact(['sources: sources: [gov-cn-2017]\n    review_by: "2019-02-30"'])}\n` });
    expect(wrongDay).toEqual([expect.stringMatching(/^knowledge\/economy\.yaml:\d+: facts\[0\] \(gdp-2016\)\.review_by: is not a real date \(no such day in the calendar\)$/)]);
    const month = issuesOf({ 'sources.yaml': SOURCES, 'economy.yaml': `${topics}facts:\n${fact(['sources: sources: [gov-cn-2017]\n    review_by: "2019-02"'])}\n` });
    expect(month).toEqual([expect.stringMatching(/facts\[0\] \(gdp-2016\)\.review_by: must be a date written YYYY-MM-DD$/)]);
  });

  it("keeps numbers in keyword lists as written (1988, 010)", () => {
    const kb = parse({ "sources.yaml": SOURCES, "economy.yaml": `${topics}facts:\n${fact(["sources: sources: [gov-cn-2017]\n    keywords: [gdp, 010, 1988]"])}\n` });
    expect(kb.facts[0]?.keywords).toEqual(["gdp", "010", "1988"]);
  });

  it("says how to quote a value that YAML read as a number", () => {
    const issues = issuesOf({ 'sources.yaml': SOURCES, 'economy.yaml': `${topics}facts:\n${fact(['answer: answer: { en: 490 }'])}\n` });
    expect(issues[0]).toMatch(/facts\[0\] \(gdp-2016\)\.answer\.en: expected string, got a number \(write it in quotes: "490"\)/);
  });

  it('rejects an unknown topic, a series without a year, and two facts for one series year', () => {
    const base = fact(['series: series: gdp', 'sources: sources: [gov-cn-2017]\n    year: 2016']);
    const issues = issuesOf({
      'sources.yaml': SOURCES,
      'economy.yaml': `${topics}facts:\n${base}\n${base.replace('gdp-2016', 'gdp-2016-b')}\n${fact(['id: id: gdp-x', 'series: series: gdp', 'topic: topic: nowhere'])}\n`,
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/facts\[2\] \(gdp-x\)\.topic: unknown topic "nowhere"/),
        expect.stringMatching(/facts\[2\] \(gdp-x\)\.year: a fact in series "gdp" needs the year/),
        expect.stringMatching(/facts\[1\] \(gdp-2016-b\)\.year: series "gdp" already has a fact for 2016 \("gdp-2016"\)/),
      ]),
    );
  });

  it('rejects a fact base without sources.yaml', () => {
    expect(issuesOf({ 'economy.yaml': `${topics}facts:\n${fact()}\n` })).toEqual(
      expect.arrayContaining(['sources.yaml: missing: every fact base needs a sources.yaml that defines its sources']),
    );
  });

  it('rejects a source with a bad URL or date', () => {
    const issues = issuesOf({ 'sources.yaml': SOURCES.replace('http://english.gov.cn/a.htm', 'not a url').replace('2017-02-09', 'Feb 9'), 'economy.yaml': `${topics}facts:\n${fact()}\n` });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^knowledge\/sources\.yaml:\d+: sources\[0\]\.url: must be an http\(s\) URL/),
        expect.stringMatching(/^knowledge\/sources\.yaml:\d+: sources\[0\]\.published: must be a date/),
      ]),
    );
  });
});

describe('loadKnowledge', () => {
  it('loads the real fact base', async () => {
    const kb = await loadKnowledge('knowledge');
    expect(kb.facts.length).toBeGreaterThanOrEqual(45);
    for (const fact of kb.facts) {
      expect(fact.sources.length, fact.id).toBeGreaterThan(0);
      for (const id of fact.sources) expect(kb.sources.has(id), `${fact.id} cites ${id}`).toBe(true);
    }
  });

  it('fails with the folder name when the folder does not exist', async () => {
    await expect(loadKnowledge('no/such/folder')).rejects.toThrow(/no\/such\/folder: cannot read the fact base folder/);
  });

  it('reads files from disk with paths relative to the working directory', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kb-'));
    try {
      await writeFile(path.join(dir, 'sources.yaml'), SOURCES);
      await writeFile(path.join(dir, 'economy.yaml'), `${topics}facts:\n${fact(['sources: sources: [nope]'])}\n`);
      await expect(loadKnowledge(dir)).rejects.toThrow(/economy\.yaml:10: facts\[0\] \(gdp-2016\)\.sources\[0\]: unknown source "nope"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
