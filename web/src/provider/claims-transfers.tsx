import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { dynamicText } from '../i18n/dynamic';
import { Loading } from '../ui/buttons';
import { Money, When } from '../ui/Money';
import { ProblemMessage } from '../ui/ProblemMessage';
import { MoreButton } from './claims-list';

type Transfer = components['schemas']['PayoutTransfer'];

const PAGE_SIZE = 10;

function Remittance({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  return (
    <ul className="remittance">
      {transfer.claims.map((line) => (
        <li key={line.claimId}>
          <Link to="/bookings/$id" params={{ id: line.bookingId }}>
            {t('provider.claims.transfers.line', {
              enterprise: line.enterpriseName,
              voucher: line.voucherCode,
            })}
          </Link>{' '}
          <Money fen={line.amountFen} />
        </li>
      ))}
    </ul>
  );
}

/**
 * The payout transfers to the provider, newest batch first, each with its remittance: the claims it
 * paid. `version` changes when a claim moves, so that a new transfer shows without a reload.
 */
export function Transfers({ providerId, version }: { providerId: string; version: string }) {
  const { t } = useTranslation();
  const transfers = useInfiniteQuery({
    queryKey: ['transfers', providerId, version],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/providers/{id}/transfers', {
          params: { path: { id: providerId }, query: { limit: PAGE_SIZE, cursor: pageParam } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: (previous) => previous,
  });
  const items = transfers.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="transfers-heading">
      <h2 id="transfers-heading">{t('provider.claims.transfers.heading')}</h2>
      <p>{t('provider.claims.transfers.intro')}</p>
      {transfers.isPending ? <Loading /> : null}
      <ProblemMessage error={transfers.error} />
      {transfers.data && items.length === 0 ? <p>{t('provider.claims.transfers.empty')}</p> : null}
      {items.length > 0 ? (
        <table className="table" data-testid="transfers">
          <caption className="visually-hidden">{t('provider.claims.transfers.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('provider.claims.transfers.reference')}</th>
              <th scope="col">{t('provider.claims.transfers.status')}</th>
              <th scope="col">{t('provider.claims.transfers.amount')}</th>
              <th scope="col">{t('provider.claims.transfers.orderedAt')}</th>
              <th scope="col">{t('provider.claims.transfers.sentAt')}</th>
              <th scope="col">{t('provider.claims.transfers.remittance')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((transfer) => (
              <tr key={transfer.id} data-transfer={transfer.id}>
                <th scope="row">
                  {transfer.reference ? (
                    <code className="code">{transfer.reference}</code>
                  ) : (
                    t('provider.claims.transfers.pendingReference')
                  )}
                </th>
                <td>
                  <span
                    className={`status status-${transfer.status.toLowerCase()}`}
                    data-status={transfer.status}
                  >
                    {dynamicText(t, 'provider.claims.transferStatus', transfer.status)}
                  </span>
                </td>
                <td>
                  <Money fen={transfer.amountFen} />
                </td>
                <td>
                  <When at={transfer.orderedAt} />
                </td>
                <td>{transfer.sentAt ? <When at={transfer.sentAt} /> : null}</td>
                <td>
                  <Remittance transfer={transfer} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <MoreButton
        hasMore={transfers.hasNextPage}
        pending={transfers.isFetchingNextPage}
        onPress={() => void transfers.fetchNextPage()}
      />
    </section>
  );
}
