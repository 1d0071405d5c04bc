import { Converter } from 'opencc-js/t2cn';

const HAN = /\p{Script=Han}/u;

// Traditional → simplified, so 海淀區 and 海淀区 index and match alike (OpenCC's character and phrase tables).
// opencc-js's subpath typings do not resolve under NodeNext, so the converter's type is stated here.
const makeConverter = Converter as unknown as (options: { from: string; to: string }) => (text: string) => string;
const toSimplified = makeConverter({ from: 't', to: 'cn' });

/** True when the text contains Chinese characters. */
export function hasHan(text: string): boolean {
  return HAN.test(text);
}

/**
 * Canonical form of a question or of fact text, the same on both sides of matching:
 * NFKC (full-width letters, digits and punctuation fold to ASCII), lower case, traditional Chinese to
 * simplified, typographic apostrophes to ASCII, English possessives dropped, digit-group commas removed
 * (6,100 → 6100), control, zero-width and bidi characters removed, every other punctuation mark a space.
 */
export function normalizeText(raw: string): string {
  // Printable ASCII needs no NFKC, no Chinese conversion and has no control characters: skip those
  // passes (most fact text and most questions; a third of the index build at 100,000 facts).
  if (PRINTABLE_ASCII.test(raw)) return foldPunctuation(raw.toLowerCase());
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const text = foldPunctuation(raw.normalize('NFKC').toLowerCase().replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g, ' '));
  // Chinese conversion last, on letters only: OpenCC leaves a character beside some symbols as it is,
  // so converting before the symbols are gone would make normalisation depend on what surrounds it.
  if (!hasHan(text)) return text;
  // OpenCC maps a few characters in two steps (薴 → 苧 → 苎): convert again until nothing changes, so
  // normalising normalised text is a no-op.
  let simplified = toSimplified(text);
  for (let pass = 0; pass < 3; pass++) {
    const again = toSimplified(simplified);
    if (again === simplified) break;
    simplified = again;
  }
  return simplified;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Apostrophes, possessives, digit groups and punctuation, on lower-case text. */
function foldPunctuation(raw: string): string {
  // Each pass runs only when its character is there: most questions have no apostrophe, comma or dot.
  // U+E000 parks decimal points below: a user's own U+E000 is punctuation like any other.
  let text = raw.includes('\ue000') ? raw.replace(/\ue000/g, ' ') : raw;
  if (/[\u2018\u2019\u02bc`´]/.test(text)) text = text.replace(/[\u2018\u2019\u02bc`´]/g, "'");
  if (text.includes("'")) text = text.replace(/(\p{L})'s\b/gu, '$1').replace(/(\p{L})s'(?=\s|$)/gu, '$1s');
  if (text.includes(',')) text = text.replace(/(\d),(?=\d{3}\b)/g, '$1');
  const decimals = text.includes('.');
  // Keep decimal points (18.5) through the punctuation pass: park them on a private-use character.
  if (decimals) text = text.replace(/(\d)\.(?=\d)/g, '$1\ue000');
  text = text.replace(/[^\p{L}\p{N}\ue000]+/gu, ' ');
  if (decimals) text = text.replace(/\ue000/g, '.');
  return text.trim();
}

/** The text as a literal inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
