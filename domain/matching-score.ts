import { formatYuan } from './money';
import type { IsoDate } from './calendar';
import { YANGTZE_RIVER_DELTA, prefectureOf, provinceOf } from './region';

/** What a candidate's score is made of (docs/policy.md, "Matching"), each a value from 0 to 1. */
export const SCORE_COMPONENTS = [
  'coverage',
  'price',
  'earliestDate',
  'turnaround',
  'onTimeRate',
  'rating',
  'regionProximity',
] as const;
export type ScoreComponentName = (typeof SCORE_COMPONENTS)[number];
export type MatchingWeights = Record<ScoreComponentName, number>;

export interface ScoreComponent {
  name: ScoreComponentName;
  /** 0–1 */
  value: number;
  weight: number;
  /** this component's share of the 0–100 score: 100 × weight × value / sum of weights */
  points: number;
  detail: string;
}

/** The facts of one candidate that its score is computed from. */
export interface ScoreFacts {
  lineCount: number;
  standardCount: number;
  quotedPriceFen: number;
  completionDate: IsoDate;
  /** the programme day of completion */
  completionDay: number;
  /** programme days between completion and the deadline */
  slackDays: number;
  turnaroundDays: number;
  onTimeCount: number;
  lateCount: number;
  ratingCentis: number;
  regionCode: string;
}

/** What the candidates are compared against: the best of them, the demand's dates and place. */
export interface ScoreBaseline {
  cheapestFen: number;
  fastestTurnaroundDays: number;
  /** programme days from the current one to the deadline, at least 1 */
  horizonDays: number;
  /** the last day work may complete on, as people read it */
  deadline: string;
  /** a programme day as people read it: its date, or its end when days are short */
  dayLabel: (day: number) => string;
  /** a number of programme days in words */
  days: (count: number) => string;
  proximityFrom: string | undefined;
}

// a provider without a record counts as on time 4 times out of 5, worth 5 jobs of evidence
const PRIOR_ON_TIME = 4;
const PRIOR_JOBS = 5;

export function proximity(from: string, to: string): { value: number; detail: string } {
  if (from === to) return { value: 1, detail: `same district as ${from}` };
  if (prefectureOf(from) === prefectureOf(to)) return { value: 0.75, detail: `same city as ${from}` };
  if (provinceOf(from) === provinceOf(to)) return { value: 0.5, detail: `same province as ${from}` };
  if (YANGTZE_RIVER_DELTA.includes(provinceOf(from)) && YANGTZE_RIVER_DELTA.includes(provinceOf(to))) {
    return { value: 0.25, detail: `both in the Yangtze River Delta with ${from}` };
  }
  return { value: 0, detail: `far from ${from}` };
}

/** Each component's value, 0–1: all the ranking needs. */
export function componentValues(facts: ScoreFacts, base: ScoreBaseline): Record<ScoreComponentName, number> {
  const jobs = facts.onTimeCount + facts.lateCount;
  return {
    coverage: 1 / facts.lineCount,
    price: base.cheapestFen / facts.quotedPriceFen,
    earliestDate: Math.min(1, Math.max(0, facts.slackDays / base.horizonDays)),
    turnaround: (base.fastestTurnaroundDays + 1) / (facts.turnaroundDays + 1),
    onTimeRate: (facts.onTimeCount + PRIOR_ON_TIME) / (jobs + PRIOR_JOBS),
    rating: facts.ratingCentis / 500,
    regionProximity: base.proximityFrom ? proximity(base.proximityFrom, facts.regionCode).value : 0,
  };
}

/** The 0–100 score the ranking uses, unrounded. */
export function weightedScore(values: Record<ScoreComponentName, number>, weights: MatchingWeights): number {
  let total = 0;
  let sum = 0;
  for (const name of SCORE_COMPONENTS) {
    total += weights[name];
    sum += weights[name] * values[name];
  }
  return (100 * sum) / total;
}

function details(facts: ScoreFacts, base: ScoreBaseline): Record<ScoreComponentName, string> {
  const jobs = facts.onTimeCount + facts.lateCount;
  return {
    coverage:
      facts.lineCount === 1
        ? `one service covers all ${facts.standardCount} standard(s)`
        : `${facts.lineCount} services together cover the ${facts.standardCount} standards`,
    price: `${formatYuan(facts.quotedPriceFen)}; the cheapest candidate asks ${formatYuan(base.cheapestFen)}`,
    earliestDate: `done by ${base.dayLabel(facts.completionDay)}, ${base.days(facts.slackDays)} before ${base.deadline}`,
    turnaround: `${base.days(facts.turnaroundDays)}; the fastest candidate takes ${base.fastestTurnaroundDays}`,
    onTimeRate:
      jobs === 0
        ? 'no completed jobs yet; counted as 80 % on time'
        : `${facts.onTimeCount} of ${jobs} job(s) on time`,
    rating: `${(facts.ratingCentis / 100).toFixed(2)} of 5`,
    regionProximity: base.proximityFrom
      ? proximity(base.proximityFrom, facts.regionCode).detail
      : 'no region preference given',
  };
}

/** The components of a score, rounded for reading, each with what it was computed from. */
export function explainScore(
  facts: ScoreFacts,
  base: ScoreBaseline,
  weights: MatchingWeights,
): ScoreComponent[] {
  const total = SCORE_COMPONENTS.reduce((sum, name) => sum + weights[name], 0);
  const values = componentValues(facts, base);
  const texts = details(facts, base);
  return SCORE_COMPONENTS.map((name) => ({
    name,
    value: round(values[name], 4),
    weight: weights[name],
    points: round((100 * weights[name] * values[name]) / total, 2),
    detail: texts[name],
  }));
}

export const round = (n: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};
