import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { Booking, BookingProgress } from '../api/types';
import { ProviderBookingActions } from '../provider/BookingActions';
import { BookingActions } from '../sme/BookingActions';
import { Loading } from '../ui/buttons';
import { useSession } from '../ui/Layout';
import { Day, Money, When } from '../ui/Money';
import { usePageTitle } from '../ui/page';
import { ProblemMessage } from '../ui/ProblemMessage';
import { AwaitingText, Status, Timeline } from '../ui/Timeline';
import { dynamicText } from '../i18n/dynamic';
import { ReportDownload } from './ReportDownload';
import { WorkflowLink } from './WorkflowLink';

/** While anything is awaited, the page looks again every few seconds. */
const FOLLOW_MS = 2_000;

/** A booking: where it stands and whose move it is, the money, the report, the claim and payout. */
export function BookingPage({ id }: { id: string }) {
  const { t } = useTranslation();
  usePageTitle(t('booking.title'));
  const user = useSession()?.user;
  const role = user?.role;
  const progress = useQuery({
    queryKey: ['booking-progress', id],
    queryFn: () => unwrap(api.GET('/api/v1/bookings/{id}/progress', { params: { path: { id } } })),
    // followed until nothing more is awaited from anyone (a step may be recorded by the other party)
    refetchInterval: (query) => (query.state.data && !query.state.data.awaiting ? false : FOLLOW_MS),
  });
  const booking = useQuery({
    queryKey: ['booking', id, progress.data?.status, progress.data?.claim?.status],
    queryFn: () => unwrap(api.GET('/api/v1/bookings/{id}', { params: { path: { id } } })),
  });
  if (booking.isPending || progress.isPending) return <Loading />;
  if (booking.error || progress.error) return <ProblemMessage error={booking.error ?? progress.error} />;
  const b = booking.data;
  const p = progress.data;
  return (
    <>
      <h1>
        {t('booking.title')} · {p.names.providerName}
      </h1>
      <section aria-labelledby="now-heading" className="panel now">
        <h2 id="now-heading">{t('booking.now')}</h2>
        <p>
          <Status status={b.status} />
          {b.statusReason ? ` · ${b.statusReason}` : null}
        </p>
        {p.awaiting ? (
          <p className="awaiting">
            <AwaitingText awaiting={p.awaiting} />
          </p>
        ) : (
          <p>{t('booking.nothingAwaited')}</p>
        )}
      </section>
      {role === 'SME' ? <BookingActions booking={b} progress={p} /> : null}
      {role === 'PROVIDER' && user?.providerId === b.providerId ? (
        <ProviderBookingActions booking={b} progress={p} />
      ) : null}
      <Facts booking={b} progress={p} />
      {b.report ? <ReportDownload booking={b} /> : null}
      <Settlement progress={p} />
      <WorkflowLink url={b.workflowUrl} workflowId={b.workflowId} />
      <Timeline entries={b.timeline ?? []} awaiting={p.awaiting} />
    </>
  );
}

function Facts({ booking: b, progress: p }: { booking: Booking; progress: BookingProgress }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="facts-heading">
      <h2 id="facts-heading">{t('booking.facts')}</h2>
      <dl className="facts">
        <dt>{t('booking.provider')}</dt>
        <dd>{p.names.providerName}</dd>
        <dt>{t('booking.voucher')}</dt>
        <dd>
          <Link to="/vouchers/$id" params={{ id: b.voucherId }}>
            {p.names.voucherCode}
          </Link>
        </dd>
        <dt>{t('booking.standards')}</dt>
        <dd>{b.standards.join(', ')}</dd>
        <dt>{t('booking.samples')}</dt>
        <dd>{b.sampleCount}</dd>
        <dt>{t('booking.quoted')}</dt>
        <dd>
          <Money fen={b.quotedPriceFen} />
        </dd>
        <dt>{t('booking.subsidy')}</dt>
        <dd data-testid="booking-subsidy">
          <Money fen={b.subsidyFen} />
        </dd>
        <dt>{t('booking.copayment')}</dt>
        <dd>
          <Money fen={b.copaymentFen} />
        </dd>
        <dt>{t('booking.scheduled')}</dt>
        <dd>
          <Day date={b.scheduledDate} />
        </dd>
        {b.copayment ? (
          <>
            <dt>{t('booking.copaymentRecorded')}</dt>
            <dd>
              {b.copayment.reference} · <When at={b.copayment.paidAt} />
            </dd>
          </>
        ) : null}
      </dl>
      <table className="table compact">
        <caption>{t('booking.lines')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('booking.service')}</th>
            <th scope="col">{t('booking.category')}</th>
            <th scope="col">{t('booking.unitPrice')}</th>
            <th scope="col">{t('booking.period')}</th>
          </tr>
        </thead>
        <tbody>
          {b.lines.map((line) => (
            <tr key={line.serviceId}>
              <th scope="row">{line.serviceName}</th>
              <td>{dynamicText(t, 'category', line.category)}</td>
              <td>
                <Money fen={line.unitPriceFen} />
              </td>
              <td>
                <Day date={line.startDate} /> – <Day date={line.completionDate} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Settlement({ progress }: { progress: BookingProgress }) {
  const { t } = useTranslation();
  const claim = progress.claim;
  return (
    <section aria-labelledby="settlement-heading">
      <h2 id="settlement-heading">{t('booking.settlement')}</h2>
      {!claim ? (
        <p>{t('booking.noClaim')}</p>
      ) : (
        <dl className="facts">
          <dt>{t('claim.status')}</dt>
          <dd>
            <Status status={claim.status} />
            {claim.autoApproved ? ` · ${t('claim.autoApproved')}` : null}
          </dd>
          <dt>{t('claim.amount')}</dt>
          <dd>
            <Money fen={claim.amountFen} />
          </dd>
          {claim.decisionReason ? (
            <>
              <dt>{t('claim.decisionReason')}</dt>
              <dd>{claim.decisionReason}</dd>
            </>
          ) : null}
          {claim.paidAt ? (
            <>
              <dt>{t('claim.paidAt')}</dt>
              <dd>
                <When at={claim.paidAt} />
              </dd>
            </>
          ) : null}
          {claim.transfer?.reference ? (
            <>
              <dt>{t('claim.transfer')}</dt>
              <dd>{claim.transfer.reference}</dd>
            </>
          ) : null}
        </dl>
      )}
    </section>
  );
}
