import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import type { Problem } from '../api/types';

export function problemOf(error: unknown): Problem | null {
  return error instanceof ApiError ? error.problem : null;
}

/**
 * The service's refusal in words, beside the action it concerns: what its code means in the reader's
 * language, the service's own sentence with the case's amounts and ids (in English, marked so), each
 * failing field, and the stable code and request id to quote. Announced as an alert.
 */
export function ProblemMessage({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const problem = problemOf(error);
  // no answer from the service (network, proxy): nothing of its own to show, so the portal's words
  if (!problem || problem.code === 'UNREACHABLE') {
    return (
      <div role="alert" className="problem">
        {t('problem.unexpected')}
      </div>
    );
  }
  const reasons = eligibilityReasons(problem);
  return (
    <div role="alert" className="problem">
      <p className="problem-title">{t(`problem.status.${statusKey(problem.status)}`)}</p>
      {i18n.exists(`problem.codes.${problem.code}`) ? <p>{t(`problem.codes.${problem.code}`)}</p> : null}
      <p lang="en">{problem.detail}</p>
      {problem.issues?.length ? (
        <ul>
          {problem.issues.map((issue) => (
            <li key={`${issue.in}.${issue.field}`}>
              <code>{issue.field}</code>: <span lang="en">{issue.reason}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {reasons.length ? (
        <ul>
          {reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      ) : null}
      <p className="problem-code">
        {t('problem.code', { code: problem.code })}
        {problem.requestId ? ` · ${t('problem.requestId', { id: problem.requestId })}` : null}
      </p>
    </div>
  );
}

/** A refusal that lists several reasons (eligibility, near misses) carries them in `details`. */
function eligibilityReasons(problem: Problem): string[] {
  const issues = (problem.details as { issues?: { message?: string }[] } | undefined)?.issues;
  return Array.isArray(issues) ? issues.map((i) => i.message ?? '').filter(Boolean) : [];
}

function statusKey(status: number): '400' | '401' | '403' | '404' | '409' | '422' | '429' | '503' | 'other' {
  const known = ['400', '401', '403', '404', '409', '422', '429', '503'] as const;
  return known.find((k) => k === String(status)) ?? 'other';
}

/**
 * The failing fields of a 400, keyed by the form field names they concern (`body.demand.sampleCount` →
 * `demand.sampleCount`), for a form's `validationErrors`: each message then shows next to its field.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const problem = problemOf(error);
  const errors: Record<string, string> = {};
  for (const issue of problem?.issues ?? []) {
    if (issue.in === 'body') errors[issue.field] ??= issue.reason;
  }
  return errors;
}
