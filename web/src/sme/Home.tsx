import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { Loading } from '../ui/buttons';
import { useSession } from '../ui/Layout';
import { Day, Money, When } from '../ui/Money';
import { usePageTitle } from '../ui/page';
import { ProblemMessage } from '../ui/ProblemMessage';
import { Status } from '../ui/Timeline';
import { Worklist } from '../ui/Worklist';

/** The SME's home: what awaits it, then its applications, vouchers and bookings. */
export function SmeHome() {
  const { t } = useTranslation();
  usePageTitle(t('sme.home.title'));
  const current = useSession();
  if (!current?.user.enterpriseId) {
    return (
      <>
        <h1>{t('sme.home.title')}</h1>
        <p className="notice">{t('sme.home.noEnterprise')}</p>
        <Link to="/sme/enterprise" className="button primary">
          {t('sme.home.registerEnterprise')}
        </Link>
      </>
    );
  }
  return (
    <>
      <h1>{t('sme.home.title')}</h1>
      <Worklist />
      <Applications />
      <Vouchers />
      <Bookings />
      <p>
        <Link to="/sme/programmes">{t('sme.home.seeProgrammes')}</Link>
      </p>
    </>
  );
}

function Applications() {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['applications'],
    queryFn: () => unwrap(api.GET('/api/v1/applications', { params: { query: { limit: 50 } } })),
  });
  return (
    <section aria-labelledby="applications-heading">
      <h2 id="applications-heading">{t('sme.home.applications')}</h2>
      {list.isPending ? <Loading /> : null}
      <ProblemMessage error={list.error} />
      {list.data?.items.length === 0 ? <p>{t('sme.home.noApplications')}</p> : null}
      {list.data?.items.length ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('application.submitted')}</th>
              <th scope="col">{t('application.status')}</th>
              <th scope="col">{t('application.requested')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  <Link to="/applications/$id" params={{ id: a.id }}>
                    <When at={a.createdAt} />
                  </Link>
                </th>
                <td>
                  <Status status={a.status} />
                </td>
                <td>
                  <Money fen={a.requestedAmountFen} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function Vouchers() {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['vouchers'],
    queryFn: () => unwrap(api.GET('/api/v1/vouchers', { params: { query: { limit: 50 } } })),
  });
  return (
    <section aria-labelledby="vouchers-heading">
      <h2 id="vouchers-heading">{t('sme.home.vouchers')}</h2>
      {list.isPending ? <Loading /> : null}
      <ProblemMessage error={list.error} />
      {list.data?.items.length === 0 ? <p>{t('sme.home.noVouchers')}</p> : null}
      {list.data?.items.length ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('voucher.code')}</th>
              <th scope="col">{t('voucher.status')}</th>
              <th scope="col">{t('voucher.balance')}</th>
              <th scope="col">{t('voucher.validUntil')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((v) => (
              <tr key={v.id}>
                <th scope="row">
                  <Link to="/vouchers/$id" params={{ id: v.id }}>
                    {v.code}
                  </Link>
                </th>
                <td>
                  <Status status={v.status} />
                </td>
                <td>
                  <Money fen={v.balanceFen} />
                </td>
                <td>
                  <When at={v.validUntil} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function Bookings() {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['bookings'],
    queryFn: () => unwrap(api.GET('/api/v1/bookings', { params: { query: { limit: 50 } } })),
  });
  return (
    <section aria-labelledby="bookings-heading">
      <h2 id="bookings-heading">{t('sme.home.bookings')}</h2>
      {list.isPending ? <Loading /> : null}
      <ProblemMessage error={list.error} />
      {list.data?.items.length === 0 ? <p>{t('sme.home.noBookings')}</p> : null}
      {list.data?.items.length ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('booking.scheduled')}</th>
              <th scope="col">{t('booking.status')}</th>
              <th scope="col">{t('booking.quoted')}</th>
              <th scope="col">{t('booking.subsidy')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((b) => (
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
                  <Money fen={b.quotedPriceFen} />
                </td>
                <td>
                  <Money fen={b.subsidyFen} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
