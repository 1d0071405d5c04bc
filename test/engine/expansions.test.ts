import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import { createExpansions } from '../../src/engine/expansions.js';
import type { Engine } from '../../src/engine/types.js';
import { loadKnowledge } from '../../src/knowledge/load.js';

describe('createExpansions', () => {
  const groups = [
    ['GDP', 'gross domestic product', '地区生产总值'],
    ['square kilometres', 'km²', 'sq km', '平方公里'],
    ['km', 'kilometres', '公里'],
  ];
  const { contract, expand } = createExpansions(groups);

  it('reads every wording of a group in a question as the group’s first', () => {
    expect(contract('what was the gross domestic product of haidian in 2016')).toBe('what was the gdp of haidian in 2016');
    expect(contract('海淀区2016年地区生产总值')).toBe('海淀区2016年 gdp');
  });

  it('takes the longest wording first and whole Latin words only', () => {
    expect(contract('area in km2 or sq km or 平方公里')).toBe('area in square kilometres or square kilometres or square kilometres');
    expect(contract('16 kilometres long')).toBe('16 km long');
    // "skm" and "gdps" are other words; a Latin wording touching Chinese text is still a word.
    expect(contract('skm gdps')).toBe('skm gdps');
    expect(contract('gross domestic product突破')).toBe('gdp 突破');
  });

  it('adds every wording of the groups a fact text uses, and keeps its own words', () => {
    expect(expand('haidian covers 430.77 square kilometres')).toBe(
      'haidian covers 430.77 square kilometres square kilometres km2 sq km 平方公里',
    );
    expect(expand('no wording here')).toBe('no wording here');
  });

  it('changes nothing without groups', () => {
    const none = createExpansions([]);
    expect(none.contract('gross domestic product')).toBe('gross domestic product');
    expect(none.expand('gdp')).toBe('gdp');
  });
});

describe('wordings people type, on the real fact base', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = createEngine(await loadKnowledge('knowledge'));
  });

  it.each([
    ['what was the gross domestic product of haidian district in 2016', 'gdp-2016'],
    ['Haidian gross domestic product 2019', 'gdp-2019'],
    ['海淀区2017年国内生产总值是多少', 'gdp-2017'],
    ['how many sq km is haidian', 'area'],
  ])('answers "%s" with %s', (question, factId) => {
    const reply = engine.ask(question);
    expect(reply.kind).toBe('answer');
    expect(reply.factId).toBe(factId);
  });

  it('reads a wording the same way for the report\'s nearest fact: no suggestion to add words the fact already answers to', () => {
    const nearest = engine.nearest('what was the gross domestic product of haidian district in 2016');
    expect(nearest?.factId).toBe('gdp-2016');
    expect(nearest?.missingTerms.join(' ')).not.toMatch(/gross|domestic|product/);
    // The same query as the acronym, as ask reads it: the same score.
    expect(nearest?.score).toBe(engine.nearest('what was the gdp of haidian district in 2016')?.score);
  });

  it.each(['Which tech companies are based in Haidian?', 'which companies are in haidian', 'What companies are headquartered in Haidian?', '海淀有哪些科技公司？'])(
    'answers the list question "%s" with the companies the base names, not a count',
    (question) => {
      const reply = engine.ask(question);
      expect(reply.factId).toBe('companies-in-haidian');
      expect(reply.body).toMatch(/Baidu|百度/);
    },
  );

  it('still answers a count question with the count', () => {
    expect(engine.ask('How many listed companies are located in Haidian?').factId).toBe('company-counts-2018');
  });

  it('declines a question the wordings do not make answerable', () => {
    expect(engine.ask('What was the gross domestic product of Chaoyang in 2016?').kind).not.toBe('answer');
  });
});
