import { useQuery } from '@tanstack/react-query';
import { Fragment, useMemo, useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { dynamicText } from '../../i18n/dynamic';
import { Loading } from '../../ui/buttons';
import type { CsvColumn } from '../../ui/csv';
import { When } from '../../ui/Money';
import { usePageTitle } from '../../ui/page';
import { ProblemMessage } from '../../ui/ProblemMessage';
import { Status } from '../../ui/Timeline';
import { QueueFilters } from '../queue';
import {
  ALL,
  allPages,
  csvInstant,
  idColumn,
  matchesText,
  queueView,
  sortQueue,
  type QueueView,
} from '../queue-rows';
import { QueueNav } from '../QueueNav';
import { ProviderReview, type Provider } from './provider-review';

const STATUSES = ['PENDING_VERIFICATION', 'LISTED', 'SUSPENDED', 'DELISTED', 'REJECTED'] as const;
type QueueStatus = 'WAITING' | (typeof STATUSES)[number];
const COLUMNS = 7;

function useProviders(status: QueueStatus | typeof ALL) {
  return useQuery({
    queryKey: ['review-providers', status],
    queryFn: () =>
      allPages((cursor) =>
        unwrap(
          api.GET('/api/v1/providers', {
            params: {
              query: {
                limit: 100,
                cursor,
                ...(status === 'WAITING' ? { awaitingVerification: 'true' as const } : {}),
                ...(status !== 'WAITING' && status !== ALL ? { status } : {}),
              },
            },
          }),
        ),
      ),
  });
}

/** Providers awaiting verification. */
export function ProvidersQueue() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('admin.review.providers.title'));
  const [view, setView] = useState<QueueView<QueueStatus>>(queueView('WAITING', 'OLDEST'));
  const [open, setOpen] = useState<string | null>(null);
  const list = useProviders(view.status);
  const shown = useMemo(
    () =>
      list.data &&
      sortQueue(
        list.data.filter((p) => matchesText(view.text, [p.name])),
        view.sort,
        (p) => ({
          since: p.pendingVerification?.submittedAt ?? p.createdAt,
          due: p.pendingVerification?.verifyBy ?? null,
        }),
      ),
    [list.data, view.text, view.sort],
  );
  const kind = (p: Provider) => dynamicText(t, 'provider.onboarding.kinds', p.kind);
  const columns: CsvColumn<Provider>[] = [
    { header: t('admin.review.providers.name'), value: (p) => p.name },
    { header: t('admin.review.providers.creditCode'), value: (p) => p.creditCode },
    { header: t('admin.review.providers.kind'), value: kind },
    { header: t('admin.review.providers.region'), value: (p) => p.regionCode },
    { header: t('admin.review.applications.status'), value: (p) => dynamicText(t, 'status', p.status) },
    {
      header: t('admin.review.providers.submitted'),
      value: (p) => csvInstant(p.pendingVerification?.submittedAt, i18n.language),
    },
    {
      header: t('admin.review.providers.verifyBy'),
      value: (p) => csvInstant(p.pendingVerification?.verifyBy, i18n.language),
    },
    idColumn(t),
  ];

  return (
    <>
      <h1>{t('admin.review.providers.title')}</h1>
      <QueueNav />
      <p>{t('admin.review.providers.intro')}</p>
      <QueueFilters
        queue="providers"
        view={view}
        onChange={setView}
        statuses={[
          { id: 'WAITING', label: t('admin.review.providers.waiting') },
          ...STATUSES.map((s) => ({ id: s, label: dynamicText(t, 'status', s) })),
        ]}
        sorts={['OLDEST', 'DEADLINE']}
        byProgramme={false}
        shown={shown}
        columns={columns}
      />
      <section aria-labelledby="providers-heading">
        <h2 id="providers-heading">{t('admin.review.providers.heading')}</h2>
        {list.isPending ? <Loading /> : null}
        <ProblemMessage error={list.error} />
        {shown?.length === 0 ? <p>{t('admin.queue.none')}</p> : null}
        {shown?.length ? (
          <table className="table review-table" data-testid="providers">
            <caption className="visually-hidden">{t('admin.review.providers.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.review.providers.name')}</th>
                <th scope="col">{t('admin.review.providers.kind')}</th>
                <th scope="col">{t('admin.review.providers.region')}</th>
                <th scope="col">{t('admin.review.applications.status')}</th>
                <th scope="col">{t('admin.review.providers.submitted')}</th>
                <th scope="col">{t('admin.review.providers.verifyBy')}</th>
                <td />
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => {
                const isOpen = open === p.id;
                return (
                  <Fragment key={p.id}>
                    <tr data-provider={p.id}>
                      <th scope="row">{p.name}</th>
                      <td>{kind(p)}</td>
                      <td>{p.regionCode}</td>
                      <td>
                        <Status status={p.status} />
                      </td>
                      <td>{p.pendingVerification ? <When at={p.pendingVerification.submittedAt} /> : '—'}</td>
                      <td>{p.pendingVerification ? <When at={p.pendingVerification.verifyBy} /> : '—'}</td>
                      <td>
                        <Button
                          className="button secondary"
                          aria-expanded={isOpen}
                          aria-controls={isOpen ? `provider-review-${p.id}` : undefined}
                          onPress={() => setOpen(isOpen ? null : p.id)}
                        >
                          {t(
                            isOpen ? 'admin.review.providers.hideDetails' : 'admin.review.providers.details',
                            {
                              name: p.name,
                            },
                          )}
                        </Button>
                      </td>
                    </tr>
                    {isOpen ? (
                      <tr id={`provider-review-${p.id}`} className="review-details">
                        <td colSpan={COLUMNS}>
                          <ProviderReview provider={p} />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        ) : null}
      </section>
    </>
  );
}
