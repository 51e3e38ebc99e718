import fc from 'fast-check';
import { DEFAULT_MATCHING_WEIGHTS } from '../../config/matching';
import { addDays } from '../../domain/calendar';
import type { ProviderStatus, ServiceCategory } from '../../domain/catalog';
import type { Demand } from '../../domain/demand';
import type { FullDays, MatchingProvider, MatchingRules, MatchingService } from '../../domain/matching';
import { PolicySchema } from '../../domain/policy';

export const TODAY = '2026-03-02';
export const STANDARDS = [
  'GB/T 2423.1',
  'GB/T 2423.2',
  'GB 4943.1',
  'IEC 61000-4-2',
  'GB/T 228.1',
  'JJG 1036',
];
export const REGIONS = ['310115', '310104', '320505', '330106', '340104', '440305', '370212'];
const CATEGORIES: ServiceCategory[] = ['TESTING', 'INSPECTION', 'METROLOGY'];

const id = (prefix: string) =>
  fc.integer({ min: 0, max: 9999 }).map((n) => `${prefix}-${String(n).padStart(4, '0')}`);

export function serviceArb(): fc.Arbitrary<Omit<MatchingService, 'id'>> {
  return fc.record({
    name: fc.constant('service'),
    category: fc.constantFrom(...CATEGORIES),
    standards: fc.subarray(STANDARDS, { minLength: 1, maxLength: 3 }),
    // whole hundreds of fen, so that a 3/4 price stays whole (see the price property)
    unitPriceFen: fc.integer({ min: 1, max: 5_000 }).map((n) => n * 400),
    turnaroundDays: fc.integer({ min: 1, max: 12 }),
    dailyCapacity: fc.integer({ min: 0, max: 6 }),
    inScope: fc.integer({ min: 0, max: 5 }).map((n) => n > 0),
  });
}

export function providerArb(): fc.Arbitrary<MatchingProvider> {
  return fc
    .record({
      id: id('p'),
      regionCode: fc.constantFrom(...REGIONS),
      status: fc.constantFrom<ProviderStatus>('LISTED', 'LISTED', 'LISTED', 'DELISTED'),
      ratingCentis: fc.integer({ min: 0, max: 500 }),
      onTimeCount: fc.integer({ min: 0, max: 40 }),
      lateCount: fc.integer({ min: 0, max: 10 }),
      services: fc.array(serviceArb(), { minLength: 1, maxLength: 4 }),
    })
    .map((p) => ({
      ...p,
      name: `provider ${p.id}`,
      kind: 'LAB' as const,
      services: p.services.map((s, i) => ({ ...s, id: `${p.id}-s${i}` })),
    }));
}

/** Providers with distinct ids. */
export function catalogArb(): fc.Arbitrary<MatchingProvider[]> {
  return fc.uniqueArray(providerArb(), { minLength: 1, maxLength: 8, selector: (p) => p.id });
}

export function demandArb(): fc.Arbitrary<Demand> {
  return fc.record({
    standards: fc.subarray(STANDARDS, { minLength: 1, maxLength: 3 }),
    category: fc.option(fc.constant('TESTING' as const), { nil: undefined }),
    sampleCount: fc.integer({ min: 1, max: 3 }),
    regionPreference: fc.option(fc.constantFrom(...REGIONS), { nil: undefined }),
    latestCompletionDate: fc.integer({ min: 3, max: 40 }).map((d) => addDays(TODAY, d)),
  });
}

export function rulesArb(): fc.Arbitrary<MatchingRules> {
  const programme = fc.record({
    regionCode: fc.constantFrom('310000', '320000', '440300'),
    policy: fc
      .record({
        crossRegionAllowed: fc.boolean(),
        crossRegionAreas: fc.subarray(['310000', '320000', '330000', '340000']),
        eligibleCategories: fc.subarray(CATEGORIES, { minLength: 1 }),
      })
      .map((p) => PolicySchema.parse(p)),
  });
  return fc.record({ programme: fc.option(programme, { nil: undefined }) }).map((r) => ({
    today: TODAY,
    earliestStart: addDays(TODAY, 1),
    deadline: '2099-12-31',
    programme: r.programme,
    weights: DEFAULT_MATCHING_WEIGHTS,
  }));
}

/** Some days of some services already full. */
export function fullDaysArb(providers: MatchingProvider[]): fc.Arbitrary<FullDays> {
  const serviceIds = providers.flatMap((p) => p.services.map((s) => s.id));
  return fc
    .array(fc.tuple(fc.constantFrom(...serviceIds), fc.integer({ min: 0, max: 20 })), { maxLength: 30 })
    .map((entries) => {
      const map = new Map<string, Set<string>>();
      for (const [serviceId, offset] of entries) {
        let days = map.get(serviceId);
        if (!days) map.set(serviceId, (days = new Set()));
        days.add(addDays(TODAY, 1 + offset));
      }
      return map;
    });
}

/** The demand's own deadline applied, as the caller does. */
export function withDeadline(rules: MatchingRules, demand: Demand): MatchingRules {
  return { ...rules, deadline: demand.latestCompletionDate };
}
