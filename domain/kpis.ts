import { z } from 'zod';
import { SERVICE_CATEGORIES, type ServiceCategory } from './catalog';
import { POLICY_INDUSTRIES } from './enterprise';
import { ACCOUNTS, ledgerViolations, type Account, type Balances } from './ledger';
import type { Fen } from './money';
import { PROVINCES } from './region';

/**
 * The figures of docs/policy.md, "Figures (KPIs)", computed from aggregates the database returns. Every
 * function here is pure: the repository does the counting, this file gives the counts their meaning.
 */

/** The national targets of the 2023–2025 SME quality action, shown beside a programme's own figures. */
export const POLICY_TARGETS = {
  SMES_WITH_QUALITY_SYSTEMS: {
    target: 10_000,
    zh: '实施质量管理体系的中小企业 1 万家以上',
    en: '10,000+ SMEs implementing quality management systems',
    measure: 'enterprisesServed',
  },
  NEW_PUBLIC_SERVICE_PLATFORMS: {
    target: 1_000,
    zh: '新增公共服务平台 1000 个以上',
    en: '1,000+ new public service platforms',
    measure: 'publicServicePlatforms',
  },
} as const;
export type PolicyTargetKey = keyof typeof POLICY_TARGETS;

export const POLICY_INDUSTRY_KEYS = Object.keys(POLICY_INDUSTRIES) as [string, ...string[]];

/**
 * A region filter: a province (`31`), a prefecture (`3101`) or a county (`310115`); a full code
 * padded with zeros (`310000`, `310100`) means the province or prefecture it names.
 */
export function regionPrefix(code: string): string {
  return code.length === 6 ? code.replace(/(00)+$/, '') : code;
}

export const RegionFilterSchema = z
  .string()
  .regex(/^\d{2}(\d{2}(\d{2})?)?$/, { error: 'must be 2, 4 or 6 digits of a GB/T 2260 division code' })
  .refine((code) => code.slice(0, 2) in PROVINCES, {
    error: 'must start with a GB/T 2260 province code (11–82)',
  })
  .transform(regionPrefix)
  .meta({
    description:
      'province (31), prefecture (3101) or county (310115) prefix of the enterprise’s GB/T 2260 region; 310000 means 31',
    example: '3101',
  });

/** A share as a fraction with four decimals, or null when there is nothing to divide by. */
export function rate(numerator: number, denominator: number): number | null {
  if (denominator <= 0) return null;
  return Math.round((numerator / denominator) * 10_000) / 10_000;
}

/** Integer fen as yuan with exactly two decimals, by integer arithmetic: 4200 → "42.00". */
export function yuanString(fen: Fen): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`${fen} is not a whole number of fen`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export const STAGES = [
  { key: 'APPLICATION_DECISION', from: 'application submitted', to: 'application decided' },
  { key: 'BOOKING_CONFIRMATION', from: 'booking requested', to: 'booking confirmed' },
  { key: 'SAMPLE_DELIVERY', from: 'booking confirmed', to: 'sample received' },
  { key: 'TESTING', from: 'sample received', to: 'report uploaded' },
  { key: 'ACCEPTANCE', from: 'report uploaded', to: 'report accepted' },
  { key: 'PAYMENT', from: 'report accepted', to: 'claim paid' },
] as const;
export type StageKey = (typeof STAGES)[number]['key'];

/** What the database counts for the KPIs of a selection of programmes, enterprises and bookings. */
export interface KpiFacts {
  enterprisesServed: number;
  vouchers: {
    issued: number;
    used: number;
    active: number;
    usedUp: number;
    expired: number;
    revoked: number;
    faceValueFen: Fen;
    /** counts per Beijing calendar month (`YYYY-MM`) with any, in order */
    byMonth: VoucherMonth[];
  };
  budget: {
    programmes: number;
    budgetFen: Fen;
    balances: Balances;
    /** every programme's own ledger is sound, checked programme by programme */
    everyProgrammeBalanced: boolean;
  };
  bookingsByCategory: { category: string; bookings: number; accepted: number }[];
  bookingsByProvince: { province: string; bookings: number; accepted: number; subsidyFen: Fen }[];
  stages: { stage: string; count: number; medianSeconds: number | null }[];
  providers: ProviderFacts & { publicServicePlatforms: number };
  topProviders: (ProviderFacts & { providerId: string; name: string; kind: string })[];
}

