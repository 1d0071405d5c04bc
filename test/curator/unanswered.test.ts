import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/host/app.js';
import { createSilentLogger } from '../../src/bot/log.js';
import { createMetrics } from '../../src/host/metrics.js';
import { createUnansweredLog, isUnanswered, LOW_CONFIDENCE_THRESHOLD, scrubPersonalData } from '../../src/curator/unanswered.js';
import type { Reply } from '../../src/engine/types.js';
import { testConfig } from '../host/app.js';
import { tempDir } from '../host/process.js';

describe('scrubPersonalData', () => {
  it.each([
    ['an e-mail address', 'mail me at zhang.san@example.com please', 'mail me at [email] please'],
    ['an e-mail address inside Chinese text', '我的邮箱是zhang.san@pku.edu.cn请回复', '我的邮箱是[email]请回复'],
    ['a mainland mobile', 'call 13812345678 tonight', 'call [phone] tonight'],
    ['a +86 mobile in groups', 'call +86 138 1234 5678 now', 'call [phone] now'],
    ['a +86 mobile with dashes', '电话：+86-138-1234-5678', '电话：[phone]'],
    ['a 0086 mobile', '0086 13812345678', '[phone]'],
    ['a full-width mobile', '１３８１２３４５６７８', '[phone]'],
    ['a Beijing landline', 'Tsinghua office 010-62783496?', 'Tsinghua office [phone]?'],
    ['a landline with the area code in brackets', '(010) 6278 3496', '[phone]'],
    ['a landline with +86', '+86 10 6278 3496', '[phone]'],
    ['a landline inside Chinese text', '座机0755-1234567谢谢', '座机[phone]谢谢'],
    ['an international number', 'or +44 20 7946 0958', 'or [phone]'],
    ['an 18-digit ID number', '身份证号110108199001011234，查询', '身份证号[id-number]，查询'],
    ['a full-width e-mail address', 'ｌｉ＠ｅｘａｍｐｌｅ．ｃｏｍ', '[email]'],
    ['a landline in full-width brackets', '电话（０１０）６２７８３４９６。', '电话[phone]。'],
    ['an ID number ending in X', 'ID 11010819900101123X.', 'ID [id-number].'],
    ['a URL with a token in the query', 'open https://example.com/reset?token=abc123 for me', 'open [url] for me'],
    ['a URL with a secret path', 'see https://drive.example.com/s/AbC123dEf456GhI789 ok', 'see [url] ok'],
    ['a URL with credentials', 'https://user:pw@host.example/x', '[url]'],
  ])('replaces %s', (_kind, input, expected) => {
    expect(scrubPersonalData(input)).toBe(expected);
  });

  it.each([
    ['a plain link', 'what is https://www.bjhd.gov.cn/ about'],
    ['years and figures', "What was Haidian's GDP in 2016? 490 billion, 3,281,000 people, 2016-2020"],
    ['a long number that is no ID', 'numbers 12345678901234567890123'],
    ['Chinese figures', '2010年海淀区有多少人口？328.1万人'],
  ])('leaves %s alone', (_kind, input) => {
    expect(scrubPersonalData(input)).toBe(input);
  });
});

describe('the unanswered log', () => {
  const reply = (kind: Reply['kind'], confidence: number, factId?: string): Reply => ({
    kind,
    language: 'en',
    body: '',
    sources: [],
    suggestions: [],
    topics: [],
    confidence,
    ...(factId ? { factId } : {}),
  });

  it('takes abstentions and answers below the low-confidence threshold, nothing else', () => {
    expect(isUnanswered('no-match', 0)).toBe(true);
    expect(isUnanswered('related', 0.47)).toBe(true);
    expect(isUnanswered('answer', LOW_CONFIDENCE_THRESHOLD - 0.01)).toBe(true);
    expect(isUnanswered('answer', LOW_CONFIDENCE_THRESHOLD)).toBe(false);
    expect(isUnanswered('smalltalk', 0)).toBe(false);
    expect(isUnanswered('notice', 0)).toBe(false);
  });

  let scratch: { dir: string; remove: () => Promise<void> } | undefined;
  let app: RunningApp | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await scratch?.remove();
  });

  it('appends one JSON line per entry, in order, with time, platform, kind, confidence, fact and the scrubbed question', async () => {
    scratch = await tempDir('unanswered');
    const file = path.join(scratch.dir, 'unanswered.jsonl');
    const log = createUnansweredLog({ file, logger: createSilentLogger(), now: () => new Date('2025-05-01T10:00:00Z') });
    log.observe(reply('no-match', 0), { platform: 'slack', userId: 'U1' }, 'ferry to 13812345678?', 1);
    log.observe(reply('answer', 0.95, 'gdp-2016'), { platform: 'slack' }, 'GDP 2016', 1);
    log.observe(reply('answer', 0.5, 'gdp-2016'), { platform: 'discord' }, 'GDP in 2030 for a@b.cn', 1);
    await log.flush();
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual([
      { time: '2025-05-01T10:00:00.000Z', platform: 'slack', kind: 'no-match', confidence: 0, question: 'ferry to [phone]?' },
      { time: '2025-05-01T10:00:00.000Z', platform: 'discord', kind: 'answer', confidence: 0.5, factId: 'gdp-2016', question: 'GDP in 2030 for [email]' },
    ]);
  });

  it('is written by the running bot for questions it cannot answer, and flushed at stop', async () => {
    scratch = await tempDir('unanswered-app');
    const file = path.join(scratch.dir, 'unanswered.jsonl');
    app = await startApp({
      config: testConfig({ UNANSWERED_LOG: file }),
      logger: createSilentLogger(),
      platforms: [],
      metrics: createMetrics({ processMetrics: false }),
    });
    await app.bot.ask('What is the weather on Mars? Mail x@y.org', { platform: 'terminal', userId: 'local' });
    await app.bot.ask('How many incubators are on Zhongguancun street?', { platform: 'terminal', userId: 'local' });
    await app.stop();
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ platform: 'terminal', kind: 'no-match', question: 'What is the weather on Mars? Mail [email]' });
  });
});
