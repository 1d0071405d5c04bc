import { describe, expect, it } from 'vitest';
import { toQuestion } from '../../../adapters/slack/question.js';

describe('toQuestion', () => {
  it.each([
    ['strips the bot mention at the start', "<@UBOT0001> What was Haidian's GDP in 2016?", "What was Haidian's GDP in 2016?"],
    ['strips the bot mention anywhere, with a label too', 'GDP 2016 <@UBOT0001|haidian> please', 'GDP 2016 please'],
    ['leaves an empty question when only the bot was mentioned', '  <@UBOT0001>  ', ''],
    ['decodes the entities Slack escapes', '<@UBOT0001> R&amp;D &lt;spending&gt;', 'R&D <spending>'],
    ['unwraps a link to its label', 'see <https://evil.example|click here>', 'see click here'],
    ['unwraps a bare link to its URL', 'see <https://example.org>', 'see https://example.org'],
    ['turns other user mentions into names or nothing', 'ask <@U123|ann> and <@U456>', 'ask @ann and'],
    ['turns a channel link into its name', 'in <#C1|general>', 'in #general'],
    ['turns mass mentions into plain words', '<!channel> <!here> <!everyone> hi', '@channel @here @everyone hi'],
    ['keeps emoji codes and collapses whitespace', ':smile:\n\n:tada:', ':smile: :tada:'],
  ])('%s', (_name, text, question) => {
    expect(toQuestion(text, 'UBOT0001')).toBe(question);
  });

  it('strips a leading mention when the bot id is unknown', () => {
    expect(toQuestion('<@UXYZ> hello <@U2>', undefined)).toBe('hello');
  });

  it('treats a missing text as empty', () => {
    expect(toQuestion(undefined, 'UBOT0001')).toBe('');
  });
});
