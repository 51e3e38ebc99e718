import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { Choice, TextInput } from '../ui/fields';

export const INDUSTRIES = [
  'machinery',
  'electronics',
  'textiles',
  'steel',
  'buildingMaterials',
  'nonFerrousMetals',
] as const;
export type Industry = (typeof INDUSTRIES)[number];

export interface ReportSearch {
  programmeId?: string;
  regionCode?: string;
  industry?: Industry;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The dashboard's conditions as the address carries them. A region code is passed on as typed (short),
 * so that the service says what is wrong with it; anything else unknown is dropped.
 */
export function reportSearch(search: Record<string, unknown>): ReportSearch {
  const { programmeId, regionCode, industry } = search;
  return {
    ...(typeof programmeId === 'string' && UUID.test(programmeId) ? { programmeId } : {}),
    ...(typeof regionCode === 'string' && regionCode.length > 0 && regionCode.length <= 12
      ? { regionCode }
      : typeof regionCode === 'number'
        ? { regionCode: String(regionCode) }
        : {}),
    ...(INDUSTRIES.find((i) => i === industry) ? { industry: industry as Industry } : {}),
  };
}

/** The newest programmes, to choose one by name. */
export function useProgrammeChoices() {
  return useQuery({
    queryKey: ['programmes', 'choices'],
    queryFn: () => unwrap(api.GET('/api/v1/programs', { params: { query: { limit: 100 } } })),
  });
}

/** Programme, region and industry; applied together, kept in the address. */
export function ReportFilters({ search }: { search: ReportSearch }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const programmes = useProgrammeChoices();
  const [programmeId, setProgrammeId] = useState(search.programmeId ?? 'ALL');
  const [regionCode, setRegionCode] = useState(search.regionCode ?? '');
  const [industry, setIndustry] = useState<Industry | 'ALL'>(search.industry ?? 'ALL');

  const apply = (event: FormEvent) => {
    event.preventDefault();
    void navigate({
      to: '/reports',
      search: reportSearch({
        programmeId: programmeId === 'ALL' ? undefined : programmeId,
        regionCode: regionCode.trim() || undefined,
        industry: industry === 'ALL' ? undefined : industry,
      }),
    });
  };
  const clear = () => {
    setProgrammeId('ALL');
    setRegionCode('');
    setIndustry('ALL');
    void navigate({ to: '/reports', search: {} });
  };

  return (
    <section aria-labelledby="report-filters-heading" className="panel">
      <h2 id="report-filters-heading">{t('auditor.reports.filters.heading')}</h2>
      <Form className="filters-form" role="search" aria-labelledby="report-filters-heading" onSubmit={apply}>
        <Choice
          name="programmeId"
          label={t('auditor.reports.filters.programme')}
          options={[
            { id: 'ALL', label: t('auditor.reports.filters.allProgrammes') },
            ...(programmes.data?.items ?? []).map((p) => ({ id: p.id, label: p.name })),
            // a programme named in the address but beyond the newest hundred still shows as chosen
            ...(search.programmeId && !programmes.data?.items.some((p) => p.id === search.programmeId)
              ? [{ id: search.programmeId, label: search.programmeId }]
              : []),
          ]}
          value={programmeId}
          onChange={(value) => setProgrammeId(value ?? 'ALL')}
        />
        <TextInput
          name="regionCode"
          label={t('auditor.reports.filters.regionCode')}
          description={t('auditor.reports.filters.regionCodeHint')}
          value={regionCode}
          onChange={setRegionCode}
          inputMode="numeric"
        />
        <Choice<Industry | 'ALL'>
          name="industry"
          label={t('auditor.reports.filters.industry')}
          options={[
            { id: 'ALL', label: t('auditor.reports.filters.allIndustries') },
            ...INDUSTRIES.map((id) => ({ id, label: t(`auditor.reports.industry.${id}`) })),
          ]}
          value={industry}
          onChange={(value) => setIndustry(value ?? 'ALL')}
        />
        <div className="actions">
          <Button type="submit" className="button primary">
            {t('auditor.reports.filters.apply')}
          </Button>
          <Button className="button secondary" onPress={clear}>
            {t('auditor.reports.filters.clear')}
          </Button>
        </div>
      </Form>
    </section>
  );
}
