/**
 * Personal data scrubbing for everything the curator loop keeps of what users wrote: the unanswered
 * log's questions, feedback questions and suggested corrections.
 */

// Order matters: URLs first (they may hold e-mail addresses and digits), then e-mail addresses, then
// ID numbers (18 digits, longer than any phone number), then phone numbers.
const URL_PATTERN = /(?:https?:\/\/|www\.)[^\s<>"'。、）)]+/gi;
// ASCII only on purpose: Chinese text often runs straight into an address (邮箱是a@b.cn请回复), and Han
// characters are letters to \p{L}, which would swallow the sentence around it.
// Parts bounded by RFC 5321's lengths (64 for the local part, 63 per label): unbounded `+` made a long
// run of address characters with no @ cost quadratic time.
const EMAIL_PATTERN = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/g;
/** Resident identity card number: 17 digits and a check character (digit or X), not inside a longer number or word. */
const ID_NUMBER_PATTERN = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const PHONE_PATTERNS: readonly RegExp[] = [
  // Mainland mobiles (13x-19x, 11 digits), optionally +86 / 0086 / 86, grouped 3-4-4 with spaces or dashes.
  /(?<![\d+])(?:(?:\+|00)?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/g,
  // Landlines with area code: 010-62783496, (010) 6278 3496, 0755-1234567, +86 10 6278 3496.
  /(?<![\d+])(?:(?:\+|00)86[\s-]?(?:\(0?\d{2,3}\)|0?\d{2,3})|\(0\d{2,3}\)|0\d{2,3})[\s-]?\d{3,4}[\s-]?\d{4}(?!\d)/g,
  // Any other international number: a plus, then at least 8 digits in groups.
  /\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}\d(?!\d)/g,
];

/** A URL carries something personal when it has a query, a fragment, credentials or a token-like path part. */
function isSensitiveUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(/^www\./i.test(raw) ? `http://${raw}` : raw);
  } catch {
    return true;
  }
  if (url.search || url.hash || url.username || url.password) return true;
  // Reset links, invites and file shares put the secret in the path: a long run of letters and digits mixed.
  return url.pathname.split('/').some((part) => part.length >= 16 && /\d/.test(part) && /[a-z]/i.test(part));
}

/**
 * Replaces personal data in a question: e-mail addresses → `[email]`, phone numbers (mainland
 * mobiles with or without +86, landlines with area code, international numbers) → `[phone]`,
 * 18-digit Chinese ID numbers → `[id-number]`, URLs with a query, fragment, credentials or token →
 * `[url]`. Plain links such as `https://www.bjhd.gov.cn/` are kept: they say what the user asked about.
 */
export function scrubPersonalData(text: string): string {
  let scrubbed = replaceFolded(text, URL_PATTERN, (url) => (isSensitiveUrl(url) ? '[url]' : undefined));
  scrubbed = replaceFolded(scrubbed, EMAIL_PATTERN, () => '[email]');
  scrubbed = replaceFolded(scrubbed, ID_NUMBER_PATTERN, () => '[id-number]');
  for (const pattern of PHONE_PATTERNS) scrubbed = replaceFolded(scrubbed, pattern, () => '[phone]');
  return scrubbed;
}

/**
 * Replaces the matches of `pattern` in the text with full-width forms folded to ASCII (１３８…, ＋８６,
 * ａ＠ｂ．ｃｎ: what some Chinese keyboards type), keeping everything else as typed. Folding maps one
 * UTF-16 unit to one, so positions in the folded text are positions in the original. `replace`
 * returns undefined to keep a match.
 */
function replaceFolded(text: string, pattern: RegExp, replace: (match: string) => string | undefined): string {
  const folded = text.replace(/[\uff01-\uff5e]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0));
  let out = '';
  let last = 0;
  for (const match of folded.matchAll(pattern)) {
    const replacement = replace(match[0]);
    if (replacement === undefined) continue;
    out += text.slice(last, match.index) + replacement;
    last = match.index + match[0].length;
  }
  return out + text.slice(last);
}
