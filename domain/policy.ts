import { z } from 'zod';
import { SERVICE_CATEGORIES, ServiceCategorySchema } from './catalog';
import { durationMs, isDuration } from './duration';
import { DurationSchema } from './duration-schema';
import { payoutScheduleProblem } from './payout-schedule';
import { FenSchema } from './money';
import { RegionCodeSchema } from './region';
import { ENTERPRISE_TAGS } from './enterprise';

/** An interval such as `1d` or a five-field cron expression: when a programme's payout batch runs. */
export const PayoutScheduleSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = payoutScheduleProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({
    description:
      'an interval of at least 1s (e.g. "1d") or a five-field cron expression in Asia/Shanghai time ' +
      '(e.g. "0 2 1 * *"): numbers, *, ",", "-", "/" and English month and weekday names; not both a day of ' +
      'the month and a day of the week',
    example: '0 2 * * *',
  });

/**
 * The rules of one programme (docs/policy.md). Every rule is configurable; the defaults are those of
 * real schemes. Ratios are basis points (5000 = 50 %) so that no float touches money.
 */
export const PolicySchema = z
  .strictObject({
    subsidyRatioBps: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(5_000)
      .meta({ description: 'share of the quoted price the voucher pays, in basis points (5000 = 50 %)' }),
    voucherCapFen: FenSchema.default(2_000_000).meta({
      description: 'face value cap per voucher (default 20,000 CNY)',
    }),
    enterpriseAnnualCapFen: FenSchema.default(10_000_000).meta({
      description:
        'cap per enterprise per calendar year over all vouchers of the programme (default 100,000 CNY)',
    }),
    eligibility: z
      .strictObject({
        maxEmployees: z.number().int().positive().default(300),
        maxAnnualRevenueFen: FenSchema.default(20_000_000_000),
        regions: z
          .array(RegionCodeSchema)
          .max(100)
          .optional()
          .meta({ description: 'where applicants must be registered; the programme region when absent' }),
        requiredTags: z.array(z.enum(ENTERPRISE_TAGS)).max(10).default([]),
      })
      .prefault({}),
    eligibleCategories: z
      .array(ServiceCategorySchema)
      .min(1)
      .default([...SERVICE_CATEGORIES]),
    oneOpenPerEnterprise: z.boolean().default(true),
    voucherValidity: DurationSchema.default('180d'),
    expiryWarnings: z
      .array(DurationSchema)
      .max(5)
      .default(['14d', '3d'])
      .meta({ description: 'how long before expiry the SME is warned' }),
    crossRegionAllowed: z
      .boolean()
      .default(false)
      .meta({ description: 'whether vouchers may be redeemed at providers outside the programme region' }),
    crossRegionAreas: z.array(RegionCodeSchema).max(100).default([]).meta({
      description: 'where cross-region providers may be (e.g. the Yangtze River Delta); anywhere when empty',
    }),
    reviewReminderAfter: DurationSchema.default('3d'),
    reviewEscalateAfter: DurationSchema.default('5d'),
    providerConfirmWithin: DurationSchema.default('48h'),
    reportGrace: DurationSchema.default('2d').meta({
      description:
        'how long after the turnaround a missing report is escalated (a reminder goes at the turnaround)',
    }),
    samplesWithin: DurationSchema.default('30d').meta({
      description:
        'how long after confirmation the samples may take to reach the provider; then the booking lapses and its money is released',
    }),
    infoResponseWithin: DurationSchema.default('30d').meta({
      description:
        'how long the applicant has to answer a request for information; then the application is closed',
    }),
    copaymentWithin: DurationSchema.default('30d').meta({
      description: 'how long after acceptance the SME’s own payment may take to be recorded; then a reminder',
    }),
    copaymentGrace: DurationSchema.default('7d').meta({
      description:
        'how long after the reminder a missing co-payment is escalated; the claim then goes to an administrator without it',
    }),
    acceptanceWithin: DurationSchema.default('7d').meta({
      description: 'how long the SME has to accept or dispute a report before it is accepted automatically',
    }),
    dayLength: DurationSchema.default('1d').meta({
      description: 'how long a booking "day" lasts (turnaround days); shortened in tests and demos',
    }),
    autoApproveClaimsBelowFen: FenSchema.default(200_000).meta({
      description:
        'claims below this amount and without risk flags are approved automatically (default 2,000 CNY)',
    }),
    secondApprovalAboveFen: FenSchema.default(5_000_000).meta({
      description:
        'claims above this amount need the approval of two different administrators (default 50,000 CNY); ' +
        'they are never approved automatically',
    }),
    approvalsExpireAfter: DurationSchema.default('7d').meta({
      description:
        'how long a proposal awaiting a second administrator (a payout run, a budget change, a first claim approval) stays open; then it expires',
    }),
    payoutSchedule: PayoutScheduleSchema.optional().meta({
      description: 'when payout batches run; daily in development and monthly in production when absent',
    }),
  })
  .superRefine((p, ctx) => {
    // rules between fields; zod runs them even when a field failed its own check, so each skips
    // what is not a duration (that field has its issue already)
    const ms = (value: string) => (isDuration(value) ? durationMs(value) : NaN);
    if (ms(p.reviewEscalateAfter) <= ms(p.reviewReminderAfter)) {
      ctx.addIssue({
        code: 'custom',
        path: ['reviewEscalateAfter'],
        message: 'reviewEscalateAfter must be longer than reviewReminderAfter',
      });
    }
    const validity = ms(p.voucherValidity);
    p.expiryWarnings.forEach((warning, index) => {
      if (ms(warning) >= validity) {
        ctx.addIssue({
          code: 'custom',
          path: ['expiryWarnings', index],
          message: `a warning ${warning} before expiry must be shorter than the voucher validity (${p.voucherValidity})`,
        });
      }
    });
  })
  .meta({ id: 'Policy' });

export type PolicyInput = z.input<typeof PolicySchema>;
export type Policy = z.output<typeof PolicySchema>;

export const DEFAULT_POLICY: Policy = PolicySchema.parse({});

/** Whether a division code lies in an area: `310115` in `310000` (Shanghai), `440305` in `440300`. */
export function regionWithin(code: string, area: string): boolean {
  const prefix = area.replace(/(00)+$/, '');
  return code.startsWith(prefix);
}

export function eligibleRegions(policy: Policy, programmeRegion: string): string[] {
  return policy.eligibility.regions?.length ? policy.eligibility.regions : [programmeRegion];
}

/** Whether a provider's region is allowed for bookings under this programme (docs/policy.md, "Matching"). */
export function providerRegionAllowed(
  policy: Policy,
  programmeRegion: string,
  providerRegion: string,
): boolean {
  if (regionWithin(providerRegion, programmeRegion)) return true;
  if (!policy.crossRegionAllowed) return false;
  return (
    policy.crossRegionAreas.length === 0 ||
    policy.crossRegionAreas.some((a) => regionWithin(providerRegion, a))
  );
}
