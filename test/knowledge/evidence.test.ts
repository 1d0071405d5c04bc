import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KnowledgeError } from '../../src/knowledge/errors.js';
import { checkEvidence, loadEvidence, numbersIn, type EvidenceEntry } from '../../src/knowledge/evidence.js';
import { loadKnowledge, parseKnowledge } from '../../src/knowledge/load.js';

const kb = parseKnowledge([
  {
    name: 'sources.yaml',
    file: 'knowledge/sources.yaml',
    text: `sources:
  - { id: gov, title: "An article", publisher: "english.gov.cn", url: "http://english.gov.cn/a.htm", published: "2017-02-09" }
  - { id: unused, title: "Another", publisher: "x", url: "http://x.example/b.htm", published: "2017" }
`,
  },
  {
    name: 'economy.yaml',
    file: 'knowledge/economy.yaml',
    text: `topics: [{ id: economy, title: { en: Economy } }]
facts:
  - id: gdp-2016
    topic: economy
    as_of: "2017-02-09"
    answer: { en: "In 2016, GDP was expected to top 490 billion yuan, up about 9 percent.", zh: "2016年，地区生产总值预计超过4900亿元，增长约9%。" }
    questions: { en: ["GDP 2016?", "How big was the economy in 2016?", "Output in 2016?", "2016 economy size?"] }
    sources: [gov]
`,
  },
]);

const entry = (passage: string, overrides: Partial<EvidenceEntry> = {}): EvidenceEntry => ({
  fact: 'gdp-2016',
  source: 'gov',
  url: 'http://english.gov.cn/a.htm',
  passage,
  file: 'knowledge/evidence/economy.yaml',
  ...overrides,
});
const messages = (entries: EvidenceEntry[]): string[] => checkEvidence(kb, entries).map((f) => `${f.factId}: ${f.message}`);
const PASSAGE = 'The GDP of Haidian in 2016 is expected to top 490 billion yuan, an annual growth of about 9 percent.';

describe('numbersIn', () => {
  it.each([
    ['3,133,469 people', ['3133469'], [3133469]],
    ['490 billion yuan', ['490'], [490e9]],
    ['4900亿元', ['4900'], [490e9]],
    ['312.2万人', ['312.2'], [3.122e6]],
    ['430.77 km², 2.62%', ['430.77', '2.62'], [430.77, 2.62]],
  ])('reads %s', (text, written, values) => {
    const numbers = numbersIn(text);
    expect(numbers.map((n) => n.written)).toEqual(written);
    numbers.forEach((n, i) => expect(n.value).toBeCloseTo(values[i] as number));
  });
});

describe('checkEvidence', () => {
  it('accepts a fact whose every number (en and zh, any unit) is in its passage; flags only the unused source', () => {
    expect(messages([entry(PASSAGE)])).toEqual(['-: source "unused" is defined but no fact cites it']);
  });

  it('names a number of the answer that no passage gives', () => {
    expect(messages([entry('The GDP of Haidian in 2016 is expected to top 490 billion yuan.')])).toContain(
      'gdp-2016: answer.en states 9, which no evidence passage of the fact gives',
    );
  });

  it('names a fact without evidence, evidence for an unknown fact, and a source or url that does not fit', () => {
    expect(messages([])).toContain('gdp-2016: no evidence entry (add one to knowledge/evidence/)');
    expect(messages([entry(PASSAGE), entry(PASSAGE, { fact: 'gdp-2099' })])).toContain('gdp-2099: evidence for an unknown fact "gdp-2099"');
    expect(messages([entry(PASSAGE, { source: 'unused', url: 'http://x.example/b.htm' })])).toContain(
      'gdp-2016: evidence cites source "unused", which the fact does not cite',
    );
    expect(messages([entry(PASSAGE, { url: 'http://english.gov.cn/other.htm' })])).toContain(
      'gdp-2016: evidence url http://english.gov.cn/other.htm is not the url of source "gov" (http://english.gov.cn/a.htm)',
    );
  });
});

describe('loadEvidence', () => {
  it('reads evidence/*.yaml and rejects an entry with a missing field, naming the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'evidence-'));
    try {
      await mkdir(path.join(dir, 'evidence'));
      await writeFile(path.join(dir, 'evidence', 'economy.yaml'), `evidence:\n  - { fact: gdp-2016, source: gov, url: "http://english.gov.cn/a.htm", passage: "${PASSAGE}" }\n`);
      expect((await loadEvidence(dir)).map((e) => e.fact)).toEqual(['gdp-2016']);
      await writeFile(path.join(dir, 'evidence', 'bad.yaml'), 'evidence:\n  - { fact: gdp-2016, source: gov, url: "http://english.gov.cn/a.htm" }\n');
      const error = await loadEvidence(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KnowledgeError);
      expect((error as KnowledgeError).message).toMatch(/evidence\/bad\.yaml: evidence\.0\.passage: /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the project's fact base", () => {
  it('has a passage for every fact, every answer number in a passage, and every source cited', async () => {
    const dir = path.resolve(import.meta.dirname, '../../knowledge');
    const findings = checkEvidence(await loadKnowledge(dir), await loadEvidence(dir));
    expect(findings.map((finding) => `${finding.file}: ${finding.message}`)).toEqual([]);
  });
});
