import { beforeAll, describe, expect, it } from 'vitest';
import { createBot, type AskContext, type Bot } from '../../src/bot/bot.js';
import { askInConversation, CONTEXT_KEY_PREFIX, CONTEXT_TTL_MS, createConversationMemory } from '../../src/bot/conversation.js';
import { createMemoryStore } from '../../src/bot/store.js';
import { createEngine } from '../../src/engine/engine.js';
import { loadKnowledge } from '../../src/knowledge/load.js';

let bot: Bot;
beforeAll(async () => {
  const engine = createEngine(await loadKnowledge('knowledge'));
  bot = createBot({ getEngine: () => engine });
});

const ASKER: AskContext = { platform: 'terminal', userId: 'u1' };

const setUp = () => {
  let clock = 1_000;
  const store = createMemoryStore({ now: () => clock });
  const memory = createConversationMemory(store);
  return { store, memory, advance: (ms: number) => (clock += ms) };
};

describe('conversation memory', () => {
  it('answers a follow-up in the same conversation with its context', async () => {
    const { memory } = setUp();
    await askInConversation(bot, memory, 'slack:T1:C1:1.0', "What was Haidian's GDP in 2016?", ASKER);
    const reply = await askInConversation(bot, memory, 'slack:T1:C1:1.0', 'and in 2017?', ASKER);
    expect(reply.factId).toBe('gdp-2017');
  });

  it('never lends one conversation’s context to another', async () => {
    const { memory } = setUp();
    await askInConversation(bot, memory, 'slack:T1:C1:1.0', "What was Haidian's GDP in 2016?", ASKER);
    const other = await askInConversation(bot, memory, 'slack:T1:C1:2.0', 'and in 2017?', ASKER);
    expect(other.kind).toBe('clarify');
    expect(other.factId).toBeUndefined();
  });

  it('forgets a context after its TTL', async () => {
    const { memory, advance } = setUp();
    await askInConversation(bot, memory, 'dm:u1', "What was Haidian's GDP in 2016?", ASKER);
    advance(CONTEXT_TTL_MS + 1);
    const reply = await askInConversation(bot, memory, 'dm:u1', 'and in 2017?', ASKER);
    expect(reply.kind).toBe('clarify');
  });

  it('ignores a stored value it cannot read instead of failing', async () => {
    const { store, memory } = setUp();
    await store.set(`${CONTEXT_KEY_PREFIX}dm:u2`, '{not json', CONTEXT_TTL_MS);
    expect(await memory.recall('dm:u2')).toBeUndefined();
    await store.set(`${CONTEXT_KEY_PREFIX}dm:u2`, JSON.stringify({ factId: 7 }), CONTEXT_TTL_MS);
    expect(await memory.recall('dm:u2')).toBeUndefined();
  });

  it('keeps the context when a reply leaves none (a notice)', async () => {
    const { memory } = setUp();
    await askInConversation(bot, memory, 'dm:u3', "What was Haidian's GDP in 2016?", ASKER);
    await memory.remember('dm:u3', { kind: 'notice', language: 'en', body: 'slow down', sources: [], suggestions: [], topics: [], confidence: 0 });
    expect((await memory.recall('dm:u3'))?.factId).toBe('gdp-2016');
  });
});
