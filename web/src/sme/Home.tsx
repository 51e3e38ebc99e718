import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { useSession } from '../ui/Layout';
import { ListSection } from '../ui/ListSection';
import { Day, Money, When } from '../ui/Money';
import { usePageTitle } from '../ui/page';
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
    <ListSection
      id="applications-heading"
      heading={t('sme.home.applications')}
      empty={t('sme.home.noApplications')}
      list={list}
      columns={[t('application.submitted'), t('application.status'), t('application.requested')]}
      row={(a) => (
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
      )}
    />
  );
}

function Vouchers() {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['vouchers'],
    queryFn: () => unwrap(api.GET('/api/v1/vouchers', { params: { query: { limit: 50 } } })),
  });
  return (
    <ListSection
      id="vouchers-heading"
      heading={t('sme.home.vouchers')}
      empty={t('sme.home.noVouchers')}
      list={list}
      columns={[t('voucher.code'), t('voucher.status'), t('voucher.balance'), t('voucher.validUntil')]}
      row={(v) => (
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
      )}
    />
  );
}

function Bookings() {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['bookings'],
    queryFn: () => unwrap(api.GET('/api/v1/bookings', { params: { query: { limit: 50 } } })),
  });
  return (
    <ListSection
      id="bookings-heading"
      heading={t('sme.home.bookings')}
      empty={t('sme.home.noBookings')}
      list={list}
      columns={[t('booking.scheduled'), t('booking.status'), t('booking.quoted'), t('booking.subsidy')]}
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
            <Money fen={b.quotedPriceFen} />
          </td>
          <td>
            <Money fen={b.subsidyFen} />
          </td>
        </tr>
      )}
    />
  );
}
