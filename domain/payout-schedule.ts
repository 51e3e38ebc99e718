import { CronExpressionParser } from 'cron-parser';
import { DEFAULT_TIME_ZONE } from './calendar';
import { durationMs } from './duration';
import { DurationSchema } from './duration-schema';

/**
 * When a programme's payout batches run: an interval (`1d`, `24h`) or a five-field cron expression
 * (`0 2 1 * *`, minute hour day-of-month month day-of-week, in Asia/Shanghai time). The rule keeps
 * to what both `cron-parser` and Temporal's Schedules read the same way, so that a schedule accepted
 * here is one the scheduler creates:
 * - exactly five fields (with six or seven, Temporal reads a year where other parsers read seconds);
 * - numbers, `*`, `,`, `-`, `/`, and three-letter English names in the month and weekday fields
 *   (no `?`, `L`, `W`, `#`, `H` or `@daily`, which not every parser knows);
 * - not both day-of-month and day-of-week restricted: classic cron fires when either matches,
 *   Temporal only when both do;
 * - an interval of at least one second (Temporal's shortest).
 */
export function payoutScheduleProblem(value: string): string | null {
  if (isIntervalSchedule(value)) {
    return durationMs(value) >= 1000 ? null : 'an interval must be at least 1s';
  }
  return cronProblem(value);
}

/** Whether a schedule is an interval (`1d`, `24h`) rather than a cron expression. */
export function isIntervalSchedule(schedule: string): boolean {
  return DurationSchema.safeParse(schedule).success;
}

const NAMES = {
  3: /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)$/i,
  4: /^(sun|mon|tue|wed|thu|fri|sat)$/i,
} as const;
const FIELD_NAMES = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'];

function cronProblem(value: string): string | null {
  const fields = value.trim().split(/ +/);
  if (fields.length !== 5) {
    return `must be an interval such as "1d" or a five-field cron expression such as "0 2 1 * *" (found ${fields.length} field${fields.length === 1 ? '' : 's'})`;
  }
  for (const [index, field] of fields.entries()) {
    const names = NAMES[index as keyof typeof NAMES];
    const words = field.match(/[a-z]+/gi) ?? [];
    if (!/^[0-9a-z*,/-]+$/i.test(field) || words.some((word) => !names?.test(word))) {
      return `the ${FIELD_NAMES[index]} field "${field}" may hold only numbers, *, ",", "-", "/"${names ? ' and three-letter English names' : ''}`;
    }
  }
  if (fields[2] !== '*' && fields[4] !== '*') {
    return 'restrict the day of the month or the day of the week, not both (cron readers disagree on what both mean)';
  }
  try {
    CronExpressionParser.parse(fields.join(' '));
  } catch (error) {
    return `is not a cron expression the scheduler can read: ${(error as Error).message}`;
  }
  return null;
}

/**
 * The next `count` times a payout schedule runs strictly after `after`, as Temporal's Schedule
 * computes them: an interval's times are whole multiples of it from the Unix epoch (`24h` runs at
 * 00:00 UTC), a cron expression's are read in Asia/Shanghai time. Only for a schedule
 * `payoutScheduleProblem` accepts, where cron-parser and Temporal read the expression alike (the
 * integration test compares the two on the real server).
 */
export function nextPayoutTimes(schedule: string, after: Date, count = 1): Date[] {
  if (isIntervalSchedule(schedule)) {
    const every = durationMs(schedule);
    const first = (Math.floor(after.getTime() / every) + 1) * every;
    return Array.from({ length: count }, (_, i) => new Date(first + i * every));
  }
  const times = CronExpressionParser.parse(schedule.trim(), { currentDate: after, tz: DEFAULT_TIME_ZONE });
  return Array.from({ length: count }, () => times.next().toDate());
}

/**
 * The schedule a programme's payout batches run on: the one recorded when its Schedule was created,
 * else its policy's, else the service default.
 */
export function payoutScheduleOf(
  programme: { payoutSchedule: string | null; policy: { payoutSchedule?: string } },
  serviceDefault: string,
): string {
  return programme.payoutSchedule ?? programme.policy.payoutSchedule ?? serviceDefault;
}
