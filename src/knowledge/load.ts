import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isNode, isPair, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { KnowledgeError, type KnowledgeIssue } from './errors.js';
import {
  EntitiesFileSchema,
  FactFileSchema,
  SourcesFileSchema,
  type Fact,
  type ForeignEntity,
  type KnowledgeBase,
  type Source,
  type Topic,
} from './schema.js';
import { checkExpansions, EXPANSIONS_FILE, ExpansionsFileSchema, type ExpansionGroups } from './expansions.js';
import { checkSubjectLexicon, SUBJECTS_FILE, SubjectsFileSchema, type SubjectLexicon } from './subjects.js';

export const SOURCES_FILE = 'sources.yaml';
export const ENTITIES_FILE = 'entities.yaml';

interface ParsedFile {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
}

/**
 * Reads and validates every YAML file of a fact base folder: `sources.yaml`, the optional
 * `entities.yaml`, `subjects.yaml` (see ./subjects.ts) and `expansions.yaml` (see ./expansions.ts), and any other `*.yaml` as a file of topics and facts. Throws a {@link KnowledgeError}
 * that lists every problem with its file, path and line.
 */
export async function loadKnowledge(dir: string): Promise<KnowledgeBase> {
  const display = (name: string): string => path.relative(process.cwd(), path.join(dir, name)) || name;
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => /\.ya?ml$/i.test(name)).sort();
  } catch (error) {
    throw new KnowledgeError([{ file: dir, path: '', message: `cannot read the fact base folder (${(error as Error).message})` }]);
  }
  const files = await Promise.all(
    names.map(async (name) => ({ name, file: display(name), text: await readFile(path.join(dir, name), 'utf8') })),
  );
  return parseKnowledge(files);
}

/** Validates a fact base given as file texts (pure; used by the loader and by tests). */
export function parseKnowledge(files: readonly { name: string; file: string; text: string }[]): KnowledgeBase {
  const issues: KnowledgeIssue[] = [];
  const sources = new Map<string, Source>();
  const topics: Topic[] = [];
  const facts: Fact[] = [];
  const factFiles = new Map<string, string>();
  const factPlaces = new Map<string, string>();
  const foreignEntities: ForeignEntity[] = [];
  const unsupportedSubjects: ForeignEntity[] = [];
  let subjects: SubjectLexicon | undefined;
  let expansions: ExpansionGroups | undefined;
  const topicIds = new Set<string>();
  const sourceRefs: { fact: Fact; file: ParsedFile; index: number }[] = [];

  const sourcesFile = files.find((f) => f.name === SOURCES_FILE);
  if (!sourcesFile) issues.push({ file: SOURCES_FILE, path: '', message: 'missing: every fact base needs a sources.yaml that defines its sources' });

  const addSources = (parsed: ParsedFile, list: readonly Source[]): void => {
    list.forEach((source, i) => {
      if (sources.has(source.id)) issues.push(issueAt(parsed, ['sources', i, 'id'], `duplicate source id "${source.id}"`));
      else sources.set(source.id, source);
    });
  };

  for (const input of files) {
    const parsed = parseYaml(input.file, input.text, issues);
    if (!parsed) continue;
    if (input.name === SOURCES_FILE) {
      const data = validate(parsed, SourcesFileSchema, issues);
      if (data) addSources(parsed, data.sources);
    } else if (input.name === ENTITIES_FILE) {
      const data = validate(parsed, EntitiesFileSchema, issues);
      if (data) {
        foreignEntities.push(...data.foreign);
        unsupportedSubjects.push(...data.unsupported);
      }
    } else if (input.name === SUBJECTS_FILE) {
      const data = validate(parsed, SubjectsFileSchema, issues);
      if (data) {
        for (const problem of checkSubjectLexicon(data)) issues.push(issueAt(parsed, problem.path, problem.message));
        subjects = data;
      }
    } else if (input.name === EXPANSIONS_FILE) {
      const data = validate(parsed, ExpansionsFileSchema, issues);
      if (data) {
        for (const problem of checkExpansions(data.groups)) issues.push(issueAt(parsed, problem.path, problem.message));
        expansions = data.groups;
      }
    } else {
      const data = validate(parsed, FactFileSchema, issues);
      if (!data) continue;
      addSources(parsed, data.sources);
      data.topics.forEach((topic, i) => {
        if (topicIds.has(topic.id)) issues.push(issueAt(parsed, ['topics', i, 'id'], `duplicate topic id "${topic.id}"`));
        topicIds.add(topic.id);
        topics.push(topic);
      });
      data.facts.forEach((fact, i) => {
        const place = `${parsed.file} facts[${i}]`;
        const previous = factPlaces.get(fact.id);
        if (previous) {
          issues.push(issueAt(parsed, ['facts', i, 'id'], `duplicate fact id "${fact.id}" (also at ${previous})`));
          return;
        }
        factPlaces.set(fact.id, place);
        factFiles.set(fact.id, parsed.file);
        facts.push(fact);
        sourceRefs.push({ fact, file: parsed, index: i });
      });
    }
  }

  for (const { fact, file, index } of sourceRefs) {
    fact.sources.forEach((id, s) => {
      if (!sources.has(id)) issues.push(issueAt(file, ['facts', index, 'sources', s], `unknown source "${id}" (define it in ${SOURCES_FILE} or under sources: in a fact file)`));
    });
    if (!topicIds.has(fact.topic)) {
      issues.push(issueAt(file, ['facts', index, 'topic'], `unknown topic "${fact.topic}" (define it under topics: in any fact file)`));
    }
    if (fact.series !== undefined && fact.year === undefined) {
      issues.push(issueAt(file, ['facts', index, 'year'], `a fact in series "${fact.series}" needs the year its figure refers to`));
    }
  }
  const seriesYears = new Map<string, string>();
  for (const { fact, file, index } of sourceRefs) {
    if (fact.series === undefined || fact.year === undefined) continue;
    const key = `${fact.series}@${fact.year}`;
    const other = seriesYears.get(key);
    if (other) issues.push(issueAt(file, ['facts', index, 'year'], `series "${fact.series}" already has a fact for ${fact.year} ("${other}")`));
    else seriesYears.set(key, fact.id);
  }
  if (sourcesFile && facts.length === 0 && issues.length === 0) {
    issues.push({ file: sourcesFile.file, path: '', message: 'the fact base holds no facts' });
  }
  if (issues.length > 0) throw new KnowledgeError(issues);
  return { facts, sources, topics, foreignEntities, unsupportedSubjects, factFiles, ...(subjects ? { subjects } : {}), ...(expansions ? { expansions } : {}) };
}

