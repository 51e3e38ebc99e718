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

/**
 * Every rule of the programme policy (docs/policy.md, "Eligibility") an application is checked against. All failures are returned, not the
 * first one, so that the SME can fix everything at once.
 */
export function eligibilityIssues(input: EligibilityInput): EligibilityIssue[] {
  const { enterprise, policy, programme, others } = input;
  const issues: EligibilityIssue[] = [];
  const add = (rule: EligibilityRule, message: string, details: EligibilityIssue['details'] = {}) =>
    issues.push({ rule, message, details });

  if (programme.status !== 'ACTIVE') add('PROGRAMME_CLOSED', 'the programme no longer accepts applications');
  if (enterprise.employees > policy.eligibility.maxEmployees) {
    add(
      'EMPLOYEES_OVER_LIMIT',
      `${enterprise.employees} employees; the programme admits at most ${policy.eligibility.maxEmployees}`,
      {
        employees: enterprise.employees,
        maxEmployees: policy.eligibility.maxEmployees,
      },
    );
  }
  if (enterprise.annualRevenueFen > policy.eligibility.maxAnnualRevenueFen) {
    add(
      'REVENUE_OVER_LIMIT',
      `annual revenue ${formatYuan(enterprise.annualRevenueFen)}; the programme admits at most ${formatYuan(policy.eligibility.maxAnnualRevenueFen)}`,
      {
        annualRevenueFen: enterprise.annualRevenueFen,
        maxAnnualRevenueFen: policy.eligibility.maxAnnualRevenueFen,
      },
    );
  }
  const regions = eligibleRegions(policy, programme.regionCode);
  if (!regions.some((area) => regionWithin(enterprise.regionCode, area))) {
    add(
      'REGION_NOT_ELIGIBLE',
      `registered in ${enterprise.regionCode}, outside the programme's ${regions.join(', ')}`,
      {
        regionCode: enterprise.regionCode,
        eligibleRegions: regions,
      },
    );
  }
  const missing = policy.eligibility.requiredTags.filter((tag) => !enterprise.tags.includes(tag));
  if (missing.length) {
    add('TAGS_MISSING', `the programme is for enterprises recognised as ${missing.join(', ')}`, {
      missingTags: missing,
    });
  }
  if (input.requestedAmountFen > policy.voucherCapFen) {
    add(
      'AMOUNT_OVER_VOUCHER_CAP',
      `${formatYuan(input.requestedAmountFen)} asked; a voucher is worth at most ${formatYuan(policy.voucherCapFen)}`,
      {
        requestedAmountFen: input.requestedAmountFen,
        voucherCapFen: policy.voucherCapFen,
      },
    );
  }
  if (others.usedThisYearFen + input.requestedAmountFen > policy.enterpriseAnnualCapFen) {
    add(
      'ANNUAL_CAP_EXCEEDED',
      `${formatYuan(others.usedThisYearFen)} already granted this year; with ${formatYuan(input.requestedAmountFen)} more the enterprise would pass its annual cap of ${formatYuan(policy.enterpriseAnnualCapFen)}`,
      {
        usedThisYearFen: others.usedThisYearFen,
        requestedAmountFen: input.requestedAmountFen,
        enterpriseAnnualCapFen: policy.enterpriseAnnualCapFen,
      },
    );
  }
  if (policy.oneOpenPerEnterprise && others.openApplications > 0) {
    add(
      'OPEN_APPLICATION_EXISTS',
      'the enterprise already has an application under review in this programme',
    );
  }
  if (policy.oneOpenPerEnterprise && others.activeVouchers > 0) {
    add('ACTIVE_VOUCHER_EXISTS', 'the enterprise already holds an active voucher of this programme');
  }
  if (input.demand.category && !policy.eligibleCategories.includes(input.demand.category)) {
    add('CATEGORY_NOT_ELIGIBLE', `${input.demand.category} services are not funded by this programme`, {
      category: input.demand.category,
      eligibleCategories: policy.eligibleCategories,
    });
  }
  return issues;
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
