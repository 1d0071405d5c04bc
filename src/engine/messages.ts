import type { Language } from './types.js';

/** Every sentence the engine says itself (not from the fact base), in both languages. */
export const MESSAGES = {
  noMatch: {
    en: "I don't know that one: nothing in my Haidian fact base answers it, and I'd rather say so than guess.",
    zh: '这个问题我不知道：我的海淀资料库里没有能回答它的内容，我不想乱猜。',
  },
  foreign: {
    en: (name: string) => `I only know about Haidian district in Beijing, so I can't answer questions about ${name}.`,
    zh: (name: string) => `我只了解北京市海淀区，无法回答关于${name}的问题。`,
  },
  unsupported: {
    en: (name: string) => `I don't know that one: my Haidian fact base has no information about ${name}.`,
    zh: (name: string) => `这个问题我不知道：我的海淀资料库里没有关于${name}的信息。`,
  },
  unknownSubject: {
    en: (name: string) => `I have no facts about ${name} yet, so I won't answer with a fact about something else. Subjects I do know:`,
    zh: (name: string) => `我的资料库里还没有关于${name}的资料，不会拿别的对象的资料来回答。我了解的对象：`,
  },
  related: {
    en: (what: string) => `I don't know ${what}: my fact base doesn't say. What it does say about it:`,
    zh: (what: string) => `我不知道${what}：资料库里没有这一项。关于它，资料库里有这些：`,
  },
  district: { en: 'Haidian', zh: '海淀区' },
  missingYear: {
    en: (years: string, have: string) => `I don't have that figure for ${years}. I have it for ${have}.`,
    zh: (years: string, have: string) => `我没有${years}年的这一数据，只有${have}年的。`,
  },
  clarify: {
    en: "I'm not sure what that refers to: I have nothing earlier in this conversation to go on. Could you ask the whole question? For example:",
    zh: '我不确定你指的是什么：这次对话里没有可以参照的上文。请把问题问完整，例如：',
  },
  noYear: {
    en: (years: string) => `I don't have that for ${years}: the last answer is not a figure by year.`,
    zh: (years: string) => `我没有${years}年的这一信息：上一个回答不是按年份的数据。`,
  },
  noMore: {
    en: "That's all my fact base says about it. Related questions I can answer:",
    zh: '关于这一点，我的资料库里只有这些。相关的问题我可以回答：',
  },
  empty: {
    en: 'Ask me a question about Haidian district in Beijing, for example about its economy, Zhongguancun or its universities.',
    zh: '请问我一个关于北京市海淀区的问题，例如经济、中关村或高校。',
  },
  help: {
    en: (facts: number) => `I answer questions about Haidian district in Beijing from a curated fact base of ${facts} facts, and I name the source of every answer. Ask in English or Chinese. Topics I know:`,
    zh: (facts: number) => `我根据整理核实过的${facts}条资料回答关于北京市海淀区的问题，每个回答都注明出处。可以用中文或英文提问。我了解的主题：`,
  },
} as const;

export function joinList(items: readonly string[], language: Language): string {
  if (language === 'zh') return items.join('、');
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) as string}`;
}
