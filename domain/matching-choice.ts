import type {
  CandidateLine,
  CandidateTerms,
  FullDays,
  MatchingProvider,
  MatchingService,
  NearMiss,
  NearMissReason,
  ProviderMatch,
} from './matching';
import { cheapestCover, earliestSlot, type Option } from './matching-cover';
import {
  byId,
  covers,
  nearMissOf,
  SLOT_PROBLEMS,
  type PendingNearMiss,
  type PreparedMatching,
  type Screened,
} from './matching-filters';
import { dayLabel, daysText } from './programme-time';
import { subsidySplit } from './subsidy';

/**
 * The last filter, capacity before the deadline, and the choice of services for a provider that
 * passes it.
 */
export interface Qualified {
  provider: MatchingProvider;
  /** the services chosen, in service id order */
  chosen: Option[];
  quotedPriceFen: number;
  /** day of the window the last service finishes */
  completion: number;
  maxTurnaroundDays: number;
}

/** Why one service cannot take the samples in time, or when it could if the voucher lasted. */
type Verdict =
  | { kind: 'fits' }
  | { kind: 'capacity'; problem: string }
  | { kind: 'voucher'; completion: number }
  | { kind: 'demandDate'; turnaroundDays: number };

function verdict(prepared: PreparedMatching, service: MatchingService, fullDays: FullDays): Verdict {
  const { demand, window, demandWindow } = prepared;
  const booked = fullDays.get(service.id);
  const slot = earliestSlot(service, demand.sampleCount, window, booked);
  if (typeof slot !== 'string') return { kind: 'fits' };
  if (slot === 'CAPACITY_BELOW_SAMPLES') return { kind: 'capacity', problem: SLOT_PROBLEMS[slot] };
  const later =
    demandWindow.length > window.length
      ? earliestSlot(service, demand.sampleCount, demandWindow, booked)
      : slot;
  if (typeof later !== 'string') return { kind: 'voucher', completion: later.completion };
  if (later === 'FULLY_BOOKED') return { kind: 'capacity', problem: SLOT_PROBLEMS[later] };
  return { kind: 'demandDate', turnaroundDays: service.turnaroundDays };
}

/**
 * Why no usable service of a standard fits. When a voucher valid longer would let one of them be
 * done by the demand's date, its end is the reason and the only one; otherwise capacity taken or
 * too small, and the demand's own date, each for the services it stops.
 */
function whyNoRoom(prepared: PreparedMatching, standard: string, verdicts: Verdict[]): NearMissReason[] {
  const { time, demandWindow, demand } = prepared;
  const { clock } = time;
  const voucher = verdicts.flatMap((v) => (v.kind === 'voucher' ? [v.completion] : []));
  if (voucher.length) {
    const earliest = time.firstDay + Math.min(...voucher);
    return [
      {
        code: 'VOUCHER_ENDS_TOO_SOON',
        standard,
        message:
          `the voucher ends before ${standard} could be done: its last day is ${dayLabel(clock, time.lastDay, 'end')}, ` +
          `the earliest completion ${dayLabel(clock, earliest, 'end')}`,
      },
    ];
  }
  const reasons: NearMissReason[] = [];
  const problems = new Set(verdicts.flatMap((v) => (v.kind === 'capacity' ? [v.problem] : [])));
  if (problems.size) {
    const until = dayLabel(clock, time.firstDay + demandWindow.length - 1, 'end');
    reasons.push({
      code: 'NO_CAPACITY',
      standard,
      message: `no capacity before ${until} for ${standard} (${[...problems].join('; ')})`,
    });
  }
  const turnarounds = verdicts.flatMap((v) => (v.kind === 'demandDate' ? [v.turnaroundDays] : []));
  if (turnarounds.length) {
    reasons.push({
      code: 'DEMAND_DATE_TOO_SOON',
      standard,
      message:
        `${standard} cannot be done by the latest completion date ${demand.latestCompletionDate}: ` +
        `the shortest turnaround is ${daysText(clock, Math.min(...turnarounds))} ` +
        `from the first possible start ${dayLabel(clock, time.firstDay, 'start')}`,
    });
  }
  return reasons;
}

/** A provider with no room in time for some standard; why, standard by standard, once it is shown. */
function noRoom(prepared: PreparedMatching, screened: Screened, fullDays: FullDays): PendingNearMiss {
  const explain = (): NearMiss => {
    const reasons: NearMissReason[] = [];
    prepared.demand.standards.forEach((standard, index) => {
      const verdicts = screened.usable[index]!.map((service) => verdict(prepared, service, fullDays));
      if (!verdicts.some((v) => v.kind === 'fits')) reasons.push(...whyNoRoom(prepared, standard, verdicts));
    });
    return nearMissOf(screened.provider, screened.covered, reasons);
  };
  return { providerId: screened.provider.id, coveredCount: screened.covered.length, explain };
}

