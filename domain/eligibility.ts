import { localDate, yearOf } from './calendar';
import type { Demand } from './demand';
import type { EnterpriseFacts } from './enterprise';
import type { Locale } from './identity';
import { formatYuan, type Fen } from './money';
import { eligibleRegions, regionWithin, type Policy } from './policy';

export type EligibilityRule =
  | 'PROGRAMME_CLOSED'
  | 'EMPLOYEES_OVER_LIMIT'
  | 'REVENUE_OVER_LIMIT'
  | 'REGION_NOT_ELIGIBLE'
  | 'TAGS_MISSING'
  | 'AMOUNT_OVER_VOUCHER_CAP'
  | 'ANNUAL_CAP_EXCEEDED'
  | 'OPEN_APPLICATION_EXISTS'
  | 'ACTIVE_VOUCHER_EXISTS'
  | 'CATEGORY_NOT_ELIGIBLE';

export interface EligibilityIssue {
  rule: EligibilityRule;
  message: string;
  details: Record<string, string | number | string[]>;
}

export interface EligibilityInput {
  enterprise: EnterpriseFacts;
  programme: { status: 'ACTIVE' | 'CLOSED'; regionCode: string };
  policy: Policy;
  requestedAmountFen: Fen;
  demand: Demand;
  /** the enterprise's other applications and vouchers in this programme */
  others: { openApplications: number; activeVouchers: number; usedThisYearFen: Fen };
}

/** One rule of the programme policy, applied to an application: whether it holds, and the facts it compared. */
export interface EligibilityCheck {
  rule: EligibilityRule;
  passed: boolean;
  /** why it failed, in English; the rule's words otherwise */
  message: string;
  details: Record<string, string | number | string[]>;
}

/**
 * Every rule of the programme policy (docs/policy.md, "Eligibility") that applies to the application,
 * each with its result and the facts it compared: what a reviewer reads before deciding. Rules that do
 * not apply (one open application when the programme allows several, a category when none is named)
 * are left out.
 */
export function eligibilityChecks(input: EligibilityInput): EligibilityCheck[] {
  const { enterprise, policy, programme, others } = input;
  const checks: EligibilityCheck[] = [];
  const check = (
    rule: EligibilityRule,
    failed: boolean,
    message: string,
    details: EligibilityCheck['details'] = {},
  ) => checks.push({ rule, passed: !failed, message, details });

  check('PROGRAMME_CLOSED', programme.status !== 'ACTIVE', 'the programme no longer accepts applications', {
    programmeStatus: programme.status,
  });
  check(
    'EMPLOYEES_OVER_LIMIT',
    enterprise.employees > policy.eligibility.maxEmployees,
    `${enterprise.employees} employees; the programme admits at most ${policy.eligibility.maxEmployees}`,
    { employees: enterprise.employees, maxEmployees: policy.eligibility.maxEmployees },
  );
  check(
    'REVENUE_OVER_LIMIT',
    enterprise.annualRevenueFen > policy.eligibility.maxAnnualRevenueFen,
    `annual revenue ${formatYuan(enterprise.annualRevenueFen)}; the programme admits at most ${formatYuan(policy.eligibility.maxAnnualRevenueFen)}`,
    {
      annualRevenueFen: enterprise.annualRevenueFen,
      maxAnnualRevenueFen: policy.eligibility.maxAnnualRevenueFen,
    },
  );
  const regions = eligibleRegions(policy, programme.regionCode);
  check(
    'REGION_NOT_ELIGIBLE',
    !regions.some((area) => regionWithin(enterprise.regionCode, area)),
    `registered in ${enterprise.regionCode}, outside the programme's ${regions.join(', ')}`,
    { regionCode: enterprise.regionCode, eligibleRegions: regions },
  );
  const missing = policy.eligibility.requiredTags.filter((tag) => !enterprise.tags.includes(tag));
  check(
    'TAGS_MISSING',
    missing.length > 0,
    `the programme is for enterprises recognised as ${missing.join(', ')}`,
    { missingTags: missing, requiredTags: policy.eligibility.requiredTags },
  );
  check(
    'AMOUNT_OVER_VOUCHER_CAP',
    input.requestedAmountFen > policy.voucherCapFen,
    `${formatYuan(input.requestedAmountFen)} asked; a voucher is worth at most ${formatYuan(policy.voucherCapFen)}`,
    { requestedAmountFen: input.requestedAmountFen, voucherCapFen: policy.voucherCapFen },
  );
  check(
    'ANNUAL_CAP_EXCEEDED',
    others.usedThisYearFen + input.requestedAmountFen > policy.enterpriseAnnualCapFen,
    `${formatYuan(others.usedThisYearFen)} already granted this year; with ${formatYuan(input.requestedAmountFen)} more the enterprise would pass its annual cap of ${formatYuan(policy.enterpriseAnnualCapFen)}`,
    {
      usedThisYearFen: others.usedThisYearFen,
      requestedAmountFen: input.requestedAmountFen,
      enterpriseAnnualCapFen: policy.enterpriseAnnualCapFen,
    },
  );
  if (policy.oneOpenPerEnterprise) {
    check(
      'OPEN_APPLICATION_EXISTS',
      others.openApplications > 0,
      'the enterprise already has an application under review in this programme',
      { openApplications: others.openApplications },
    );
    check(
      'ACTIVE_VOUCHER_EXISTS',
      others.activeVouchers > 0,
      'the enterprise already holds an active voucher of this programme',
      { activeVouchers: others.activeVouchers },
    );
  }
  if (input.demand.category) {
    check(
      'CATEGORY_NOT_ELIGIBLE',
      !policy.eligibleCategories.includes(input.demand.category),
      `${input.demand.category} services are not funded by this programme`,
      { category: input.demand.category, eligibleCategories: policy.eligibleCategories },
    );
  }
  return checks;
}

