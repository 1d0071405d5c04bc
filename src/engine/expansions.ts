import { escapeRegExp, hasHan, normalizeText } from './normalize.js';

/**
 * Wordings that mean the same (GDP / gross domestic product / 地区生产总值), applied on both sides of
 * matching. A question (and a fact's example question, which is a question too) is contracted: every
 * wording of a group becomes the group's first, so "gross domestic product of haidian" and "haidian
 * gdp" are the same query and meet the same example questions. A fact's answer, keywords and aliases
 * are expanded: a wording adds every wording of its group, so the fact keeps its own words (the subject
 * guard asks whether a fact has "university" or an acronym) and is found by any of the others.
 * Unlike the thesaurus (./synonyms.ts, related words at a lower weight), a group's wordings are equal.
 */
export interface Expansions {
  /** Normalised text with every group wording replaced by its group's first. */
  readonly contract: (normalized: string) => string;
  /** Normalised text followed by every wording of each group it uses. */
  readonly expand: (normalized: string) => string;
}

const IDENTITY: Expansions = { contract: (text) => text, expand: (text) => text };


/** Builds the contract/expand pair over curated groups (`knowledge/expansions.yaml`); no groups, no change. */
export function createExpansions(groups: readonly (readonly string[])[]): Expansions {
  const groupOf = new Map<string, number>();
  const heads: string[] = [];
  const members: string[][] = [];
  for (const group of groups) {
    const wordings = [...new Set(group.map(normalizeText).filter((w) => w !== ''))];
    if (wordings.length < 2) continue;
    const at = heads.length;
    heads.push(wordings[0] as string);
    members.push(wordings);
    for (const wording of wordings) if (!groupOf.has(wording)) groupOf.set(wording, at);
  }
  if (groupOf.size === 0) return IDENTITY;
  // One pass over the text, longest wording first, so "square km" wins over "km" and 平方公里 over 公里.
  // A Latin wording is a whole word even when Han text touches it (GDP突破), like the engine's names.
  const alternatives = [...groupOf.keys()]
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .map((wording) => (hasHan(wording) ? escapeRegExp(wording) : `(?<![a-z0-9])${escapeRegExp(wording)}(?![a-z0-9])`));
  const pattern = new RegExp(alternatives.join('|'), 'gu');
  // A separate non-global copy for the quick test: a global regex's test() moves its lastIndex.
  const present = new RegExp(pattern.source, 'u');
  const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();

  return {
    contract(normalized) {
      if (!present.test(normalized)) return normalized;
      return squash(normalized.replace(pattern, (wording) => ` ${heads[groupOf.get(wording) as number] as string} `));
    },
    expand(normalized) {
      if (!present.test(normalized)) return normalized;
      const used = new Set<number>();
      for (const match of normalized.matchAll(pattern)) used.add(groupOf.get(match[0]) as number);
      return `${normalized} ${[...used].map((g) => (members[g] as string[]).join(' ')).join(' ')}`;
    },
  };
}
