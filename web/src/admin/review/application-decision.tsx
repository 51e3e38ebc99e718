import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Form, Label, Radio, RadioGroup } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import type { Application } from '../../api/types';
import { ActionButton } from '../../ui/buttons';
import { TextInput } from '../../ui/fields';
import { formatFen, parseYuan } from '../../ui/money';
import { notify } from '../../ui/Notifications';
import { fieldErrors, ProblemMessage } from '../../ui/ProblemMessage';
import { dynamicText } from '../../i18n/dynamic';

type DecisionBody = components['schemas']['ApplicationDecision'];
export type DecisionKind = 'APPROVE' | 'APPROVE_LESS' | 'REJECT' | 'REQUEST_INFO';

/** What the reviewer typed, as the form holds it until it is sent. */
export interface DecisionDraft {
  kind: DecisionKind;
  amount: string;
  text: string;
}

export const emptyDraft = (kind: DecisionKind = 'APPROVE'): DecisionDraft => ({ kind, amount: '', text: '' });

/** The body the service receives, or the fields the reviewer still has to fill (keyed by field name). */
export function decisionBody(
  draft: DecisionDraft,
  words: { amount: string; text: string },
): { body: DecisionBody } | { errors: Record<string, string> } {
  const text = draft.text.trim();
  switch (draft.kind) {
    case 'APPROVE':
      return { body: { decision: 'APPROVE' } };
    case 'APPROVE_LESS': {
      const amountFen = parseYuan(draft.amount);
      return amountFen ? { body: { decision: 'APPROVE', amountFen } } : { errors: { amount: words.amount } };
    }
    case 'REJECT':
      return text.length >= 2
        ? { body: { decision: 'REJECT', reason: text } }
        : { errors: { text: words.text } };
    case 'REQUEST_INFO':
      return text.length >= 2
        ? { body: { decision: 'REQUEST_INFO', message: text } }
        : { errors: { text: words.text } };
  }
}

/** Sends one decision on one application; the answer is the application as it now stands. */
export function sendDecision(applicationId: string, body: DecisionBody): Promise<Application> {
  return unwrap(
    api.POST('/api/v1/applications/{id}/decision', {
      params: { path: { id: applicationId } },
      body,
      headers: idempotencyKey(),
    }),
  );
}

/** The choice of decision and the field it needs: an amount, a reason or what to send. */
export function DecisionFields(props: {
  name: string;
  kinds: readonly DecisionKind[];
  draft: DecisionDraft;
  onChange: (draft: DecisionDraft) => void;
  requestedFen?: number;
}) {
  const { t, i18n } = useTranslation();
  const { draft, onChange } = props;
  return (
    <>
      <RadioGroup
        className="field"
        name={`${props.name}-kind`}
        value={draft.kind}
        onChange={(kind) => onChange({ ...draft, kind: kind as DecisionKind })}
        orientation="horizontal"
      >
        <Label>{t('admin.review.decision.legend')}</Label>
        <div className="checkbox-row">
          {props.kinds.map((kind) => (
            <Radio key={kind} value={kind} className="radio">
              {t(`admin.review.decision.${kind}`)}
            </Radio>
          ))}
        </div>
      </RadioGroup>
      {draft.kind === 'APPROVE_LESS' ? (
        <TextInput
          name="amount"
          label={t('admin.review.decision.amount')}
          description={
            props.requestedFen === undefined
              ? undefined
              : t('admin.review.decision.amountHint', {
                  requested: formatFen(props.requestedFen, i18n.language),
                })
          }
          inputMode="decimal"
          isRequired
          value={draft.amount}
          onChange={(amount) => onChange({ ...draft, amount })}
        />
      ) : null}
      {draft.kind === 'REJECT' || draft.kind === 'REQUEST_INFO' ? (
        <TextInput
          name="text"
          label={t(
            draft.kind === 'REJECT' ? 'admin.review.decision.reason' : 'admin.review.decision.message',
          )}
          multiline
          isRequired
          value={draft.text}
          onChange={(text) => onChange({ ...draft, text })}
        />
      ) : null}
    </>
  );
}

/** Refreshes what the queue shows once decisions were taken. */
export function useQueueRefresh() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['review-applications'] }),
      queryClient.invalidateQueries({ queryKey: ['application-review'] }),
    ]);
}

/** One application's decision: approve, approve less, reject with a reason, or ask for information. */
export function DecisionForm({ application }: { application: Application }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<DecisionDraft>(emptyDraft());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const refresh = useQueueRefresh();
  const decide = useMutation({
    mutationFn: (body: DecisionBody) => sendDecision(application.id, body),
    onSuccess: async (decided) => {
      notify(
        t('admin.review.decision.done', {
          name: application.enterpriseName,
          status: dynamicText(t, 'status', decided.status),
        }),
      );
      setDraft(emptyDraft());
      await refresh();
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = decisionBody(draft, {
      amount: t('admin.review.decision.amountInvalid'),
      text: t('admin.review.decision.textRequired'),
    });
    if ('errors' in result) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    decide.mutate(result.body);
  };
  const headingId = `decide-${application.id}`;
  return (
    <section aria-labelledby={headingId} className="review-decision">
      <h4 id={headingId}>{t('admin.review.decision.heading')}</h4>
      <Form
        className="form"
        validationBehavior="aria"
        validationErrors={{ ...fieldErrors(decide.error), ...errors }}
        onSubmit={submit}
      >
        <DecisionFields
          name={application.id}
          kinds={['APPROVE', 'APPROVE_LESS', 'REJECT', 'REQUEST_INFO']}
          draft={draft}
          onChange={(next) => {
            setDraft(next);
            setErrors({});
          }}
          requestedFen={application.requestedAmountFen}
        />
        <ProblemMessage error={decide.error} />
        <ActionButton type="submit" pending={decide.isPending}>
          {t('admin.review.decision.submit')}
        </ActionButton>
      </Form>
    </section>
  );
}
