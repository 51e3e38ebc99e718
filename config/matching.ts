import { z } from 'zod';
import { SCORE_COMPONENTS, type MatchingWeights } from '../domain/matching';

/**
 * How much each part of the matching score counts. Relative weights: only their proportions
 * matter, and each candidate's components show its share of the 0–100 score. Price and the
 * provider's on-time record weigh most by default because they are what subsidy schemes audit.
 */
export const DEFAULT_MATCHING_WEIGHTS: MatchingWeights = {
  coverage: 10,
  price: 30,
  earliestDate: 15,
  turnaround: 10,
  onTimeRate: 15,
  rating: 10,
  regionProximity: 10,
};

const weight = z.number().min(0).max(1000);

export const MatchingWeightsSchema = z
  .strictObject(
    Object.fromEntries(SCORE_COMPONENTS.map((name) => [name, weight.optional()])) as Record<
      keyof MatchingWeights,
      z.ZodOptional<typeof weight>
    >,
  )
  .transform((given): MatchingWeights => ({ ...DEFAULT_MATCHING_WEIGHTS, ...definedOnly(given) }))
  .refine((weights) => Object.values(weights).some((w) => w > 0), {
    error: 'at least one weight must be above 0',
  });

function definedOnly(given: Partial<Record<keyof MatchingWeights, number | undefined>>) {
  return Object.fromEntries(
    Object.entries(given).filter(([, v]) => v !== undefined),
  ) as Partial<MatchingWeights>;
}

/**
 * `MATCHING_WEIGHTS` as JSON, e.g. `{"price":40,"regionProximity":0}`; components left out keep
 * their default weight.
 */
export const MatchingWeightsEnvSchema = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `must be a JSON object of weights for ${SCORE_COMPONENTS.join(', ')}, e.g. {"price":40}`,
      });
      return z.NEVER;
    }
  })
  .pipe(MatchingWeightsSchema);

/** Programme days (policy dayLength) between a match and the first day a provider could work on the samples (sending them). */
export const MatchingLeadDaysSchema = z.coerce.number().int().min(0).max(60);
