import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations as english } from '@zxcvbn-ts/language-en';

/** zxcvbn's scores: 0 too guessable … 4 very unguessable. The service asks for 3 unless configured. */
export const DEFAULT_PASSWORD_MIN_SCORE = 3;

/**
 * Only the first 64 characters are judged, with at most 10 letter substitutions tried: enough to
 * recognise any guessable password, and a bound on the work one request can ask for (judging all
 * 256 characters a password may have takes seconds).
 */
const JUDGED_LENGTH = 64;

const judge = new ZxcvbnFactory({
  dictionary: { ...commonDictionary, ...englishDictionary },
  graphs: adjacencyGraphs,
  maxLength: JUDGED_LENGTH,
  l33tMaxSubstitutions: 10,
  // no translations: feedback comes as stable keys, which the portal words in each language
});

export type PasswordWarning = keyof typeof english.warnings;
export type PasswordSuggestion = keyof typeof english.suggestions;

export type PasswordJudgement =
  | { acceptable: true; score: number }
  | {
      acceptable: false;
      score: number;
      minimumScore: number;
      /** why it is guessable, when the library can tell; `tooGuessable` otherwise */
      reason: PasswordWarning | 'tooGuessable';
      suggestions: PasswordSuggestion[];
      /** the reason and suggestions in English sentences */
      explanation: string;
    };

const TOO_GUESSABLE = 'This password would be easy to guess.';

/** Words of the person themselves that make a password guessable: their e-mail, its parts, their name. */
export function personalWords(person: { email: string; displayName?: string }): string[] {
  const email = person.email.toLowerCase();
  const [local = '', domain = ''] = email.split('@');
  const words = [email, local, domain, ...domain.split('.'), ...email.split(/[^\p{L}\p{N}]+/u)];
  if (person.displayName) words.push(person.displayName, ...person.displayName.split(/\s+/));
  return [...new Set(words.map((w) => w.trim()).filter((w) => w.length >= 3))];
}

/** Judges a new password by how guessable it is (zxcvbn), not by which characters it has (NIST SP 800-63B). */
export function judgePassword(
  password: string,
  person: { email: string; displayName?: string },
  minimumScore: number = DEFAULT_PASSWORD_MIN_SCORE,
): PasswordJudgement {
  const result = judge.check(password, personalWords(person));
  if (result.score >= minimumScore) return { acceptable: true, score: result.score };
  const warning = result.feedback.warning as PasswordWarning | null;
  const suggestions = result.feedback.suggestions as PasswordSuggestion[];
  const sentences = [
    warning ? english.warnings[warning] : TOO_GUESSABLE,
    ...suggestions.map((s) => english.suggestions[s]),
  ];
  return {
    acceptable: false,
    score: result.score,
    minimumScore,
    reason: warning ?? 'tooGuessable',
    suggestions,
    explanation: sentences.join(' '),
  };
}
