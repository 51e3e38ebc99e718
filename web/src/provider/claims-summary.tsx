import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { Loading } from '../ui/buttons';
import { Money } from '../ui/Money';
import { formatFen } from '../ui/money';
import { ProblemMessage } from '../ui/ProblemMessage';
import { Status } from '../ui/Timeline';

type ClaimTotal = components['schemas']['ClaimTotals']['totals'][number];

/** A provider's claims counted and summed by status, as the service adds them up. */
export function useClaimTotals(providerId: string, version = '') {
  return useQuery({
    queryKey: ['claim-totals', providerId, version],
    queryFn: () =>
      unwrap(api.GET('/api/v1/providers/{id}/claim-totals', { params: { path: { id: providerId } } })),
    placeholderData: (previous) => previous,
  });
}

/** The claims page's totals: one row per status. */
export function ClaimTotalsTable({ providerId, version }: { providerId: string; version: string }) {
  const { t } = useTranslation();
  const totals = useClaimTotals(providerId, version);
  return (
    <section aria-labelledby="claim-totals-heading">
      <h2 id="claim-totals-heading">{t('provider.claims.totals.heading')}</h2>
      {totals.isPending ? <Loading /> : null}
      <ProblemMessage error={totals.error} />
      {totals.data ? (
        <table className="table compact" data-testid="claim-totals">
          <caption className="visually-hidden">{t('provider.claims.totals.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('provider.claims.totals.status')}</th>
              <th scope="col">{t('provider.claims.totals.count')}</th>
              <th scope="col">{t('provider.claims.totals.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {totals.data.totals.map((row) => (
              <tr key={row.status} data-status-row={row.status}>
                <th scope="row">
                  <Status status={row.status} />
                </th>
                <td>{t('provider.claims.totals.claims', { count: row.claims })}</td>
                <td>
                  <Money fen={row.amountFen} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

const HOME_ROWS = [
  { status: 'PENDING_REVIEW', label: 'provider.claims.home.awaitingReview' },
  { status: 'APPROVED', label: 'provider.claims.home.awaitingPayout' },
  { status: 'PAID', label: 'provider.claims.home.paid' },
] as const;

/** The home page's word on money: what is under review, what awaits the payout, what was paid. */
export function ClaimsSummary({ providerId }: { providerId: string }) {
  const { t, i18n } = useTranslation();
  const totals = useClaimTotals(providerId);
  const of = (status: ClaimTotal['status']) => totals.data?.totals.find((row) => row.status === status);
  return (
    <section aria-labelledby="claims-summary-heading">
      <h2 id="claims-summary-heading">{t('provider.claims.home.heading')}</h2>
      {totals.isPending ? <Loading /> : null}
      <ProblemMessage error={totals.error} />
      {totals.data ? (
        <dl className="facts" data-testid="claims-summary">
          {HOME_ROWS.map(({ status, label }) => {
            const row = of(status);
            return (
              <Fragment key={status}>
                <dt>{t(label)}</dt>
                <dd data-status-total={status}>
                  {t('provider.claims.home.summary', {
                    claims: t('provider.claims.totals.claims', { count: row?.claims ?? 0 }),
                    amount: formatFen(row?.amountFen ?? 0, i18n.language),
                  })}
                </dd>
              </Fragment>
            );
          })}
        </dl>
      ) : null}
      <p>
        <Link to="/provider/claims">{t('provider.claims.home.seeAll')}</Link>
      </p>
    </section>
  );
}
