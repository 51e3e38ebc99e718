import { describe, expect, it } from 'vitest';
import type { Demand } from '../domain/demand';
import { eligibilityIssues, issueText, type EligibilityInput } from '../domain/eligibility';
import { DEFAULT_POLICY, PolicySchema, providerRegionAllowed, regionWithin } from '../domain/policy';

const demand: Demand = { standards: ['GB/T 2423.1'], sampleCount: 2, latestCompletionDate: '2027-03-31' };

const base: EligibilityInput = {
  enterprise: {
    id: 'e',
    creditCode: '91310115MA1K4B2X3Y',
    name: '上海精测电子科技有限公司',
    regionCode: '310115',
    industryCode: 'C3989',
    employees: 120,
    annualRevenueFen: 8_000_000_000,
    legalRepresentative: '陈立',
    contactPhone: '021-62345678',
    address: '上海市浦东新区张江路 88 号',
    tags: ['SPECIALIZED_INNOVATIVE'],
  },
  programme: { status: 'ACTIVE', regionCode: '310000' },
  policy: DEFAULT_POLICY,
  requestedAmountFen: 1_500_000,
  demand,
  others: { openApplications: 0, activeVouchers: 0, usedThisYearFen: 0 },
};

const rules = (input: Partial<EligibilityInput>) =>
  eligibilityIssues({ ...base, ...input }).map((i) => i.rule);

describe('eligibility (docs/policy.md)', () => {
  it('passes an SME that meets every rule', () => {
    expect(eligibilityIssues(base)).toEqual([]);
  });

  it('applies the size limits at their boundary', () => {
    expect(rules({ enterprise: { ...base.enterprise, employees: 300 } })).toEqual([]);
    expect(rules({ enterprise: { ...base.enterprise, employees: 301 } })).toEqual(['EMPLOYEES_OVER_LIMIT']);
    expect(rules({ enterprise: { ...base.enterprise, annualRevenueFen: 20_000_000_001 } })).toEqual([
      'REVENUE_OVER_LIMIT',
    ]);
  });

  it('applies the voucher cap and the annual cap at their boundary', () => {
    expect(rules({ requestedAmountFen: 2_000_000 })).toEqual([]);
    expect(rules({ requestedAmountFen: 2_000_001 })).toEqual(['AMOUNT_OVER_VOUCHER_CAP']);
    expect(rules({ others: { ...base.others, usedThisYearFen: 8_500_000 } })).toEqual([]);
    expect(rules({ others: { ...base.others, usedThisYearFen: 8_500_001 } })).toEqual([
      'ANNUAL_CAP_EXCEEDED',
    ]);
  });

  it('lists every failing rule at once', () => {
    const issues = eligibilityIssues({
      ...base,
      programme: { status: 'CLOSED', regionCode: '310000' },
      policy: PolicySchema.parse({
        eligibleCategories: ['TESTING'],
        eligibility: { requiredTags: ['LITTLE_GIANT'] },
      }),
      enterprise: {
        ...base.enterprise,
        regionCode: '320500',
        employees: 500,
        annualRevenueFen: 90_000_000_000,
        tags: [],
      },
      requestedAmountFen: 9_000_000,
      demand: { ...demand, category: 'CERTIFICATION' },
      others: { openApplications: 1, activeVouchers: 1, usedThisYearFen: 5_000_000 },
    });
    expect(issues.map((i) => i.rule)).toEqual([
      'PROGRAMME_CLOSED',
      'EMPLOYEES_OVER_LIMIT',
      'REVENUE_OVER_LIMIT',
      'REGION_NOT_ELIGIBLE',
      'TAGS_MISSING',
      'AMOUNT_OVER_VOUCHER_CAP',
      'ANNUAL_CAP_EXCEEDED',
      'OPEN_APPLICATION_EXISTS',
      'ACTIVE_VOUCHER_EXISTS',
      'CATEGORY_NOT_ELIGIBLE',
    ]);
    for (const issue of issues) {
      expect(issue.message.length).toBeGreaterThan(10);
      expect(issueText(issue, 'zh-CN')).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('lets a programme allow one open application to be turned off', () => {
    const policy = PolicySchema.parse({ oneOpenPerEnterprise: false });
    expect(rules({ policy, others: { openApplications: 1, activeVouchers: 1, usedThisYearFen: 0 } })).toEqual(
      [],
    );
  });
});

describe('policy', () => {
  it('defaults to the rules of real schemes', () => {
    expect(DEFAULT_POLICY).toMatchObject({
      subsidyRatioBps: 5000,
      voucherCapFen: 2_000_000,
      enterpriseAnnualCapFen: 10_000_000,
      eligibility: { maxEmployees: 300, maxAnnualRevenueFen: 20_000_000_000, requiredTags: [] },
      oneOpenPerEnterprise: true,
      voucherValidity: '180d',
      crossRegionAllowed: false,
      reviewReminderAfter: '3d',
      reviewEscalateAfter: '5d',
      providerConfirmWithin: '48h',
      acceptanceWithin: '7d',
      autoApproveClaimsBelowFen: 200_000,
      expiryWarnings: ['14d', '3d'],
    });
    expect(DEFAULT_POLICY.eligibleCategories).toHaveLength(6);
  });

  it('refuses an escalation that would come before the reminder', () => {
    const result = PolicySchema.safeParse({ reviewReminderAfter: '5d', reviewEscalateAfter: '3d' });
    expect(result.error?.issues[0]?.path).toEqual(['reviewEscalateAfter']);
  });

  it('decides regions by GB/T 2260 prefix, and cross-region redemption by the programme', () => {
    expect(regionWithin('310115', '310000')).toBe(true);
    expect(regionWithin('320500', '310000')).toBe(false);
    expect(regionWithin('440305', '440300')).toBe(true);
    const yrd = PolicySchema.parse({
      crossRegionAllowed: true,
      crossRegionAreas: ['320000', '330000', '340000'],
    });
    expect(providerRegionAllowed(DEFAULT_POLICY, '310000', '320500')).toBe(false);
    expect(providerRegionAllowed(yrd, '310000', '320500')).toBe(true);
    expect(providerRegionAllowed(yrd, '310000', '440300')).toBe(false);
  });
});
