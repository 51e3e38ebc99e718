import type { CalendarDate } from '@internationalized/date';

/** The instant a Beijing calendar day begins, in UTC (`2026-11-23` → `2026-11-22T16:00:00.000Z`). */
export function startOfBeijingDay(day: CalendarDate): string {
  return new Date(`${day.toString()}T00:00:00+08:00`).toISOString();
}

/** The instant after a Beijing calendar day ends: an inclusive last day as an exclusive bound. */
export function endOfBeijingDay(day: CalendarDate): string {
  return startOfBeijingDay(day.add({ days: 1 }));
}
