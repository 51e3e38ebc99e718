import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Form, Label, Radio, RadioGroup } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { dynamicText } from '../../i18n/dynamic';
import { ActionButton } from '../../ui/buttons';
import { TextInput } from '../../ui/fields';
import { Day, Money } from '../../ui/Money';
import { notify } from '../../ui/Notifications';
import { ProblemMessage } from '../../ui/ProblemMessage';

export type Provider = components['schemas']['Provider'];
type Accreditation = components['schemas']['Accreditation'];

function Accreditations({ id, heading, list }: { id: string; heading: string; list: Accreditation[] }) {
  const { t } = useTranslation();
  return (
    <table className="table" data-testid={id}>
      <caption>{heading}</caption>
      <thead>
        <tr>
          <th scope="col">{t('admin.review.providers.number')}</th>
          <th scope="col">{t('admin.review.providers.accreditationKind')}</th>
          <th scope="col">{t('admin.review.providers.validUntil')}</th>
          <th scope="col">{t('admin.review.providers.standing')}</th>
          <th scope="col">{t('admin.review.providers.scope')}</th>
        </tr>
      </thead>
      <tbody>
        {list.map((a) => (
          <tr key={`${a.kind} ${a.number}`}>
            <th scope="row">{a.number}</th>
            <td>{a.kind}</td>
            <td>
              <Day date={a.expiresOn} />
            </td>
            <td>{dynamicText(t, 'admin.review.standing', a.standing)}</td>
            <td>{a.scope.join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Catalog({ provider }: { provider: Provider }) {
  const { t } = useTranslation();
  if (provider.services.length === 0) return <p>{t('admin.review.providers.noCatalog')}</p>;
  return (
    <table className="table" data-testid="catalog">
      <caption>{t('admin.review.providers.catalogHeading')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('admin.review.providers.service')}</th>
          <th scope="col">{t('admin.review.providers.category')}</th>
          <th scope="col">{t('admin.review.providers.standards')}</th>
          <th scope="col">{t('admin.review.providers.price')}</th>
          <th scope="col">{t('admin.review.providers.inScope')}</th>
        </tr>
      </thead>
      <tbody>
        {provider.services.map((s) => (
          <tr key={s.id}>
            <th scope="row">{s.name}</th>
            <td>{dynamicText(t, 'category', s.category)}</td>
            <td>{s.standards.join(', ')}</td>
            <td>
              <Money fen={s.unitPriceFen} />
            </td>
            <td>{t(s.inScope ? 'admin.review.providers.yes' : 'admin.review.providers.no')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** List the provider, or send its submission back with a reason; the submission reviewed is named. */
function Verification({ provider }: { provider: Provider }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [decision, setDecision] = useState<'APPROVE' | 'REJECT'>('APPROVE');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const pending = provider.pendingVerification;
  const verify = useMutation({
    mutationFn: (body: components['schemas']['ProviderVerification']) =>
      unwrap(
        api.POST('/api/v1/providers/{id}/verification', {
          params: { path: { id: provider.id } },
          body,
          headers: idempotencyKey(),
        }),
      ),
    onSuccess: async (verified) => {
      notify(
        t('admin.review.providers.done', {
          name: provider.name,
          status: dynamicText(t, 'status', verified.status),
        }),
      );
      await queryClient.invalidateQueries({ queryKey: ['review-providers'] });
    },
  });
  if (!pending) return <p>{t('admin.review.providers.noPending')}</p>;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (decision === 'REJECT' && reason.trim().length < 2) {
      setErrors({ reason: t('admin.review.decision.textRequired') });
      return;
    }
    setErrors({});
    verify.mutate(
      decision === 'APPROVE'
        ? { decision, submissionId: pending.submissionId }
        : { decision, reason: reason.trim(), submissionId: pending.submissionId },
    );
  };
  const headingId = `verify-${provider.id}`;
  return (
    <section aria-labelledby={headingId} className="review-decision">
      <h4 id={headingId}>{t('admin.review.decision.heading')}</h4>
      <Form className="form" validationBehavior="aria" validationErrors={errors} onSubmit={submit}>
        <RadioGroup
          className="field"
          name="verification"
          value={decision}
          onChange={(value) => setDecision(value as 'APPROVE' | 'REJECT')}
          orientation="horizontal"
        >
          <Label>{t('admin.review.decision.legend')}</Label>
          <div className="checkbox-row">
            <Radio value="APPROVE" className="radio">
              {t('admin.review.providers.approve')}
            </Radio>
            <Radio value="REJECT" className="radio">
              {t('admin.review.providers.reject')}
            </Radio>
          </div>
        </RadioGroup>
        {decision === 'REJECT' ? (
          <TextInput
            name="reason"
            label={t('admin.review.providers.reason')}
            multiline
            isRequired
            value={reason}
            onChange={(value) => {
              setReason(value);
              setErrors({});
            }}
          />
        ) : null}
        <ProblemMessage error={verify.error} />
        <ActionButton type="submit" pending={verify.isPending}>
          {t('admin.review.providers.decide')}
        </ActionButton>
      </Form>
    </section>
  );
}

/** What the administrator checks: who the provider is, its certificates, its catalog; then the decision. */
export function ProviderReview({ provider }: { provider: Provider }) {
  const { t } = useTranslation();
  return (
    <div className="review-facts">
      <dl className="facts">
        <dt>{t('admin.review.providers.creditCode')}</dt>
        <dd>{provider.creditCode}</dd>
        <dt>{t('admin.review.providers.legalRepresentative')}</dt>
        <dd>{provider.legalRepresentative}</dd>
        <dt>{t('admin.review.providers.phone')}</dt>
        <dd>{provider.phone}</dd>
        <dt>{t('admin.review.providers.address')}</dt>
        <dd>{provider.address}</dd>
      </dl>
      {provider.pendingVerification ? (
        <Accreditations
          id="pending-accreditations"
          heading={t('admin.review.providers.pendingHeading')}
          list={provider.pendingVerification.accreditations}
        />
      ) : null}
      {provider.accreditations.length ? (
        <Accreditations
          id="verified-accreditations"
          heading={t('admin.review.providers.verifiedHeading')}
          list={provider.accreditations}
        />
      ) : (
        <p>{t('admin.review.providers.noVerified')}</p>
      )}
      <Catalog provider={provider} />
      <Verification provider={provider} />
    </div>
  );
}
