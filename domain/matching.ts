import type { IsoDate } from './calendar';
import type { ProviderKind, ProviderStatus, ServiceCategory } from './catalog';
import type { Demand } from './demand';
import { qualify, termsOf, type Qualified } from './matching-choice';
import { prepareMatching, type PreparedMatching } from './matching-filters';
import {
  componentValues,
  explainScore,
  round,
  weightedScore,
  type MatchingWeights,
  type ScoreBaseline,
  type ScoreComponent,
  type ScoreFacts,
} from './matching-score';
import type { Policy } from './policy';
import { dayLabel, daysText, type MatchingTime } from './programme-time';
import type { SubsidySplit } from './subsidy';

export { SCORE_COMPONENTS, type MatchingWeights, type ScoreComponent } from './matching-score';
export { prepareMatching, type PreparedMatching } from './matching-filters';
export { matchPrepared } from './matching-choice';

/**
 * Matching (docs/policy.md, "Matching"): hard filters, then a score whose parts are shown, so that an SME and an
 * auditor can see why each provider ranks where it does and why a near miss was left out.
 * Pure: the caller supplies the catalog slice, the capacity already taken and the time, counted
 * in the programme's days (domain/programme-time.ts).
 */
export interface MatchingService {
  id: string;
  name: string;
  category: ServiceCategory;
  standards: readonly string[];
  unitPriceFen: number;
  turnaroundDays: number;
  dailyCapacity: number;
  inScope: boolean;
}

export interface MatchingProvider {
  id: string;
  name: string;
  kind: ProviderKind;
  regionCode: string;
  status: ProviderStatus;
  ratingCentis: number;
  onTimeCount: number;
  lateCount: number;
  services: readonly MatchingService[];
}

export interface MatchingRules {
  /** today in Asia/Shanghai */
  today: IsoDate;
  /** the date of the first day a provider could work on the samples */
  earliestStart: IsoDate;
  /** the date of the last day work may complete on: the demand's, or the voucher's end when sooner */
  deadline: IsoDate;
  /**
   * The same in the programme's days (`matchingTime`), which decide when they are given; without
   * them days are calendar days, and a deadline sooner than the demand's date is the voucher's end.
   */
  time?: MatchingTime;
  /** the programme whose rules apply; none when browsing */
  programme?: {
    regionCode: string;
    policy: Policy;
  };
  /** the voucher that would pay, for the subsidy estimate */
  voucherBalanceFen?: number;
  /** where "near" is measured from */
  proximityFrom?: string;
  weights: MatchingWeights;
}

/** Days (YYYY-MM-DD) on which a service cannot take the demand's samples, by service id. */
export type FullDays = ReadonlyMap<string, ReadonlySet<IsoDate>>;

export interface CandidateLine {
  serviceId: string;
  serviceName: string;
  category: ServiceCategory;
  /** the requested standards this service covers */
  standards: string[];
  unitPriceFen: number;
  turnaroundDays: number;
  /** unit price × sample count */
  priceFen: number;
  startDate: IsoDate;
  completionDate: IsoDate;
}

/** What a provider that can do the demand would do, whatever its rank: services, dates, price. */
export interface CandidateTerms {
  providerId: string;
  providerName: string;
  kind: ProviderKind;
  regionCode: string;
  lines: CandidateLine[];
  quotedPriceFen: number;
  completionDate: IsoDate;
  /** the instant the programme day of completion ends */
  completionBy: string;
  subsidy: SubsidySplit | null;
}

export interface Candidate extends CandidateTerms {
  rank: number;
  /** 0–100, rounded; the ranking uses the unrounded value */
  score: number;
  components: ScoreComponent[];
}

export const NEAR_MISS_CODES = [
  'NOT_LISTED',
  'REGION_NOT_ALLOWED',
  'STANDARD_NOT_OFFERED',
  'STANDARD_NOT_IN_SCOPE',
  'CATEGORY_NOT_ELIGIBLE',
  'CATEGORY_NOT_REQUESTED',
  'NO_CAPACITY',
  'VOUCHER_ENDS_TOO_SOON',
  'DEMAND_DATE_TOO_SOON',
] as const;
export type NearMissCode = (typeof NEAR_MISS_CODES)[number];

export interface NearMissReason {
  code: NearMissCode;
  standard?: string;
  message: string;
}

/** A provider that covers at least one requested standard but was filtered out, and why. */
export interface NearMiss {
  providerId: string;
  providerName: string;
  regionCode: string;
  coveredStandards: string[];
  reasons: NearMissReason[];
}

/** One provider under a query's rules: what the ranking would give it, or why it is left out. */
export type ProviderMatch = { candidate: CandidateTerms } | { nearMiss: NearMiss } | { offersNone: true };