function parseYaml(file: string, text: string, issues: KnowledgeIssue[]): ParsedFile | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const line = error.linePos?.[0]?.line;
      issues.push({ file, path: '', message: `malformed YAML: ${error.message.split('\n')[0] ?? error.code}`, ...(line ? { line } : {}) });
    }
    return undefined;
  }
  keepListNumbersAsText(doc);
  return { file, doc, lines };
}

/** Lists of words (keywords, aliases, questions) are text: YAML would read `1988` or `010` in them as numbers. */
const TEXT_LISTS = new Set(['keywords', 'aliases', 'en', 'zh', 'names']);

function keepListNumbersAsText(doc: Document): void {
  visit(doc, {
    Seq(_key, seq, path) {
      const parent = path[path.length - 1];
      if (!isPair(parent) || !isScalar(parent.key) || !TEXT_LISTS.has(String(parent.key.value))) return;
      for (const item of seq.items) {
        if (isScalar(item) && typeof item.value === 'number' && item.source !== undefined) item.value = item.source;
      }
    },
  });
}

function validate<S extends z.ZodType>(parsed: ParsedFile, schema: S, issues: KnowledgeIssue[]): z.infer<S> | undefined {
  const result = schema.safeParse(parsed.doc.toJS() ?? {}, { reportInput: true });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    issues.push(issueAt(parsed, issue.path, describe(issue)));
  }
  return undefined;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.input === undefined && issue.code !== 'custom') return issue.code === 'invalid_type' ? `missing (expected ${issue.expected})` : 'missing';
  if (issue.code === 'invalid_type') {
    const got = issue.input === null ? 'nothing' : Array.isArray(issue.input) ? 'a list' : `a ${typeof issue.input}`;
    // YAML reads 010 or +86 as numbers: say how to keep them as text.
    const hint = issue.expected === 'string' && typeof issue.input === 'number' ? ` (write it in quotes: "${String(issue.input)}")` : '';
    return `expected ${issue.expected}, got ${got}${hint}`;
  }
  return issue.message;
}

function issueAt(parsed: ParsedFile, keys: readonly (string | number | symbol)[], message: string): KnowledgeIssue {
  const clean = keys.filter((k): k is string | number => typeof k !== 'symbol');
  return { file: parsed.file, path: formatPath(parsed, clean), message, ...lineOf(parsed, clean) };
}

/** `facts[3].sources[0]`, with the fact's id after its index where known: `facts[3] (gdp-2016).sources[0]`. */
function formatPath(parsed: ParsedFile, keys: readonly (string | number)[]): string {
  let out = '';
  keys.forEach((key, i) => {
    if (typeof key === 'number') {
      out += `[${key}]`;
      if (i === 1 && keys[0] === 'facts') {
        const id: unknown = parsed.doc.getIn(['facts', key, 'id']);
        if (typeof id === 'string' && keys.length > 2) out += ` (${id})`;
      }
    } else out += out ? `.${key}` : key;
  });
  return out;
}

/** The line of the deepest YAML node along the path that exists. */
function lineOf(parsed: ParsedFile, keys: readonly (string | number)[]): { line?: number } {
  for (let depth = keys.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? parsed.doc.contents : parsed.doc.getIn(keys.slice(0, depth), true);
    if (isNode(node) && node.range) return { line: parsed.lines.linePos(node.range[0]).line };
  }
  return {};
}
