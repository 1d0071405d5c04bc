import { z } from 'zod';
import { normalizeText } from '../engine/normalize.js';

/**
 * Wordings people type (`knowledge/expansions.yaml`): groups of acronyms, expansions and spellings that
 * mean the same thing (GDP / gross domestic product / 地区生产总值). The engine reads a question's wording
 * as its group's first wording and adds every wording of a group to the facts that use one
 * (src/engine/expansions.ts); this module only validates the file. Curated data, not code: a new
 * acronym is a line in the file.
 */

export const EXPANSIONS_FILE = 'expansions.yaml';

const Wording = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((text) => normalizeText(text) !== '', 'must contain a letter or a digit');

export const ExpansionsFileSchema = z.strictObject({
  /** Each group: wordings that mean the same; the first is the one the others are read as. */
  groups: z.array(z.array(Wording).min(2, 'a group needs at least two wordings')).default([]),
});

export type ExpansionGroups = z.infer<typeof ExpansionsFileSchema>['groups'];

/** Cross-entry rules zod cannot state: a wording (as matching reads it) belongs to one group only, once. */
export function checkExpansions(groups: ExpansionGroups): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const seen = new Map<string, number>();
  groups.forEach((group, g) => {
    group.forEach((wording, w) => {
      const key = normalizeText(wording);
      const other = seen.get(key);
      if (other === undefined) seen.set(key, g);
      else if (other === g) problems.push({ path: ['groups', g, w], message: `"${wording}" is twice in this group (as matching reads it: "${key}")` });
      else problems.push({ path: ['groups', g, w], message: `"${wording}" is already in group ${other} (groups[${other}]): a wording belongs to one group` });
    });
  });
  return problems;
}