/**
 * The rules of the programme policy an application fails. All failures are returned, not the first
 * one, so that the SME can fix everything at once.
 */
export function eligibilityIssues(input: EligibilityInput): EligibilityIssue[] {
  return eligibilityChecks(input)
    .filter((check) => !check.passed)
    .map(({ rule, message, details }) => ({ rule, message, details }));
}

const ZH: Record<EligibilityRule, string> = {
  PROGRAMME_CLOSED: '该项目已停止受理申请',
  EMPLOYEES_OVER_LIMIT: '企业从业人数超过项目上限',
  REVENUE_OVER_LIMIT: '企业年营业收入超过项目上限',
  REGION_NOT_ELIGIBLE: '企业注册地不在项目支持范围内',
  TAGS_MISSING: '企业不具备项目要求的资质认定',
  AMOUNT_OVER_VOUCHER_CAP: '申请金额超过单张检测券面额上限',
  ANNUAL_CAP_EXCEEDED: '超过企业年度累计支持上限',
  OPEN_APPLICATION_EXISTS: '企业在本项目已有正在审核的申请',
  ACTIVE_VOUCHER_EXISTS: '企业在本项目已持有有效检测券',
  CATEGORY_NOT_ELIGIBLE: '所需服务类别不在本项目支持范围内',
};

export function issueText(issue: EligibilityIssue, locale: Locale): string {
  return locale === 'zh-CN' ? ZH[issue.rule] : issue.message;
}

/** The calendar year the annual cap counts in. */
export function capYear(now: Date | number, timeZone?: string): number {
  return yearOf(localDate(now, timeZone));
}

/** The instants the annual cap's year runs between (Asia/Shanghai calendar year). */
export function capYearRange(now: Date): { year: number; yearStart: Date; yearEnd: Date } {
  const year = capYear(now);
  return {
    year,
    yearStart: new Date(`${year}-01-01T00:00:00+08:00`),
    yearEnd: new Date(`${year + 1}-01-01T00:00:00+08:00`),
  };
}
