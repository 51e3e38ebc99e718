import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCHING_WEIGHTS } from '../config/matching';
import { addDays } from '../domain/calendar';
import type { Demand } from '../domain/demand';
import {
  matchPrepared,
  prepareMatching,
  rankPrepared,
  rankProviders,
  type FullDays,
  type MatchingProvider,
  type MatchingRules,
  type NearMissCode,
} from '../domain/matching';
import {
  capacityDate,
  dayOf,
  dayStart,
  localMidnight,
  matchingTime,
  type MatchingTimeInput,
} from '../domain/programme-time';
import { catalogArb, demandArb, fullDaysArb, rulesArb, TODAY } from './support/matching-arbitraries';

/** Rules as the repository makes them: the dates are those of the programme's days. */
function rulesAt(
  base: Omit<MatchingRules, 'today' | 'earliestStart' | 'deadline'>,
  input: MatchingTimeInput,
) {
  const time = matchingTime(input);
  return {
    ...base,
    today: time.clock.today,
    earliestStart: capacityDate(time.clock, time.firstDay),
    deadline: capacityDate(time.clock, time.lastDay),
    time,
  } satisfies MatchingRules;
}

const timeArb = fc.record({
  // some time on TODAY, Asia/Shanghai
  now: fc.integer({ min: 0, max: 86_399_999 }).map((ms) => localMidnight(TODAY) + ms),
  dayLength: fc.constantFrom('1d', '1d', '6h', '1h', '10m', '10s'),
  leadDays: fc.integer({ min: 0, max: 2 }),
  validFor: fc.option(fc.integer({ min: 1, max: 40 * 86_400_000 }), { nil: undefined }),
});

function timed(catalog: fc.Arbitrary<MatchingProvider[]>, rules: fc.Arbitrary<MatchingRules>) {
  return fc.tuple(catalog, demandArb(), rules, timeArb).chain(([providers, demand, base, t]) =>
    fullDaysArb(providers).map((full) => ({
      providers,
      demand,
      full,
      rules: rulesAt(base, {
        now: t.now,
        dayLength: t.dayLength,
        leadDays: t.leadDays,
        latestCompletionDate: demand.latestCompletionDate,
        voucherValidUntil: t.validFor === undefined ? undefined : new Date(t.now + t.validFor),
      }),
    })),
  );
}

const timedScenario = timed(catalogArb(), rulesArb());

/** Providers that pass every filter but time and capacity, so that those are what is tested. */
const onlyTimeScenario = timed(
  catalogArb().map((providers) =>
    providers.map((p) => ({
      ...p,
      status: 'LISTED' as const,
      services: p.services.map((s) => ({ ...s, category: 'TESTING' as const, inScope: true })),
    })),
  ),
  rulesArb().map((rules) => ({ ...rules, programme: undefined })),
);

/** The same query with the voucher's end, or the demand's date, moved. */
function moved(
  rules: ReturnType<typeof rulesAt>,
  demand: Demand,
  change: { days?: number; noVoucher?: true },
) {
  const { time } = rules;
  const latestCompletionDate = addDays(demand.latestCompletionDate, change.days ?? 0);
  const input: MatchingTimeInput = {
    now: dayStart(time.clock, time.clock.current),
    dayLength: `${time.clock.dayMs}ms`,
    leadDays: time.firstDay - time.clock.current,
    latestCompletionDate,
    voucherValidUntil:
      change.noVoucher || time.voucherLastDay === null
        ? undefined
        : new Date(dayStart(time.clock, time.voucherLastDay)),
  };
  return { demand: { ...demand, latestCompletionDate }, rules: rulesAt(rules, input) };
}

const codesOf = (reasons: { code: NearMissCode }[]) => new Set(reasons.map((r) => r.code));

