/**
 * Every threshold, weight and limit of the engine, in one place. docs/engine.md explains how they
 * were chosen; the eval sets and `npm run bench` are how to check a change to any of them.
 */

/** Score (0..1) at or above which the engine answers; below it, it abstains with suggestions. */
export const ANSWER_THRESHOLD = 0.48;

/** Weight of a term by where it occurs in a fact: example questions, keywords and aliases speak for the fact; the answer text only hints. */
export const FIELD_WEIGHT_QUESTION = 1.0;
export const FIELD_WEIGHT_KEYWORD = 1.0;
export const FIELD_WEIGHT_ALIAS = 1.0;
export const FIELD_WEIGHT_ANSWER = 0.5;

/** Chinese single characters are indexed beside bigrams but count for less: one Han character is weak evidence. */
export const HAN_UNIGRAM_WEIGHT = 0.3;

/** Words that every fact is about (Haidian, Beijing, district) must not carry a match on their own. */
export const GENERIC_TERM_WEIGHT = 0.15;

/** Question words (where, when, who) break ties between facts about the same thing but never decide. */
export const QUESTION_WORD_WEIGHT = 0.3;

/**
 * An unknown word written like a name (capitalised mid-sentence: "Quarrywood", "Hangzhou") is strong
 * evidence that the question is about something the fact base does not know: it weighs this much more.
 */
export const PROPER_NOUN_UNKNOWN_FACTOR = 2;

/** A query word unknown to the fact base weighs this fraction of the rarest known word: it is evidence the question is about something else. */
export const UNKNOWN_TERM_WEIGHT_RATIO = 0.75;

/**
 * Typo tolerance: letters-only words of at least this length get one edit, long ones two. Four-letter
 * words are left exact: at one edit they collide with other words too often (rain → main, ruin).
 */
export const TYPO_MIN_LENGTH = 5;
export const TYPO_TWO_EDITS_MIN_LENGTH = 6;
export const TYPO_ONE_EDIT_WEIGHT = 0.8;
export const TYPO_TWO_EDITS_WEIGHT = 0.6;

/** A query word unknown to the fact base matches its thesaurus synonyms at this weight. */
export const SYNONYM_WEIGHT = 0.7;

/** Final score mix: how much of the question the fact covers vs. how close it is to one example question. */
export const SCORE_COVERAGE_WEIGHT = 0.5;
export const SCORE_BEST_QUESTION_WEIGHT = 0.5;

/** Candidates kept from the index walk for exact rescoring. */
export const CANDIDATES_MAX = 12;
/** Terms found in more than this fraction of facts never start candidates (they still score). */
export const CANDIDATE_TERM_MAX_DF_RATIO = 0.2;
/** After two terms have produced candidates, skip terms with longer posting lists than this. */
export const CANDIDATE_TERM_MAX_POSTINGS = 150;
export const CANDIDATE_TERM_MAX_POSTINGS_RATIO = 0.0025;
/** Common words too long to walk are looked up in this many best documents so far (bounds the cost of a vague question). */
export const SKIPPED_TERM_RESCAN_POOL = 60;

/** When a question names no year, a newer figure of the same series wins if it scores within this ratio of the best. */
export const SERIES_LATEST_SCORE_RATIO = 0.85;

/**
 * When part of the question matched nothing and the runner-up matched the very same words, scoring
 * within this ratio of the best, the question is ambiguous and the engine offers both instead.
 */
export const AMBIGUOUS_SCORE_RATIO = 0.9;
/**
 * When the subject guard turns the best fact down because the question names another subject, a
 * fact about that subject scoring at least this share of the best answers instead: a close second,
 * not a far one that happens to mention the name.
 */
export const SUBJECT_SECOND_CHANCE_RATIO = 0.85;

/** Suggestions offered with an abstention or help. */
export const SUGGESTIONS_MAX = 3;
/** A candidate below this score is too far off to suggest; topic examples are used instead. */
export const SUGGESTION_MIN_SCORE = 0.12;

/** Questions longer than this are cut before matching: the answer cannot depend on a 100 KB paste. */
export const QUESTION_MAX_CHARS = 500;