/** A provider that passed the other filters, with its cheapest services that fit in time, or why none do. */
export function qualify(
  prepared: PreparedMatching,
  screened: Screened,
  fullDays: FullDays,
): Qualified | PendingNearMiss {
  const { demand, window } = prepared;
  const standards = demand.standards;
  if (standards.length === 1) return qualifyForOne(prepared, screened, fullDays);
  const options = new Map<string, Option>();
  for (let index = 0; index < standards.length; index += 1) {
    let found = false;
    for (const service of screened.usable[index]!) {
      if (options.has(service.id)) {
        found = true;
        continue;
      }
      const slot = earliestSlot(service, demand.sampleCount, window, fullDays.get(service.id));
      if (typeof slot === 'string') continue;
      let mask = 0;
      for (let i = 0; i < standards.length; i += 1) if (covers(service, standards[i]!)) mask |= 1 << i;
      options.set(service.id, { service, slot, mask, priceFen: service.unitPriceFen * demand.sampleCount });
      found = true;
    }
    if (!found) return noRoom(prepared, screened, fullDays);
  }

  // usable services came in id order (see screen), and the cover breaks ties by position
  const chosen = cheapestCover(
    standards.length,
    [...options.values()].sort((a, b) => byId(a.service, b.service)),
  )!;
  let quotedPriceFen = 0;
  let completion = 0;
  let maxTurnaroundDays = 0;
  for (const o of chosen) {
    quotedPriceFen += o.priceFen;
    completion = Math.max(completion, o.slot.completion);
    maxTurnaroundDays = Math.max(maxTurnaroundDays, o.service.turnaroundDays);
  }
  return { provider: screened.provider, chosen, quotedPriceFen, completion, maxTurnaroundDays };
}

/**
 * One standard, the common and the largest kind of query: the cheapest service that fits in time,
 * then the soonest done, then the first by id; as cheapestCover would choose, without its search.
 */
function qualifyForOne(
  prepared: PreparedMatching,
  screened: Screened,
  fullDays: FullDays,
): Qualified | PendingNearMiss {
  const { demand, window } = prepared;
  let best: Option | null = null;
  for (const service of screened.usable[0]!) {
    const slot = earliestSlot(service, demand.sampleCount, window, fullDays.get(service.id));
    if (typeof slot === 'string') continue;
    const priceFen = service.unitPriceFen * demand.sampleCount;
    if (
      !best ||
      priceFen < best.priceFen ||
      (priceFen === best.priceFen && slot.completion < best.slot.completion)
    ) {
      best = { service, slot, mask: 1, priceFen };
    }
  }
  if (!best) return noRoom(prepared, screened, fullDays);
  return {
    provider: screened.provider,
    chosen: [best],
    quotedPriceFen: best.priceFen,
    completion: best.slot.completion,
    maxTurnaroundDays: best.service.turnaroundDays,
  };
}

/** The lines of a candidate as the answer shows them. */
function linesOf(prepared: PreparedMatching, q: Qualified): CandidateLine[] {
  const { demand, window } = prepared;
  return q.chosen.map((o) => ({
    serviceId: o.service.id,
    serviceName: o.service.name,
    category: o.service.category,
    standards: demand.standards.filter((std) => covers(o.service, std)),
    unitPriceFen: o.service.unitPriceFen,
    turnaroundDays: o.service.turnaroundDays,
    priceFen: o.priceFen,
    startDate: window.at(o.slot.start),
    completionDate: window.at(o.slot.completion),
  }));
}

/** What a qualified provider would do, as both the ranking and a booking show it. */
export function termsOf(prepared: PreparedMatching, q: Qualified): CandidateTerms {
  const { rules, window } = prepared;
  const ratio = rules.programme?.policy.subsidyRatioBps;
  return {
    providerId: q.provider.id,
    providerName: q.provider.name,
    kind: q.provider.kind,
    regionCode: q.provider.regionCode,
    lines: linesOf(prepared, q),
    quotedPriceFen: q.quotedPriceFen,
    completionDate: window.at(q.completion),
    completionBy: new Date(window.endOf(q.completion)).toISOString(),
    subsidy:
      ratio !== undefined && rules.voucherBalanceFen !== undefined
        ? subsidySplit(q.quotedPriceFen, ratio, rules.voucherBalanceFen)
        : null,
  };
}

/**
 * A query prepared for one chosen provider (booking it): its services and dates exactly as in the
 * ranking, which depend on nothing but the provider, the demand and the time, without ranking anyone.
 */
export function matchPrepared(prepared: PreparedMatching, fullDays: FullDays): ProviderMatch {
  if (prepared.passed.length + prepared.nearMisses.length > 1) {
    throw new RangeError('matchPrepared takes a query prepared for one provider');
  }
  const [screened] = prepared.passed;
  if (screened) {
    const result = qualify(prepared, screened, fullDays);
    return 'explain' in result ? { nearMiss: result.explain() } : { candidate: termsOf(prepared, result) };
  }
  const [miss] = prepared.nearMisses;
  return miss ? { nearMiss: miss.explain() } : { offersNone: true };
}
