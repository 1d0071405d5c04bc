import { z } from 'zod';

/**
 * The subject lexicon (`knowledge/subjects.yaml`): the words that mark a name in a question ("X
 * University", "X医院") and the words that say which attribute a question asks for ("founded", "以前叫")
 * and which a fact states. The engine's subject guard (src/engine/subject-guard.ts) reads it; this
 * module only validates it. Curated data, not code: a new attribute or marker is a line in the file.
 */

export const SUBJECTS_FILE = 'subjects.yaml';

const Word = z.string().trim().min(1, 'must not be empty');
const WordList = z.array(Word).default([]);
const ByLanguage = z.strictObject({ en: WordList, zh: WordList });
const SUBJECT_PLACEHOLDER = '{subject}';
const Label = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((text) => text.includes(SUBJECT_PLACEHOLDER), `must contain ${SUBJECT_PLACEHOLDER}, where the subject's name goes`);

const AttributeSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a kebab-case slug'),
  /** What the bot says it does not know, with `{subject}` for the subject's name. */
  label: z.strictObject({ en: Label, zh: Label }),
  /** Phrases of a question that ask for the attribute; `*` stands for one to four words. */
  asks: ByLanguage,
  /** Words of a fact's answer or keywords that state it. */
  states: ByLanguage,
});

export const SubjectsFileSchema = z.strictObject({
  /** Words that are never a name on their own (common nouns, modifiers, common acronyms such as GDP). */
  generic: ByLanguage,
  /** Words that end a name: the words before them are the name ("Yonghe Temple", "北京外国语大学"). */
  markers: ByLanguage,
  /** Chinese only: a marker followed by one of these is part of a common word (街道, 园区, 站台), not a name's end. */
  not_markers_before: WordList,
  /** Words before a Chinese name that are not part of it (去北京外国语大学 → 北京外国语大学). */
  lead: ByLanguage,
  /**
   * Words that make a number a name: English ones before it ("Line 16"), Chinese ones after it (16号线).
   * A fact that does not mention that number with the word is about something else.
   */
  numbered: ByLanguage.default({ en: [], zh: [] }),
  attributes: z.array(AttributeSchema).default([]),
});

export type SubjectLexicon = z.infer<typeof SubjectsFileSchema>;
export type SubjectAttribute = SubjectLexicon['attributes'][number];

/** A lexicon that finds no names and no attributes: the guard is off (fact bases without subjects.yaml). */
export const EMPTY_SUBJECT_LEXICON: SubjectLexicon = {
  generic: { en: [], zh: [] },
  markers: { en: [], zh: [] },
  not_markers_before: [],
  lead: { en: [], zh: [] },
  numbered: { en: [], zh: [] },
  attributes: [],
};

/** Cross-field rules zod cannot state: unique attribute ids, and every attribute asked in at least one language. */
export function checkSubjectLexicon(lexicon: SubjectLexicon): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const seen = new Set<string>();
  lexicon.attributes.forEach((attribute, i) => {
    if (seen.has(attribute.id)) problems.push({ path: ['attributes', i, 'id'], message: `duplicate attribute id "${attribute.id}"` });
    seen.add(attribute.id);
    if (attribute.asks.en.length + attribute.asks.zh.length === 0) problems.push({ path: ['attributes', i, 'asks'], message: 'needs at least one phrase that asks for it' });
    if (attribute.states.en.length + attribute.states.zh.length === 0) problems.push({ path: ['attributes', i, 'states'], message: 'needs at least one word that states it' });
  });
  return problems;
}
