import { SERVICE_CATEGORIES, type ServiceCategory } from '@domain/catalog';
import { parseDate, type CalendarDate } from '@internationalized/date';
import { useTranslation } from 'react-i18next';
import type { Demand } from '../api/types';
import { Choice, DateField, Fieldset, TextInput } from '../ui/fields';

/** The demand as the form holds it: text as typed, until it is sent. */
export interface DemandDraft {
  standards: string;
  sampleCount: string;
  latestCompletionDate: CalendarDate | null;
  category: ServiceCategory | null;
  description: string;
}

export function draftOf(demand?: Demand): DemandDraft {
  return {
    standards: demand?.standards.join(', ') ?? '',
    sampleCount: demand ? String(demand.sampleCount) : '',
    latestCompletionDate: demand ? parseDate(demand.latestCompletionDate) : null,
    category: demand?.category ?? null,
    description: demand?.description ?? '',
  };
}

/** The demand the API receives; the API checks every rule and names any field it refuses. */
export function demandOf(draft: DemandDraft): Demand {
  return {
    standards: draft.standards
      .split(/[,，;；\n]/)
      .map((s) => s.trim())
      .filter(Boolean),
    sampleCount: Number(draft.sampleCount),
    latestCompletionDate: draft.latestCompletionDate?.toString() ?? '',
    ...(draft.category ? { category: draft.category } : {}),
    ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
  };
}

/** What the SME needs tested: standards, samples, the latest date, optionally a category. */
export function DemandFields({
  draft,
  onChange,
  prefix = 'demand.',
}: {
  draft: DemandDraft;
  onChange: (draft: DemandDraft) => void;
  prefix?: string;
}) {
  const { t } = useTranslation();
  const set =
    <K extends keyof DemandDraft>(key: K) =>
    (value: DemandDraft[K]) =>
      onChange({ ...draft, [key]: value });
  return (
    <Fieldset legend={t('demand.legend')}>
      <TextInput
        name={`${prefix}standards`}
        label={t('demand.standards')}
        description={t('demand.standardsHint')}
        value={draft.standards}
        onChange={set('standards')}
        isRequired
      />
      <TextInput
        name={`${prefix}sampleCount`}
        label={t('demand.sampleCount')}
        inputMode="numeric"
        value={draft.sampleCount}
        onChange={set('sampleCount')}
        validate={(v) => (v === '' || /^\d+$/.test(v) ? null : t('demand.sampleCountWhole'))}
        isRequired
      />
      <DateField
        name={`${prefix}latestCompletionDate`}
        label={t('demand.latestCompletionDate')}
        description={t('demand.latestCompletionDateHint')}
        value={draft.latestCompletionDate}
        onChange={(value: CalendarDate | null) => set('latestCompletionDate')(value)}
        isRequired
      />
      <Choice
        name={`${prefix}category`}
        label={t('demand.category')}
        placeholder={t('demand.anyCategory')}
        options={SERVICE_CATEGORIES.map((c) => ({ id: c, label: t(`category.${c}`) }))}
        value={draft.category}
        onChange={set('category')}
      />
      <TextInput
        name={`${prefix}description`}
        label={t('demand.description')}
        multiline
        value={draft.description}
        onChange={set('description')}
      />
    </Fieldset>
  );
}
