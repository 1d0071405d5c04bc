import type { Fact, KnowledgeBase } from '../knowledge/schema.js';
import {
  AMBIGUOUS_SCORE_RATIO,
  SUBJECT_SECOND_CHANCE_RATIO,
  ANSWER_THRESHOLD,
  CANDIDATES_MAX,
  QUESTION_MAX_CHARS,
  SERIES_LATEST_SCORE_RATIO,
  SUGGESTION_MIN_SCORE,
  SUGGESTIONS_MAX,
} from './defaults.js';
import { FactIndex, type Candidate, type FactIndexOptions } from './fact-index.js';
import { joinList, MESSAGES } from './messages.js';
import { escapeRegExp, hasHan, normalizeText } from './normalize.js';
import { detectIntent, smalltalkText } from './smalltalk.js';
import { extractYears, TermKind, tokenize, tokenizeNormalized } from './tokenize.js';
import type { AnswerFactOptions, AskOptions, Completion, Engine, Language, NearestFact, Overview, Reply, SourceRef, Suggestion, TopicSummary } from './types.js';
import { createCompleter } from './complete.js';
import { createExpansions, type Expansions } from './expansions.js';
import { contextOf, createFollowUpAsk } from './follow-up.js';
import { createSubjectGuard, type SubjectGuardOptions, type SubjectVerdict } from './subject-guard.js';

/** Words every Haidian fact is about; they never carry a match on their own ("weather in Haidian today"). */
export const HAIDIAN_GENERIC_TERMS = ['haidian', 'beijing', 'district', 'china', 'chinese', '海淀区', '海淀', '北京市', '北京', '中国'];

export interface EngineOptions {
  readonly threshold?: number;
  readonly genericTerms?: readonly string[];
  readonly unknownTermWeightRatio?: number;
}

interface ForeignName {
  readonly name: string;
  readonly display: string;
  /** Finds the name as a whole word: Latin names need non-letters around them, Han names need nothing. */
  readonly pattern: RegExp;
}


function namePattern(name: string): RegExp {
  const escaped = escapeRegExp(name);
  // A Latin name is a word even when Han text touches it (商汤科技的ceo是谁).
  return hasHan(name) ? new RegExp(escaped, 'u') : new RegExp(`(?<![a-z0-9])${escaped}(?![a-z0-9])`, 'u');
}

/**
 * The engine's index of a fact base: questions (the user's and the facts' example ones) read
 * wordings that mean the same as one, a fact's other fields carry all of them (./expansions.ts).
 */
export function indexFacts(facts: readonly Fact[], expansions: Expansions, options: FactIndexOptions): FactIndex {
  const asQuestion = (text: string): string => expansions.contract(normalizeText(text));
  const asFactText = (text: string): string => expansions.expand(normalizeText(text));
  return new FactIndex(
    facts.map((fact) => ({
      questions: [...fact.questions.en, ...fact.questions.zh].map(asQuestion),
      keywords: fact.keywords.map(asFactText),
      aliases: fact.aliases.map(asFactText),
      answers: (fact.answer.zh ? [fact.answer.en, fact.answer.zh] : [fact.answer.en]).map(asFactText),
    })),
    options,
  );
}

/** What the subject guard reads of the index: which terms the base and each fact have. */
export function subjectGuardOptions(index: FactIndex, genericTerms: readonly string[]): SubjectGuardOptions {
  return {
    genericTerms,
    knowsTerm: (term) => index.hasTerm(term),
    docHasTerm: (doc, term) => index.docHasTerm(doc, term),
    docHasNear: (doc, term, maxEdits) => index.docHasNear(doc, term, maxEdits),
  };
}

