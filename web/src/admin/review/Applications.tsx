import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { Application } from '../../api/types';
import { dynamicText } from '../../i18n/dynamic';
import { ActionButton, Loading } from '../../ui/buttons';
import { downloadCsv, type CsvColumn } from '../../ui/csv';
import { Choice } from '../../ui/fields';
import { usePageTitle } from '../../ui/page';
import { ProblemMessage } from '../../ui/ProblemMessage';
import { QueueNav } from '../QueueNav';
import { BulkDecision, Outcomes, type Outcome } from './application-bulk';
import { ApplicationsTable } from './application-table';
import { allPages, csvInstant, csvYuan, idColumn, nameMatches, sortQueue, type SortOrder } from './queue';
import { QueueFilters } from './queue-filters';

const STATUSES = ['UNDER_REVIEW', 'INFO_REQUESTED', 'SUBMITTED', 'APPROVED', 'REJECTED'] as const;
type QueueStatus = 'WAITING' | 'ALL' | (typeof STATUSES)[number];
const PAGE = 100;
const ALL_PROGRAMMES = 'ALL';

/** The applications of the chosen status and programme, every page of them. */
function useApplications(status: QueueStatus, programmeId: string) {
  return useQuery({
    queryKey: ['review-applications', status, programmeId],
    queryFn: async () => {
      const wanted = status === 'WAITING' ? 'UNDER_REVIEW' : status === 'ALL' ? undefined : status;
      const items = await allPages((cursor) =>
        unwrap(
          api.GET('/api/v1/applications', {
            params: {
              query: {
                limit: PAGE,
                cursor,
                ...(wanted ? { status: wanted } : {}),
                ...(programmeId === ALL_PROGRAMMES ? {} : { programmeId }),
              },
            },
          }),
        ),
      );
      // "waiting for me": what the service says waits for an administrator
      return status === 'WAITING' ? items.filter((a) => a.awaiting?.party === 'ADMIN') : items;
    },
  });
}

function useProgrammes() {
  return useQuery({
    queryKey: ['review-programmes'],
    queryFn: () =>
      allPages((cursor) =>
        unwrap(api.GET('/api/v1/programs', { params: { query: { limit: PAGE, cursor } } })),
      ),
  });
}

/** Applications under review, waiting for the administrator. */
export function ApplicationsQueue() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('admin.review.applications.title'));
  const [status, setStatus] = useState<QueueStatus>('WAITING');
  const [programmeId, setProgrammeId] = useState(ALL_PROGRAMMES);
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<SortOrder>('oldest');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const programmes = useProgrammes();
  const list = useApplications(status, programmeId);

  const shown = useMemo(
    () =>
      sortQueue(
        (list.data ?? []).filter((a) => nameMatches(a.enterpriseName, search)),
        sort,
        (a) => ({ submittedAt: a.createdAt, dueAt: a.awaiting?.dueAt ?? null }),
      ),
    [list.data, search, sort],
  );
  const chosen = shown.filter((a) => selected.has(a.id));

  const columns: CsvColumn<Application>[] = [
    { header: t('admin.review.applications.enterprise'), value: (a) => a.enterpriseName },
    { header: t('admin.review.applications.programme'), value: (a) => a.programmeName },
    { header: t('admin.review.applications.status'), value: (a) => dynamicText(t, 'status', a.status) },
    { header: t('admin.review.applications.requested'), value: (a) => csvYuan(a.requestedAmountFen) },
    {
      header: t('admin.review.applications.submitted'),
      value: (a) => csvInstant(a.createdAt, i18n.language),
    },
    {
      header: t('admin.review.applications.deadline'),
      value: (a) => csvInstant(a.awaiting?.dueAt, i18n.language),
    },
    idColumn(t),
  ];

  return (
    <>
      <h1>{t('admin.review.applications.title')}</h1>
      <QueueNav />
      <p>{t('admin.review.applications.intro')}</p>
      <QueueFilters<QueueStatus>
        statuses={[
          { id: 'WAITING', label: t('admin.review.applications.waiting') },
          { id: 'ALL', label: t('admin.review.applications.all') },
          ...STATUSES.map((s) => ({ id: s, label: dynamicText(t, 'status', s) })),
        ]}
        status={status}
        onStatus={setStatus}
        search={search}
        onSearch={setSearch}
        searchHint={t('admin.review.filter.searchHint')}
        sort={sort}
        onSort={setSort}
      >
        <Choice<string>
          name="programme"
          label={t('admin.review.applications.programme')}
          options={[
            { id: ALL_PROGRAMMES, label: t('admin.review.applications.allProgrammes') },
            ...(programmes.data ?? []).map((p) => ({ id: p.id, label: p.name })),
          ]}
          value={programmeId}
          onChange={(value) => setProgrammeId(value ?? ALL_PROGRAMMES)}
        />
      </QueueFilters>
      <ProblemMessage error={programmes.error} />
      <Outcomes outcomes={outcomes} />
      <BulkDecision
        selected={chosen}
        onDecided={(decided) => {
          setOutcomes(decided);
          setSelected(new Set(decided.filter((o) => o.error).map((o) => o.id)));
        }}
      />
      <section aria-labelledby="applications-heading">
        <h2 id="applications-heading">{t('admin.review.applications.heading')}</h2>
        {list.isPending ? <Loading /> : null}
        <ProblemMessage error={list.error} />
        {list.data ? (
          <>
            <p className="queue-count" data-testid="queue-count">
              {t('admin.review.applications.count', { count: shown.length })}
            </p>
            <ActionButton
              variant="secondary"
              pending={false}
              isDisabled={shown.length === 0}
              onPress={() => downloadCsv(`${t('admin.review.export.applicationsFile')}.csv`, columns, shown)}
            >
              {t('admin.review.export.button')}
            </ActionButton>
            {shown.length === 0 ? (
              <p>{t('admin.review.applications.empty')}</p>
            ) : (
              <ApplicationsTable applications={shown} selected={selected} onSelect={setSelected} />
            )}
          </>
        ) : null}
      </section>
    </>
  );
}