export interface VoucherMonth {
  month: string;
  issued: number;
  used: number;
  expired: number;
}

/** The months from the first to the last with any voucher event, each once, in order, zeros included. */
export function monthlySeries(rows: VoucherMonth[]): VoucherMonth[] {
  if (rows.length === 0) return [];
  const found = new Map(rows.map((r) => [r.month, r]));
  const sorted = [...found.keys()].sort();
  const [firstYear, firstMonth] = sorted[0]!.split('-').map(Number) as [number, number];
  const last = sorted[sorted.length - 1]!;
  const series: VoucherMonth[] = [];
  for (let index = firstYear * 12 + firstMonth - 1; ; index += 1) {
    const month = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
    series.push(found.get(month) ?? { month, issued: 0, used: 0, expired: 0 });
    if (month === last) return series;
  }
}

export interface ProviderFacts {
  bookings: number;
  reports: number;
  onTime: number;
  late: number;
  disputes: number;
}

export interface ProviderRates extends ProviderFacts {
  onTimeRate: number | null;
  disputeRate: number | null;
}

/** On-time rate = on time / (on time + late); dispute rate = disputes / reports. */
export function providerRates(facts: ProviderFacts): ProviderRates {
  return {
    ...facts,
    onTimeRate: rate(facts.onTime, facts.onTime + facts.late),
    disputeRate: rate(facts.disputes, facts.reports),
  };
}

export interface BudgetSummary {
  programmes: number;
  budgetFen: Fen;
  accounts: Record<Account, Fen>;
  totalFen: Fen;
  balanced: boolean;
}

export function budgetSummary(budget: KpiFacts['budget']): BudgetSummary {
  const totalFen = ACCOUNTS.reduce((sum, a) => sum + budget.balances[a], 0);
  return {
    programmes: budget.programmes,
    budgetFen: budget.budgetFen,
    accounts: { ...budget.balances },
    totalFen,
    balanced:
      budget.everyProgrammeBalanced && ledgerViolations(budget.balances, budget.budgetFen).length === 0,
  };
}

/** Every category, in catalog order, zeros included, so that reports line up from one period to the next. */
export function byCategory(rows: KpiFacts['bookingsByCategory']) {
  const found = new Map(rows.map((r) => [r.category, r]));
  return SERVICE_CATEGORIES.map((category: ServiceCategory) => ({
    category,
    bookings: found.get(category)?.bookings ?? 0,
    accepted: found.get(category)?.accepted ?? 0,
  }));
}

/** Provinces with bookings, most bookings first, named. */
export function byProvince(rows: KpiFacts['bookingsByProvince']) {
  return [...rows]
    .sort((a, b) => b.bookings - a.bookings || a.province.localeCompare(b.province))
    .map((r) => ({
      provinceCode: r.province,
      name: PROVINCES[r.province]?.zh ?? r.province,
      nameEn: PROVINCES[r.province]?.en ?? r.province,
      bookings: r.bookings,
      accepted: r.accepted,
      subsidyFen: r.subsidyFen,
    }));
}

export function stageMedians(rows: KpiFacts['stages']) {
  const found = new Map(rows.map((r) => [r.stage, r]));
  return STAGES.map(({ key, from, to }) => {
    const seconds = found.get(key)?.medianSeconds ?? null;
    return {
      stage: key,
      from,
      to,
      count: found.get(key)?.count ?? 0,
      medianDays: seconds === null ? null : Math.round((seconds / 86_400) * 100) / 100,
      medianSeconds: seconds === null ? null : Math.round(seconds * 1000) / 1000,
    };
  });
}