/** Builds the intent engine over a validated fact base. Pure: no IO, no platform knowledge. */
export function createEngine(kb: KnowledgeBase, options: EngineOptions = {}): Engine {
  const threshold = options.threshold ?? ANSWER_THRESHOLD;
  const facts = kb.facts;
  const genericTerms = options.genericTerms ?? HAIDIAN_GENERIC_TERMS;
  const genericSet = new Set(genericTerms.map(normalizeText));
  // Wordings that mean the same: questions (the user's and the facts' example ones) read them as one,
  // a fact's other fields carry all of them (./expansions.ts).
  const expansions = createExpansions(kb.expansions ?? []);
  const index = indexFacts(facts, expansions, {
    genericTerms,
    ...(options.unknownTermWeightRatio !== undefined ? { unknownTermWeightRatio: options.unknownTermWeightRatio } : {}),
  });
  const byId = new Map(facts.map((fact, i) => [fact.id, i]));
  const series = groupSeries(facts);
  // Everything a fact says, normalised: built on demand for the few facts a guard has to check.
  const haystacks: (string | undefined)[] = [];
  const haystackOf = (doc: number): string => {
    let text = haystacks[doc];
    if (text === undefined) {
      const fact = facts[doc] as Fact;
      text = ` ${normalizeText([fact.answer.en, fact.answer.zh ?? '', ...fact.keywords, ...fact.aliases, ...fact.questions.en, ...fact.questions.zh].join(' '))} `;
      haystacks[doc] = text;
    }
    return text;
  };
  const namesOf = (entities: KnowledgeBase['foreignEntities']): ForeignName[] =>
    entities.flatMap((entity) =>
      entity.names.map((name) => ({ name: normalizeText(name), display: entity.names[0] as string, pattern: namePattern(normalizeText(name)) })),
    );
  const foreignNames = namesOf(kb.foreignEntities);
  // Fact aliases that contain another place's name ("Changping Line" contains Changping) shield it:
  // inside such an alias the name is not a question about that place.
  const shields = [...new Set(facts.flatMap((fact) => fact.aliases.map((alias) => normalizeText(alias))))].filter((alias) =>
    foreignNames.some((f) => alias !== f.name && alias.includes(f.name) && f.pattern.test(alias)),
  ).map(namePattern);
  const withoutShields = (normalized: string): string => shields.reduce((text, alias) => text.replace(new RegExp(alias.source, 'gu'), ' '), normalized);
  const unsupportedNames = namesOf(kb.unsupportedSubjects);
  const completer = createCompleter(facts, index);
  const subjectGuard = kb.subjects ? createSubjectGuard(kb.subjects, facts, subjectGuardOptions(index, genericTerms)) : undefined;

  const sourcesOf = (fact: Fact): SourceRef[] =>
    fact.sources.map((id) => {
      const source = kb.sources.get(id);
      if (!source) throw new Error(`fact ${fact.id} cites unknown source ${id}`);
      return { id, title: source.title, publisher: source.publisher, url: source.url, date: source.published };
    });

  const questionIn = (fact: Fact, language: Language, which = 0): string =>
    (language === 'zh' ? fact.questions.zh[which] ?? fact.questions.zh[0] : undefined) ?? fact.questions.en[which] ?? fact.questions.en[0] ?? fact.id;

  const answerReply = (fact: Fact, language: Language, confidence: number): Reply => ({
    kind: 'answer',
    language,
    body: (language === 'zh' ? fact.answer.zh : undefined) ?? fact.answer.en,
    factId: fact.id,
    topic: fact.topic,
    ...(fact.year !== undefined ? { year: fact.year } : {}),
    asOf: fact.as_of,
    sources: sourcesOf(fact),
    suggestions: [],
    topics: [],
    confidence: round(confidence),
    context: contextOf(fact, language, genericSet),
  });

  const topicSummaries = (language: Language): TopicSummary[] =>
    kb.topics
      .map((topic) => {
        const members = facts.filter((fact) => fact.topic === topic.id);
        const first = members[0];
        return {
          id: topic.id,
          title: (language === 'zh' ? topic.title.zh : undefined) ?? topic.title.en,
          factCount: members.length,
          example: first ? questionIn(first, language) : '',
        };
      })
      .filter((topic) => topic.factCount > 0);

  const topicSuggestions = (language: Language): Suggestion[] =>
    kb.topics
      .map((topic) => facts.find((fact) => fact.topic === topic.id))
      .filter((fact): fact is Fact => fact !== undefined)
      .slice(0, SUGGESTIONS_MAX)
      .map((fact) => ({ factId: fact.id, question: questionIn(fact, language) }));

  const noMatch = (language: Language, body: string, candidates: readonly Candidate[], confidence: number, extra: readonly Fact[] = []): Reply => {
    const picked: Suggestion[] = [];
    const add = (fact: Fact): void => {
      if (picked.length < SUGGESTIONS_MAX && !picked.some((s) => s.factId === fact.id)) {
        picked.push({ factId: fact.id, question: questionIn(fact, language) });
      }
    };
    extra.forEach(add);
    for (const candidate of candidates) if (candidate.score >= SUGGESTION_MIN_SCORE) add(facts[candidate.doc] as Fact);
    const suggestions = picked.length > 0 ? picked : topicSuggestions(language);
    return { kind: 'no-match', language, body, sources: [], suggestions, topics: [], confidence: round(Math.min(confidence, threshold - 0.01)) };
  };

  const help = (language: Language = 'en'): Reply => ({
    kind: 'help',
    language,
    body: MESSAGES.help[language](facts.length),
    sources: [],
    suggestions: [],
    topics: topicSummaries(language),
    confidence: 1,
  });

  // ISO dates of different precision compare as strings: "2018" > "2017-12-31", "2017-02" > "2017".
  const newestAsOf = facts.reduce<string | undefined>((newest, fact) => (newest === undefined || fact.as_of > newest ? fact.as_of : newest), undefined);

  const overview = (language: Language = 'en'): Overview => ({
    language,
    intro: MESSAGES.help[language](facts.length),
    factCount: facts.length,
    topics: topicSummaries(language),
    suggestions: topicSuggestions(language),
    ...(newestAsOf !== undefined ? { asOf: newestAsOf } : {}),
  });

  /** The guard's verdict as a reply: an unknown name is declined; a missing attribute lists what the base knows of the subject. */
  const guardReply = (verdict: SubjectVerdict, doc: number, language: Language, candidates: readonly Candidate[], score: number): Reply => {
    if (verdict.kind === 'unknown-subject') return noMatch(language, MESSAGES.unknownSubject[language](verdict.name), candidates, score);
    if (verdict.kind === 'other-subject' || !subjectGuard) {
      const about = verdict.kind === 'other-subject' ? verdict.subjects.map((other) => facts[other] as Fact) : [];
      return noMatch(language, MESSAGES.noMatch[language], candidates.filter((c) => c.doc !== doc), score, about);
    }
    const about = verdict.subject;
    const name = subjectGuard.subjectOf(about, language) ?? MESSAGES.district[language];
    const siblings = subjectGuard.siblingsOf(about);
    // Facts about the subject that do state the attribute first (the right fact, missed by the matcher), then the others.
    const ordered = [...siblings.filter((other) => subjectGuard.states(other, verdict.attribute)), ...siblings];
    // Then facts that mention the subject (a line that serves it), never a neighbour about something else.
    const pattern = namePattern(normalizeText(name));
    const mentioning = candidates.filter((c) => !ordered.includes(c.doc) && pattern.test(haystackOf(c.doc)));
    const extra = [...new Set(ordered)].map((other) => facts[other] as Fact);
    const reply = noMatch(language, MESSAGES.related[language](verdict.attribute.label[language].replaceAll('{subject}', name)), mentioning, score, extra);
    return { ...reply, kind: 'related' };
  };

  const findNames = (names: readonly ForeignName[], normalized: string): ForeignName[] => names.filter((entity) => entity.pattern.test(normalized));
  const mentions = (doc: number, name: ForeignName): boolean => name.pattern.test(haystackOf(doc));

  const askFresh = (raw: string, language: Language): Reply => {
    const normalized = normalizeText(raw);
    if (normalized === '') return { ...help(language), kind: 'help', body: MESSAGES.empty[language] };
    const intent = detectIntent(normalized);
    if (intent.intent === 'help') return help(language);
    if (intent.intent) {
      return { kind: 'smalltalk', language, body: smalltalkText(intent.intent, language), sources: [], suggestions: [], topics: [], confidence: 1 };
    }
    // A named other place or organisation is never evidence for a Haidian fact: its words match nothing.
    const foreign = findNames(foreignNames, withoutShields(intent.rest));
    const tokens = tokenizeNormalized(expansions.contract(intent.rest));
    const names = nameTerms(raw);
    let candidates: Candidate[];
    if (foreign.length === 0) candidates = index.search(tokens, CANDIDATES_MAX, { names });
    else {
      // Another place's name never counts as evidence… unless the best fact itself is about that place
      // and matches the rest of the question too ("Is Haidian bigger than Chaoyang?" → the area-rank fact).
      const foreignTerms = new Set(foreign.flatMap((f) => tokenizeNormalized(f.name).map((t) => t.term)));
      const open = index.search(tokens, CANDIDATES_MAX, { names });
      const best = open[0];
      const aboutIt =
        best !== undefined &&
        best.score >= threshold &&
        foreign.every((name) => mentions(best.doc, name)) &&
        index.scoreDocument(best.doc, tokens.filter((t) => !foreignTerms.has(t.term))).specific;
      candidates = aboutIt ? open : index.search(tokens, CANDIDATES_MAX, { unmatchable: foreignTerms, names });
    }
    const top = candidates[0];
    // Generic words alone ("Haidian", "海淀") answer only a question made of nothing else ("What is Haidian?"),
    // never one that also asks about something unknown ("weather in Haidian today").
    if (!top || top.score < threshold || !(top.specific || top.complete)) {
      return noMatch(language, MESSAGES.noMatch[language], candidates, top?.score ?? 0);
    }
    // Ambiguous: part of the question matched nothing, and the best facts match exactly the same words
    // ("Who designed X?" matches every fact about X by the name alone). Offer them instead of guessing.
    const runnerUp = candidates[1];
    if (
      !top.complete &&
      runnerUp !== undefined &&
      runnerUp.matched === top.matched &&
      runnerUp.coverage >= top.coverage &&
      runnerUp.score >= top.score * AMBIGUOUS_SCORE_RATIO &&
      !sameSeries(facts[top.doc] as Fact, facts[runnerUp.doc] as Fact)
    ) {
      return noMatch(language, MESSAGES.noMatch[language], candidates, top.score);
    }

    let chosen = top;
    const years = extractYears(raw);
    const topFact = facts[top.doc] as Fact;
    const members = topFact.series ? (series.get(topFact.series) ?? []) : [];
    if (members.length > 1) {
      if (years.length > 0) {
        const match = members.find((m) => years.includes((facts[m] as Fact).year as number));
        if (match === undefined) {
          const have = members.map((m) => String((facts[m] as Fact).year));
          const body = MESSAGES.missingYear[language](joinList(years.map(String), language), joinList(have, language));
          return noMatch(language, body, [], top.score, members.map((m) => facts[m] as Fact).reverse());
        }
        chosen = candidates.find((c) => c.doc === match) ?? { ...top, doc: match };
      } else {
        // No year asked: prefer the newest figure of the series among those that match nearly as well.
        const floor = top.score * SERIES_LATEST_SCORE_RATIO;
        for (const candidate of candidates) {
          const fact = facts[candidate.doc] as Fact;
          if (candidate.score >= floor && fact.series === topFact.series && (fact.year ?? 0) > ((facts[chosen.doc] as Fact).year ?? 0)) {
            chosen = candidate;
          }
        }
        if (chosen === top) {
          const latest = members[members.length - 1] as number;
          const latestCandidate = candidates.find((c) => c.doc === latest);
          if (latestCandidate && latestCandidate.score >= floor) chosen = latestCandidate;
        }
      }
    } else if (years.length > 0 && topFact.year !== undefined && !years.includes(topFact.year)) {
      const mentioned = years.some((year) => haystackOf(top.doc).includes(String(year)));
      if (!mentioned) {
        const body = MESSAGES.missingYear[language](joinList(years.map(String), language), String(topFact.year));
        return noMatch(language, body, [], top.score, [topFact]);
      }
    }

    const fact = facts[chosen.doc] as Fact;
    const stranger = foreign.find((name) => !mentions(chosen.doc, name));
    if (stranger) return noMatch(language, MESSAGES.foreign[language](stranger.display), [], top.score, []);
    const unsupported = findNames(unsupportedNames, intent.rest);
    const subject = unsupported.find((name) => !mentions(chosen.doc, name));
    if (subject) return noMatch(language, MESSAGES.unsupported[language](subject.display), [], top.score, [fact]);
    const verdict = subjectGuard?.check(raw, intent.rest, chosen.doc);
    if (verdict) {
      // The guard knows what the question is about (北航 for a fact on another school, PKU for one on
      // its dental hospital): a candidate about that subject that passes the threshold and every
      // check answers in its place. Only without a year in the question: the series rules chose above.
      const wanted = verdict.kind === 'other-subject' ? verdict.subjects : verdict.kind === 'missing-attribute' && verdict.subject !== chosen.doc ? [verdict.subject] : [];
      const about =
        years.length === 0 && wanted.length > 0
          ? candidates.find(
              (c) =>
                c.doc !== chosen.doc &&
                wanted.includes(c.doc) &&
                c.score >= threshold &&
                c.score >= top.score * SUBJECT_SECOND_CHANCE_RATIO &&
                (c.specific || c.complete) &&
                foreign.every((name) => mentions(c.doc, name)) &&
                unsupported.every((name) => mentions(c.doc, name)) &&
                subjectGuard?.check(raw, intent.rest, c.doc) === undefined,
            )
          : undefined;
      if (about) return answerReply(facts[about.doc] as Fact, language, about.score);
      return guardReply(verdict, chosen.doc, language, candidates, top.score);
    }
    return answerReply(fact, language, chosen.score);
  };

  const followUp = createFollowUpAsk({
    facts,
    factAt: (factId) => {
      const at = byId.get(factId);
      return at === undefined ? undefined : facts[at];
    },
    seriesOf: (id) => (series.get(id) ?? []).map((i) => facts[i] as Fact),
    askFresh,
    answerWith: (fact, language) => answerReply(fact, language, 1),
    questionIn: (fact, language) => questionIn(fact, language),
    genericTerms,
    otherNames: [...kb.foreignEntities, ...kb.unsupportedSubjects].flatMap((entity) => entity.names),
  });

  /** Marks an answer whose fact was due for review before `today` (both YYYY-MM-DD, so text order is date order). */
  const withFreshness = (reply: Reply, today: string | undefined): Reply => {
    if (today === undefined || reply.kind !== 'answer' || reply.factId === undefined) return reply;
    const at = byId.get(reply.factId);
    const fact = at === undefined ? undefined : facts[at];
    if (fact?.review_by === undefined || !(today > fact.review_by)) return reply;
    return { ...reply, stale: { reviewBy: fact.review_by, asOf: fact.as_of } };
  };

  const ask = (question: string, askOptions: AskOptions = {}): Reply => {
    const raw = question.slice(0, QUESTION_MAX_CHARS);
    const language: Language = askOptions.language ?? (hasHan(raw) ? 'zh' : 'en');
    return withFreshness(followUp(raw, language, askOptions), askOptions.today);
  };

  const answerFact = (factId: string, language: Language = 'en', factOptions: AnswerFactOptions = {}): Reply => {
    const at = byId.get(factId);
    if (at === undefined) return noMatch(language, MESSAGES.noMatch[language], [], 0);
    return withFreshness(answerReply(facts[at] as Fact, language, 1), factOptions.today);
  };

  const complete = (partial: string, limit: number): Completion[] => completer(partial.slice(0, QUESTION_MAX_CHARS), limit);

  const nearest = (question: string): NearestFact | undefined => {
    // Read as ask reads it (wordings contracted), so a curator is not told to add a word the fact already answers to.
    const tokens = tokenizeNormalized(expansions.contract(detectIntent(normalizeText(question.slice(0, QUESTION_MAX_CHARS))).rest));
    const top = index.search(tokens, CANDIDATES_MAX, { names: nameTerms(question) })[0];
    if (!top) return undefined;
    const fact = facts[top.doc] as Fact;
    const present = index.tokensInDocument(top.doc, tokens);
    const missing = tokens.filter(
      // Lone Han characters repeat the pairs they belong to, and question words are no keywords.
      (token, i) => !present[i] && !genericSet.has(token.term) && token.kind !== TermKind.HanUnigram && token.kind !== TermKind.QuestionWord,
    );
    return {
      factId: fact.id,
      score: round(top.score),
      question: [...fact.questions.en, ...fact.questions.zh][top.question] ?? questionIn(fact, 'en'),
      missingTerms: [...new Set(missing.map((token) => token.surface ?? token.term))],
    };
  };

  return { ask, answerFact, complete, nearest, help, overview, factCount: facts.length };
}

const sameSeries = (a: Fact, b: Fact): boolean => a.series !== undefined && a.series === b.series;

/**
 * Words written like names: capitalised, not at the start of a sentence ("opening hours of Quarrywood
 * Police Station"), as the index's terms. An unknown one weighs more than an unknown common word.
 */
function nameTerms(raw: string): ReadonlySet<string> {
  const out = new Set<string>();
  for (const match of raw.matchAll(/(?<![.!?:]\s*|^\s*|[\p{L}\p{N}'’])\p{Lu}[\p{L}'’]{2,}/gu)) {
    for (const token of tokenize(match[0])) out.add(token.term);
  }
  return out;
}

/** Series id → indexes of its facts, oldest year first. */
function groupSeries(facts: readonly Fact[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  facts.forEach((fact, i) => {
    if (!fact.series) return;
    const list = out.get(fact.series) ?? [];
    list.push(i);
    out.set(fact.series, list);
  });
  for (const list of out.values()) list.sort((a, b) => ((facts[a] as Fact).year ?? 0) - ((facts[b] as Fact).year ?? 0));
  return out;
}

function round(value: number): number {
  return Math.round(Math.max(0, Math.min(1, value)) * 1000) / 1000;
}
