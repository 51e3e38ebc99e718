import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { ActionButton } from '../ui/buttons';
import { downloadCsv, type CsvColumn } from '../ui/csv';
import { Choice, TextInput } from '../ui/fields';
import { ProblemMessage } from '../ui/ProblemMessage';
import { ALL, allPages, type QueueView, type Sort } from './queue-rows';

/** The administrator's work queues; each names its search hint and its export file. */
export type QueueName = 'applications' | 'providers' | 'claims' | 'disputes' | 'processes' | 'approvals';

/** Every programme, for the programme filter and to name a programme in a row. */
export function useProgrammes() {
  return useQuery({
    // under 'programmes', so that creating or changing one refreshes the choice
    queryKey: ['programmes', 'queue-choice'],
    queryFn: () =>
      allPages((cursor) =>
        unwrap(api.GET('/api/v1/programs', { params: { query: { limit: 100, cursor } } })),
      ),
    staleTime: 60_000,
  });
}

/** The programme's name, else its id. */
export function useProgrammeName() {
  const programmes = useProgrammes();
  return (id: string | null) => (id ? (programmes.data?.find((p) => p.id === id)?.name ?? id) : '');
}

/**
 * The filters every queue has — status (with "all"), programme, text, order — plus the page's own,
 * then how many rows are shown and their export as CSV.
 */
export function QueueFilters<Status extends string, Row>(props: {
  queue: QueueName;
  view: QueueView<Status>;
  onChange: (view: QueueView<Status>) => void;
  statuses: { id: Status; label: string }[];
  sorts: readonly Sort[];
  /** Providers belong to no programme: their queue has no programme filter. */
  byProgramme?: boolean;
  /** The rows as filtered and ordered; undefined until the list is read. */
  shown: readonly Row[] | undefined;
  columns: readonly CsvColumn<Row>[];
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const { view, onChange, shown } = props;
  const sortWords: Record<Sort, string> = {
    OLDEST: t('admin.queue.oldest'),
    DEADLINE: t('admin.queue.deadline'),
    NEWEST: t('admin.queue.newest'),
  };
  return (
    <fieldset className="fieldset queue-filters">
      <legend>{t('admin.queue.filters')}</legend>
      <Choice<Status | typeof ALL>
        name="status"
        label={t('admin.queue.status')}
        options={[...props.statuses, { id: ALL, label: t('admin.queue.allStatuses') }]}
        value={view.status}
        onChange={(status) => onChange({ ...view, status: status ?? ALL })}
      />
      {props.byProgramme === false ? null : (
        <ProgrammeChoice
          value={view.programmeId}
          onChange={(programmeId) => onChange({ ...view, programmeId })}
        />
      )}
      {props.children}
      <TextInput
        name="search"
        type="text"
        label={t('admin.queue.search')}
        description={t(`admin.queue.searchHint.${props.queue}`)}
        value={view.text}
        onChange={(text) => onChange({ ...view, text })}
      />
      <Choice<Sort>
        name="sort"
        label={t('admin.queue.sort')}
        options={props.sorts.map((sort) => ({ id: sort, label: sortWords[sort] }))}
        value={view.sort}
        onChange={(sort) => onChange({ ...view, sort: sort ?? props.sorts[0]! })}
      />
      {shown ? (
        <div className="queue-summary">
          <p className="queue-count" data-testid="queue-count" aria-live="polite">
            {t('admin.queue.count', { count: shown.length })}
          </p>
          <ActionButton
            variant="secondary"
            pending={false}
            isDisabled={shown.length === 0}
            onPress={() => downloadCsv(`${t(`admin.queue.file.${props.queue}`)}.csv`, props.columns, shown)}
          >
            {t('admin.queue.export')}
          </ActionButton>
        </div>
      ) : null}
    </fieldset>
  );
}

function ProgrammeChoice(props: { value: string; onChange: (programmeId: string) => void }) {
  const { t } = useTranslation();
  const programmes = useProgrammes();
  return (
    <>
      <Choice<string>
        name="programme"
        label={t('admin.queue.programme')}
        options={[
          { id: ALL, label: t('admin.queue.allProgrammes') },
          ...(programmes.data ?? []).map((p) => ({ id: p.id, label: p.name })),
        ]}
        value={props.value}
        onChange={(programmeId) => props.onChange(programmeId ?? ALL)}
      />
      <ProblemMessage error={programmes.error} />
    </>
  );
}