export interface MatchOutcome {
  /** the best first, as many as asked for */
  candidates: Candidate[];
  /** those covering most of the demand first, as many as asked for */
  nearMisses: NearMiss[];
  totalCandidates: number;
  totalNearMisses: number;
}

export interface MatchLimits {
  candidates?: number;
  nearMisses?: number;
}

const byProviderId = (a: { providerId: string }, b: { providerId: string }) =>
  a.providerId < b.providerId ? -1 : a.providerId > b.providerId ? 1 : 0;

/**
 * The first `n` items in `compare` order (all when `n` is not given), without sorting the rest:
 * a query may rank thousands and show twenty. `compare` must be a total order.
 */
function firstInOrder<T>(items: readonly T[], n: number | undefined, compare: (a: T, b: T) => number): T[] {
  if (n === undefined || n >= items.length) return [...items].sort(compare);
  const best: T[] = [];
  if (n <= 0) return best;
  for (const item of items) {
    if (best.length === n && compare(item, best[n - 1]!) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(best[mid]!, item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, item);
    if (best.length > n) best.pop();
  }
  return best;
}

/** Services whose booked days matching must read: those of providers passing every other filter. */
export function servicesNeedingCapacity(
  demand: Demand,
  providers: readonly MatchingProvider[],
  rules: MatchingRules,
): string[] {
  return prepareMatching(demand, providers, rules).serviceIds;
}

function factsOf(prepared: PreparedMatching, q: Qualified): ScoreFacts {
  const { window } = prepared;
  return {
    lineCount: q.chosen.length,
    standardCount: prepared.demand.standards.length,
    quotedPriceFen: q.quotedPriceFen,
    completionDate: window.at(q.completion),
    completionDay: window.time.firstDay + q.completion,
    slackDays: window.length - 1 - q.completion,
    turnaroundDays: q.maxTurnaroundDays,
    onTimeCount: q.provider.onTimeCount,
    lateCount: q.provider.lateCount,
    ratingCentis: q.provider.ratingCentis,
    regionCode: q.provider.regionCode,
  };
}

/**
 * Ranks a prepared query once the booked days of its services are known. Every candidate is
 * scored; only those returned are explained, which is where the time of a large answer would go.
 */
export function rankPrepared(
  prepared: PreparedMatching,
  fullDays: FullDays,
  limits: MatchLimits = {},
): MatchOutcome {
  const { rules, time } = prepared;
  const qualified: Qualified[] = [];
  const nearMisses = [...prepared.nearMisses];
  for (const screened of prepared.passed) {
    const result = qualify(prepared, screened, fullDays);
    if ('explain' in result) nearMisses.push(result);
    else qualified.push(result);
  }
  let cheapestFen = Infinity;
  let fastestTurnaroundDays = Infinity;
  for (const q of qualified) {
    cheapestFen = Math.min(cheapestFen, q.quotedPriceFen);
    fastestTurnaroundDays = Math.min(fastestTurnaroundDays, q.maxTurnaroundDays);
  }
  const baseline: ScoreBaseline = {
    cheapestFen,
    fastestTurnaroundDays,
    horizonDays: Math.max(1, time.lastDay - time.clock.current),
    deadline: dayLabel(time.clock, time.lastDay, 'end'),
    dayLabel: (day) => dayLabel(time.clock, day, 'end'),
    days: (n) => daysText(time.clock, n),
    proximityFrom: rules.proximityFrom,
  };
  const scored = qualified.map((q) => {
    const facts = factsOf(prepared, q);
    return {
      q,
      facts,
      exact: weightedScore(componentValues(facts, baseline), rules.weights),
      providerId: q.provider.id,
    };
  });
  const shown = firstInOrder(scored, limits.candidates, (a, b) => b.exact - a.exact || byProviderId(a, b));
  const missesShown = firstInOrder(
    nearMisses,
    limits.nearMisses,
    (a, b) => b.coveredCount - a.coveredCount || byProviderId(a, b),
  );

  return {
    candidates: shown.map(({ q, facts, exact }, index) => ({
      rank: index + 1,
      ...termsOf(prepared, q),
      score: round(exact, 2),
      components: explainScore(facts, baseline, rules.weights),
    })),
    nearMisses: missesShown.map((m) => m.explain()),
    totalCandidates: scored.length,
    totalNearMisses: nearMisses.length,
  };
}

/** Every provider that can do the whole demand in time, best first, and every near miss. */
export function rankProviders(
  demand: Demand,
  providers: readonly MatchingProvider[],
  rules: MatchingRules,
  fullDays: FullDays,
  limits: MatchLimits = {},
): MatchOutcome {
  return rankPrepared(prepareMatching(demand, providers, rules), fullDays, limits);
}
