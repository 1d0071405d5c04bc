import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import type { Engine } from '../../src/engine/types.js';
import { loadKnowledge } from '../../src/knowledge/load.js';

let engine: Engine;
beforeAll(async () => {
  engine = createEngine(await loadKnowledge('knowledge'));
});

const answerOf = (question: string) => {
  const reply = engine.ask(question);
  return { ...reply, all: `${reply.body} ${reply.sources.map((s) => s.title).join(' ')}` };
};

describe('answers from the fact base, with sources', () => {
  it.each([
    ['a plain question', "What was Haidian's GDP in 2016?", /490 billion/],
    ['a misspelled question', 'haidain gdp 2016', /490 billion/],
    ['a misspelled company', 'sensetme partners', /UnionPay/],
    ['a transposed word', 'patnet growth rate', /18\.5/],
    ['a two-word keyword query', 'incubators zhongguancun', /400/],
    ['a reworded question', 'How much did authorised patents grow each year?', /18\.5/],
    ['a question in Chinese', '海淀区2016年的GDP是多少？', /4900亿/],
    ['a question in traditional Chinese', '海淀區2016年的GDP是多少？', /4900亿/],
    ['a Chinese keyword question', '中关村有多少家孵化器', /400/],
    ['a UNESCO question in Chinese', '颐和园是世界遗产吗', /1998/],
  ])('%s', (_name, question, expected) => {
    const reply = answerOf(question);
    expect(reply.kind).toBe('answer');
    expect(reply.body).toMatch(expected);
    expect(reply.sources.length).toBeGreaterThan(0);
    for (const source of reply.sources) {
      expect(source.url).toMatch(/^https?:\/\//);
      expect(source.publisher).not.toBe('');
      expect(source.date).toMatch(/^\d{4}/);
    }
    expect(reply.confidence).toBeGreaterThan(0);
    expect(reply.confidence).toBeLessThanOrEqual(1);
  });

  it('answers a Chinese question in Chinese and an English one in English', () => {
    expect(engine.ask('中关村有多少家孵化器').language).toBe('zh');
    expect(engine.ask('中关村有多少家孵化器').body).toMatch(/孵化器/);
    expect(engine.ask('How many incubators are on Zhongguancun street?').language).toBe('en');
  });
});

describe('time-aware answers', () => {
  it('gives the figure of the year asked for', () => {
    const reply = engine.ask("What was Haidian's GDP in 2019?");
    expect(reply.year).toBe(2019);
    expect(reply.body).toMatch(/792\.6/);
  });

  it('gives the latest figure, with its year, when no year is asked', () => {
    const reply = engine.ask("What is Haidian's GDP?");
    expect(reply.kind).toBe('answer');
    expect(reply.year).toBe(2023);
    expect(reply.body).toMatch(/2023/);
  });

  it('says which years it has when asked for a year it does not have', () => {
    const reply = engine.ask("What was Haidian's GDP in 2030?");
    expect(reply.kind).toBe('no-match');
    expect(reply.body).toMatch(/2030/);
    expect(reply.body).toMatch(/2016/);
    expect(reply.suggestions.length).toBeGreaterThan(0);
  });

  it('states the year of every answer that is tied to one', () => {
    const reply = engine.ask('How fast did Haidian GDP grow in 2016?');
    expect(reply.year).toBe(2016);
    expect(reply.body).toMatch(/2016/);
  });
});

describe('declines instead of guessing', () => {
  it.each([
    ['another district', 'What is the GDP of Chaoyang district?'],
    ['another city', 'How many incubators are there in Shenzhen?'],
    ['another company', 'Who founded Alibaba?'],
    ['only the district name is shared', 'What is the weather in Haidian today?'],
    ['an unrelated question', 'What is the capital of France?'],
    ['gibberish', 'qwertyuiop asdf'],
    ['a Chinese trap with a function word', '今天天气怎么样'],
    ['a Chinese question about another city', '深圳有多少家孵化器？'],
  ])('%s', (_name, question) => {
    const reply = engine.ask(question);
    expect(reply.kind).toBe('no-match');
    expect(reply.sources).toEqual([]);
    expect(reply.body).toMatch(/know|只了解|不知道|can't/i);
    expect(reply.suggestions.length).toBeGreaterThan(0);
    expect(reply.suggestions.length).toBeLessThanOrEqual(3);
  });

  it('offers suggestions that the engine can answer', () => {
    const reply = engine.ask('What is the capital of France?');
    for (const suggestion of reply.suggestions) {
      expect(engine.answerFact(suggestion.factId).kind).toBe('answer');
      expect(engine.ask(suggestion.question).factId).toBe(suggestion.factId);
    }
  });
});

describe('small talk and help', () => {
  it.each(['hello', 'Hi there!', 'thanks!', 'bye', '你好', '谢谢'])('treats %j as small talk', (text) => {
    expect(engine.ask(text).kind).toBe('smalltalk');
  });

  it.each(['help', 'What can you tell me about?', '?', '帮助', ''])('treats %j as a request for help', (text) => {
    const reply = engine.ask(text);
    expect(reply.kind).toBe('help');
    if (text !== '') expect(reply.topics.length).toBeGreaterThan(3);
  });

  it('answers the question after a greeting', () => {
    expect(engine.ask('hi, how many incubators are on Zhongguancun street?').kind).toBe('answer');
  });
});

describe('odd input', () => {
  it.each([
    ['whitespace only', '   \n\t '],
    ['emoji only', '🙂🎉🚀'],
    ['Slack markup', '<!channel> <@U123> <https://evil.example|click>'],
    ['a huge paste', 'haidian gdp '.repeat(10_000)],
    ['control characters', '\u0000\u0007\u001b[31m'],
  ])('gives a polite reply to %s, never an error', (_name, text) => {
    const reply = engine.ask(text);
    expect(['help', 'no-match', 'answer', 'smalltalk']).toContain(reply.kind);
    expect(reply.body.length).toBeGreaterThan(0);
    expect(reply.body).not.toContain('<!channel>');
  });

  it('answers an unknown fact id with no-match', () => {
    expect(engine.answerFact('no-such-fact').kind).toBe('no-match');
  });
});

describe('autocomplete', () => {
  it('offers the questions that fit what was typed, best first', () => {
    const choices = engine.complete('incub', 25);
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices[0]?.question).toMatch(/incubat/i);
  });

  it('offers opening questions for empty input and never more than asked', () => {
    expect(engine.complete('', 25)).toHaveLength(25);
    expect(engine.complete('gdp', 3).length).toBeLessThanOrEqual(3);
  });
});
