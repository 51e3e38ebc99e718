import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDay } from '../ui/dates';

/** A service's day as the calendar shows it. */
export interface CapacityDay {
  date: string;
  capacity: number;
  held: number;
  booked: number;
}

/** `2026-11-28` → `11月28日` / `Nov 28`: the year is in the row's header. */
function shortDay(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', day: 'numeric' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Arrow keys move a day or a week, Home and End to the week's ends, within the window shown. */
const MOVES: Record<string, (index: number) => number> = {
  ArrowLeft: (i) => i - 1,
  ArrowRight: (i) => i + 1,
  ArrowUp: (i) => i - 7,
  ArrowDown: (i) => i + 7,
  Home: (i) => i - (i % 7),
  End: (i) => i - (i % 7) + 6,
};

/**
 * One service's weeks as an ARIA grid: weekdays across, weeks down, each day its free, held and booked
 * samples. One day is in the tab order; the arrow keys move between days and Enter or Space chooses one.
 */
export function CapacityGrid(props: {
  id: string;
  caption: string;
  days: CapacityDay[];
  today: string;
  chosen: string | null;
  onChoose: (date: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const { days } = props;
  const [active, setActive] = useState(() =>
    Math.max(
      0,
      days.findIndex((d) => d.date >= props.today),
    ),
  );
  const cells = useRef<(HTMLTableCellElement | null)[]>([]);
  const focusDay = (index: number) => {
    setActive(index);
    cells.current[index]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      props.onChoose(days[index]!.date);
      return;
    }
    const move = MOVES[event.key];
    if (!move) return;
    event.preventDefault();
    const next = move(index);
    if (next >= 0 && next < days.length) focusDay(next);
  };
  const weeks = Array.from({ length: Math.ceil(days.length / 7) }, (_, w) => days.slice(w * 7, w * 7 + 7));
  return (
    <table role="grid" className="capacity-grid" aria-labelledby={`${props.id}-caption`}>
      <caption id={`${props.id}-caption`}>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('provider.calendar.week')}</th>
          {WEEKDAYS.map((day) => (
            <th key={day} scope="col">
              {t(`provider.calendar.weekdays.${day}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week, w) => (
          <tr key={week[0]!.date}>
            <th scope="row">
              {t('provider.calendar.weekOf', { day: formatDay(week[0]!.date, i18n.language) })}
            </th>
            {week.map((day, d) => {
              const index = w * 7 + d;
              const free = Math.max(0, day.capacity - day.held - day.booked);
              const past = day.date < props.today;
              return (
                <td
                  key={day.date}
                  ref={(cell) => {
                    cells.current[index] = cell;
                  }}
                  role="gridcell"
                  tabIndex={index === active ? 0 : -1}
                  aria-selected={props.chosen === day.date}
                  data-date={day.date}
                  className={[
                    'capacity-day',
                    past ? 'past' : '',
                    day.held ? 'has-held' : '',
                    day.booked ? 'has-booked' : '',
                    free === 0 ? 'full' : '',
                  ].join(' ')}
                  onClick={() => {
                    setActive(index);
                    props.onChoose(day.date);
                  }}
                  onFocus={() => setActive(index)}
                  onKeyDown={(event) => onKeyDown(event, index)}
                >
                  <time dateTime={day.date} className="capacity-date">
                    {shortDay(day.date, i18n.language)}
                  </time>
                  <span className="capacity-free">{t('provider.calendar.free', { count: free })}</span>
                  {day.held ? (
                    <span className="capacity-held">{t('provider.calendar.held', { count: day.held })}</span>
                  ) : null}
                  {day.booked ? (
                    <span className="capacity-booked">
                      {t('provider.calendar.booked', { count: day.booked })}
                    </span>
                  ) : null}
                  {past ? <span className="visually-hidden">{t('provider.calendar.past')}</span> : null}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
