import type { IsoDate } from './calendar';
import type { ServiceCategory } from './catalog';
import type { Demand } from './demand';
import { couldFit, DayWindow, type SlotProblem } from './matching-cover';
import type { MatchingProvider, MatchingRules, MatchingService, NearMiss, NearMissReason } from './matching';
import { providerRegionAllowed } from './policy';
import { calendarMatchingTime, capacityDate, type MatchingTime } from './programme-time';

/** The hard filters of matching (docs/policy.md, "Matching") that need no capacity, and why a provider fails them. */
export const covers = (service: MatchingService, standard: string) => service.standards.includes(standard);

export const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export const SLOT_PROBLEMS: Record<Exclude<SlotProblem, 'TURNAROUND_TOO_LONG'>, string> = {
  CAPACITY_BELOW_SAMPLES: 'daily capacity is below the sample count',
  FULLY_BOOKED: 'fully booked until then',
};

/** A provider that passed every filter but capacity, with its usable services per standard. */
export interface Screened {
  provider: MatchingProvider;
  usable: MatchingService[][];
  /** the requested standards it offers: all of them */
  covered: readonly string[];
}

/**
 * A provider left out. A query may leave thousands out and shows a few, so the reasons, which take
 * the most work and memory, are spelled out only for those shown.
 */
export interface PendingNearMiss {
  providerId: string;
  coveredCount: number;
  explain(): NearMiss;
}

/** A query after the filters that need no capacity: what remains to check against booked days. */
export interface PreparedMatching {
  demand: Demand;
  rules: MatchingRules;
  time: MatchingTime;
  /** the days on which work may start and complete */
  window: DayWindow;
  /** the same to the demand's own latest date: what a voucher valid long enough would allow */
  demandWindow: DayWindow;
  passed: Screened[];
  nearMisses: PendingNearMiss[];
  /** services whose booked days decide the rest */
  serviceIds: string[];
  /** the dates whose booked days to read: those of the days of `demandWindow` */
  capacityDates: { from: IsoDate; to: IsoDate };
}

interface Context {
  demand: Demand;
  rules: MatchingRules;
  window: DayWindow;
  demandWindow: DayWindow;
  eligible: (category: ServiceCategory) => boolean;
  regionAllowed: (region: string) => boolean;
}

/** In scope, funded by the programme, and of the category asked for. */
const usableFor = (ctx: Context, s: MatchingService) =>
  s.inScope && ctx.eligible(s.category) && (!ctx.demand.category || s.category === ctx.demand.category);

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

function isSortedById(services: readonly MatchingService[]): boolean {
  for (let i = 1; i < services.length; i += 1) if (services[i - 1]!.id >= services[i]!.id) return false;
  return true;
}

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

/**
 * The filters that do not depend on capacity, standard by standard. Allocates only for providers
 * that pass; one that fails is counted and explained later if it is shown.
 */
function screen(ctx: Context, provider: MatchingProvider): Screened | PendingNearMiss | null {
  // by id, so that messages and choices never depend on the order the catalog came in
  const services = isSortedById(provider.services) ? provider.services : [...provider.services].sort(byId);
  const passesOthers = provider.status === 'LISTED' && ctx.regionAllowed(provider.regionCode);
  const usable: MatchingService[][] | null = passesOthers ? [] : null;
  let coveredCount = 0;
  let missing = false;
  for (const standard of ctx.demand.standards) {
    let offered = false;
    let wanted: MatchingService[] | null = null;
    for (const s of services) {
      if (!covers(s, standard)) continue;
      offered = true;
      // left out anyway: only whether the standard is offered still matters
      if (!passesOthers) break;
      if (usableFor(ctx, s)) (wanted ??= []).push(s);
    }
    if (offered) coveredCount += 1;
    if (!wanted) missing = true;
    usable?.push(wanted ?? []);
  }
  if (coveredCount === 0) return null;
  if (usable && !missing) return { provider, usable, covered: ctx.demand.standards };
  return { providerId: provider.id, coveredCount, explain: () => explainScreen(ctx, provider, services) };
}

/** Why a provider failed the filters that need no capacity: every reason, standard by standard. */
function explainScreen(
  ctx: Context,
  provider: MatchingProvider,
  services: readonly MatchingService[],
): NearMiss {
  const { demand } = ctx;
  const reasons: NearMissReason[] = [];
  if (provider.status !== 'LISTED') {
    reasons.push({ code: 'NOT_LISTED', message: `provider is ${provider.status}, not listed` });
  }
  if (!ctx.regionAllowed(provider.regionCode)) reasons.push(regionReason(ctx.rules, provider.regionCode));
  const covered: string[] = [];
  for (const standard of demand.standards) {
    if (services.some((s) => covers(s, standard))) covered.push(standard);
    if (!services.some((s) => covers(s, standard) && usableFor(ctx, s))) {
      reasons.push(standardReason(ctx, services, standard));
    }
  }
  return nearMissOf(provider, covered, reasons);
}

export function nearMissOf(
  provider: MatchingProvider,
  covered: readonly string[],
  reasons: NearMissReason[],
): NearMiss {
  return {
    providerId: provider.id,
    providerName: provider.name,
    regionCode: provider.regionCode,
    coveredStandards: [...covered],
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
  const time =
    rules.time ?? calendarMatchingTime({ ...rules, latestCompletionDate: demand.latestCompletionDate });
  const demandLast = Math.max(time.lastDay, time.demandLastDay);
  const ctx: Context = {
    demand,
    rules,
    window: new DayWindow(time, time.lastDay),
    demandWindow: new DayWindow(time, demandLast),
    eligible: (category) => !eligibleCategories || eligibleCategories.has(category),
    regionAllowed: regionRule(rules),
  };
  const passed: Screened[] = [];
  const nearMisses: PendingNearMiss[] = [];
  const ids = new Set<string>();
  for (const provider of providers) {
    const result = screen(ctx, provider);
    if (!result) continue;
    if ('explain' in result) {
      nearMisses.push(result);
      continue;
    }
    passed.push(result);
    for (const services of result.usable) {
      for (const s of services) {
        // what cannot fit by the demand's date even with no day booked needs no capacity read
        if (couldFit(s, demand.sampleCount, ctx.demandWindow)) ids.add(s.id);
      }
    }
  }
  return {
    demand,
    rules,
    time,
    window: ctx.window,
    demandWindow: ctx.demandWindow,
    passed,
    nearMisses,
    serviceIds: [...ids],
    capacityDates: {
      from: capacityDate(time.clock, time.firstDay),
      to: capacityDate(time.clock, Math.max(time.firstDay, demandLast)),
    },
  };
}
