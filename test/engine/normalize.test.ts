import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/engine/normalize.js';
import { extractYears, stemWord, tokenize } from '../../src/engine/tokenize.js';

describe('normalizeText', () => {
  it.each([
    ['Full-width letters and digits', 'ＧＤＰ　２０１６', 'gdp 2016'],
    ['case and punctuation', 'What was Haidian’s GDP?!', 'what was haidian gdp'],
    ['ASCII possessive', "Haidian's economy", 'haidian economy'],
    ['plural possessive', "the districts' borders", 'the districts borders'],
    ['digit-group commas', 'over 6,100 firms', 'over 6100 firms'],
    ['decimals survive', '663.5 billion', '663.5 billion'],
    ['traditional Chinese to simplified', '海淀區的人口', '海淀区的人口'],
    ['full-width Chinese punctuation', '海淀区面积多大？', '海淀区面积多大'],
    ['zero-width and bidi characters', 'gd\u200bp\u202e 2016', 'gd p 2016'],
    ['collapsed whitespace', '  many\t\n spaces  ', 'many spaces'],
    // The normaliser parks decimal points on U+E000: a user's own U+E000 must not come through.
    ['private-use U+E000 in the text', '海淀 \ue000 gdp 18\ue0005', '海淀 gdp 18 5'],
    ['private-use U+E000 beside a decimal', 'gdp 18.5\ue000', 'gdp 18.5'],
  ])('%s', (_name, input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('returns an empty string for emoji and markup only', () => {
    expect(normalizeText('🙂🙂 <> !!')).toBe('');
  });

  it('keeps its contract for every code point up to U+3FFFF, alone, between words and beside Chinese', () => {
    const contract = /^(?:[\p{L}\p{N}.]+(?: [\p{L}\p{N}.]+)*)?$/u;
    const broken: string[] = [];
    for (let cp = 0x80; cp < 0x40000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const char = String.fromCodePoint(cp);
      for (const text of [char, `gdp ${char} 18.5`, `海淀${char}区`]) {
        const out = normalizeText(text);
        if (!contract.test(out) || normalizeText(out) !== out) broken.push(`U+${cp.toString(16)} in ${JSON.stringify(text)} → ${JSON.stringify(out)}`);
      }
    }
    expect(broken.slice(0, 10)).toEqual([]);
  });
});

describe('tokenize', () => {
  it('drops stop words and stems plurals', () => {
    expect(tokenize('How many incubators are there on Zhongguancun street?').map((t) => t.term)).toEqual(['incubator', 'zhongguancun', 'street']);
  });

  it('makes Han bigrams and single characters, skipping function characters', () => {
    const terms = tokenize('中关村有多少家孵化器').map((t) => t.term);
    expect(terms).toEqual(expect.arrayContaining(['中关', '关村', '孵化', '化器']));
    expect(terms).not.toContain('多少');
    expect(terms).not.toContain('有');
  });

  it('gives nothing for a question made only of function words', () => {
    expect(tokenize('怎么样 what is it?')).toEqual([]);
  });

  it('stems consistently', () => {
    expect(stemWord('universities')).toBe('university');
    expect(stemWord('patents')).toBe('patent');
    expect(stemWord('campus')).toBe('campus');
  });
});

describe('extractYears', () => {
  it.each([
    ['GDP in 2019', [2019]],
    ['海淀区2016年的GDP是多少', [2016]],
    ['over 2,000 new enterprises', []],
    ['more than 2000 enterprises', []],
    ['the 2000 census', [2000]],
    ['490 billion in 2016 and 2017', [2016, 2017]],
    ['1898', [1898]],
  ])('%s', (text, years) => {
    expect(extractYears(text)).toEqual(years);
  });
});
