import { addDays, type IsoDate } from './calendar';
import type { MatchingService } from './matching';
import { capacityDate, dayStart, firstDayOn, wholeDays, type MatchingTime } from './programme-time';

/**
 * The programme days from the first possible start to a last day (domain/programme-time.ts), each
 * named by the date whose capacity it takes, made once per query as they are needed.
 */
export class DayWindow {
  private readonly dates: IsoDate[] = [];
  private readonly whole: boolean;
  readonly length: number;

  constructor(
    readonly time: MatchingTime,
    readonly lastDay: number,
  ) {
    this.whole = wholeDays(time.clock);
    this.length = Math.max(0, lastDay - time.firstDay + 1);
  }

  /** The date whose capacity the window's `index`th day takes. */
  at(index: number): IsoDate {
    return (this.dates[index] ??= capacityDate(this.time.clock, this.time.firstDay + index));
  }

  /** The first index after `index` whose day takes another date's capacity. */
  nextDate(index: number): number {
    if (this.whole) return index + 1;
    const next = firstDayOn(this.time.clock, addDays(this.at(index), 1)) - this.time.firstDay;
    return Math.max(index + 1, next);
  }

  /** When the window's `index`th day ends, in ms since the epoch. */
  endOf(index: number): number {
    return dayStart(this.time.clock, this.time.firstDay + index + 1);
  }
}

/** When a service could take the samples, as days of the window: the earliest with room, and when done. */
export interface Slot {
  start: number;
  completion: number;
}

export type SlotProblem = 'CAPACITY_BELOW_SAMPLES' | 'TURNAROUND_TOO_LONG' | 'FULLY_BOOKED';

/** Whether the service could take the samples in the window if no day were booked. */
export const couldFit = (
  service: Pick<MatchingService, 'dailyCapacity' | 'turnaroundDays'>,
  sampleCount: number,
  window: DayWindow,
) => service.dailyCapacity >= sampleCount && service.turnaroundDays <= window.length - 1;

/**
 * The earliest day of the window on which the service has room for all the samples and still
 * finishes (day + turnaround) by the window's last day. Samples of one job are worked on the same day;
 * a full date is skipped whole, however many short programme days start on it.
 */
export function earliestSlot(
  service: Pick<MatchingService, 'dailyCapacity' | 'turnaroundDays'>,
  sampleCount: number,
  window: DayWindow,
  fullDays: ReadonlySet<IsoDate> | undefined,
): Slot | SlotProblem {
  if (service.dailyCapacity < sampleCount) return 'CAPACITY_BELOW_SAMPLES';
  const lastStart = window.length - 1 - service.turnaroundDays;
  if (lastStart < 0) return 'TURNAROUND_TOO_LONG';
  for (let day = 0; day <= lastStart; day = window.nextDate(day)) {
    if (!fullDays?.has(window.at(day))) return { start: day, completion: day + service.turnaroundDays };
  }
  return 'FULLY_BOOKED';
}

export interface Option {
  service: MatchingService;
  slot: Slot;
  /** which of the requested standards (by index) it covers */
  mask: number;
  priceFen: number;
}

interface Cover {
  options: Option[];
  priceFen: number;
  completion: number;
}

// exact search over subsets of the requested standards up to this many; greedy beyond
const EXACT_UP_TO = 10;

/** Cheaper first; then fewer services; then finished sooner; then by service ids, so ties are stable. */
function better(a: Cover, b: Cover | undefined): boolean {
  if (!b) return true;
  if (a.priceFen !== b.priceFen) return a.priceFen < b.priceFen;
  if (a.options.length !== b.options.length) return a.options.length < b.options.length;
  if (a.completion !== b.completion) return a.completion < b.completion;
  return idsOf(a) < idsOf(b);
}

const idsOf = (cover: Cover) =>
  cover.options
    .map((o) => o.service.id)
    .sort()
    .join(',');

function extend(cover: Cover, option: Option): Cover {
  return {
    options: [...cover.options, option],
    priceFen: cover.priceFen + option.priceFen,
    completion: Math.max(cover.completion, option.slot.completion),
  };
}

/**
 * The cheapest combination of a provider's usable services that covers every requested standard;
 * null when they cannot. Options must be sorted by service id for the result to be deterministic.
 */
export function cheapestCover(standardCount: number, options: readonly Option[]): Option[] | null {
  const full = 2 ** standardCount - 1;
  const empty: Cover = { options: [], priceFen: 0, completion: -1 };
  if (standardCount === 1) {
    // one standard, the common case: the best single option
    let best: Cover | undefined;
    for (const option of options) {
      const candidate = extend(empty, option);
      if (better(candidate, best)) best = candidate;
    }
    return best?.options ?? null;
  }
  if (standardCount > EXACT_UP_TO) return greedyCover(full, options);
  // best[mask]: the best way found to cover exactly the standards in mask; masks only grow
  const best: (Cover | undefined)[] = new Array<Cover | undefined>(full + 1);
  best[0] = empty;
  for (let mask = 0; mask < full; mask += 1) {
    const from = best[mask];
    if (!from) continue;
    for (const option of options) {
      const next = mask | option.mask;
      if (next === mask) continue;
      const candidate = extend(from, option);
      if (better(candidate, best[next])) best[next] = candidate;
    }
  }
  return best[full]?.options ?? null;
}

/** Picks the option with the lowest price per newly covered standard until all are covered. */
function greedyCover(full: number, options: readonly Option[]): Option[] | null {
  let covered = 0;
  const chosen: Option[] = [];
  while (covered !== full) {
    let pick: { option: Option; perStandard: number } | undefined;
    for (const option of options) {
      const gained = bitCount(option.mask & ~covered);
      if (gained === 0) continue;
      const perStandard = option.priceFen / gained;
      if (!pick || perStandard < pick.perStandard) pick = { option, perStandard };
    }
    if (!pick) return null;
    chosen.push(pick.option);
    covered |= pick.option.mask;
  }
  return chosen;
}

function bitCount(n: number): number {
  let count = 0;
  for (let v = n; v; v &= v - 1) count += 1;
  return count;
}
