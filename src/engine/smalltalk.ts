import type { Language } from './types.js';

export type SmalltalkIntent = 'greeting' | 'thanks' | 'goodbye' | 'identity';

export interface IntentMatch {
  /** Set when the whole message is small talk or a request for help. */
  readonly intent?: SmalltalkIntent | 'help';
  /** What is left of the message once a leading greeting is removed ("hi, what is …" → "what is …"). */
  readonly rest: string;
}

// Patterns run on normalised text (lower case, punctuation as spaces, simplified Chinese).
const GREETING_WORD = '(hi|hello|hey|hiya|howdy|yo|greetings|good (morning|afternoon|evening|day)|hallo|ni ?hao|nice to meet you|pleased to meet you|how are you( doing)?|how r u|whats up|sup|你好|您好|嗨|哈喽|早上好|下午好|晚上好|大家好|你好吗|很高兴认识你)( there| bot| everyone| all| haidian bot)?';
const GREETING = new RegExp(`^${GREETING_WORD}( ${GREETING_WORD})*$`);
const GREETING_PREFIX = /^(hi|hello|hey|good (morning|afternoon|evening)|你好|您好|嗨)( there| bot)?\s+/;
const THANKS = /^((thanks|thank you|thx|ty|cheers|many thanks|thank you very much|thanks a lot)( so much| very much| a lot)?( bot)?( (great|perfect|awesome|nice|good|cool))?|(great|perfect|awesome|nice|good|cool) thanks|谢谢|多谢|谢谢你|谢谢您|感谢|非常感谢)$/;
const GOODBYE_WORD = '(bye|goodbye|bye bye|see you|see ya|see you later|cya|good night|later|take care|再见|拜拜|回头见)';
const GOODBYE = new RegExp(`^${GOODBYE_WORD}( ${GOODBYE_WORD})*$`);
const IDENTITY = /^(who are you|what are you|what is your name|whats your name|are you a bot|are you human|你是谁|你叫什么名字|你是什么)$/;
const HELP = new RegExp(
  '^(help|help me|\\?|h|commands|usage|menu|topics|start|' +
    'what can you (do|tell me( about)?|answer|help (me )?with)|what do you know( about)?|' +
    'what (topics|things|questions|subjects) (do you know|can you answer|can i ask( you)?|do you cover)|' +
    'what can i ask( you)?( about)?|how do (i use|you work)( (this|the|you)( bot)?)?|how (do i|to) use (this|the|you)( bot)?|how does (this|it) work|' +
    'what are (your|the) (commands|topics)|' +
    '帮助|你能回答什么问题|你能回答什么|你会什么|你能做什么|你知道什么|我能问什么|我可以问你什么|我可以问什么|可以问什么|你可以回答什么|怎么用|使用说明)$',
);

/** Recognises messages that are only small talk or a request for help. Pure; works on normalised text. */
export function detectIntent(normalized: string): IntentMatch {
  const text = normalized.trim();
  if (text === '' || HELP.test(text)) return { intent: 'help', rest: '' };
  if (GREETING.test(text)) return { intent: 'greeting', rest: '' };
  if (THANKS.test(text)) return { intent: 'thanks', rest: '' };
  if (GOODBYE.test(text)) return { intent: 'goodbye', rest: '' };
  if (IDENTITY.test(text)) return { intent: 'identity', rest: '' };
  const rest = text.replace(GREETING_PREFIX, '');
  if (rest !== text) {
    const inner = detectIntent(rest);
    return inner.intent ? inner : { rest };
  }
  return { rest: text };
}

const REPLIES: Record<SmalltalkIntent, Record<Language, string>> = {
  greeting: {
    en: 'Hello! Ask me anything about Haidian district in Beijing: its economy, Zhongguancun, universities, landmarks, population or transport. Type "help" to see the topics.',
    zh: '你好！欢迎问我关于北京市海淀区的问题：经济、中关村、高校、名胜、人口或交通等。输入“帮助”查看全部主题。',
  },
  thanks: {
    en: "You're welcome! Ask me another question about Haidian any time.",
    zh: '不客气！有关于海淀区的问题随时问我。',
  },
  goodbye: {
    en: 'Goodbye! Come back any time you have a question about Haidian.',
    zh: '再见！有关于海淀区的问题随时回来问我。',
  },
  identity: {
    en: 'I am haidian-bot. I answer questions about Haidian district in Beijing from a curated fact base, and I name the source of every answer.',
    zh: '我是海淀问答机器人，根据整理核实过的资料回答关于北京市海淀区的问题，每个回答都注明出处。',
  },
};

export function smalltalkText(intent: SmalltalkIntent, language: Language): string {
  return REPLIES[intent][language];
}
