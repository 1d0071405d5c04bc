import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KnowledgeError } from '../../src/knowledge/errors.js';
import { loadKnowledge, parseKnowledge } from '../../src/knowledge/load.js';

const SOURCES = 'sources:\n  - { id: s, title: T, publisher: P, url: "https://example.org", published: "2024" }\n';
const FACTS = `topics:
  - { id: town, title: { en: Town } }
facts:
  - id: brook-university
    topic: town
    as_of: "2024"
    answer: { en: "Brook University was founded in 1920." }
    questions: { en: ["When was Brook University founded?", "Brook University history", "How old is Brook University?", "Brook origins"] }
    sources: [s]
`;

function issuesOf(subjects: string): string[] {
  try {
    parseKnowledge([
      { name: 'sources.yaml', file: 'knowledge/sources.yaml', text: SOURCES },
      { name: 'town.yaml', file: 'knowledge/town.yaml', text: FACTS },
      { name: 'subjects.yaml', file: 'knowledge/subjects.yaml', text: subjects },
    ]);
  } catch (error) {
    expect(error).toBeInstanceOf(KnowledgeError);
    return (error as KnowledgeError).issues.map((issue) => `${issue.file}:${issue.line ?? '?'}: ${issue.path}: ${issue.message}`);
  }
  throw new Error('expected subjects.yaml to be rejected');
}

const attribute = (fields: string): string => `generic: { en: [], zh: [] }
markers: { en: [], zh: [] }
lead: { en: [], zh: [] }
attributes:
  - id: founded
${fields}`;

describe('knowledge/subjects.yaml', () => {
  it('loads the real lexicon with every attribute the issue names, in both languages', async () => {
    const kb = await loadKnowledge('knowledge');
    const ids = kb.subjects?.attributes.map((a) => a.id) ?? [];
    expect(ids).toEqual(expect.arrayContaining(['founded', 'former-name', 'height', 'address', 'directions', 'opening-hours', 'area']));
    for (const a of kb.subjects?.attributes ?? []) {
      expect(a.asks.en.length, a.id).toBeGreaterThan(0);
      expect(a.asks.zh.length, a.id).toBeGreaterThan(0);
    }
    expect(kb.subjects?.markers.en).toEqual(expect.arrayContaining(['university', 'hospital', 'temple', 'station']));
    expect(kb.subjects?.markers.zh).toEqual(expect.arrayContaining(['大学', '医院', '寺', '站']));
  });

  it('is optional: a fact base without it loads, with the guard off', () => {
    const kb = parseKnowledge([
      { name: 'sources.yaml', file: 'knowledge/sources.yaml', text: SOURCES },
      { name: 'town.yaml', file: 'knowledge/town.yaml', text: FACTS },
    ]);
    expect(kb.subjects).toBeUndefined();
  });

  it('names the file, the field and the line of a label without {subject}', () => {
    const issues = issuesOf(
      attribute(`    label: { en: "when it was founded", zh: "{subject}的创建时间" }
    asks: { en: [founded], zh: [成立] }
    states: { en: [founded], zh: [成立] }
`),
    );
    expect(issues).toEqual([expect.stringMatching(/^knowledge\/subjects\.yaml:\d+: attributes\[0\]\.label\.en: must contain \{subject\}/)]);
  });

  it('names an unknown field and a missing one', () => {
    const issues = issuesOf(
      attribute(`    label: { en: "when {subject} was founded", zh: "{subject}的创建时间" }
    asks: { en: [founded], zh: [成立] }
    says: { en: [founded] }
`),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/knowledge\/subjects\.yaml:\d+: attributes\[0\]: unknown field "says"/),
        expect.stringMatching(/knowledge\/subjects\.yaml:\d+: attributes\[0\]\.states: missing/),
      ]),
    );
  });

  it('rejects a duplicate attribute and one that nothing asks for', () => {
    const one = `  - id: height
    label: { en: "how tall {subject} is", zh: "{subject}的高度" }
    asks: { en: [], zh: [] }
    states: { en: [tall], zh: [高度] }
`;
    const text = `${attribute(`    label: { en: "when {subject} was founded", zh: "{subject}的创建时间" }
    asks: { en: [founded], zh: [成立] }
    states: { en: [founded], zh: [成立] }
`)}${one}${one}`;
    const issues = issuesOf(text);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/attributes\[2\]\.id: duplicate attribute id "height"/),
        expect.stringMatching(/attributes\[1\]\.asks: needs at least one phrase that asks for it/),
      ]),
    );
  });

  it('keeps the words in the file general: no alias of today’s facts is listed in it', async () => {
    const kb = await loadKnowledge('knowledge');
    const text = readFileSync('knowledge/subjects.yaml', 'utf8');
    const named = kb.facts.flatMap((fact) => fact.aliases).filter((alias) => alias.length > 3 && new RegExp(`[\\[ ,]${alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[,\\]]`).test(text));
    expect(named).toEqual([]);
  });
});
