import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, localDate } from '../domain/calendar';
import {
  calendarMatchingTime,
  capacityDate,
  dayLabel,
  dayOf,
  dayStart,
  daysText,
  firstDayOn,
  lastDayOn,
  localDateOf,
  localMidnight,
  matchingTime,
  programmeClock,
} from '../domain/programme-time';

// 2000–2099, whatever the hour
const instantArb = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) });
const dayLengthArb = fc.constantFrom('1d', '2d', '24h', '7h', '1h', '7m', '10s', '1s', '1500ms');
const dateArb = fc.integer({ min: 0, max: 36_000 }).map((n) => addDays('2000-01-01', n));

describe('the programme clock', () => {
  it('names dates as the Asia/Shanghai calendar does', () => {
    fc.assert(
      fc.property(instantArb, (t) => {
        expect(localDateOf(t)).toBe(localDate(t));
        expect(localDateOf(localMidnight(localDateOf(t)))).toBe(localDateOf(t));
        expect(localMidnight(localDateOf(t))).toBeLessThanOrEqual(t);
      }),
    );
  });

  it('puts every instant in exactly one day, and now in the current one', () => {
    fc.assert(
      fc.property(instantArb, instantArb, dayLengthArb, (now, t, dayLength) => {
        const clock = programmeClock(now, dayLength);
        const day = dayOf(clock, t);
        expect(dayStart(clock, day)).toBeLessThanOrEqual(t);
        expect(dayStart(clock, day + 1)).toBeGreaterThan(t);
        expect(dayOf(clock, now)).toBe(clock.current);
        expect(clock.today).toBe(localDate(now));
      }),
    );
  });

  it('gives each day the capacity of the date it starts on, never going back in the calendar', () => {
    fc.assert(
      fc.property(instantArb, dayLengthArb, fc.integer({ min: -500, max: 5000 }), (now, dayLength, day) => {
        const clock = programmeClock(now, dayLength);
        expect(capacityDate(clock, day)).toBe(localDate(dayStart(clock, day)));
        expect(capacityDate(clock, day + 1) >= capacityDate(clock, day)).toBe(true);
      }),
    );
  });

  it('finds the first and the last day of a date', () => {
    fc.assert(
      fc.property(instantArb, dayLengthArb, fc.integer({ min: -3, max: 60 }), (now, dayLength, offset) => {
        const clock = programmeClock(now, dayLength);
        const date = addDays(clock.today, offset);
        const first = firstDayOn(clock, date);
        const last = lastDayOn(clock, date);
        expect(capacityDate(clock, first) >= date).toBe(true);
        expect(capacityDate(clock, first - 1) < date).toBe(true);
        expect(capacityDate(clock, last) <= date).toBe(true);
        expect(capacityDate(clock, last + 1) > date).toBe(true);
      }),
    );
  });

  it('counts calendar days when a day lasts one day, as matching always has', () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: -400, max: 400 }), instantArb, (now, offset, later) => {
        const clock = programmeClock(now, '1d');
        expect(clock.current).toBe(0);
        expect(capacityDate(clock, offset)).toBe(addDays(clock.today, offset));
        expect(lastDayOn(clock, addDays(clock.today, offset))).toBe(offset);
        expect(firstDayOn(clock, addDays(clock.today, offset))).toBe(offset);
        expect(dayOf(clock, later)).toBe(daysBetween(clock.today, localDate(later)));
        expect(dayLabel(clock, offset, 'end')).toBe(addDays(clock.today, offset));
      }),
    );
  });
});

describe('the time of a matching query', () => {
  it('with one-day days, is the calendar dates of the lead time, the demand and the voucher', () => {
    fc.assert(
      fc.property(
        instantArb,
        fc.integer({ min: 0, max: 5 }),
        dateArb,
        fc.option(instantArb, { nil: undefined }),
        (now, leadDays, latestCompletionDate, until) => {
          const voucherValidUntil = until === undefined ? undefined : new Date(until);
          const time = matchingTime({
            now,
            dayLength: '1d',
            leadDays,
            latestCompletionDate,
            voucherValidUntil,
          });
          const today = localDate(now);
          const voucherEnd = voucherValidUntil && localDate(voucherValidUntil);
          const deadline =
            voucherEnd && voucherEnd < latestCompletionDate ? voucherEnd : latestCompletionDate;
          expect(capacityDate(time.clock, time.firstDay)).toBe(addDays(today, leadDays));
          expect(capacityDate(time.clock, time.lastDay)).toBe(deadline);
          const fromDates = calendarMatchingTime({
            today,
            earliestStart: addDays(today, leadDays),
            deadline,
            latestCompletionDate,
          });
          expect(fromDates.firstDay).toBe(time.firstDay);
          expect(fromDates.lastDay).toBe(time.lastDay);
          expect(fromDates.demandLastDay).toBe(time.demandLastDay);
          expect(fromDates.clock.origin).toBe(time.clock.origin);
        },
      ),
    );
  });

  it('lets work complete on the day the voucher ends in, and no later', () => {
    fc.assert(
      fc.property(
        instantArb,
        dayLengthArb,
        fc.integer({ min: 1, max: 30 * 86_400_000 }),
        fc.integer({ min: 0, max: 3 }),
        (now, dayLength, validFor, leadDays) => {
          const validUntil = new Date(now + validFor);
          const time = matchingTime({
            now,
            dayLength,
            leadDays,
            latestCompletionDate: addDays(localDate(validUntil), 1),
            voucherValidUntil: validUntil,
          });
          expect(time.lastDay).toBe(time.voucherLastDay);
          expect(dayStart(time.clock, time.lastDay)).toBeLessThanOrEqual(validUntil.getTime());
          expect(dayStart(time.clock, time.lastDay + 1)).toBeGreaterThan(validUntil.getTime());
          expect(time.firstDay).toBe(time.clock.current + leadDays);
        },
      ),
    );
  });

  it('gives a voucher valid for five minutes thirty ten-second days', () => {
    const now = Date.parse('2026-05-01T04:00:03Z'); // 12:00:03 in Shanghai
    const time = matchingTime({
      now,
      dayLength: '10s',
      leadDays: 1,
      latestCompletionDate: '2026-05-31',
      voucherValidUntil: new Date(now + 5 * 60_000),
    });
    expect(time.lastDay - time.clock.current).toBe(30);
    expect(time.firstDay - time.clock.current).toBe(1);
    expect(capacityDate(time.clock, time.firstDay)).toBe('2026-05-01');
    expect(dayLabel(time.clock, time.firstDay, 'start')).toBe('2026-05-01 12:00:10');
    expect(dayLabel(time.clock, time.lastDay, 'end')).toBe('2026-05-01 12:05:10');
    expect(daysText(time.clock, 3)).toBe('3 day(s) of 10s');
    expect(daysText(programmeClock(now, '1d'), 3)).toBe('3 day(s)');
  });
});
