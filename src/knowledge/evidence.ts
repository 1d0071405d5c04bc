import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { KnowledgeError, type KnowledgeIssue } from './errors.js';
import type { LintFinding } from './lint.js';
import type { KnowledgeBase } from './schema.js';

/** The folder of evidence files inside the fact base folder. */
export const EVIDENCE_DIR = 'evidence';

/** One quotation of a page that supports a fact: the evidence, never the answer. */
export const EvidenceEntrySchema = z.strictObject({
  fact: z.string().min(1),
  source: z.string().min(1),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  passage: z.string().trim().min(1, 'must not be empty'),
});
export type EvidenceEntry = z.infer<typeof EvidenceEntrySchema> & { readonly file: string };

const EvidenceFileSchema = z.strictObject({ evidence: z.array(EvidenceEntrySchema).default([]) });

/** Reads every `evidence/*.yaml`; throws a {@link KnowledgeError} listing each malformed entry. */
export async function loadEvidence(knowledgeDir: string): Promise<EvidenceEntry[]> {
  const dir = path.join(knowledgeDir, EVIDENCE_DIR);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => /\.ya?ml$/i.test(name)).sort();
  } catch {
    return [];
  }
  const issues: KnowledgeIssue[] = [];
  const entries: EvidenceEntry[] = [];
  for (const name of names) {
    const file = path.relative(process.cwd(), path.join(dir, name)) || name;
    let data: unknown;
    try {
      data = parse(await readFile(path.join(dir, name), 'utf8')) ?? {};
    } catch (error) {
      issues.push({ file, path: '', message: `malformed YAML: ${(error as Error).message.split('\n')[0] ?? ''}` });
      continue;
    }
    const result = EvidenceFileSchema.safeParse(data);
    if (!result.success) {
      for (const issue of result.error.issues) issues.push({ file, path: issue.path.map(String).join('.'), message: issue.message });
      continue;
    }
    for (const entry of result.data.evidence) entries.push({ ...entry, file });
  }
  if (issues.length > 0) throw new KnowledgeError(issues);
  return entries;
}

/** Scales written after a number, in English and Chinese: 490 billion = 4900亿. */
const SCALES: Readonly<Record<string, number>> = {
  thousand: 1e3,
  million: 1e6,
  billion: 1e9,
  trillion: 1e12,
  千: 1e3,
  万: 1e4,
  百万: 1e6,
  亿: 1e8,
  万亿: 1e12,
};

/**
 * The numbers a text states, as written (`3.122`) and as values with their scale (`3122000`).
 * Thousands separators are dropped (`3,133,469`); a number inside a word or code (`G7`, `2008年`) still
 * counts, because a figure is a figure wherever it stands.
 */
export function numbersIn(text: string): { written: string; value: number }[] {
  const found: { written: string; value: number }[] = [];
  const pattern = /(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万亿|百万|thousand|million|billion|trillion|千|万|亿)?/gi;
  for (const match of text.matchAll(pattern)) {
    const written = (match[1] as string).replace(/,/g, '');
    const scale = match[2] ? (SCALES[match[2].toLowerCase()] ?? 1) : 1;
    found.push({ written: String(Number(written)), value: Number(written) * scale });
  }
  return found;
}

/** True when `number` appears among `candidates`, as written or as the same value in another unit. */
function isBacked(number: { written: string; value: number }, candidates: readonly { written: string; value: number }[]): boolean {
  return candidates.some((c) => c.written === number.written || Math.abs(c.value - number.value) <= Math.abs(number.value) * 1e-9);
}

/**
 * The evidence checks of `npm run knowledge:check`: every fact has an evidence entry; each entry names
 * a fact, a source that fact cites and that source's URL; every number in a fact's answers (en and zh)
 * appears in one of its passages; every source defined is cited by some fact.
 */
export function checkEvidence(kb: KnowledgeBase, evidence: readonly EvidenceEntry[]): LintFinding[] {
  const findings: LintFinding[] = [];
  const facts = new Map(kb.facts.map((fact) => [fact.id, fact]));
  const byFact = new Map<string, EvidenceEntry[]>();
  for (const entry of evidence) {
    const fact = facts.get(entry.fact);
    if (!fact) {
      findings.push({ factId: entry.fact, file: entry.file, message: `evidence for an unknown fact "${entry.fact}"` });
      continue;
    }
    const source = kb.sources.get(entry.source);
    if (!fact.sources.includes(entry.source)) {
      findings.push({ factId: fact.id, file: entry.file, message: `evidence cites source "${entry.source}", which the fact does not cite` });
    } else if (source && source.url !== entry.url) {
      findings.push({ factId: fact.id, file: entry.file, message: `evidence url ${entry.url} is not the url of source "${entry.source}" (${source.url})` });
    }
    byFact.set(fact.id, [...(byFact.get(fact.id) ?? []), entry]);
  }
  for (const fact of kb.facts) {
    const file = kb.factFiles.get(fact.id) ?? '?';
    const entries = byFact.get(fact.id);
    if (!entries) {
      findings.push({ factId: fact.id, file, message: 'no evidence entry (add one to knowledge/evidence/)' });
      continue;
    }
    const backed = entries.flatMap((entry) => numbersIn(entry.passage));
    for (const [language, text] of [['en', fact.answer.en], ['zh', fact.answer.zh ?? '']] as const) {
      const missing = numbersIn(text).filter((n) => !isBacked(n, backed));
      for (const n of new Set(missing.map((m) => m.written))) {
        findings.push({ factId: fact.id, file, message: `answer.${language} states ${n}, which no evidence passage of the fact gives` });
      }
    }
  }
  const cited = new Set(kb.facts.flatMap((fact) => fact.sources));
  for (const id of kb.sources.keys()) {
    if (!cited.has(id)) findings.push({ factId: '-', file: 'knowledge', message: `source "${id}" is defined but no fact cites it` });
  }
  return findings;
}
