/**
 * The bot ready to answer, without a platform connection: load the Haidian fact base, build the
 * engine, answer one question. Prints one JSON line with the time of each stage since process start
 * (performance.now() counts from the start of the process). Run by bench/run.ts as
 * `node --import tsx bench/startup.ts` from the repository root.
 */
const started = performance.now();
const { loadKnowledge } = await import('../src/knowledge/load.js');
const { createEngine } = await import('../src/engine/engine.js');
const imported = performance.now();
const kb = await loadKnowledge(process.env.KNOWLEDGE_DIR ?? 'knowledge');
const loaded = performance.now();
const engine = createEngine(kb);
const built = performance.now();
const question = kb.facts[0]?.questions.en[0] ?? 'help';
const reply = engine.ask(question);
const answered = performance.now();

const ms = (value: number): number => Math.round(value * 10) / 10;
process.stdout.write(
  `${JSON.stringify({
    answer_ms: ms(answered),
    runtime_ms: ms(started),
    import_ms: ms(imported - started),
    load_ms: ms(loaded - imported),
    build_ms: ms(built - loaded),
    ask_ms: ms(answered - built),
    facts: kb.facts.length,
    question,
    kind: reply.kind,
    fact: reply.factId ?? null,
  })}\n`,
);
