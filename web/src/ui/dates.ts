/** Every instant is shown on the Asia/Shanghai clock, whatever the browser's own zone. */
export const SERVICE_TIME_ZONE = 'Asia/Shanghai';

const cache = new Map<string, Intl.DateTimeFormat>();

function format(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let formatter = cache.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, options);
    cache.set(key, formatter);
  }
  return formatter;
}

/** An ISO instant → `2026/11/23 16:05` (zh-CN) or `Nov 23, 2026, 4:05 PM` (en), Shanghai time. */
export function formatInstant(iso: string, locale: string): string {
  return format(locale, {
    timeZone: SERVICE_TIME_ZONE,
    dateStyle: 'medium',
    timeStyle: 'short',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** A calendar date `YYYY-MM-DD` (already a Shanghai day) → the locale's way of writing it. */
export function formatDay(day: string, locale: string): string {
  return format(locale, { timeZone: 'UTC', dateStyle: 'medium' }).format(new Date(`${day}T00:00:00Z`));
}

/** Today's calendar date in Shanghai, `YYYY-MM-DD`. */
export function shanghaiToday(now = new Date()): string {
  return format('en-CA', {
    timeZone: SERVICE_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** Whole minutes from now until an instant; negative once it has passed. */
export function minutesUntil(iso: string, now = Date.now()): number {
  return Math.floor((new Date(iso).getTime() - now) / 60_000);
}
