import { parseDate, startOfWeek } from '@internationalized/date';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { ActionButton, Loading } from '../ui/buttons';
import { formatDay, shanghaiToday } from '../ui/dates';
import { useSession } from '../ui/Layout';
import { usePageTitle } from '../ui/page';
import { ProblemMessage } from '../ui/ProblemMessage';
import { Status } from '../ui/Timeline';
import { CapacityGrid, type CapacityDay } from './calendar-grid';
import { bookingRef } from './Inbox';
import './bookings.css';

/** Four weeks at a time, Monday to Sunday. */
const WEEKS = 4;

const mondayOf = (day: string) => startOfWeek(parseDate(day), 'en-GB');

/** Per service and day, the samples free, held (awaiting the lab's confirmation) and booked, weeks ahead. */
export function ProviderCalendar() {
  const { t } = useTranslation();
  usePageTitle(t('provider.calendar.title'));
  const providerId = useSession()?.user.providerId;
  return (
    <>
      <h1>{t('provider.calendar.title')}</h1>
      <p>{t('provider.calendar.intro')}</p>
      {providerId ? (
        <Weeks providerId={providerId} />
      ) : (
        <p className="notice">{t('provider.calendar.noProvider')}</p>
      )}
    </>
  );
}

function Weeks({ providerId }: { providerId: string }) {
  const { t, i18n } = useTranslation();
  const today = shanghaiToday();
  const [start, setStart] = useState(() => mondayOf(today));
  const [chosen, setChosen] = useState<{ serviceId: string; date: string } | null>(null);
  const from = start.toString();
  const to = start.add({ days: WEEKS * 7 - 1 }).toString();
  const capacity = useQuery({
    queryKey: ['capacity', providerId, from, to],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/providers/{id}/capacity', {
          params: { path: { id: providerId }, query: { from, to } },
        }),
      ),
  });
  const shownWindow = t('provider.calendar.window', {
    from: formatDay(from, i18n.language),
    to: formatDay(to, i18n.language),
  });
  const shown = Array.from({ length: WEEKS * 7 }, (_, i) => start.add({ days: i }).toString());
  const move = (weeks: number) => {
    setStart(weeks === 0 ? mondayOf(today) : start.add({ weeks }));
    setChosen(null);
  };
  return (
    <>
      <div className="calendar-nav" role="group" aria-label={shownWindow}>
        <ActionButton variant="secondary" pending={false} onPress={() => move(-WEEKS)}>
          {t('provider.calendar.earlier')}
        </ActionButton>
        <ActionButton variant="secondary" pending={false} onPress={() => move(0)}>
          {t('provider.calendar.thisWeek')}
        </ActionButton>
        <ActionButton variant="secondary" pending={false} onPress={() => move(WEEKS)}>
          {t('provider.calendar.later')}
        </ActionButton>
        <p className="calendar-window" aria-live="polite">
          {shownWindow}
        </p>
      </div>
      <p className="hint">{t('provider.calendar.keyboardHint')}</p>
      {capacity.isPending ? <Loading /> : null}
      <ProblemMessage error={capacity.error} />
      {capacity.data && capacity.data.services.length === 0 ? (
        <p>{t('provider.calendar.noServices')}</p>
      ) : null}
      {capacity.data?.services.map((service) => {
        const taken = new Map(service.days.map((d) => [d.date, d]));
        const days: CapacityDay[] = shown.map(
          (date) => taken.get(date) ?? { date, capacity: service.dailyCapacity, held: 0, booked: 0 },
        );
        const dayChosen = chosen?.serviceId === service.serviceId ? chosen.date : null;
        return (
          <section key={service.serviceId} className="capacity-service">
            <CapacityGrid
              // a new window starts the roving focus again at its first day
              key={from}
              id={`service-${service.serviceId}`}
              caption={t('provider.calendar.gridCaption', {
                service: service.name,
                capacity: service.dailyCapacity,
              })}
              days={days}
              today={today}
              chosen={dayChosen}
              onChoose={(date) => setChosen({ serviceId: service.serviceId, date })}
            />
            {dayChosen ? (
              <DayBookings serviceId={service.serviceId} serviceName={service.name} day={dayChosen} />
            ) : null}
          </section>
        );
      })}
    </>
  );
}

/** The bookings holding a service's capacity on a day, each a link to its page. */
function DayBookings({
  serviceId,
  serviceName,
  day,
}: {
  serviceId: string;
  serviceName: string;
  day: string;
}) {
  const { t, i18n } = useTranslation();
  const bookings = useQuery({
    queryKey: ['provider-bookings', 'day', day, serviceId],
    queryFn: () => unwrap(api.GET('/api/v1/bookings', { params: { query: { day, serviceId, limit: 100 } } })),
  });
  const headingId = `day-${serviceId}`;
  return (
    <section aria-labelledby={headingId} className="panel day-bookings">
      <h3 id={headingId}>
        {t('provider.calendar.dayHeading', { day: formatDay(day, i18n.language), service: serviceName })}
      </h3>
      {bookings.isPending ? <Loading /> : null}
      <ProblemMessage error={bookings.error} />
      {bookings.data && bookings.data.items.length === 0 ? <p>{t('provider.calendar.dayEmpty')}</p> : null}
      {bookings.data && bookings.data.items.length > 0 ? (
        <ul>
          {bookings.data.items.map((b) => (
            <li key={b.id}>
              <Link to="/bookings/$id" params={{ id: b.id }}>
                {t('provider.calendar.dayBooking', { ref: bookingRef(b.id), samples: b.sampleCount })}
              </Link>{' '}
              <Status status={b.status} />
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <Link to="/provider/bookings" search={{ day, serviceId }}>
          {t('provider.calendar.openInInbox')}
        </Link>
      </p>
    </section>
  );
}
