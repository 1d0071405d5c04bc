import { describe, expect, it } from 'vitest';
import { KnowledgeError } from '../../src/knowledge/errors.js';
import { loadKnowledge, parseKnowledge } from '../../src/knowledge/load.js';

const SOURCES = 'sources:\n  - { id: s, title: T, publisher: P, url: "https://example.org", published: "2024" }\n';
const FACTS = `topics:
  - { id: town, title: { en: Town } }
facts:
  - id: town-gdp
    topic: town
    as_of: "2024"
    answer: { en: "The town's GDP was 5 billion." }
    questions: { en: ["What is the town's GDP?", "town economy", "How rich is the town?", "town gdp figure"] }
    sources: [s]
`;

const filesWith = (expansions: string) => [
  { name: 'sources.yaml', file: 'knowledge/sources.yaml', text: SOURCES },
  { name: 'town.yaml', file: 'knowledge/town.yaml', text: FACTS },
  { name: 'expansions.yaml', file: 'knowledge/expansions.yaml', text: expansions },
];

function issuesOf(expansions: string): string[] {
  try {
    parseKnowledge(filesWith(expansions));
  } catch (error) {
    expect(error).toBeInstanceOf(KnowledgeError);
    return (error as KnowledgeError).issues.map((issue) => `${issue.file}:${issue.line ?? '?'}: ${issue.path}: ${issue.message}`);
  }
  throw new Error('expected expansions.yaml to be rejected');
}

describe('knowledge/expansions.yaml', () => {
  it('loads the real groups: GDP with its Chinese names, Zhongguancun, square kilometres', async () => {
    const kb = await loadKnowledge('knowledge');
    const groups = kb.expansions ?? [];
    const groupOf = (wording: string) => groups.find((group) => group.includes(wording));
    expect(groupOf('gross domestic product')).toEqual(expect.arrayContaining(['GDP', 'economic output', '国内生产总值', '地区生产总值']));
    expect(groupOf('ZGC')?.[0]).toBe('Zhongguancun');
    expect(groupOf('km²')).toEqual(expect.arrayContaining(['square kilometres', '平方公里', '平方千米']));
  });

  it('is optional: a fact base without it has no groups', () => {
    const kb = parseKnowledge(filesWith('groups: []').slice(0, 2));
    expect(kb.expansions).toBeUndefined();
  });

  it('names the file, the group and the line of a wording that is in two groups', () => {
    expect(issuesOf('groups:\n  - [GDP, gross domestic product]\n  - [output, GDP]\n')).toEqual([
      'knowledge/expansions.yaml:3: groups[1][1]: "GDP" is already in group 0 (groups[0]): a wording belongs to one group',
    ]);
  });

  it('reads wordings as matching does: "High-Tech" and "high tech" are the same wording', () => {
    expect(issuesOf('groups:\n  - [high tech, hi-tech, High-Tech]\n')).toEqual([
      'knowledge/expansions.yaml:2: groups[0][2]: "High-Tech" is twice in this group (as matching reads it: "high tech")',
    ]);
  });

  it('rejects a group of one, an empty wording (or one of punctuation only) and unknown fields, with their lines', () => {
    expect(issuesOf('groups:\n  - [GDP]\n  - [GDP2, "  "]\nsynonyms: []\n')).toEqual([
      'knowledge/expansions.yaml:2: groups[0]: a group needs at least two wordings',
      'knowledge/expansions.yaml:3: groups[1][1]: must not be empty',
      'knowledge/expansions.yaml:3: groups[1][1]: must contain a letter or a digit',
      'knowledge/expansions.yaml:1: : unknown field "synonyms"',
    ]);
  });
});