export function policyTargets(values: Record<(typeof POLICY_TARGETS)[PolicyTargetKey]['measure'], number>) {
  return (Object.keys(POLICY_TARGETS) as PolicyTargetKey[]).map((key) => {
    const target = POLICY_TARGETS[key];
    const value = values[target.measure];
    return {
      key,
      description: target.zh,
      descriptionEn: target.en,
      target: target.target,
      measure: target.measure,
      value,
      share: rate(value, target.target),
    };
  });
}

export interface KpiFilters {
  programmeId?: string;
  regionPrefix?: string;
  industry?: string;
}

/** The KPI report from the database's counts. */
export function kpiReport(facts: KpiFacts, filters: KpiFilters, generatedAt: Date) {
  const provinces = byProvince(facts.bookingsByProvince);
  const { publicServicePlatforms, ...overall } = facts.providers;
  return {
    filters: {
      programmeId: filters.programmeId ?? null,
      regionCode: filters.regionPrefix ?? null,
      industry: filters.industry ?? null,
    },
    generatedAt: generatedAt.toISOString(),
    enterprisesServed: facts.enterprisesServed,
    vouchers: { ...facts.vouchers, byMonth: monthlySeries(facts.vouchers.byMonth) },
    budget: budgetSummary(facts.budget),
    bookings: {
      total: provinces.reduce((sum, p) => sum + p.bookings, 0),
      accepted: provinces.reduce((sum, p) => sum + p.accepted, 0),
      subsidyFen: provinces.reduce((sum, p) => sum + p.subsidyFen, 0),
      byCategory: byCategory(facts.bookingsByCategory),
      byRegion: provinces,
    },
    stages: stageMedians(facts.stages),
    providers: {
      overall: providerRates(overall),
      publicServicePlatforms,
      top: facts.topProviders.map(({ providerId, name, kind, ...counts }) => ({
        providerId,
        name,
        kind,
        ...providerRates(counts),
      })),
    },
    policyTargets: policyTargets({
      enterprisesServed: facts.enterprisesServed,
      publicServicePlatforms,
    }),
  };
}

export type KpiReport = ReturnType<typeof kpiReport>;

/** One paid claim as the settlements export lists it. */
export interface SettlementLine {
  paidAt: Date;
  programmeId: string;
  programmeName: string;
  providerName: string;
  providerCreditCode: string;
  enterpriseName: string;
  enterpriseCreditCode: string;
  voucherCode: string;
  bookingId: string;
  claimId: string;
  amountFen: Fen;
  transferReference: string | null;
  batchId: string | null;
}

/** The columns of the settlements export, in order, with what each holds (the OpenAPI text quotes these). */
export const SETTLEMENT_COLUMNS = [
  ['paid_at', 'when the transfer paid the claim, ISO 8601 UTC'],
  ['programme_id', 'programme id'],
  ['programme_name', 'programme name'],
  ['provider_name', 'the provider paid'],
  ['provider_credit_code', 'its unified social credit code'],
  ['enterprise_name', 'the enterprise whose test was subsidised'],
  ['enterprise_credit_code', 'its unified social credit code'],
  ['voucher_code', 'the voucher that funded the booking'],
  ['booking_id', 'the booking'],
  ['claim_id', 'the claim'],
  ['amount_fen', 'subsidy paid, integer fen'],
  ['amount_yuan', 'the same in yuan with two decimals'],
  ['transfer_reference', 'the payment gateway’s reference of the transfer'],
  ['batch_id', 'the payout batch'],
] as const;

export function settlementRow(line: SettlementLine): string[] {
  return [
    line.paidAt.toISOString(),
    line.programmeId,
    line.programmeName,
    line.providerName,
    line.providerCreditCode,
    line.enterpriseName,
    line.enterpriseCreditCode,
    line.voucherCode,
    line.bookingId,
    line.claimId,
    String(line.amountFen),
    yuanString(line.amountFen),
    line.transferReference ?? '',
    line.batchId ?? '',
  ];
}
