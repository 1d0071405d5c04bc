import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import { FactIndex } from '../../src/engine/fact-index.js';
import { stemWord, tokenize } from '../../src/engine/tokenize.js';
import type { Fact, KnowledgeBase } from '../../src/knowledge/schema.js';

/** A small fact base about one clinic and one library, in the project's own format. */
function clinicBase(): KnowledgeBase {
  const fact = (id: string, answer: string, questions: string[], keywords: string[] = []): Fact => ({
    id,
    topic: 'places',
    as_of: '2026',
    answer: { en: answer },
    questions: { en: questions, zh: [] },
    keywords,
    aliases: [],
    sources: ['city-faq'],
  });
  const facts = [
    fact(
      'clinic-appointments',
      'Book an appointment at Qinghe Clinic online or by phone, up to two weeks ahead.',
      ['How do I book an appointment at Qinghe Clinic?', 'Qinghe Clinic appointments', 'Can I book Qinghe Clinic online?', 'Booking Qinghe Clinic'],
    ),
    fact(
      'clinic-walk-in',
      'Qinghe Clinic sees walk-in patients without an appointment each morning.',
      ['Can I go to Qinghe Clinic without an appointment?', 'Qinghe Clinic walk-in', 'Does Qinghe Clinic take walk-ins?', 'Walk-in times at Qinghe Clinic'],
    ),
    fact(
      'clinic-address',
      'Qinghe Clinic is at 12 Anning Road, next to the bus station.',
      ['Where is Qinghe Clinic?', 'What is the address of Qinghe Clinic?', 'Qinghe Clinic address', 'Where is Qinghe Clinic located?'],
      ['address', 'where'],
    ),
    fact(
      'clinic-opening-hours',
      'Qinghe Clinic opens from 8 to 18 on weekdays; the car park is free for the first two hours.',
      ['When is Qinghe Clinic open?', 'What are the opening hours of Qinghe Clinic on weekdays and at weekends?', 'What time does Qinghe Clinic open in the morning?', 'Until what time is Qinghe Clinic open?'],
      ['opening hours'],
    ),
    fact(
      'clinic-parking',
      'Qinghe Clinic has 40 parking spaces, free for the first two hours.',
      ['Is there parking at Qinghe Clinic?', 'Qinghe Clinic parking', 'Can I park at Qinghe Clinic?', 'Does Qinghe Clinic have a car park?'],
    ),
    fact(
      'clinic-overview',
      'Qinghe Clinic is the family clinic of Qinghe subdistrict, open long hours for general practice.',
      ['What is Qinghe Clinic?', 'Qinghe Clinic', 'Tell me about Qinghe Clinic', 'What kind of clinic is Qinghe Clinic?'],
    ),
    fact(
      'library-membership',
      'Membership of Shangdi Library is free with an ID card; members can reserve books online.',
      ['How do I join Shangdi Library?', 'Shangdi Library membership', 'Is Shangdi Library membership free?', 'Library card for Shangdi Library'],
    ),
  ];
  return {
    facts,
    sources: new Map([['city-faq', { id: 'city-faq', title: 'City FAQ', publisher: 'City', url: 'https://example.org/faq', published: '2026' }]]),
    topics: [{ id: 'places', title: { en: 'Places' } }],
    foreignEntities: [],
    unsupportedSubjects: [],
    factFiles: new Map(facts.map((f) => [f.id, 'test.yaml'])),
  };
}

const engine = createEngine(clinicBase(), { genericTerms: [] });

/** One fact as the index sees it: example questions and keywords only. */
const doc = (questions: string[], keywords: string[] = []) => ({ questions, keywords, aliases: [], answers: [] });

describe('stemming and filler', () => {
  it('folds a verb and its forms to one stem', () => {
    expect(new Set(['locate', 'located', 'locating', 'locates'].map(stemWord))).toEqual(new Set(['locat']));
    expect(stemWord('services')).toBe(stemWord('service'));
    expect(stemWord('free')).toBe('free');
  });

  it('drops inflected filler and greetings, keeping the content words', () => {
    expect(tokenize('Info needed: Qinghe Clinic, details please').map((t) => t.term)).toEqual([stemWord('qinghe'), 'clinic']);
    expect(tokenize('Excuse me, hi, where is it?').map((t) => t.term)).toEqual(['where']);
  });

  it('answers a question made of filler around a real one', () => {
    expect(engine.ask('Excuse me, info needed: Qinghe Clinic address').factId).toBe('clinic-address');
  });
});

describe('thesaurus for known words', () => {
  it('reaches the fact that uses a synonym even when another fact uses the word itself', () => {
    // "reserve" is a known word (the library fact uses it), and it still reaches "book".
    const reply = engine.ask('Can I reserve at Qinghe Clinic?');
    expect(reply.kind).toBe('answer');
    expect(reply.factId).toBe('clinic-appointments');
  });

  it('keeps the fact that uses the word itself first', () => {
    expect(engine.ask('Can I reserve a book at Shangdi Library?').factId).toBe('library-membership');
  });
});

describe('typos', () => {
  it('corrects two slips in a six-letter name', () => {
    expect(engine.ask('Where is Qimgje Clinic?').factId).toBe('clinic-address');
  });

  it('allows one slip in a five-letter word, not two', () => {
    expect(engine.ask('Where is Qinghe Clinc?').factId).toBe('clinic-address');
    expect(engine.ask('Where is Qinghe Cljnc?').kind).toBe('no-match');
  });
});

describe('ambiguity guard', () => {
  it('answers when the best fact matches the same words more strongly than the next', () => {
    // Both facts match "Qinghe Clinic hours"; only the opening-hours fact has "hours" in its questions.
    const reply = engine.ask('Qinghe Clinic hours of business');
    expect(reply.kind).toBe('answer');
    expect(reply.factId).toBe('clinic-opening-hours');
  });

  it('still declines when facts match the same words equally and something is left over', () => {
    const reply = engine.ask('Who designed the roof of Qinghe Clinic?');
    expect(reply.kind).toBe('no-match');
    expect(reply.suggestions.length).toBeGreaterThan(0);
  });
});

describe('candidate walk', () => {
  it('credits a word once per fact, for its best synonym, not once per synonym the fact contains', () => {
    const index = new FactIndex([
      doc(['How do I register, apply and get enrolment at Haiding School?']),
      doc(['Where is Qinghe Clinic?']),
      doc(['When is Qinghe Clinic open?']),
      doc(['How do I sign up as a patient at Qinghe Clinic?'], ['enrol']),
      doc(['Where is Shangdi Clinic?']),
    ]);
    // "enrol" reaches register, apply and enrolment (thesaurus); the school fact has all three, yet
    // it must not outrank the one fact that says "enrol" and names the clinic.
    const [best] = index.search(tokenize('What do I need to enrol at Qinghe Clinic?'), 1);
    expect(best?.doc).toBe(3);
  });
});

describe('word-for-word example questions', () => {
  it('always reach their fact, also when a word of theirs has thesaurus synonyms', () => {
    const index = new FactIndex([
      doc(['Market parking prices'], ['parking cost market']),
      doc(['What does parking cost at the market?']),
    ]);
    // Both facts hold the same words, so the candidate walk keeps only the first; "cost" also reaches
    // price and fee through the thesaurus, and the example question must still be found as written.
    const results = index.search(tokenize('What does parking cost at the market?'), 1);
    expect(results[0]?.doc).toBe(1);
    expect(results[0]?.bestQuestion).toBe(1);
  });
});
