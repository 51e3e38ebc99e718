import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { RevokeVoucher } from '../admin/oversight/RevokeVoucher';
import { api, unwrap } from '../api/client';
import { FindProviders } from '../sme/FindProviders';
import { Loading } from '../ui/buttons';
import { useSession } from '../ui/Layout';
import { ListSection } from '../ui/ListSection';
import { Day, Money, When } from '../ui/Money';
import { usePageTitle } from '../ui/page';
import { ProblemMessage } from '../ui/ProblemMessage';
import { Status, Timeline } from '../ui/Timeline';
import { WorkflowLink } from './WorkflowLink';

/** A voucher: balance, validity, what is committed to which booking; for its SME, finding providers. */
export function VoucherPage({ id }: { id: string }) {
  const { t } = useTranslation();
  usePageTitle(t('voucher.title'));
  const role = useSession()?.user.role;
  const voucher = useQuery({
    queryKey: ['voucher', id],
    queryFn: () => unwrap(api.GET('/api/v1/vouchers/{id}', { params: { path: { id } } })),
  });
  const bookings = useQuery({
    queryKey: ['bookings', { voucherId: id }],
    queryFn: () => unwrap(api.GET('/api/v1/bookings', { params: { query: { voucherId: id, limit: 100 } } })),
  });
  if (voucher.isPending) return <Loading />;
  if (voucher.error) return <ProblemMessage error={voucher.error} />;
  const v = voucher.data;
  // the balance is the face value not yet committed; what is neither balance nor released is committed or spent
  const committedFen = v.faceValueFen - v.balanceFen - v.releasedFen;
  return (
    <>
      <h1>
        {t('voucher.title')} <span className="code">{v.code}</span>
      </h1>
      <dl className="facts">
        <dt>{t('voucher.status')}</dt>
        <dd>
          <Status status={v.status} />
          {v.statusReason ? ` · ${v.statusReason}` : null}
        </dd>
        <dt>{t('voucher.faceValue')}</dt>
        <dd>
          <Money fen={v.faceValueFen} />
        </dd>
        <dt>{t('voucher.balance')}</dt>
        <dd data-testid="voucher-balance">
          <Money fen={v.balanceFen} />
        </dd>
        <dt>{t('voucher.committed')}</dt>
        <dd>
          <Money fen={committedFen} />
        </dd>
        {v.releasedFen > 0 ? (
          <>
            <dt>{t('voucher.released')}</dt>
            <dd>
              <Money fen={v.releasedFen} />
            </dd>
          </>
        ) : null}
        <dt>{t('voucher.validity')}</dt>
        <dd>
          <When at={v.validFrom} /> – <When at={v.validUntil} />
        </dd>
      </dl>
      <ListSection
        id="voucher-bookings-heading"
        heading={t('voucher.bookings')}
        empty={t('voucher.noBookings')}
        list={bookings}
        columns={[t('booking.scheduled'), t('booking.status'), t('booking.subsidy'), t('booking.copayment')]}
        row={(b) => (
          <tr key={b.id}>
            <th scope="row">
              <Link to="/bookings/$id" params={{ id: b.id }}>
                <Day date={b.scheduledDate} /> · {b.standards.join(', ')}
              </Link>
            </th>
            <td>
              <Status status={b.status} />
            </td>
            <td>
              <Money fen={b.subsidyFen} />
            </td>
            <td>
              <Money fen={b.copaymentFen} />
            </td>
          </tr>
        )}
      />
      {role === 'ADMIN' ? <RevokeVoucher voucher={v} /> : null}
      {role === 'SME' && v.status === 'ACTIVE' ? (
        <FindProviders voucherId={v.id} applicationId={v.applicationId} />
      ) : null}
      <WorkflowLink url={v.workflowUrl} workflowId={v.workflowId} />
      <Timeline entries={v.timeline ?? []} />
    </>
  );
}
