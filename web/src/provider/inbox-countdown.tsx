import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { minutesUntil } from '../ui/dates';
import { When } from '../ui/Money';

/** The clock, read again every `everyMs`: what a countdown counts from. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** A deadline on the Shanghai clock with the time left before it (or past it), counting down each minute. */
export function Deadline({ at }: { at: string }) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  const minutes = minutesUntil(at, now);
  const abs = Math.abs(minutes);
  const days = Math.floor(abs / 1440);
  const hours = Math.floor((abs % 1440) / 60);
  const parts = [
    days ? t('provider.inbox.countdown.days', { count: days }) : null,
    days || hours ? t('provider.inbox.countdown.hours', { count: hours }) : null,
    days ? null : t('provider.inbox.countdown.minutes', { count: abs % 60 }),
  ].filter(Boolean);
  const time = parts.join(' ');
  return (
    <span className="deadline">
      <When at={at} />
      <span className={minutes < 0 ? 'countdown overdue' : 'countdown'} data-minutes={minutes}>
        {minutes < 0
          ? t('provider.inbox.countdown.overdue', { time })
          : t('provider.inbox.countdown.left', { time })}
      </span>
    </span>
  );
}
