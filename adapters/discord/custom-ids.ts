import type { Language } from '../../src/engine/types.js';

/** Every custom id this adapter creates starts with this, so foreign components are ignored. */
export const CUSTOM_ID_PREFIX = 'haidian';

/** Fact ids are kebab-case slugs; anything else in a client-supplied id is rejected, not looked up. */
const FACT_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const LANGUAGES: readonly Language[] = ['en', 'zh'];

/** A reference to one fact in one language: what a suggestion button or a long autocomplete value carries. */
export interface FactRef {
  readonly factId: string;
  readonly language: Language;
}

/** `haidian:fact:<factId>:<lang>`: the custom id of a suggestion button (and long autocomplete values). */
export function buildFactCustomId(factId: string, language: Language): string {
  return `${CUSTOM_ID_PREFIX}:fact:${factId}:${language}`;
}

/**
 * Parses a custom id built by {@link buildFactCustomId}. Custom ids come back from the client, so
 * only a well-formed slug and a known language are accepted; the fact id is the only thing trusted.
 */
export function parseFactCustomId(customId: string): FactRef | undefined {
  const parts = customId.split(':');
  if (parts.length !== 4 || parts[0] !== CUSTOM_ID_PREFIX || parts[1] !== 'fact') return undefined;
  const [, , factId, language] = parts;
  if (factId === undefined || !FACT_ID_PATTERN.test(factId)) return undefined;
  const lang = LANGUAGES.find((l) => l === language);
  return lang ? { factId, language: lang } : undefined;
}
