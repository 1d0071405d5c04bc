import { Converter } from 'opencc-js/t2cn';

const HAN = /\p{Script=Han}/u;

// Traditional → simplified, so 海淀區 and 海淀区 index and match alike (OpenCC's character and phrase tables).
const toSimplified = Converter({ from: 't', to: 'cn' });

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
  let text = raw.normalize('NFKC').toLowerCase();
  if (hasHan(text)) text = toSimplified(text);
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g, ' ')
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/(\p{L})'s\b/gu, '$1')
    .replace(/(\p{L})s'(?=\s|$)/gu, '$1s')
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    .replace(/(\d)\.(?=\d)/g, '$1\u0000')
    .replace(/[^\p{L}\p{N}\u0000]+/gu, ' ')
    .replace(/\u0000/g, '.')
    .trim();
}
