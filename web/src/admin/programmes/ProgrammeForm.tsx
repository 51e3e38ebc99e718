import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, unwrap } from '../../api/client';
import { placeIssues } from '../../provider/field-issues';
import { ActionButton } from '../../ui/buttons';
import { Fieldset, TextInput } from '../../ui/fields';
import { parseYuan } from '../../ui/money';
import { shanghaiToday } from '../../ui/dates';
import { notify } from '../../ui/Notifications';
import { ProblemMessage } from '../../ui/ProblemMessage';
import { PolicyFields, scheduleInput, type ScheduleDraft } from './PolicyFields';
import { defaultDraft } from './policy-defaults';
import { draftProblem, policyInput, RULES, type PolicyDraft } from './policy-rules';

const BASICS = ['name', 'authority', 'year', 'regionCode', 'budgetFen'];
const FIELDS = [...BASICS, ...RULES.map((r) => `policy.${r.path}`), 'policy.payoutSchedule'];

/**
 * The programme form: its budget and every policy rule, each started at the service's default (read from
 * the policy schema itself) and explained.
 */
export function ProgrammeForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [basics, setBasics] = useState({
    name: '',
    authority: '',
    year: shanghaiToday().slice(0, 4),
    regionCode: '',
    budget: '',
  });
  const [policy, setPolicy] = useState<PolicyDraft>(defaultDraft);
  const [schedule, setSchedule] = useState<ScheduleDraft>({
    mode: 'DEFAULT',
    interval: '1d',
    cron: '0 2 1 * *',
  });
  const set = (key: keyof typeof basics) => (value: string) => setBasics((b) => ({ ...b, [key]: value }));

  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/programs', {
          headers: idempotencyKey(),
          body: {
            name: basics.name,
            authority: basics.authority,
            year: Number(basics.year),
            regionCode: basics.regionCode.trim(),
            budgetFen: parseYuan(basics.budget)!,
            policy: policyInput(policy, scheduleInput(schedule)),
          },
        }),
      ),
    onSuccess: async (programme) => {
      notify(t('admin.programmes.create.created', { name: programme.name }));
      await queryClient.invalidateQueries({ queryKey: ['programmes'] });
      await navigate({ to: '/programmes/$id', params: { id: programme.id } });
    },
  });
  const issues = placeIssues(create.error, FIELDS);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // what the page already shows as no value of its kind is not sent; the service judges the rest
    if (parseYuan(basics.budget) === null || !/^\d{4}$/.test(basics.year.trim())) return;
    if (RULES.some((r) => draftProblem(r, policy[r.key]))) return;
    create.mutate();
  };
  return (
    <Form validationBehavior="aria" onSubmit={submit} validationErrors={issues.at} className="form">
      <Fieldset legend={t('admin.programmes.create.basics')}>
        <TextInput
          name="name"
          label={t('admin.programmes.create.name')}
          value={basics.name}
          onChange={set('name')}
          isRequired
        />
        <TextInput
          name="authority"
          label={t('admin.programmes.create.authority')}
          description={t('admin.programmes.create.authorityHint')}
          value={basics.authority}
          onChange={set('authority')}
          isRequired
        />
        <TextInput
          name="year"
          label={t('admin.programmes.create.year')}
          inputMode="numeric"
          value={basics.year}
          onChange={set('year')}
          validate={(v) => (/^\d{4}$/.test(v.trim()) ? null : t('admin.programmes.create.notYear'))}
          isRequired
        />
        <TextInput
          name="regionCode"
          label={t('admin.programmes.create.regionCode')}
          description={t('admin.programmes.create.regionCodeHint')}
          inputMode="numeric"
          value={basics.regionCode}
          onChange={set('regionCode')}
          isRequired
        />
        <TextInput
          name="budgetFen"
          label={t('admin.programmes.create.budget')}
          description={t('admin.programmes.create.budgetHint')}
          inputMode="decimal"
          value={basics.budget}
          onChange={set('budget')}
          validate={(v) => (v === '' || parseYuan(v) !== null ? null : t('ui.notAnAmount'))}
          isRequired
        />
      </Fieldset>
      <PolicyFields draft={policy} onChange={setPolicy} schedule={schedule} onScheduleChange={setSchedule} />
      <ProblemMessage error={create.error} />
      <ActionButton type="submit" pending={create.isPending}>
        {t('admin.programmes.create.submit')}
      </ActionButton>
    </Form>
  );
}
