import { addDays, type IsoDate } from './calendar';
import { durationMs } from './duration';

/**
 * One notion of time for a programme. Its policy durations are lengths of real time (a reminder
 * `3d` after submission), and its day, `policy.dayLength` (a calendar day unless shortened for
 * demos and tests), is the unit in which lead time, turnaround, the voucher's remaining validity
 * and the demand's latest completion date are compared. The rule, the same for every caller:
 *
 * 1. Programme days lie end to end from the local midnight (Asia/Shanghai) of the day a question
 *    is asked: day `i` runs from `origin + i × dayLength` to the start of day `i + 1`. An instant
 *    is in the day that contains it; `current` is the day containing now.
 * 2. A day's date is the calendar date on which it starts. Capacity is a laboratory's, per
 *    calendar date, whatever the programme's pace: work started on a day takes the capacity of
 *    that day's date, so days shorter than a calendar day share their date's capacity.
 * 3. Work may complete on the day in which the voucher's validity ends, and on any day whose date
 *    is on or before the demand's latest completion date.
 *
 * With the default `dayLength` of one day, day `i` is the calendar date `today + i` and matching
 * counts calendar days as it always has.
 */
export interface ProgrammeClock {
  /** local midnight of `today`, in ms since the epoch */
  readonly origin: number;
  readonly dayMs: number;
  readonly today: IsoDate;
  /** the day containing the instant the clock was read at */
  readonly current: number;
}

const DAY_MS = 86_400_000;
// Asia/Shanghai has kept UTC+8 without daylight saving since 1991: dates are plain arithmetic
const LOCAL_OFFSET_MS = 8 * 3_600_000;

/** Local midnight at the start of a date, in ms since the epoch. */
export function localMidnight(date: IsoDate): number {
  return Date.parse(`${date}T00:00:00Z`) - LOCAL_OFFSET_MS;
}

/** The local (Asia/Shanghai) date of an instant; `localDate` without a formatter, for hot loops. */
export function localDateOf(instant: number): IsoDate {
  return new Date(instant + LOCAL_OFFSET_MS).toISOString().slice(0, 10);
}

export function programmeClock(now: Date | number, dayLength: string): ProgrammeClock {
  const at = typeof now === 'number' ? now : now.getTime();
  const today = localDateOf(at);
  const origin = localMidnight(today);
  const dayMs = durationMs(dayLength);
  return { origin, dayMs, today, current: Math.floor((at - origin) / dayMs) };
}

/** Whether days are whole calendar days or longer, so that no two of them share a date. */
export const wholeDays = (clock: ProgrammeClock) => clock.dayMs % DAY_MS === 0;

/** The day containing an instant. */
export function dayOf(clock: ProgrammeClock, instant: Date | number): number {
  const at = typeof instant === 'number' ? instant : instant.getTime();
  return Math.floor((at - clock.origin) / clock.dayMs);
}

/** When a day starts; a day ends when the next one starts. */
export function dayStart(clock: ProgrammeClock, day: number): number {
  return clock.origin + day * clock.dayMs;
}

/** The calendar date a day starts on: the date whose capacity work started that day takes. */
export function capacityDate(clock: ProgrammeClock, day: number): IsoDate {
  return localDateOf(dayStart(clock, day));
}

/** The first day starting on or after the start of a date. */
export function firstDayOn(clock: ProgrammeClock, date: IsoDate): number {
  return Math.ceil((localMidnight(date) - clock.origin) / clock.dayMs);
}

/** The last day starting on or before a date: the last on which work due by that date may complete. */
export function lastDayOn(clock: ProgrammeClock, date: IsoDate): number {
  return firstDayOn(clock, addDays(date, 1)) - 1;
}

/**
 * How a day is named to people: its date when days are whole, else the local time it starts at
 * (`start`) or ends at (`end`), e.g. `2026-05-01 12:00:40`.
 */
export function dayLabel(clock: ProgrammeClock, day: number, edge: 'start' | 'end'): string {
  if (wholeDays(clock)) return capacityDate(clock, day);
  const at = dayStart(clock, edge === 'start' ? day : day + 1);
  return new Date(at + LOCAL_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** "3 day(s)", or "3 day(s) of 10s" when the programme's days are not calendar days. */
export function daysText(clock: ProgrammeClock, days: number): string {
  return clock.dayMs === DAY_MS ? `${days} day(s)` : `${days} day(s) of ${lengthText(clock.dayMs)}`;
}

function lengthText(ms: number): string {
  for (const [unit, size] of [
    ['d', DAY_MS],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** Where a matching query stands in the programme's days. */
export interface MatchingTime {
  clock: ProgrammeClock;
  /** the first day work may start on: the lead time after the current day */
  firstDay: number;
  /** the last day work may complete on: the demand's, or the voucher's when sooner */
  lastDay: number;
  /** the last day the demand's latest completion date allows */
  demandLastDay: number;
  /** the day the voucher's validity ends in; null without a voucher */
  voucherLastDay: number | null;
}

export interface MatchingTimeInput {
  now: Date | number;
  /** the programme's `dayLength`; a calendar day without a programme */
  dayLength: string;
  /** programme days between the current day and the first a provider could start */
  leadDays: number;
  latestCompletionDate: IsoDate;
  voucherValidUntil?: Date;
}

export function matchingTime(input: MatchingTimeInput): MatchingTime {
  const clock = programmeClock(input.now, input.dayLength);
  const demandLastDay = lastDayOn(clock, input.latestCompletionDate);
  const voucherLastDay = input.voucherValidUntil ? dayOf(clock, input.voucherValidUntil) : null;
  return {
    clock,
    firstDay: clock.current + input.leadDays,
    lastDay: voucherLastDay === null ? demandLastDay : Math.min(demandLastDay, voucherLastDay),
    demandLastDay,
    voucherLastDay,
  };
}

/**
 * Whole calendar days from dates alone: `today`, the first day work may start and the last it may
 * complete, and the demand's own latest date. A deadline sooner than the demand's is the voucher's.
 */
export function calendarMatchingTime(dates: {
  today: IsoDate;
  earliestStart: IsoDate;
  deadline: IsoDate;
  latestCompletionDate: IsoDate;
}): MatchingTime {
  const clock = programmeClock(localMidnight(dates.today), '1d');
  const lastDay = lastDayOn(clock, dates.deadline);
  const demandLastDay = lastDayOn(clock, dates.latestCompletionDate);
  return {
    clock,
    firstDay: firstDayOn(clock, dates.earliestStart),
    lastDay,
    demandLastDay,
    voucherLastDay: lastDay < demandLastDay ? lastDay : null,
  };
}