describe('matching in the programme’s days', () => {
  it('starts every line on a day with room and finishes it by the last day work may complete on', () => {
    fc.assert(
      fc.property(timedScenario, ({ providers, demand, rules, full }) => {
        const { time } = rules;
        for (const c of rankProviders(demand, providers, rules, full).candidates) {
          expect(Date.parse(c.completionBy)).toBeLessThanOrEqual(dayStart(time.clock, time.lastDay + 1));
          for (const line of c.lines) {
            expect(full.get(line.serviceId)?.has(line.startDate) ?? false).toBe(false);
            expect(line.startDate >= capacityDate(time.clock, time.firstDay)).toBe(true);
            expect(line.completionDate <= capacityDate(time.clock, time.lastDay)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves a provider out for the voucher’s end only when a longer voucher would take it', () => {
    fc.assert(
      fc.property(onlyTimeScenario, ({ providers, demand, rules, full }) => {
        const { nearMisses } = rankProviders(demand, providers, rules, full);
        const longer = moved(rules, demand, { noVoucher: true });
        const without = rankProviders(longer.demand, providers, longer.rules, full);
        for (const miss of nearMisses) {
          const codes = codesOf(miss.reasons);
          if (codes.size !== 1 || !codes.has('VOUCHER_ENDS_TOO_SOON')) continue;
          expect(without.candidates.map((c) => c.providerId)).toContain(miss.providerId);
        }
        for (const c of without.candidates) {
          const miss = nearMisses.find((m) => m.providerId === c.providerId);
          // the voucher, not capacity or the demand's date, is what left it out
          if (miss) expect(codesOf(miss.reasons)).toEqual(new Set(['VOUCHER_ENDS_TOO_SOON']));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves a provider out for the demand’s date only when a later date would take it', () => {
    fc.assert(
      fc.property(onlyTimeScenario, ({ providers, demand, rules, full }) => {
        const { nearMisses } = rankProviders(demand, providers, rules, full);
        // past every booked day and every turnaround, with no voucher in the way
        const later = moved(rules, demand, { days: 400, noVoucher: true });
        const { candidates } = rankProviders(later.demand, providers, later.rules, full);
        for (const miss of nearMisses) {
          const codes = codesOf(miss.reasons);
          if (codes.size !== 1 || !codes.has('DEMAND_DATE_TOO_SOON')) continue;
          expect(candidates.map((c) => c.providerId)).toContain(miss.providerId);
          const voucherOff = moved(rules, demand, { noVoucher: true });
          const still = rankProviders(voucherOff.demand, providers, voucherOff.rules, full);
          expect(still.candidates.map((c) => c.providerId)).not.toContain(miss.providerId);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('matches one chosen provider exactly as the ranking does', () => {
    fc.assert(
      fc.property(timedScenario, ({ providers, demand, rules, full }) => {
        const whole = rankProviders(demand, providers, rules, full);
        for (const provider of providers) {
          const alone = prepareMatching(demand, [provider], rules);
          const one = matchPrepared(alone, full);
          const candidate = whole.candidates.find((c) => c.providerId === provider.id);
          const miss = whole.nearMisses.find((m) => m.providerId === provider.id);
          if (candidate) {
            const { rank: _rank, score: _score, components: _components, ...terms } = candidate;
            expect(one).toEqual({ candidate: terms });
          } else if (miss) expect(one).toEqual({ nearMiss: miss });
          else expect(one).toEqual({ offersNone: true });
          // it reads the booked days of its own services only
          const ids = new Set(provider.services.map((s) => s.id));
          expect(alone.serviceIds.every((id) => ids.has(id))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

const lab = (id: string, turnaroundDays: number, dailyCapacity = 5): MatchingProvider => ({
  id,
  name: `lab ${id}`,
  kind: 'LAB',
  regionCode: '310115',
  status: 'LISTED',
  ratingCentis: 400,
  onTimeCount: 3,
  lateCount: 0,
  services: [
    {
      id: `${id}-s`,
      name: 'climate test',
      category: 'TESTING',
      standards: ['GB/T 2423.1'],
      unitPriceFen: 30_000,
      turnaroundDays,
      dailyCapacity,
      inScope: true,
    },
  ],
});

const demand: Demand = {
  standards: ['GB/T 2423.1'],
  sampleCount: 2,
  latestCompletionDate: addDays(TODAY, 30),
};
const noon = localMidnight(TODAY) + 12 * 3_600_000;

describe('a programme whose days last ten seconds', () => {
  const minutes = rulesAt(
    { weights: DEFAULT_MATCHING_WEIGHTS, voucherBalanceFen: 1_000_000 },
    {
      now: noon,
      dayLength: '10s',
      leadDays: 1,
      latestCompletionDate: demand.latestCompletionDate,
      voucherValidUntil: new Date(noon + 5 * 60_000),
    },
  );

  it('finds candidates within a voucher valid for five minutes, done before it ends', () => {
    const { candidates, nearMisses } = rankProviders(
      demand,
      [lab('quick', 3), lab('slow', 40)],
      minutes,
      new Map(),
    );
    expect(candidates.map((c) => c.providerId)).toEqual(['quick']);
    const [quick] = candidates;
    expect(quick!.lines[0]).toMatchObject({ startDate: TODAY, completionDate: TODAY });
    // started on the next ten-second day, done three days later
    expect(quick!.completionBy).toBe(new Date(noon + 50_000).toISOString());
    expect(Date.parse(quick!.completionBy)).toBeLessThan(noon + 5 * 60_000);
    expect(quick!.components.find((c) => c.name === 'turnaround')!.detail).toBe(
      '3 day(s) of 10s; the fastest candidate takes 3',
    );

    expect(nearMisses).toEqual([
      expect.objectContaining({
        providerId: 'slow',
        reasons: [
          {
            code: 'VOUCHER_ENDS_TOO_SOON',
            standard: 'GB/T 2423.1',
            message:
              'the voucher ends before GB/T 2423.1 could be done: its last day is ' +
              `${TODAY} 12:05:10, the earliest completion ${TODAY} 12:07:00`,
          },
        ],
      }),
    ]);
  });

  it('skips a full date at once, however many of its days there are', () => {
    const seconds = rulesAt(
      { weights: DEFAULT_MATCHING_WEIGHTS },
      { now: noon, dayLength: '1s', leadDays: 1, latestCompletionDate: demand.latestCompletionDate },
    );
    const full: FullDays = new Map([['quick-s', new Set([TODAY, addDays(TODAY, 1)])]]);
    const started = performance.now();
    const [candidate] = rankProviders(demand, [lab('quick', 3)], seconds, full).candidates;
    expect(performance.now() - started).toBeLessThan(500);
    expect(candidate!.lines[0]!.startDate).toBe(addDays(TODAY, 2));
    // the first second of that date
    expect(dayOf(seconds.time.clock, Date.parse(candidate!.completionBy) - 1)).toBe(
      dayOf(seconds.time.clock, localMidnight(addDays(TODAY, 2))) + 3,
    );
  });

  it('names capacity when the lab is full until the demand’s date, whatever the voucher', () => {
    const everyDate = new Set(Array.from({ length: 32 }, (_, i) => addDays(TODAY, i)));
    const prepared = prepareMatching(demand, [lab('booked', 3), lab('small', 3, 1)], minutes);
    expect(prepared.capacityDates).toEqual({ from: TODAY, to: demand.latestCompletionDate });
    const { nearMisses } = rankPrepared(prepared, new Map([['booked-s', everyDate]]));
    expect(Object.fromEntries(nearMisses.map((m) => [m.providerId, m.reasons]))).toEqual({
      booked: [
        {
          code: 'NO_CAPACITY',
          standard: 'GB/T 2423.1',
          message: `no capacity before ${addDays(demand.latestCompletionDate, 1)} 00:00:00 for GB/T 2423.1 (fully booked until then)`,
        },
      ],
      small: [
        {
          code: 'NO_CAPACITY',
          standard: 'GB/T 2423.1',
          message: `no capacity before ${addDays(demand.latestCompletionDate, 1)} 00:00:00 for GB/T 2423.1 (daily capacity is below the sample count)`,
        },
      ],
    });
  });
});

describe('a programme of calendar days', () => {
  const rules = rulesAt(
    { weights: DEFAULT_MATCHING_WEIGHTS },
    { now: noon, dayLength: '1d', leadDays: 1, latestCompletionDate: addDays(TODAY, 4) },
  );

  it('names the demand’s own date when no turnaround fits before it', () => {
    const { nearMisses } = rankProviders(
      { ...demand, latestCompletionDate: addDays(TODAY, 4) },
      [lab('slow', 5)],
      rules,
      new Map(),
    );
    expect(nearMisses[0]!.reasons).toEqual([
      {
        code: 'DEMAND_DATE_TOO_SOON',
        standard: 'GB/T 2423.1',
        message: `GB/T 2423.1 cannot be done by the latest completion date ${addDays(TODAY, 4)}: the shortest turnaround is 5 day(s) from the first possible start ${addDays(TODAY, 1)}`,
      },
    ]);
  });
});
