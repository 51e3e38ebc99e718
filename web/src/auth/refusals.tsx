import { useTranslation } from 'react-i18next';
import { formatInstant } from '../ui/dates';
import { problemOf } from '../ui/ProblemMessage';

const WAIT_REASONS = [
  'ACCOUNT_ADDRESS_FAILURES',
  'ADDRESS_FAILURES',
  'SIGN_IN_REQUESTS',
  'REGISTRATIONS',
] as const;

/**
 * A 429 of sign-in or registration in the reader's language: why the service asks to wait, and
 * until when (the service's `details.retryAt`, on the Shanghai clock).
 */
export function WaitNotice({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  const problem = problemOf(error);
  if (problem?.status !== 429) return null;
  const details = (problem.details ?? {}) as {
    reason?: string;
    retryAt?: string;
    retryAfterSeconds?: number;
  };
  const reason = WAIT_REASONS.find((r) => r === details.reason) ?? 'other';
  const retryAt = details.retryAt && !Number.isNaN(Date.parse(details.retryAt)) ? details.retryAt : null;
  const seconds = typeof details.retryAfterSeconds === 'number' ? details.retryAfterSeconds : null;
  return (
    <div className="notice" role="status">
      <p>{t(`signIn.wait.${reason}`)}</p>
      {retryAt && seconds !== null ? (
        <p>
          {seconds < 120
            ? t('signIn.retryAt', { at: formatInstant(retryAt, i18n.language), count: seconds })
            : t('signIn.retryAtMinutes', {
                at: formatInstant(retryAt, i18n.language),
                count: Math.ceil(seconds / 60),
              })}
        </p>
      ) : null}
      {reason === 'ACCOUNT_ADDRESS_FAILURES' ? <p>{t('signIn.elsewhere')}</p> : null}
    </div>
  );
}

const REASONS = [
  'straightRow',
  'keyPattern',
  'simpleRepeat',
  'extendedRepeat',
  'sequences',
  'recentYears',
  'dates',
  'topTen',
  'topHundred',
  'common',
  'similarToCommon',
  'wordByItself',
  'namesByThemselves',
  'commonNames',
  'userInputs',
  'pwned',
  'tooGuessable',
] as const;

const SUGGESTIONS = [
  'l33t',
  'reverseWords',
  'allUppercase',
  'capitalization',
  'dates',
  'recentYears',
  'associatedYears',
  'sequences',
  'repeated',
  'longerKeyboardPattern',
  'anotherWord',
  'useWords',
  'noNeed',
  'pwned',
] as const;

/**
 * Why the service refused a new password (400 PASSWORD_TOO_WEAK), in the reader's language, from the
 * reason and suggestion keys it sent; null for any other answer.
 */
export function usePasswordRefusal(error: unknown): string | null {
  const { t, i18n } = useTranslation();
  const problem = problemOf(error);
  if (problem?.code !== 'PASSWORD_TOO_WEAK') return null;
  const details = (problem.details ?? {}) as { reason?: string; suggestions?: unknown };
  const reason = REASONS.find((r) => r === details.reason) ?? 'tooGuessable';
  const suggestions = Array.isArray(details.suggestions)
    ? SUGGESTIONS.filter((s) => (details.suggestions as unknown[]).includes(s))
    : [];
  return [
    t('register.passwordTooWeak'),
    t(`register.passwordReason.${reason}`),
    ...suggestions.map((s) => t(`register.passwordSuggestion.${s}`)),
    // Chinese sentences follow one another without a space
  ].join(i18n.language === 'en' ? ' ' : '');
}
