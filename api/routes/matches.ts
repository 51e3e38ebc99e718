import { z } from 'zod';
import { ProviderKindSchema, ServiceCategorySchema } from '../../domain/catalog';
import { DemandSchema, type Demand } from '../../domain/demand';
import { NEAR_MISS_CODES, SCORE_COMPONENTS } from '../../domain/matching';
import type { ProgrammeTerms, VoucherTerms } from '../../db/repositories/matching';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';
import { defineRoute } from '../http/route';

const ScoreComponentView = z
  .object({
    name: z.enum(SCORE_COMPONENTS),
    value: z.number().meta({ description: '0–1, rounded to 4 places' }),
    weight: z.number().meta({ description: 'configured weight (MATCHING_WEIGHTS)' }),
    points: z
      .number()
      .meta({ description: 'share of the 0–100 score: 100 × weight × value / sum of weights' }),
    detail: z.string().meta({ example: '1,200.00 CNY; the cheapest candidate asks 980.00 CNY' }),
  })
  .meta({ id: 'ScoreComponent' });

const CandidateLineView = z
  .object({
    serviceId: z.uuid(),
    serviceName: z.string(),
    category: ServiceCategorySchema,
    standards: z.array(z.string()).meta({ description: 'the requested standards this service covers' }),
    unitPriceFen: z.number().int(),
    turnaroundDays: z.number().int(),
    priceFen: z.number().int().meta({ description: 'unit price × sample count' }),
    startDate: z.string().meta({
      description: 'date of the earliest programme day with capacity for the samples (its capacity is held)',
    }),
    completionDate: z.string(),
  })
  .meta({ id: 'CandidateLine' });

const CandidateView = z
  .object({
    rank: z.number().int(),
    providerId: z.uuid(),
    providerName: z.string(),
    kind: ProviderKindSchema,
    regionCode: z.string(),
    score: z.number().meta({ description: '0–100; ties rank by provider id' }),
    components: z.array(ScoreComponentView),
    lines: z
      .array(CandidateLineView)
      .meta({ description: 'the cheapest set of its services covering every standard' }),
    quotedPriceFen: z.number().int(),
    completionDate: z.string(),
    completionBy: z.iso
      .datetime()
      .meta({ description: 'when the programme day of completion ends (days last the policy’s dayLength)' }),
    subsidy: z
      .object({ ratioBps: z.number().int(), subsidyFen: z.number().int(), copaymentFen: z.number().int() })
      .nullable()
      .meta({ description: 'estimate with the voucher’s balance; null without a voucher' }),
  })
  .meta({ id: 'MatchCandidate' });

const NearMissView = z
  .object({
    providerId: z.uuid(),
    providerName: z.string(),
    regionCode: z.string(),
    coveredStandards: z.array(z.string()),
    reasons: z.array(
      z.object({
        code: z.enum(NEAR_MISS_CODES),
        standard: z.string().optional(),
        message: z.string().meta({ example: 'standard GB/T 2423.2 not in scope' }),
      }),
    ),
  })
  .meta({
    id: 'NearMiss',
    description: 'a listed provider covering some requested standard, left out, and why',
  });

const MatchResultView = z
  .object({
    today: z.string(),
    earliestStart: z.string().meta({
      description:
        'date of the first day a provider could start (MATCHING_LEAD_DAYS programme days after now)',
    }),
    deadline: z.string().meta({
      description:
        'date of the last day work may complete on: the demand’s latest completion date, or the day the voucher ends in if sooner',
    }),
    dayLength: z.string().meta({
      description:
        'how long the programme’s days last (policy dayLength): lead time and turnaround are counted in them',
      example: '1d',
    }),
    deadlineAt: z.iso.datetime().meta({ description: 'when the last day work may complete on ends' }),
    programmeId: z.uuid().nullable(),
    voucherId: z.uuid().nullable(),
    weights: z.record(z.string(), z.number()),
    totalCandidates: z.number().int(),
    totalNearMisses: z.number().int(),
    candidates: z.array(CandidateView),
    nearMisses: z.array(NearMissView),
  })
  .meta({ id: 'MatchResult' });

