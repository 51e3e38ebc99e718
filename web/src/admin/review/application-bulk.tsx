import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { Application } from '../../api/types';
import { dynamicText } from '../../i18n/dynamic';
import { ActionButton } from '../../ui/buttons';
import { ProblemMessage } from '../../ui/ProblemMessage';
import {
  decisionBody,
  DecisionFields,
  emptyDraft,
  sendDecision,
  useQueueRefresh,
  type DecisionDraft,
} from './application-decision';

/** What came of one application's decision: its new status, or the service's refusal. */
export interface Outcome {
  id: string;
  name: string;
  status?: string;
  error?: unknown;
}

/**
 * The same decision on every selected application, each sent on its own: each applicant's process
 * mails them, and one refusal (a stale row, the budget) leaves the others decided.
 */
export function BulkDecision(props: { selected: Application[]; onDecided: (outcomes: Outcome[]) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<DecisionDraft>(emptyDraft());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const refresh = useQueueRefresh();
  const count = props.selected.length;
  const decide = useMutation({
    mutationFn: async (body: Parameters<typeof sendDecision>[1]) => {
      const answers = await Promise.allSettled(props.selected.map((a) => sendDecision(a.id, body)));
      return answers.map((answer, i): Outcome => ({
        id: props.selected[i]!.id,
        name: props.selected[i]!.enterpriseName,
        ...(answer.status === 'fulfilled' ? { status: answer.value.status } : { error: answer.reason }),
      }));
    },
    onSuccess: async (outcomes) => {
      props.onDecided(outcomes);
      setDraft(emptyDraft());
      await refresh();
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = decisionBody(draft, { amount: '', text: t('admin.review.decision.textRequired') });
    if ('errors' in result) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    decide.mutate(result.body);
  };
  return (
    <section aria-labelledby="bulk-heading" className="review-bulk">
      <h2 id="bulk-heading">{t('admin.review.bulk.heading')}</h2>
      <p aria-live="polite" data-testid="selected-count">
        {count ? t('admin.review.bulk.selected', { count }) : t('admin.review.bulk.none')}
      </p>
      {count ? (
        <Form className="form" validationBehavior="aria" validationErrors={errors} onSubmit={submit}>
          <DecisionFields
            name="bulk"
            kinds={['APPROVE', 'REJECT', 'REQUEST_INFO']}
            draft={draft}
            onChange={(next) => {
              setDraft(next);
              setErrors({});
            }}
          />
          <ActionButton type="submit" pending={decide.isPending}>
            {t('admin.review.bulk.submit', { count })}
          </ActionButton>
        </Form>
      ) : null}
    </section>
  );
}

/** Each decided application's outcome, refusals included, until the next decision. */
export function Outcomes({ outcomes }: { outcomes: Outcome[] }) {
  const { t } = useTranslation();
  if (outcomes.length === 0) return null;
  return (
    <section aria-labelledby="outcomes-heading" className="review-outcomes">
      <h2 id="outcomes-heading">{t('admin.review.bulk.outcomes')}</h2>
      <table className="table" data-testid="outcomes">
        <thead>
          <tr>
            <th scope="col">{t('admin.review.applications.enterprise')}</th>
            <th scope="col">{t('admin.review.bulk.outcome')}</th>
          </tr>
        </thead>
        <tbody>
          {outcomes.map((outcome) => (
            <tr key={outcome.id} data-outcome={outcome.error ? 'refused' : 'done'}>
              <th scope="row">{outcome.name}</th>
              <td>
                {outcome.status ? (
                  t('admin.review.bulk.ok', { status: dynamicText(t, 'status', outcome.status) })
                ) : (
                  <>
                    {t('admin.review.bulk.refused')}
                    <ProblemMessage error={outcome.error} />
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
