import { z } from 'zod';
import { isIsoDate } from './calendar';
import { ServiceCategorySchema } from './catalog';
import { RegionCodeSchema } from './region';
import { StandardCodeSchema } from './standards';

/** What an SME needs tested (docs/policy.md, "Matching"): the input of matching and the content of an application. */
export const DemandSchema = z
  .strictObject({
    standards: z
      .array(StandardCodeSchema)
      .min(1, { error: 'name at least one standard or test item' })
      .max(20)
      .overwrite((codes) => [...new Set(codes)]),
    category: ServiceCategorySchema.optional().meta({ description: 'only services of this category' }),
    sampleCount: z.number().int().min(1).max(10_000),
    regionPreference: RegionCodeSchema.optional().meta({
      description: 'prefer providers near this division',
    }),
    latestCompletionDate: z.string().refine(isIsoDate, { error: 'must be a date YYYY-MM-DD' }).meta({
      description: 'latest acceptable completion date (Asia/Shanghai calendar)',
      example: '2026-12-31',
    }),
    description: z.string().trim().max(2000).optional(),
  })
  .meta({ id: 'Demand' });

export type Demand = z.output<typeof DemandSchema>;
