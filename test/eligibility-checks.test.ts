import { describe, expect, it } from 'vitest';
import {
  capYearRange,
  eligibilityChecks,
  eligibilityIssues,
  type EligibilityInput,
} from '../domain/eligibility';
import { DEFAULT_POLICY, PolicySchema } from '../domain/policy';

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
  demand: { standards: ['GB/T 2423.1'], sampleCount: 2, latestCompletionDate: '2027-03-31' },
  others: { openApplications: 0, activeVouchers: 0, usedThisYearFen: 0 },
};

describe('the rules a reviewer reads (docs/policy.md, "Eligibility")', () => {
  it('lists every rule that applies with its result and the facts compared', () => {
    const checks = eligibilityChecks({
      ...base,
      others: { ...base.others, usedThisYearFen: 9_000_000 },
    });
    expect(checks.map((c) => [c.rule, c.passed])).toEqual([
      ['PROGRAMME_CLOSED', true],
      ['EMPLOYEES_OVER_LIMIT', true],
      ['REVENUE_OVER_LIMIT', true],
      ['REGION_NOT_ELIGIBLE', true],
      ['TAGS_MISSING', true],
      ['AMOUNT_OVER_VOUCHER_CAP', true],
      ['ANNUAL_CAP_EXCEEDED', false],
      ['OPEN_APPLICATION_EXISTS', true],
      ['ACTIVE_VOUCHER_EXISTS', true],
    ]);
    expect(checks.find((c) => c.rule === 'ANNUAL_CAP_EXCEEDED')?.details).toEqual({
      usedThisYearFen: 9_000_000,
      requestedAmountFen: 1_500_000,
      enterpriseAnnualCapFen: 10_000_000,
    });
  });

  it('leaves out the rules a programme does not have, and names a category when one is asked for', () => {
    const rules = eligibilityChecks({
      ...base,
      policy: PolicySchema.parse({ oneOpenPerEnterprise: false, eligibleCategories: ['TESTING'] }),
      demand: { ...base.demand, category: 'METROLOGY' },
    }).map((c) => c.rule);
    expect(rules).not.toContain('OPEN_APPLICATION_EXISTS');
    expect(rules).not.toContain('ACTIVE_VOUCHER_EXISTS');
    expect(rules.at(-1)).toBe('CATEGORY_NOT_ELIGIBLE');
  });

  it('gives the failed checks as the eligibility issues, and nothing else', () => {
    const input = { ...base, enterprise: { ...base.enterprise, employees: 301, tags: [] } };
    const failed = eligibilityChecks(input).filter((c) => !c.passed);
    expect(eligibilityIssues(input)).toEqual(
      failed.map(({ rule, message, details }) => ({ rule, message, details })),
    );
    expect(failed.map((c) => c.rule)).toEqual(['EMPLOYEES_OVER_LIMIT']);
  });

  it('counts the annual cap in the Shanghai calendar year', () => {
    // 2026-12-31 17:00 UTC is already 2027-01-01 in Shanghai
    const range = capYearRange(new Date('2026-12-31T17:00:00Z'));
    expect(range.year).toBe(2027);
    expect(range.yearStart.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(range.yearEnd.toISOString()).toBe('2027-12-31T16:00:00.000Z');
  });
});
