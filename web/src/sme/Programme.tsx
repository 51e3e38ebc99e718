import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ApiError, api, idempotencyKey, unwrap } from '../api/client';
import { ActionButton, Loading } from '../ui/buttons';
import { Fieldset, TextInput } from '../ui/fields';
import { useSession } from '../ui/Layout';
import { Money } from '../ui/Money';
import { parseYuan } from '../ui/money';
import { notify } from '../ui/Notifications';
import { usePageTitle } from '../ui/page';
import { fieldErrors, ProblemMessage } from '../ui/ProblemMessage';
import { DemandFields, demandOf, draftOf } from './demand';
import { PolicyWords } from './PolicyWords';

/** One programme: its rules in plain words, and the application form. */
export function Programme({ id }: { id: string }) {
  const { t } = useTranslation();
  const programme = useQuery({
    queryKey: ['programme', id],
    queryFn: () => unwrap(api.GET('/api/v1/programs/{id}', { params: { path: { id } } })),
  });
  usePageTitle(programme.data?.name ?? t('programmes.title'));
  if (programme.isPending) return <Loading />;
  if (programme.error) return <ProblemMessage error={programme.error} />;
  const p = programme.data;
  return (
    <>
      <h1>{p.name}</h1>
      <p className="muted">
        {p.authority} · {p.year} · {t('programmes.budget')} <Money fen={p.budgetFen} />
      </p>
      <section aria-labelledby="policy-heading">
        <h2 id="policy-heading">{t('policy.heading')}</h2>
        <PolicyWords policy={p.policy} regionCode={p.regionCode} />
      </section>
      <ApplyForm programmeId={p.id} />
    </>
  );
}

function ApplyForm({ programmeId }: { programmeId: string }) {
  const { t } = useTranslation();
  const current = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState('');
  const [purpose, setPurpose] = useState('');
  const [demand, setDemand] = useState(draftOf());
  const apply = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/applications', {
          body: { programmeId, requestedAmountFen: parseYuan(amount)!, purpose, demand: demandOf(demand) },
          headers: idempotencyKey(),
        }),
      ),
    onSuccess: async (application) => {
      notify(t('apply.submitted'));
      await queryClient.invalidateQueries();
      await navigate({ to: '/applications/$id', params: { id: application.id } });
    },
  });
  // a refusal for eligibility keeps the application, rejected with its reasons: link to it
  const refusedId =
    apply.error instanceof ApiError
      ? (apply.error.problem.details as { applicationId?: string } | undefined)?.applicationId
      : undefined;
  if (!current?.user.enterpriseId) {
    return (
      <p className="notice">
        {t('apply.needEnterprise')} <Link to="/sme/enterprise">{t('sme.home.registerEnterprise')}</Link>
      </p>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (parseYuan(amount) === null) return;
    apply.mutate();
  };
  return (
    <section aria-labelledby="apply-heading">
      <h2 id="apply-heading">{t('apply.heading')}</h2>
      <Form
        validationBehavior="aria"
        onSubmit={submit}
        validationErrors={fieldErrors(apply.error)}
        className="form"
      >
        <Fieldset legend={t('apply.request')}>
          <TextInput
            name="requestedAmountFen"
            label={t('apply.amount')}
            description={t('ui.yuanHint')}
            inputMode="decimal"
            value={amount}
            onChange={setAmount}
            validate={(v) => (v === '' || parseYuan(v) !== null ? null : t('ui.notAnAmount'))}
            isRequired
          />
          <TextInput
            name="purpose"
            label={t('apply.purpose')}
            multiline
            value={purpose}
            onChange={setPurpose}
            isRequired
          />
        </Fieldset>
        <DemandFields draft={demand} onChange={setDemand} />
        <ProblemMessage error={apply.error} />
        {refusedId ? (
          <p>
            <Link to="/applications/$id" params={{ id: refusedId }}>
              {t('apply.seeRefused')}
            </Link>
          </p>
        ) : null}
        <ActionButton type="submit" pending={apply.isPending}>
          {t('apply.submit')}
        </ActionButton>
      </Form>
    </section>
  );
}
