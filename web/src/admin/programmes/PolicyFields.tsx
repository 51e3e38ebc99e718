import { Checkbox, Text } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { dynamicText } from '../../i18n/dynamic';
import { Checkboxes, Choice, Fieldset, TextInput } from '../../ui/fields';
import { CATEGORIES, defaultValue, TAGS } from './policy-defaults';
import { draftProblem, RULE_GROUPS, type DraftValue, type PolicyDraft, type Rule } from './policy-rules';
import { useRuleWords } from './rule-words';

export type ScheduleMode = 'DEFAULT' | 'INTERVAL' | 'CRON';
export interface ScheduleDraft {
  mode: ScheduleMode;
  interval: string;
  cron: string;
}

/** The payout schedule to send: none for the service's default. */
export function scheduleInput(draft: ScheduleDraft): string | undefined {
  if (draft.mode === 'INTERVAL') return draft.interval.trim();
  if (draft.mode === 'CRON') return draft.cron.trim();
  return undefined;
}

/** Every rule of the policy as a field, grouped, each with its meaning and the service's default. */
export function PolicyFields({
  draft,
  onChange,
  schedule,
  onScheduleChange,
}: {
  draft: PolicyDraft;
  onChange: (draft: PolicyDraft) => void;
  schedule: ScheduleDraft;
  onScheduleChange: (draft: ScheduleDraft) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      {RULE_GROUPS.map(({ group, rules }) => (
        <Fieldset key={group} legend={t(`admin.programmes.group.${group}`)}>
          {rules.map((rule) => (
            <RuleField
              key={rule.key}
              rule={rule}
              value={draft[rule.key]}
              onChange={(value) => onChange({ ...draft, [rule.key]: value })}
            />
          ))}
        </Fieldset>
      ))}
      <ScheduleFields draft={schedule} onChange={onScheduleChange} />
    </>
  );
}

function RuleField({
  rule,
  value,
  onChange,
}: {
  rule: Rule;
  value: DraftValue;
  onChange: (value: DraftValue) => void;
}) {
  const { t } = useTranslation();
  const words = useRuleWords();
  const text = `admin.programmes.rule.${rule.key}` as const;
  const name = `policy.${rule.path}`;
  const hint = {
    percent: null,
    fen: t('ui.yuanHint'),
    count: null,
    duration: t('admin.programmes.create.durationHint'),
    durations: `${t('admin.programmes.create.durationHint')}; ${t('admin.programmes.create.listHint')}`,
    regions: t('admin.programmes.create.listHint'),
    flag: null,
    tags: null,
    categories: null,
  }[rule.kind];
  const description = [
    t(`${text}.help`),
    hint,
    t('admin.programmes.create.defaultIs', { value: words(rule, defaultValue(rule)) }),
  ]
    .filter(Boolean)
    .join(' ');

  if (rule.kind === 'flag') {
    return (
      <div className="field">
        <Checkbox
          name={name}
          className="checkbox"
          isSelected={value as boolean}
          onChange={onChange}
          aria-describedby={`${rule.key}-help`}
        >
          <span className="checkbox-box" aria-hidden="true" />
          {t(`${text}.label`)}
        </Checkbox>
        <Text slot="description" id={`${rule.key}-help`}>
          {description}
        </Text>
      </div>
    );
  }
  if (rule.kind === 'tags' || rule.kind === 'categories') {
    const codes: readonly string[] = rule.kind === 'tags' ? TAGS : CATEGORIES;
    const group = rule.kind === 'tags' ? 'tag' : 'category';
    return (
      <Checkboxes
        name={name}
        label={t(`${text}.label`)}
        description={description}
        options={codes.map((code) => ({ id: code, label: dynamicText(t, group, code) }))}
        value={value as string[]}
        onChange={onChange}
      />
    );
  }
  const problem = (v: string) => {
    const kind = draftProblem(rule, v);
    if (kind === 'percent') return t('admin.programmes.create.notPercent');
    if (kind === 'amount') return t('ui.notAnAmount');
    if (kind === 'count') return t('admin.programmes.create.notCount');
    return null;
  };
  return (
    <TextInput
      name={name}
      label={t(`${text}.label`)}
      description={description}
      inputMode={rule.kind === 'fen' || rule.kind === 'percent' ? 'decimal' : undefined}
      value={value as string}
      onChange={onChange}
      validate={problem}
      isRequired={rule.kind !== 'regions' && rule.kind !== 'durations'}
    />
  );
}

function ScheduleFields({
  draft,
  onChange,
}: {
  draft: ScheduleDraft;
  onChange: (draft: ScheduleDraft) => void;
}) {
  const { t } = useTranslation();
  const modes: ScheduleMode[] = ['DEFAULT', 'INTERVAL', 'CRON'];
  return (
    <Fieldset legend={t('admin.programmes.group.payout')}>
      <Choice
        name="payoutScheduleMode"
        label={t('admin.programmes.payout.mode')}
        description={t('admin.programmes.payout.modeHelp')}
        options={modes.map((mode) => ({ id: mode, label: t(`admin.programmes.payout.modes.${mode}`) }))}
        value={draft.mode}
        onChange={(mode) => mode && onChange({ ...draft, mode })}
      />
      {draft.mode === 'INTERVAL' ? (
        <TextInput
          name="policy.payoutSchedule"
          label={t('admin.programmes.payout.interval')}
          description={t('admin.programmes.payout.intervalHint')}
          value={draft.interval}
          onChange={(interval) => onChange({ ...draft, interval })}
          isRequired
        />
      ) : null}
      {draft.mode === 'CRON' ? (
        <TextInput
          name="policy.payoutSchedule"
          label={t('admin.programmes.payout.cron')}
          description={t('admin.programmes.payout.cronHint')}
          value={draft.cron}
          onChange={(cron) => onChange({ ...draft, cron })}
          isRequired
        />
      ) : null}
    </Fieldset>
  );
}
