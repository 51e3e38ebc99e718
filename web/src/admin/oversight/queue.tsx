import { useQuery } from '@tanstack/react-query';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { Choice, TextInput } from '../../ui/fields';

export type Sort = 'OLDEST' | 'DEADLINE' | 'NEWEST';
export const ALL = 'ALL';

/** The programmes, for the programme filter and to name a programme in a row. */
export function useProgrammes() {
  return useQuery({
    queryKey: ['programmes', 'all'],
    queryFn: () => unwrap(api.GET('/api/v1/programs', { params: { query: { limit: 100 } } })),
    staleTime: 60_000,
  });
}

export interface QueueView<Status extends string> {
  status: Status | typeof ALL;
  programmeId: string;
  text: string;
  sort: Sort;
}

/** Whether any of the fields holds the typed text, ignoring case. */
export function matchesText(text: string, fields: (string | null | undefined)[]): boolean {
  const needle = text.trim().toLowerCase();
  return needle === '' || fields.some((field) => field?.toLowerCase().includes(needle));
}

/** Oldest first by `since`, or nearest deadline first (no deadline last, then oldest), or newest first. */
export function sortQueue<T>(
  items: T[],
  sort: Sort,
  since: (item: T) => string,
  due: (item: T) => string | null,
) {
  const bySince = (a: T, b: T) => since(a).localeCompare(since(b));
  return [...items].sort((a, b) => {
    if (sort === 'NEWEST') return -bySince(a, b);
    if (sort === 'DEADLINE') {
      const [da, db] = [due(a), due(b)];
      if (da && db && da !== db) return da.localeCompare(db);
      if (da && !db) return -1;
      if (!da && db) return 1;
    }
    return bySince(a, b);
  });
}

/** The filters every queue has: status (with "all"), programme, text, order; and the CSV export. */
export function QueueFilters<Status extends string>(props: {
  view: QueueView<Status>;
  onChange: (view: QueueView<Status>) => void;
  statuses: { id: Status; label: string }[];
  sorts: Sort[];
  shown: number;
  onExport: () => void;
}) {
  const { t } = useTranslation();
  const programmes = useProgrammes();
  const { view, onChange } = props;
  const sortWords: Record<Sort, string> = {
    OLDEST: t('admin.oversight.queue.oldest'),
    DEADLINE: t('admin.oversight.queue.deadline'),
    NEWEST: t('admin.oversight.queue.newest'),
  };
  return (
    <div className="oversight-filters" role="group" aria-label={t('admin.oversight.queue.filters')}>
      <Choice<Status | typeof ALL>
        name="status"
        label={t('admin.oversight.queue.status')}
        options={[...props.statuses, { id: ALL, label: t('admin.oversight.queue.allStatuses') }]}
        value={view.status}
        onChange={(status) => onChange({ ...view, status: status ?? ALL })}
      />
      <Choice<string>
        name="programme"
        label={t('admin.oversight.queue.programme')}
        options={[
          { id: ALL, label: t('admin.oversight.queue.allProgrammes') },
          ...(programmes.data?.items ?? []).map((p) => ({ id: p.id, label: p.name })),
        ]}
        value={view.programmeId}
        onChange={(programmeId) => onChange({ ...view, programmeId: programmeId ?? ALL })}
      />
      <TextInput
        name="search"
        label={t('admin.oversight.queue.search')}
        description={t('admin.oversight.queue.searchHint')}
        value={view.text}
        onChange={(text) => onChange({ ...view, text })}
      />
      <Choice<Sort>
        name="sort"
        label={t('admin.oversight.queue.sort')}
        options={props.sorts.map((sort) => ({ id: sort, label: sortWords[sort] }))}
        value={view.sort}
        onChange={(sort) => onChange({ ...view, sort: sort ?? props.sorts[0]! })}
      />
      <p className="oversight-count" aria-live="polite">
        {t('admin.oversight.queue.shown', { count: props.shown })}
      </p>
      <Button className="button secondary" onPress={props.onExport}>
        {t('admin.oversight.queue.export')}
      </Button>
    </div>
  );
}

/** The programme's name, else its id. */
export function useProgrammeName() {
  const programmes = useProgrammes();
  return (id: string | null) => (id ? (programmes.data?.items.find((p) => p.id === id)?.name ?? id) : '');
}
