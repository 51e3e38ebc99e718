/**
 * Calendar dates (YYYY-MM-DD) in the programme's time zone. Pure functions of their inputs, so
 * workflows may use them too.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export type IsoDate = string;

const formatters = new Map<string, Intl.DateTimeFormat>();

export function localDate(instant: Date | number, timeZone: string = DEFAULT_TIME_ZONE): IsoDate {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(instant);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

export const IsoDatePattern = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function isIsoDate(value: string): boolean {
  return IsoDatePattern.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}
