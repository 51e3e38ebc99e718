import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCHING_WEIGHTS } from '../config/matching';
import { addDays } from '../domain/calendar';
import type { Demand } from '../domain/demand';
import {
  rankProviders,
  servicesNeedingCapacity,
  type MatchingProvider,
  type MatchingRules,
} from '../domain/matching';
import { providerRegionAllowed, PolicySchema } from '../domain/policy';
import { subsidySplit } from '../domain/subsidy';
import {
  catalogArb,
  demandArb,
  fullDaysArb,
  rulesArb,
  TODAY,
  withDeadline,
} from './support/matching-arbitraries';

const scenario = fc
  .tuple(catalogArb(), demandArb(), rulesArb())
  .chain(([providers, demand, rules]) =>
    fullDaysArb(providers).map((full) => ({ providers, demand, rules: withDeadline(rules, demand), full })),
  );

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let s = seed;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = s % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('ranking properties', () => {
  it('never ranks a uniformly cheaper provider below an otherwise identical one', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), ({ providers, demand, rules, full }, pick) => {
        const original = providers[pick % providers.length]!;
        // same services, same order, same region and record; every price three quarters
        const cheaper: MatchingProvider = {
          ...original,
          id: `c${original.id}`,
          services: original.services.map((s) => ({
            ...s,
            id: `c${s.id}`,
            unitPriceFen: (s.unitPriceFen * 3) / 4,
          })),
        };
        const days = new Map(full);
        for (const s of original.services) {
          const taken = full.get(s.id);
          if (taken) days.set(`c${s.id}`, taken);
        }
        const { candidates } = rankProviders(demand, [...providers, cheaper], rules, days);
        const rankOf = (id: string) => candidates.find((c) => c.providerId === id)?.rank;
        const originalRank = rankOf(original.id);
        if (originalRank !== undefined) {
          expect(rankOf(cheaper.id)).toBeDefined();
          expect(rankOf(cheaper.id)!).toBeLessThan(originalRank);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never offers a provider that lacks a requested standard in an in-scope service', () => {
    fc.assert(
      fc.property(scenario, ({ providers, demand, rules, full }) => {
        const { candidates } = rankProviders(demand, providers, rules, full);
        for (const candidate of candidates) {
          const provider = providers.find((p) => p.id === candidate.providerId)!;
          for (const standard of demand.standards) {
            expect(provider.services.some((s) => s.inScope && s.standards.includes(standard))).toBe(true);
            expect(candidate.lines.some((l) => l.standards.includes(standard))).toBe(true);
          }
          expect(provider.status).toBe('LISTED');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps to the programme region rule and says so for each provider it leaves out', () => {
    fc.assert(
      fc.property(scenario, ({ providers, demand, rules, full }) => {
        fc.pre(rules.programme !== undefined);
        const { policy, regionCode } = rules.programme;
        const { candidates, nearMisses } = rankProviders(demand, providers, rules, full);
        for (const c of candidates)
          expect(providerRegionAllowed(policy, regionCode, c.regionCode)).toBe(true);
        for (const p of providers) {
          const coversOne = p.services.some((s) => s.standards.some((std) => demand.standards.includes(std)));
          if (!coversOne || providerRegionAllowed(policy, regionCode, p.regionCode)) continue;
          const miss = nearMisses.find((m) => m.providerId === p.id);
          expect(miss?.reasons.map((r) => r.code)).toContain('REGION_NOT_ALLOWED');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers the same whatever order the catalog comes in', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), ({ providers, demand, rules, full }, seed) => {
        const reordered = shuffled(providers, seed).map((p) => ({
          ...p,
          services: shuffled(p.services, seed + 1),
        }));
        expect(rankProviders(demand, reordered, rules, full)).toEqual(
          rankProviders(demand, providers, rules, full),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('shows the first of the whole ranking when asked for fewer, with the same totals', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.nat({ max: 6 }),
        fc.nat({ max: 6 }),
        ({ providers, demand, rules, full }, candidates, nearMisses) => {
          const whole = rankProviders(demand, providers, rules, full);
          const some = rankProviders(demand, providers, rules, full, { candidates, nearMisses });
          expect(some).toEqual({
            ...whole,
            candidates: whole.candidates.slice(0, candidates),
            nearMisses: whole.nearMisses.slice(0, nearMisses),
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finishes every line by the deadline, on a day that still had room', () => {
    fc.assert(
      fc.property(scenario, ({ providers, demand, rules, full }) => {
        for (const c of rankProviders(demand, providers, rules, full).candidates) {
          for (const line of c.lines) {
            expect(line.completionDate <= rules.deadline).toBe(true);
            expect(line.startDate >= rules.earliestStart).toBe(true);
            expect(full.get(line.serviceId)?.has(line.startDate) ?? false).toBe(false);
          }
          expect(c.quotedPriceFen).toBe(
            c.lines.reduce((sum, l) => sum + l.unitPriceFen * demand.sampleCount, 0),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads capacity only for services that pass every other filter', () => {
    fc.assert(
      fc.property(scenario, ({ providers, demand, rules, full }) => {
        const asked = new Set(servicesNeedingCapacity(demand, providers, rules));
        const { candidates } = rankProviders(demand, providers, rules, full);
        for (const c of candidates) for (const l of c.lines) expect(asked.has(l.serviceId)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

const rules: MatchingRules = {
  today: TODAY,
  earliestStart: addDays(TODAY, 1),
  deadline: '2026-03-31',
  weights: DEFAULT_MATCHING_WEIGHTS,
};

function lab(id: string, overrides: Partial<MatchingProvider> = {}): MatchingProvider {
  return {
    id,
    name: `lab ${id}`,
    kind: 'LAB',
    regionCode: '310115',
    status: 'LISTED',
    ratingCentis: 400,
    onTimeCount: 10,
    lateCount: 0,
    services: [],
    ...overrides,
  };
}

const service = (id: string, standards: string[], unitPriceFen: number, more: object = {}) => ({
  id,
  name: `service ${id}`,
  category: 'TESTING' as const,
  standards,
  unitPriceFen,
  turnaroundDays: 5,
  dailyCapacity: 10,
  inScope: true,
  ...more,
});

const demand: Demand = {
  standards: ['GB/T 2423.1', 'GB/T 2423.2', 'IEC 61000-4-2'],
  sampleCount: 2,
  latestCompletionDate: '2026-03-31',
};

describe('a candidate and its explanation', () => {
  it('combines the cheapest set of a provider’s services that covers every standard', () => {
    const provider = lab('p1', {
      services: [
        service('s-all', ['GB/T 2423.1', 'GB/T 2423.2', 'IEC 61000-4-2'], 90_000),
        service('s-env', ['GB/T 2423.1', 'GB/T 2423.2'], 30_000),
        service('s-esd', ['IEC 61000-4-2'], 40_000, { turnaroundDays: 8 }),
        service('s-cold', ['GB/T 2423.1'], 10_000),
      ],
    });
    const [candidate] = rankProviders(demand, [provider], rules, new Map()).candidates;
    expect(candidate!.lines.map((l) => l.serviceId)).toEqual(['s-env', 's-esd']);
    expect(candidate!.lines[0]!.standards).toEqual(['GB/T 2423.1', 'GB/T 2423.2']);
    expect(candidate!.quotedPriceFen).toBe((30_000 + 40_000) * 2);
    expect(candidate!.completionDate).toBe(addDays(TODAY, 1 + 8));
    expect(candidate!.components.map((c) => c.name)).toEqual([
      'coverage',
      'price',
      'earliestDate',
      'turnaround',
      'onTimeRate',
      'rating',
      'regionProximity',
    ]);
    const coverage = candidate!.components.find((c) => c.name === 'coverage')!;
    expect(coverage).toMatchObject({ value: 0.5, detail: '2 services together cover the 3 standards' });
    const sum = candidate!.components.reduce((s, c) => s + c.points, 0);
    expect(Math.abs(sum - candidate!.score)).toBeLessThan(0.05);
  });

  it('tells each near miss why, standard by standard', () => {
    const providers = [
      lab('p-scope', {
        services: [
          service('a', ['GB/T 2423.1', 'GB/T 2423.2'], 10_000),
          service('b', ['IEC 61000-4-2'], 10_000, { inScope: false }),
        ],
      }),
      lab('p-full', { services: [service('c', demand.standards, 10_000, { dailyCapacity: 1 })] }),
      lab('p-booked', { services: [service('d', demand.standards, 10_000)] }),
      lab('p-partial', { services: [service('e', ['GB/T 2423.2'], 10_000)] }),
    ];
    const everyDay = new Set(Array.from({ length: 40 }, (_, i) => addDays(TODAY, i)));
    const { candidates, nearMisses } = rankProviders(demand, providers, rules, new Map([['d', everyDay]]));
    expect(candidates).toEqual([]);
    const reasons = Object.fromEntries(
      nearMisses.map((m) => [m.providerId, m.reasons.map((r) => r.message)]),
    );
    expect(reasons['p-scope']).toEqual(['standard IEC 61000-4-2 not in scope']);
    expect(reasons['p-full']![0]).toBe(
      'no capacity before 2026-03-31 for GB/T 2423.1 (daily capacity is below the sample count)',
    );
    expect(reasons['p-booked']![0]).toBe(
      'no capacity before 2026-03-31 for GB/T 2423.1 (fully booked until then)',
    );
    expect(reasons['p-partial']).toEqual([
      'standard GB/T 2423.1 not offered',
      'standard IEC 61000-4-2 not offered',
    ]);
    // the provider covering most of the demand comes first
    expect(nearMisses.at(-1)!.providerId).toBe('p-partial');
  });

  it('refuses categories the programme does not fund, and providers outside its region', () => {
    const policy = PolicySchema.parse({ eligibleCategories: ['TESTING'] });
    const providers = [
      lab('p-cert', { services: [service('a', demand.standards, 10_000, { category: 'CERTIFICATION' })] }),
      lab('p-far', { regionCode: '440305', services: [service('b', demand.standards, 10_000)] }),
      lab('p-near', { regionCode: '310104', services: [service('c', demand.standards, 10_000)] }),
    ];
    const { candidates, nearMisses } = rankProviders(
      demand,
      providers,
      { ...rules, programme: { regionCode: '310000', policy } },
      new Map(),
    );
    expect(candidates.map((c) => c.providerId)).toEqual(['p-near']);
    expect(nearMisses.find((m) => m.providerId === 'p-cert')!.reasons[0]!.code).toBe('CATEGORY_NOT_ELIGIBLE');
    expect(nearMisses.find((m) => m.providerId === 'p-far')!.reasons[0]!.message).toContain(
      'does not fund cross-region providers',
    );
  });

  it('breaks equal scores by provider id, and estimates the subsidy with the voucher balance', () => {
    const same = [service('x', demand.standards, 12_345)];
    const providers = [
      lab('p-b', { services: same }),
      lab('p-a', { services: same.map((s) => ({ ...s, id: 'y' })) }),
    ];
    const policy = PolicySchema.parse({ subsidyRatioBps: 5_000 });
    const { candidates } = rankProviders(
      demand,
      providers,
      { ...rules, programme: { regionCode: '310000', policy }, voucherBalanceFen: 20_000 },
      new Map(),
    );
    expect(candidates.map((c) => c.providerId)).toEqual(['p-a', 'p-b']);
    expect(candidates[0]!.score).toBe(candidates[1]!.score);
    expect(candidates[0]!.subsidy).toEqual({ ratioBps: 5_000, subsidyFen: 12_345, copaymentFen: 12_345 });
  });
});

describe('subsidy arithmetic', () => {
  it('floors the ratio, caps at the balance, and leaves the rest to the SME', () => {
    expect(subsidySplit(10_001, 5_000, 1_000_000)).toEqual({
      ratioBps: 5_000,
      subsidyFen: 5_000,
      copaymentFen: 5_001,
    });
    expect(subsidySplit(10_000, 3_333, 1_000_000).subsidyFen).toBe(3_333);
    expect(subsidySplit(500_000, 5_000, 100_000)).toEqual({
      ratioBps: 5_000,
      subsidyFen: 100_000,
      copaymentFen: 400_000,
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 ** 10 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.nat(),
        (q, r, b) => {
          const split = subsidySplit(q, r, b);
          expect(split.subsidyFen + split.copaymentFen).toBe(q);
          expect(split.subsidyFen).toBeLessThanOrEqual(b);
          expect(BigInt(split.subsidyFen)).toBeLessThanOrEqual((BigInt(q) * BigInt(r)) / 10_000n);
        },
      ),
    );
  });
});
