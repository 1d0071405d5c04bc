import { z } from 'zod';
import type { SubjectLexicon } from './subjects.js';

/** A calendar date as curators write it: YYYY, YYYY-MM or YYYY-MM-DD. */
const DateString = z
  .union([z.string(), z.date(), z.number()])
  .transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)))
  .pipe(z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be a date written YYYY, YYYY-MM or YYYY-MM-DD'));

/** Whether `text` is a day that exists in the calendar, written YYYY-MM-DD (2025-02-30 is not). */
export function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}

/** A calendar day as curators write it: YYYY-MM-DD, a day that exists. */
const DayString = z
  .union([z.string(), z.date()])
  .transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value))
  .pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date written YYYY-MM-DD', abort: true })
      .refine(isCalendarDay, 'is not a real date (no such day in the calendar)'),
  );

const Slug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a kebab-case slug (lower-case letters, digits, dashes)');

const NonEmptyText = z.string().trim().min(1, 'must not be empty');

export const LANGUAGES = ['en', 'zh'] as const;
export const LanguageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof LanguageSchema>;

export const SourceSchema = z.strictObject({
  id: Slug,
  title: NonEmptyText,
  publisher: NonEmptyText,
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  published: DateString,
  language: z.string().optional(),
  note: z.string().optional(),
});
export type Source = z.infer<typeof SourceSchema>;

export const SourcesFileSchema = z.strictObject({
  sources: z.array(SourceSchema).min(1, 'must list at least one source'),
});

/** Text in both languages; English is required, Chinese is added where written. */
const LocalizedText = z.strictObject({ en: NonEmptyText, zh: NonEmptyText.optional() });

const ExampleQuestions = z.strictObject({
  en: z.array(NonEmptyText).min(4, 'needs at least 4 example questions, phrased differently'),
  zh: z.array(NonEmptyText).default([]),
});

export const FactSchema = z.strictObject({
  id: Slug,
  topic: Slug,
  /** Facts that give the same measure for different years share a series id (e.g. `gdp`). */
  series: Slug.optional(),
  /** The year the figure refers to, when the fact is tied to one. */
  year: z.number().int().min(1000).max(2100).optional(),
  /** When the fact was last known to be true (usually the source's publication date). */
  as_of: DateString,
  /**
   * When a curator should check the fact again (YYYY-MM-DD): after it, answers still answer but say the
   * figure may be out of date, and `npm run knowledge:check` lists the fact.
   */
  review_by: DayString.optional(),
  answer: LocalizedText,
  questions: ExampleQuestions,
  keywords: z.array(NonEmptyText).default([]),
  /** Names people use for what the fact is about: abbreviations, Chinese names, romanisations. */
  aliases: z.array(NonEmptyText).default([]),
  sources: z.array(Slug).min(1, 'every fact needs at least one source'),
});
export type Fact = z.infer<typeof FactSchema>;

export const TopicSchema = z.strictObject({
  id: Slug,
  title: LocalizedText,
});
export type Topic = z.infer<typeof TopicSchema>;

export const FactFileSchema = z.strictObject({
  /** Sources cited mostly by this file's facts; ids are unique across `sources.yaml` and every fact file. */
  sources: z.array(SourceSchema).default([]),
  topics: z.array(TopicSchema).default([]),
  facts: z.array(FactSchema).default([]),
});

/**
 * Names of places and organisations the bot must not answer about with a Haidian fact.
 * A question that names one of these (and no fact alias) is declined.
 */
const NamedThing = z.strictObject({
  id: Slug,
  names: z.array(NonEmptyText).min(1),
});

export const EntitiesFileSchema = z.strictObject({
  foreign: z.array(NamedThing).default([]),
  /**
   * Subjects the fact base knowingly does not cover (weather, ticket prices, a company's CEO …). A
   * question that asks about one is declined unless the fact it reaches talks about that subject.
   */
  unsupported: z.array(NamedThing).default([]),
});
export type ForeignEntity = z.infer<typeof NamedThing>;

/** The validated, cross-checked fact base the engine is built from. */
export interface KnowledgeBase {
  readonly facts: readonly Fact[];
  readonly sources: ReadonlyMap<string, Source>;
  readonly topics: readonly Topic[];
  readonly foreignEntities: readonly ForeignEntity[];
  readonly unsupportedSubjects: readonly ForeignEntity[];
  /** The words that mark names and attributes in questions (`subjects.yaml`); absent, the subject guard is off. */
  readonly subjects?: SubjectLexicon;
  /** Groups of wordings that mean the same (`expansions.yaml`), the first of each the one the others are read as; absent, none. */
  readonly expansions?: readonly (readonly string[])[];
  /** Which file each fact came from, for error messages and lint output. */
  readonly factFiles: ReadonlyMap<string, string>;
}
