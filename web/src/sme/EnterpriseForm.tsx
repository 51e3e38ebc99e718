import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { Colleagues } from '../account/Colleagues';
import { session } from '../auth/session';
import { ActionButton } from '../ui/buttons';
import { Checkboxes, Fieldset, TextInput } from '../ui/fields';
import { useSession } from '../ui/Layout';
import { parseYuan } from '../ui/money';
import { notify } from '../ui/Notifications';
import { usePageTitle } from '../ui/page';
import { fieldErrors, ProblemMessage } from '../ui/ProblemMessage';
import { useCreditCodeCheck } from '../ui/credit-code';

const TAGS = ['SPECIALIZED_INNOVATIVE', 'LITTLE_GIANT', 'HIGH_TECH', 'TECH_SME'] as const;
type Tag = (typeof TAGS)[number];

/**
 * Registers the SME user's enterprise. The credit code is checked as it is typed with the same
 * GB 32100-2015 rule the service applies (one function, `domain/credit-code.ts`).
 */
export function EnterpriseForm() {
  const enterpriseId = useSession()?.user.enterpriseId;
  return enterpriseId ? <EnterpriseColleagues /> : <EnterpriseRegistration />;
}

/** Once the enterprise is registered, its page is about the people who act for it. */
function EnterpriseColleagues() {
  const { t } = useTranslation();
  usePageTitle(t('account.nav.enterprise'));
  return (
    <>
      <h1>{t('account.nav.enterprise')}</h1>
      <Colleagues />
    </>
  );
}

function EnterpriseRegistration() {
  const { t } = useTranslation();
  usePageTitle(t('enterprise.title'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    creditCode: '',
    name: '',
    regionCode: '',
    industryCode: '',
    employees: '',
    annualRevenue: '',
    legalRepresentative: '',
    contactPhone: '',
    address: '',
  });
  const [tags, setTags] = useState<Tag[]>([]);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  const register = useMutation({
    mutationFn: async () => {
      const { annualRevenue, ...fields } = form;
      const enterprise = await unwrap(
        api.POST('/api/v1/enterprises', {
          body: {
            ...fields,
            creditCode: form.creditCode.trim().toUpperCase(),
            employees: Number(form.employees),
            annualRevenueFen: parseYuan(annualRevenue)!,
            tags,
          },
        }),
      );
      session.updateUser(await unwrap(api.GET('/api/v1/me')));
      return enterprise;
    },
    onSuccess: async (enterprise) => {
      notify(t('enterprise.registered', { name: enterprise.name }));
      await queryClient.invalidateQueries();
      await navigate({ to: '/sme' });
    },
  });

  const { check: creditCodeCheck, valid: creditCodeOk } = useCreditCodeCheck(form.creditCode);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // what the page already shows as wrong is not sent; the service checks everything else
    if (creditCodeCheck(form.creditCode) || parseYuan(form.annualRevenue) === null) return;
    register.mutate();
  };
  return (
    <>
      <h1>{t('enterprise.title')}</h1>
      <p>{t('enterprise.intro')}</p>
      <Form
        validationBehavior="aria"
        onSubmit={submit}
        validationErrors={fieldErrors(register.error)}
        className="form"
      >
        <Fieldset legend={t('enterprise.identity')}>
          <TextInput
            name="creditCode"
            label={t('enterprise.creditCode')}
            description={creditCodeOk ? t('enterprise.creditCodeValid') : t('enterprise.creditCodeHint')}
            value={form.creditCode}
            onChange={set('creditCode')}
            validate={creditCodeCheck}
            isRequired
          />
          <TextInput
            name="name"
            label={t('enterprise.name')}
            value={form.name}
            onChange={set('name')}
            isRequired
          />
          <TextInput
            name="regionCode"
            label={t('enterprise.regionCode')}
            description={t('enterprise.regionCodeHint')}
            inputMode="numeric"
            value={form.regionCode}
            onChange={set('regionCode')}
            isRequired
          />
          <TextInput
            name="industryCode"
            label={t('enterprise.industryCode')}
            description={t('enterprise.industryCodeHint')}
            value={form.industryCode}
            onChange={set('industryCode')}
            isRequired
          />
        </Fieldset>
        <Fieldset legend={t('enterprise.size')}>
          <TextInput
            name="employees"
            label={t('enterprise.employees')}
            inputMode="numeric"
            value={form.employees}
            onChange={set('employees')}
            validate={(v) => (v === '' || /^\d+$/.test(v) ? null : t('enterprise.wholeNumber'))}
            isRequired
          />
          <TextInput
            name="annualRevenueFen"
            label={t('enterprise.annualRevenue')}
            description={t('ui.yuanHint')}
            inputMode="decimal"
            value={form.annualRevenue}
            onChange={set('annualRevenue')}
            validate={(v) => (v === '' || parseYuan(v) !== null ? null : t('ui.notAnAmount'))}
            isRequired
          />
          <Checkboxes
            name="tags"
            label={t('enterprise.tags')}
            options={TAGS.map((tag) => ({ id: tag, label: t(`tag.${tag}`) }))}
            value={tags}
            onChange={setTags}
          />
        </Fieldset>
        <Fieldset legend={t('enterprise.contact')}>
          <TextInput
            name="legalRepresentative"
            label={t('enterprise.legalRepresentative')}
            value={form.legalRepresentative}
            onChange={set('legalRepresentative')}
            isRequired
          />
          <TextInput
            name="contactPhone"
            type="tel"
            label={t('enterprise.contactPhone')}
            description={t('enterprise.contactPhoneHint')}
            value={form.contactPhone}
            onChange={set('contactPhone')}
            isRequired
          />
          <TextInput
            name="address"
            label={t('enterprise.address')}
            value={form.address}
            onChange={set('address')}
            isRequired
          />
        </Fieldset>
        <ProblemMessage error={register.error} />
        <ActionButton type="submit" pending={register.isPending}>
          {t('enterprise.submit')}
        </ActionButton>
      </Form>
    </>
  );
}