const Limits = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .meta({ description: 'candidates returned, 1–100' }),
  nearMisses: z.coerce
    .number()
    .int()
    .min(0)
    .max(100)
    .default(20)
    .meta({ description: 'near misses returned, 0–100' }),
});

const Browse = z
  .strictObject({
    programmeId: z
      .uuid()
      .optional()
      .meta({ description: 'apply this programme’s category and region rules' }),
    demand: DemandSchema,
  })
  .meta({ id: 'MatchQuery' });

function run(
  deps: ApiDeps,
  demand: Demand,
  limits: z.output<typeof Limits>,
  terms: { voucher?: VoucherTerms; programme?: ProgrammeTerms },
) {
  return deps.repos.matching.match({
    demand,
    ...terms,
    weights: deps.env.MATCHING_WEIGHTS,
    leadDays: deps.env.MATCHING_LEAD_DAYS,
    now: deps.clock.now(),
    limit: limits.limit,
    nearMissLimit: limits.nearMisses,
  });
}

const description =
  'Hard filters (provider listed; every standard covered by an in-scope service; category funded by the programme; ' +
  'region rule; capacity for the samples early enough to finish by the deadline), then a 0–100 score whose ' +
  'components are shown. Lead time, turnaround and the deadline are counted in the programme’s days (policy ' +
  'dayLength); a day takes the capacity of the date it starts on. Near misses are listed providers covering some ' +
  'requested standard, with the reasons they were left out: VOUCHER_ENDS_TOO_SOON when the voucher’s end, not ' +
  'capacity, leaves it out, DEMAND_DATE_TOO_SOON when the demand’s own latest date does.';

export const matchRoutes = [
  defineRoute({
    method: 'post',
    path: '/vouchers/:id/matches',
    operationId: 'matchVoucher',
    summary: 'Providers that can do the demand under this voucher, best first, with the subsidy estimate',
    description: `${description} The voucher's programme rules apply and its validity caps the deadline.`,
    tags: ['vouchers'],
    access: ['SME'],
    request: { params: z.strictObject({ id: z.uuid() }), query: Limits, body: DemandSchema },
    responses: { 200: { description: 'Ranked candidates and near misses', schema: MatchResultView } },
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: async ({ params, query, body, user, deps }) => {
      const voucher = await deps.repos.matching.voucherTerms(params.id);
      if (!voucher || voucher.enterpriseId !== user.enterpriseId)
        throw AppError.notFound('voucher', params.id);
      if (voucher.status !== 'ACTIVE') {
        throw new AppError(
          'CONFLICT',
          `The voucher is ${voucher.status}; only an active voucher can be matched`,
          {
            code: 'VOUCHER_NOT_ACTIVE',
          },
        );
      }
      return { status: 200, body: await run(deps, body, query, { voucher }) };
    },
  }),

  defineRoute({
    method: 'post',
    path: '/matches',
    operationId: 'browseMatches',
    summary: 'Providers that can do a demand, without a voucher',
    description: `${description} Without a programme no category or region rule applies and no subsidy is estimated.`,
    tags: ['providers'],
    access: ['SME', 'ADMIN', 'AUDITOR'],
    request: { query: Limits, body: Browse },
    responses: { 200: { description: 'Ranked candidates and near misses', schema: MatchResultView } },
    errors: ['NOT_FOUND'],
    handler: async ({ query, body, deps }) => {
      const programme = body.programmeId
        ? await deps.repos.matching.programmeTerms(body.programmeId)
        : undefined;
      if (programme === null) throw AppError.notFound('programme', body.programmeId);
      return { status: 200, body: await run(deps, body.demand, query, { programme }) };
    },
  }),
];
