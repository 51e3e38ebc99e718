import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { session } from '../auth/session';
import { ActionButton } from '../ui/buttons';
import { Choice, Fieldset, TextInput } from '../ui/fields';
import { notify } from '../ui/Notifications';
import { ProblemMessage } from '../ui/ProblemMessage';
import { useCreditCodeCheck } from '../ui/credit-code';
import { placeIssues } from './field-issues';
import {
  accreditationFieldNames,
  AccreditationFields,
  accreditationInput,
  emptyAccreditation,
  type AccreditationDraft,
} from './onboarding-accreditations';

type ProviderKind = components['schemas']['ProviderKind'];
const KINDS: readonly ProviderKind[] = [
  'LAB',
  'INSPECTION_BODY',
  'METROLOGY',
  'CERTIFICATION',
  'PUBLIC_SERVICE_PLATFORM',
];
const FIELDS = ['creditCode', 'name', 'kind', 'regionCode', 'legalRepresentative', 'phone', 'address'];

/**
 * Registers the user's laboratory or platform with its accreditations; the user becomes its staff
 * and the provider waits for an administrator's verification. The credit code is checked as it is
 * typed with the service's own GB 32100-2015 rule.
 */
export function RegisterProvider() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    creditCode: '',
    name: '',
    regionCode: '',
    legalRepresentative: '',
    phone: '',
    address: '',
  });
  const [kind, setKind] = useState<ProviderKind>('LAB');
  const [accreditations, setAccreditations] = useState<AccreditationDraft[]>([emptyAccreditation()]);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  const register = useMutation({
    mutationFn: async () => {
      const provider = await unwrap(
        api.POST('/api/v1/providers', {
          headers: idempotencyKey(),
          body: {
            ...form,
            creditCode: form.creditCode.trim().toUpperCase(),
            kind,
            accreditations: accreditations.map(accreditationInput),
          },
        }),
      );
      // the session learns its provider, and every page then shows the provider's side
      session.updateUser(await unwrap(api.GET('/api/v1/me')));
      return provider;
    },
    onSuccess: async (provider) => {
      notify(t('provider.onboarding.register.registered', { name: provider.name }));
      await queryClient.invalidateQueries();
    },
  });

  const { check: creditCodeCheck, valid: creditCodeOk } = useCreditCodeCheck(form.creditCode);
  const issues = placeIssues(register.error, [...FIELDS, ...accreditationFieldNames(accreditations)]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // what the page already shows as wrong is not sent; the service checks everything else
    if (creditCodeCheck(form.creditCode)) return;
    register.mutate();
  };
  return (
    <>
      <h2>{t('provider.onboarding.register.heading')}</h2>
      <p>{t('provider.onboarding.register.intro')}</p>
      <Form validationBehavior="aria" onSubmit={submit} validationErrors={issues.at} className="form">
        <Fieldset legend={t('provider.onboarding.register.identity')}>
          <TextInput
            name="creditCode"
            label={t('provider.onboarding.register.creditCode')}
            description={
              creditCodeOk
                ? t('provider.onboarding.register.creditCodeValid')
                : t('provider.onboarding.register.creditCodeHint')
            }
            value={form.creditCode}
            onChange={set('creditCode')}
            validate={creditCodeCheck}
            isRequired
          />
          <TextInput
            name="name"
            label={t('provider.onboarding.register.name')}
            value={form.name}
            onChange={set('name')}
            isRequired
          />
          <Choice
            name="kind"
            label={t('provider.onboarding.register.kind')}
            options={KINDS.map((k) => ({ id: k, label: t(`provider.onboarding.kinds.${k}`) }))}
            value={kind}
            onChange={(k) => k && setKind(k)}
            isRequired
          />
          <TextInput
            name="regionCode"
            label={t('provider.onboarding.register.regionCode')}
            description={t('provider.onboarding.register.regionCodeHint')}
            inputMode="numeric"
            value={form.regionCode}
            onChange={set('regionCode')}
            isRequired
          />
        </Fieldset>
        <Fieldset legend={t('provider.onboarding.register.contact')}>
          <TextInput
            name="legalRepresentative"
            label={t('provider.onboarding.register.legalRepresentative')}
            value={form.legalRepresentative}
            onChange={set('legalRepresentative')}
            isRequired
          />
          <TextInput
            name="phone"
            type="tel"
            label={t('provider.onboarding.register.phone')}
            description={t('provider.onboarding.register.phoneHint')}
            value={form.phone}
            onChange={set('phone')}
            isRequired
          />
          <TextInput
            name="address"
            label={t('provider.onboarding.register.address')}
            value={form.address}
            onChange={set('address')}
            isRequired
          />
        </Fieldset>
        <AccreditationFields drafts={accreditations} onChange={setAccreditations} />
        <ProblemMessage error={register.error} />
        <ActionButton type="submit" pending={register.isPending}>
          {t('provider.onboarding.register.submit')}
        </ActionButton>
      </Form>
    </>
  );
}
