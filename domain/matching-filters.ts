import type { ServiceCategory } from './catalog';
import type { Demand } from './demand';
import { DayWindow, earliestSlot, type SlotProblem } from './matching-cover';
import type { MatchingProvider, MatchingRules, MatchingService, NearMiss, NearMissReason } from './matching';
import { providerRegionAllowed } from './policy';

/** The hard filters of matching (SPEC §4) that need no capacity, and why a provider fails them. */
export const covers = (service: MatchingService, standard: string) => service.standards.includes(standard);

export const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export const SLOT_PROBLEMS: Record<SlotProblem, string> = {
  CAPACITY_BELOW_SAMPLES: 'daily capacity is below the sample count',
  TURNAROUND_TOO_LONG: 'the turnaround cannot finish in time',
  FULLY_BOOKED: 'fully booked until then',
};

/** A provider that passed every filter but capacity, with its usable services per standard. */
export interface Screened {
  provider: MatchingProvider;
  usable: MatchingService[][];
  covered: string[];
}

/** A query after the filters that need no capacity: what remains to check against booked days. */
export interface PreparedMatching {
  demand: Demand;
  rules: MatchingRules;
  window: DayWindow;
  passed: Screened[];
  nearMisses: NearMiss[];
  /** services whose booked days decide the rest */
  serviceIds: string[];
}

interface Context {
  demand: Demand;
  rules: MatchingRules;
  window: DayWindow;
  eligible: (category: ServiceCategory) => boolean;
  regionAllowed: (region: string) => boolean;
}

function regionRule(rules: MatchingRules): (region: string) => boolean {
  const programme = rules.programme;
  if (!programme) return () => true;
  const known = new Map<string, boolean>();
  return (region) => {
    let allowed = known.get(region);
    if (allowed === undefined) {
      allowed = providerRegionAllowed(programme.policy, programme.regionCode, region);
      known.set(region, allowed);
    }
    return allowed;
  };
}

function regionReason(rules: MatchingRules, region: string): NearMissReason {
  const programme = rules.programme!;
  return {
    code: 'REGION_NOT_ALLOWED',
    message: programme.policy.crossRegionAllowed
      ? `provider region ${region} is outside the programme region ${programme.regionCode} and its cross-region areas`
      : `provider region ${region} is outside the programme region ${programme.regionCode}; the programme does not fund cross-region providers`,
  };
}

const categories = (services: MatchingService[]) =>
  [...new Set(services.map((s) => s.category))].sort().join(', ');

const isSortedById = (services: readonly MatchingService[]) =>
  services.every((s, i) => i === 0 || services[i - 1]!.id < s.id);

/** Why no service of the provider is usable for a standard, from the first filter that leaves none. */
function standardReason(
  ctx: Context,
  services: readonly MatchingService[],
  standard: string,
): NearMissReason {
  const offering = services.filter((s) => covers(s, standard));
  const inScope = offering.filter((s) => s.inScope);
  const eligible = inScope.filter((s) => ctx.eligible(s.category));
  if (!offering.length)
    return { code: 'STANDARD_NOT_OFFERED', standard, message: `standard ${standard} not offered` };
  if (!inScope.length)
    return { code: 'STANDARD_NOT_IN_SCOPE', standard, message: `standard ${standard} not in scope` };
  if (!eligible.length) {
    return {
      code: 'CATEGORY_NOT_ELIGIBLE',
      standard,
      message: `standard ${standard} offered only as ${categories(inScope)}, which the programme does not fund`,
    };
  }
  return {
    code: 'CATEGORY_NOT_REQUESTED',
    standard,
    message: `standard ${standard} offered only as ${categories(eligible)}, not ${ctx.demand.category}`,
  };
}

/** The filters that do not depend on capacity, standard by standard. */
function screen(ctx: Context, provider: MatchingProvider): Screened | NearMiss | null {
  const { demand } = ctx;
  // by id, so that messages and choices never depend on the order the catalog came in
  const services = isSortedById(provider.services) ? provider.services : [...provider.services].sort(byId);
  const usable: MatchingService[][] = [];
  const covered: string[] = [];
  let missing = false;
  for (const standard of demand.standards) {
    const wanted: MatchingService[] = [];
    let offered = false;
    for (const s of services) {
      if (!covers(s, standard)) continue;
      offered = true;
      if (s.inScope && ctx.eligible(s.category) && (!demand.category || s.category === demand.category))
        wanted.push(s);
    }
    if (offered) covered.push(standard);
    if (!wanted.length) missing = true;
    usable.push(wanted);
  }
  if (covered.length === 0) return null;
  const listed = provider.status === 'LISTED';
  const regionAllowed = ctx.regionAllowed(provider.regionCode);
  if (listed && regionAllowed && !missing) return { provider, usable, covered };

  const reasons: NearMissReason[] = [];
  if (!listed) reasons.push({ code: 'NOT_LISTED', message: `provider is ${provider.status}, not listed` });
  if (!regionAllowed) reasons.push(regionReason(ctx.rules, provider.regionCode));
  demand.standards.forEach((standard, index) => {
    if (!usable[index]!.length) reasons.push(standardReason(ctx, services, standard));
  });
  return nearMissOf(provider, covered, reasons);
}

export function nearMissOf(
  provider: MatchingProvider,
  covered: string[],
  reasons: NearMissReason[],
): NearMiss {
  return {
    providerId: provider.id,
    providerName: provider.name,
    regionCode: provider.regionCode,
    coveredStandards: covered,
    reasons,
  };
}

/** Applies every filter that needs no capacity, and says which services' booked days to read. */
export function prepareMatching(
  demand: Demand,
  providers: readonly MatchingProvider[],
  rules: MatchingRules,
): PreparedMatching {
  const eligibleCategories = rules.programme ? new Set(rules.programme.policy.eligibleCategories) : null;
  const ctx: Context = {
    demand,
    rules,
    window: new DayWindow(rules.earliestStart, rules.deadline),
    eligible: (category) => !eligibleCategories || eligibleCategories.has(category),
    regionAllowed: regionRule(rules),
  };
  const passed: Screened[] = [];
  const nearMisses: NearMiss[] = [];
  const ids = new Set<string>();
  for (const provider of providers) {
    const result = screen(ctx, provider);
    if (!result) continue;
    if ('reasons' in result) {
      nearMisses.push(result);
      continue;
    }
    passed.push(result);
    for (const services of result.usable) {
      for (const s of services) {
        // what cannot fit even with no day booked needs no capacity read
        if (typeof earliestSlot(s, demand.sampleCount, ctx.window, undefined) === 'object') ids.add(s.id);
      }
    }
  }
  return { demand, rules, window: ctx.window, passed, nearMisses, serviceIds: [...ids] };
}
