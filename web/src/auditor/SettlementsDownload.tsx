import type { CalendarDate } from '@internationalized/date';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { ActionButton } from '../ui/buttons';
import { fileNameOf, saveFile } from '../ui/download';
import { Choice, DateField } from '../ui/fields';
import { ProblemMessage } from '../ui/ProblemMessage';
import { endOfBeijingDay, startOfBeijingDay } from './day-range';
import { useProgrammeChoices } from './report-filters';

/** The paid claims as the CSV the service writes, for a programme and the days they were paid. */
export function SettlementsDownload({ programmeId }: { programmeId?: string }) {
  const { t } = useTranslation();
  const w = (key: string) => t(`auditor.reports.settlements.${key}`);
  const programmes = useProgrammeChoices();
  const [programme, setProgramme] = useState(programmeId ?? 'ALL');
  const [from, setFrom] = useState<CalendarDate | null>(null);
  const [to, setTo] = useState<CalendarDate | null>(null);
  const download = useMutation({
    mutationFn: async () => {
      const answer = await api.GET('/api/v1/reports/settlements.csv', {
        params: {
          query: {
            programmeId: programme === 'ALL' ? undefined : programme,
            from: from ? startOfBeijingDay(from) : undefined,
            to: to ? endOfBeijingDay(to) : undefined,
          },
        },
        parseAs: 'blob',
      });
      const blob = await unwrap<Blob>(Promise.resolve(answer));
      const name = fileNameOf(answer.response, 'settlements.csv');
      saveFile(name, blob);
      return name;
    },
  });
  return (
    <section aria-labelledby="settlements-heading" className="panel">
      <h2 id="settlements-heading">{w('heading')}</h2>
      <p>{w('intro')}</p>
      <div className="filters-form">
        <Choice
          name="settlementsProgramme"
          label={w('programme')}
          options={[
            { id: 'ALL', label: w('allProgrammes') },
            ...(programmes.data?.items ?? []).map((p) => ({ id: p.id, label: p.name })),
          ]}
          value={programme}
          onChange={(value) => setProgramme(value ?? 'ALL')}
        />
        <DateField name="paidFrom" label={w('from')} value={from} onChange={setFrom} />
        <DateField name="paidTo" label={w('to')} value={to} onChange={setTo} />
        <div className="actions">
          <ActionButton pending={download.isPending} onPress={() => download.mutate()}>
            {w('download')}
          </ActionButton>
        </div>
      </div>
      <ProblemMessage error={download.error} />
      {download.data ? (
        <p role="status" className="notice ok">
          {t('auditor.reports.settlements.saved', { name: download.data })}
        </p>
      ) : null}
    </section>
  );
}
