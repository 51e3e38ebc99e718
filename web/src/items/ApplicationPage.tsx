import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, unwrap } from '../api/client';
import type { Application } from '../api/types';
import { ActionButton, Loading } from '../ui/buttons';
import { TextInput } from '../ui/fields';
import { useSession } from '../ui/Layout';
import { Money, When } from '../ui/Money';
import { notify } from '../ui/Notifications';
import { usePageTitle } from '../ui/page';
import { fieldErrors, ProblemMessage } from '../ui/ProblemMessage';
import { Status, Timeline } from '../ui/Timeline';
import { WorkflowLink } from './WorkflowLink';

const FOLLOW_MS = 5_000;
const FINISHED = new Set(['APPROVED', 'REJECTED']);

/** An application: its status, the eligibility reasons, the reviewer's request and the timeline. */
export function ApplicationPage({ id }: { id: string }) {
  const { t } = useTranslation();
  usePageTitle(t('application.title'));
  const application = useQuery({
    queryKey: ['application', id],
    queryFn: () => unwrap(api.GET('/api/v1/applications/{id}', { params: { path: { id } } })),
    // followed while a decision is still to come
    refetchInterval: (query) => (FINISHED.has(query.state.data?.status ?? '') ? false : FOLLOW_MS),
  });
  const role = useSession()?.user.role;
  if (application.isPending) return <Loading />;
  if (application.error) return <ProblemMessage error={application.error} />;
  const a = application.data;
  return (
    <>
      <h1>{t('application.title')}</h1>
      <dl className="facts">
        <dt>{t('application.status')}</dt>
        <dd>
          <Status status={a.status} />
        </dd>
        <dt>{t('application.requested')}</dt>
        <dd>
          <Money fen={a.requestedAmountFen} />
        </dd>
        {a.approvedAmountFen !== null ? (
          <>
            <dt>{t('application.approved')}</dt>
            <dd>
              <Money fen={a.approvedAmountFen} />
            </dd>
          </>
        ) : null}
        <dt>{t('application.purpose')}</dt>
        <dd>{a.purpose}</dd>
        <dt>{t('application.standards')}</dt>
        <dd>{a.demand.standards.join(', ')}</dd>
        <dt>{t('application.submitted')}</dt>
        <dd>
          <When at={a.createdAt} />
        </dd>
        {a.decisionReason ? (
          <>
            <dt>{t('application.decisionReason')}</dt>
            <dd>{a.decisionReason}</dd>
          </>
        ) : null}
      </dl>
      {a.eligibilityIssues.length ? (
        <section aria-labelledby="eligibility-heading" className="problem">
          <h2 id="eligibility-heading">{t('application.eligibilityHeading')}</h2>
          <ul>
            {a.eligibilityIssues.map((issue) => (
              <li key={issue.rule}>{issue.message}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {a.voucherId ? (
        <p>
          <Link to="/vouchers/$id" params={{ id: a.voucherId }} className="button primary">
            {t('application.openVoucher')}
          </Link>
        </p>
      ) : null}
      {a.status === 'INFO_REQUESTED' && role === 'SME' ? <Resubmit application={a} /> : null}
      <WorkflowLink url={a.workflowUrl} workflowId={a.workflowId} />
      <Timeline entries={a.timeline ?? []} />
    </>
  );
}

function Resubmit({ application }: { application: Application }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const resubmit = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/applications/{id}/resubmit', {
          params: { path: { id: application.id } },
          body: { note },
          headers: idempotencyKey(),
        }),
      ),
    onSuccess: async (updated) => {
      notify(t('application.resubmitted'));
      queryClient.setQueryData(['application', application.id], updated);
      await queryClient.invalidateQueries({ queryKey: ['worklist'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    resubmit.mutate();
  };
  return (
    <section aria-labelledby="resubmit-heading" className="panel">
      <h2 id="resubmit-heading">{t('application.infoRequested')}</h2>
      <p className="quote">{application.infoRequest}</p>
      <Form
        validationBehavior="aria"
        onSubmit={submit}
        validationErrors={fieldErrors(resubmit.error)}
        className="form"
      >
        <TextInput
          name="note"
          label={t('application.resubmitNote')}
          multiline
          value={note}
          onChange={setNote}
          isRequired
        />
        <ProblemMessage error={resubmit.error} />
        <ActionButton type="submit" pending={resubmit.isPending}>
          {t('application.resubmit')}
        </ActionButton>
      </Form>
    </section>
  );
}
