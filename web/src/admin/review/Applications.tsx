import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { Application } from '../../api/types';
import { dynamicText } from '../../i18n/dynamic';
import { Loading } from '../../ui/buttons';
import type { CsvColumn } from '../../ui/csv';
import { usePageTitle } from '../../ui/page';
import { ProblemMessage } from '../../ui/ProblemMessage';
import { QueueFilters } from '../queue';
import {
  ALL,
  allPages,
  csvInstant,
  csvYuan,
  idColumn,
  matchesText,
  queueView,
  sortQueue,
  type QueueView,
} from '../queue-rows';
import { QueueNav } from '../QueueNav';
import { BulkDecision, Outcomes, type Outcome } from './application-bulk';
import { ApplicationsTable } from './application-table';

const STATUSES = ['UNDER_REVIEW', 'INFO_REQUESTED', 'SUBMITTED', 'APPROVED', 'REJECTED'] as const;
type QueueStatus = 'WAITING' | (typeof STATUSES)[number];
const PAGE = 100;

/** The applications of the chosen status and programme, every page of them. */
function useApplications(status: QueueStatus | typeof ALL, programmeId: string) {
  return useQuery({
    queryKey: ['review-applications', status, programmeId],
    queryFn: async () => {
      const wanted = status === 'WAITING' ? 'UNDER_REVIEW' : status === ALL ? undefined : status;
      const items = await allPages((cursor) =>
        unwrap(
          api.GET('/api/v1/applications', {
            params: {
              query: {
                limit: PAGE,
                cursor,
                ...(wanted ? { status: wanted } : {}),
                ...(programmeId === ALL ? {} : { programmeId }),
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

/** Applications under review, waiting for the administrator. */
export function ApplicationsQueue() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('admin.review.applications.title'));
  const [view, setView] = useState<QueueView<QueueStatus>>(queueView('WAITING', 'OLDEST'));
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const list = useApplications(view.status, view.programmeId);

  const shown = useMemo(
    () =>
      list.data &&
      sortQueue(
        list.data.filter((a) => matchesText(view.text, [a.enterpriseName])),
        view.sort,
        (a) => ({ since: a.createdAt, due: a.awaiting?.dueAt ?? null }),
      ),
    [list.data, view.text, view.sort],
  );
  const chosen = (shown ?? []).filter((a) => selected.has(a.id));

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
      <QueueFilters
        queue="applications"
        view={view}
        onChange={setView}
        statuses={[
          { id: 'WAITING', label: t('admin.review.applications.waiting') },
          ...STATUSES.map((s) => ({ id: s, label: dynamicText(t, 'status', s) })),
        ]}
        sorts={['OLDEST', 'DEADLINE']}
        shown={shown}
        columns={columns}
      />
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
        {shown?.length === 0 ? <p>{t('admin.queue.none')}</p> : null}
        {shown?.length ? (
          <ApplicationsTable applications={shown} selected={selected} onSelect={setSelected} />
        ) : null}
      </section>
    </>
  );
}
