import { z } from 'zod';
import { APPLICATION_STATUSES, VOUCHER_STATUSES, type VoucherRecord } from '../../domain/application';
import { capYearRange, eligibilityChecks } from '../../domain/eligibility';
import { EnterpriseTagSchema } from '../../domain/enterprise';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';
import { MAX_PAGE_SIZE } from '../http/pagination';
import { defineRoute } from '../http/route';

const EligibilityCheckView = z
  .object({
    rule: z.string().meta({ example: 'ANNUAL_CAP_EXCEEDED' }),
    passed: z.boolean(),
    message: z.string().meta({ description: 'why it failed; the rule’s words when it holds' }),
    details: z.record(z.string(), z.unknown()).meta({ description: 'the facts the rule compared' }),
  })
  .meta({ id: 'EligibilityCheck' });

const HistoryVoucherView = z.object({
  id: z.uuid(),
  code: z.string(),
  status: z.enum(VOUCHER_STATUSES),
  faceValueFen: z.number().int(),
  balanceFen: z.number().int(),
  releasedFen: z.number().int(),
  issuedAt: z.iso.datetime(),
  validUntil: z.iso.datetime(),
});

const HistoryEntryView = z
  .object({
    id: z.uuid(),
    programmeId: z.uuid(),
    programmeName: z.string(),
    status: z.enum(APPLICATION_STATUSES),
    requestedAmountFen: z.number().int(),
    approvedAmountFen: z.number().int().nullable(),
    decisionReason: z.string().nullable(),
    createdAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().nullable(),
    voucher: HistoryVoucherView.nullable(),
  })
  .meta({ id: 'EnterpriseHistoryEntry' });

export const ApplicationReviewView = z
  .object({
    applicationId: z.uuid(),
    enterprise: z.object({
      id: z.uuid(),
      name: z.string(),
      creditCode: z.string(),
      regionCode: z.string(),
      employees: z.number().int(),
      annualRevenueFen: z.number().int(),
      tags: z.array(EnterpriseTagSchema),
    }),
    programme: z.object({ id: z.uuid(), name: z.string(), status: z.enum(['ACTIVE', 'CLOSED']) }),
    checkedAt: z.iso.datetime(),
    checks: z.array(EligibilityCheckView).meta({
      description:
        'every rule of the programme policy that applies, checked now as the eligibility check does, with its result',
    }),
    annualCap: z
      .object({
        year: z.number().int(),
        capFen: z.number().int().meta({ description: 'the programme’s per-enterprise annual cap' }),
        grantedFen: z.number().int().meta({
          description:
            'already granted this year by the programme’s other vouchers (face value less what was given back)',
        }),
        requestedFen: z.number().int(),
        remainingFen: z
          .number()
          .int()
          .meta({ description: 'what the cap still allows, before this request' }),
      })
      .meta({ id: 'AnnualCapUse' }),
    availableBudgetFen: z
      .number()
      .int()
      .meta({ description: 'the programme budget not yet reserved; an approval above it is refused' }),
    history: z.array(HistoryEntryView).meta({
      description:
        'the enterprise’s other applications in every programme, oldest first, with their vouchers',
    }),
  })
  .meta({ id: 'ApplicationReview' });

const IdParams = z.strictObject({ id: z.uuid() });

/** Every voucher of the enterprise, by the application it came from. */
async function vouchersOf(deps: ApiDeps, enterpriseId: string): Promise<Map<string, VoucherRecord>> {
  const byApplication = new Map<string, VoucherRecord>();
  let after;
  do {
    const page = await deps.repos.vouchers.list({ enterpriseId }, { limit: MAX_PAGE_SIZE, after });
    for (const voucher of page.items) byApplication.set(voucher.applicationId, voucher);
    after = page.next ?? undefined;
  } while (after);
  return byApplication;
}

export const applicationReviewRoutes = [
  defineRoute({
    method: 'get',
    path: '/applications/:id/review',
    operationId: 'getApplicationReview',
    summary:
      'What a reviewer reads before deciding: the eligibility rules, the annual cap and the enterprise’s history',
    description:
      'The programme’s rules are checked now, against the enterprise and its other applications and vouchers, the ' +
      'same way the automatic eligibility check does; the annual cap shows what the programme already granted the ' +
      'enterprise this year (Asia/Shanghai calendar year).',
    tags: ['applications'],
    access: ['ADMIN', 'AUDITOR'],
    request: { params: IdParams },
    responses: { 200: { description: 'The facts of the review', schema: ApplicationReviewView } },
    errors: ['NOT_FOUND'],
    handler: async ({ params, deps }) => {
      const application = await deps.repos.applications.findById(params.id);
      if (!application) throw AppError.notFound('application', params.id);
      const [enterprise, programme] = await Promise.all([
        deps.repos.enterprises.findById(application.enterpriseId),
        deps.repos.programmes.findById(application.programmeId),
      ]);
      if (!enterprise || !programme) throw AppError.notFound('application', params.id);
      const now = deps.clock.now();
      const { year, yearStart, yearEnd } = capYearRange(now);
      const [others, history, vouchers, balances] = await Promise.all([
        deps.repos.applications.others({
          programmeId: programme.id,
          enterpriseId: enterprise.id,
          excludeApplicationId: application.id,
          yearStart,
          yearEnd,
        }),
        deps.repos.applications.ofEnterprise(enterprise.id),
        vouchersOf(deps, enterprise.id),
        deps.repos.ledger.balances(programme.id),
      ]);
      const checks = eligibilityChecks({
        enterprise,
        programme,
        policy: programme.policy,
        requestedAmountFen: application.requestedAmountFen,
        demand: application.demand,
        others,
      });
      const cap = programme.policy.enterpriseAnnualCapFen;
      return {
        status: 200,
        body: {
          applicationId: application.id,
          enterprise: {
            id: enterprise.id,
            name: enterprise.name,
            creditCode: enterprise.creditCode,
            regionCode: enterprise.regionCode,
            employees: enterprise.employees,
            annualRevenueFen: enterprise.annualRevenueFen,
            tags: enterprise.tags as z.infer<typeof EnterpriseTagSchema>[],
          },
          programme: { id: programme.id, name: programme.name, status: programme.status },
          checkedAt: now.toISOString(),
          checks,
          annualCap: {
            year,
            capFen: cap,
            grantedFen: others.usedThisYearFen,
            requestedFen: application.requestedAmountFen,
            remainingFen: Math.max(0, cap - others.usedThisYearFen),
          },
          availableBudgetFen: balances.AVAILABLE,
          history: history
            .filter((entry) => entry.id !== application.id)
            .map((entry) => {
              const voucher = vouchers.get(entry.id);
              return {
                id: entry.id,
                programmeId: entry.programmeId,
                programmeName: entry.programmeName,
                status: entry.status,
                requestedAmountFen: entry.requestedAmountFen,
                approvedAmountFen: entry.approvedAmountFen,
                decisionReason: entry.decisionReason,
                createdAt: entry.createdAt.toISOString(),
                decidedAt: entry.decidedAt?.toISOString() ?? null,
                voucher: voucher
                  ? {
                      id: voucher.id,
                      code: voucher.code,
                      status: voucher.status,
                      faceValueFen: voucher.faceValueFen,
                      balanceFen: voucher.balanceFen,
                      releasedFen: voucher.releasedFen,
                      issuedAt: voucher.issuedAt.toISOString(),
                      validUntil: voucher.validUntil.toISOString(),
                    }
                  : null,
              };
            }),
        },
      };
    },
  }),
];
