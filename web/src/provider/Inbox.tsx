import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { Booking } from '../api/types';
import { dynamicText } from '../i18n/dynamic';
import { ActionButton, Loading } from '../ui/buttons';
import { formatDay } from '../ui/dates';
import { Choice } from '../ui/fields';
import { Day, Money } from '../ui/Money';
import { usePageTitle } from '../ui/page';
import { ProblemMessage } from '../ui/ProblemMessage';
import { Status } from '../ui/Timeline';
import { Deadline } from './inbox-countdown';
import './bookings.css';

type BookingStatus = Booking['status'];

/** The order of the groups: what awaits the lab first, then what others do, then what has ended. */
const GROUP_ORDER = {
  REQUESTED: 0,
  SAMPLE_RECEIVED: 1,
  CONFIRMED: 2,
  REPORTED: 3,
  DISPUTED: 4,
  ACCEPTED: 5,
  SETTLED: 6,
  DECLINED: 7,
  CONFIRMATION_EXPIRED: 8,
  CANCELLED: 9,
  LAPSED: 10,
} satisfies Record<BookingStatus, number>;
const STATUSES = Object.keys(GROUP_ORDER) as BookingStatus[];

export interface InboxSearch {
  status?: BookingStatus;
  /** bookings holding capacity on this day (YYYY-MM-DD), of this service when given */
  day?: string;
  serviceId?: string;
}

/** The inbox's filters, as the address carries them; anything else in it is dropped. */
export function inboxSearch(search: Record<string, unknown>): InboxSearch {
  const status = STATUSES.find((s) => s === search.status);
  const day =
    typeof search.day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(search.day) ? search.day : undefined;
  const serviceId =
    day && typeof search.serviceId === 'string' && /^[0-9a-f-]{36}$/i.test(search.serviceId)
      ? search.serviceId
      : undefined;
  return { ...(status ? { status } : {}), ...(day ? { day } : {}), ...(serviceId ? { serviceId } : {}) };
}

/** A booking as the lab names it: a short reference and the services it uses. */
export function bookingRef(id: string): string {
  return id.slice(0, 8).toUpperCase();
}

const PAGE_SIZE = 50;

/** The lab's bookings, grouped by status, each with whose move it is and its deadline counting down. */
export function ProviderInbox({ search }: { search: InboxSearch }) {
  const { t, i18n } = useTranslation();
  usePageTitle(t('provider.inbox.title'));
  const navigate = useNavigate();
  const bookings = useInfiniteQuery({
    queryKey: ['provider-bookings', search],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/bookings', {
          params: { query: { ...search, limit: PAGE_SIZE, cursor: pageParam } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = bookings.data?.pages.flatMap((page) => page.items) ?? [];
  const groups = STATUSES.map((status) => ({
    status,
    items: items.filter((b) => b.status === status).sort(soonestFirst),
  })).filter((group) => group.items.length > 0);
  const serviceName = search.serviceId
    ? items.flatMap((b) => b.lines).find((line) => line.serviceId === search.serviceId)?.serviceName
    : undefined;

  return (
    <>
      <h1>{t('provider.inbox.title')}</h1>
      <p>{t('provider.inbox.intro')}</p>
      <div className="filters">
        <Choice<BookingStatus | 'ALL'>
          name="status"
          label={t('provider.inbox.filterStatus')}
          options={[
            { id: 'ALL', label: t('provider.inbox.allStatuses') },
            ...STATUSES.map((id) => ({ id, label: dynamicText(t, 'status', id) })),
          ]}
          value={search.status ?? 'ALL'}
          onChange={(value) =>
            void navigate({
              to: '/provider/bookings',
              search: { ...search, status: value && value !== 'ALL' ? value : undefined },
            })
          }
        />
      </div>
      {search.day ? (
        <p className="notice">
          {serviceName
            ? t('provider.inbox.dayFilterService', {
                day: formatDay(search.day, i18n.language),
                service: serviceName,
              })
            : t('provider.inbox.dayFilter', { day: formatDay(search.day, i18n.language) })}{' '}
          <Link to="/provider/bookings" search={search.status ? { status: search.status } : {}}>
            {t('provider.inbox.showAll')}
          </Link>
        </p>
      ) : null}
      {bookings.isPending ? <Loading /> : null}
      <ProblemMessage error={bookings.error} />
      {bookings.data && items.length === 0 ? <p>{t('provider.inbox.empty')}</p> : null}
      {groups.map((group) => (
        <StatusGroup key={group.status} status={group.status} bookings={group.items} />
      ))}
      {bookings.hasNextPage ? (
        <ActionButton
          variant="secondary"
          pending={bookings.isFetchingNextPage}
          onPress={() => void bookings.fetchNextPage()}
        >
          {t('provider.inbox.more')}
        </ActionButton>
      ) : null}
    </>
  );
}

function soonestFirst(a: Booking, b: Booking): number {
  const due = (x: Booking) => x.awaiting?.dueAt ?? '9999';
  return due(a).localeCompare(due(b)) || b.createdAt.localeCompare(a.createdAt);
}

function StatusGroup({ status, bookings }: { status: BookingStatus; bookings: Booking[] }) {
  const { t } = useTranslation();
  const headingId = `group-${status.toLowerCase()}`;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>
        {t('provider.inbox.groupHeading', {
          status: dynamicText(t, 'status', status),
          count: bookings.length,
        })}
      </h2>
      <table className="table" aria-labelledby={headingId}>
        <thead>
          <tr>
            <th scope="col">{t('provider.inbox.booking')}</th>
            <th scope="col">{t('provider.inbox.samples')}</th>
            <th scope="col">{t('provider.inbox.quote')}</th>
            <th scope="col">{t('provider.inbox.start')}</th>
            <th scope="col">{t('provider.inbox.next')}</th>
            <th scope="col">{t('provider.inbox.deadline')}</th>
          </tr>
        </thead>
        <tbody>
          {bookings.map((b) => (
            <tr key={b.id} className={b.awaiting?.party === 'PROVIDER' ? 'your-move' : undefined}>
              <th scope="row">
                <Link to="/bookings/$id" params={{ id: b.id }}>
                  {t('provider.inbox.bookingLink', {
                    ref: bookingRef(b.id),
                    services: b.lines.map((line) => line.serviceName).join('、'),
                  })}
                </Link>
                <br />
                <Status status={b.status} />
              </th>
              <td>{b.sampleCount}</td>
              <td>
                <Money fen={b.quotedPriceFen} />
              </td>
              <td>
                <Day date={b.scheduledDate} />
              </td>
              <td>
                {b.awaiting ? (
                  <>
                    {b.awaiting.party === 'PROVIDER' ? (
                      <strong className="your-move-tag">{t('provider.inbox.yourMove')}</strong>
                    ) : (
                      dynamicText(t, 'party', b.awaiting.party)
                    )}
                    {' · '}
                    {dynamicText(t, 'awaited', b.awaiting.action)}
                  </>
                ) : (
                  t('provider.inbox.noDeadline')
                )}
              </td>
              <td>{b.awaiting ? <Deadline at={b.awaiting.dueAt} /> : t('provider.inbox.noDeadline')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
