import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  budgetSummary,
  byCategory,
  byProvince,
  kpiReport,
  monthlySeries,
  policyTargets,
  providerRates,
  rate,
  RegionFilterSchema,
  regionPrefix,
  SETTLEMENT_COLUMNS,
  settlementRow,
  stageMedians,
  yuanString,
  type KpiFacts,
} from '../domain/kpis';

describe('yuan strings', () => {
  it('give exactly two decimals from whole fen', () => {
    expect(yuanString(0)).toBe('0.00');
    expect(yuanString(5)).toBe('0.05');
    expect(yuanString(42_000)).toBe('420.00');
    expect(yuanString(1_234_567)).toBe('12345.67');
    expect(yuanString(-1_005)).toBe('-10.05');
  });

  it('read back as the same number of fen, for any amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        const text = yuanString(fen);
        expect(text).toMatch(/^-?\d+\.\d{2}$/);
        const [whole, cents] = text.replace('-', '').split('.');
        const back = BigInt(whole!) * 100n + BigInt(cents!);
        expect(fen < 0 ? -back : back).toBe(BigInt(fen));
      }),
    );
  });

  it('refuse fractions of a fen', () => {
    expect(() => yuanString(1.5)).toThrow(RangeError);
  });
});

describe('rates', () => {
  it('are fractions with four decimals, null without a denominator', () => {
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(2, 3)).toBe(0.6667);
    expect(rate(0, 5)).toBe(0);
    expect(rate(3, 0)).toBeNull();
  });

  it('give the provider on-time rate over on-time and late reports, the dispute rate over reports', () => {
    expect(providerRates({ bookings: 5, reports: 4, onTime: 3, late: 1, disputes: 1 })).toEqual({
      bookings: 5,
      reports: 4,
      onTime: 3,
      late: 1,
      disputes: 1,
      onTimeRate: 0.75,
      disputeRate: 0.25,
    });
    expect(providerRates({ bookings: 2, reports: 0, onTime: 0, late: 0, disputes: 0 })).toMatchObject({
      onTimeRate: null,
      disputeRate: null,
    });
  });
});

describe('region filters', () => {
  it('take a province, prefecture or county prefix; zero padding means the division it pads', () => {
    expect(regionPrefix('31')).toBe('31');
    expect(regionPrefix('3101')).toBe('3101');
    expect(regionPrefix('310000')).toBe('31');
    expect(regionPrefix('310100')).toBe('3101');
    expect(regionPrefix('310115')).toBe('310115');
    expect(RegionFilterSchema.parse('440300')).toBe('4403');
  });

  it('refuse what is not a GB/T 2260 prefix', () => {
    for (const bad of ['3', '315', '99', '990000', '31a1', '3101155']) {
      expect(RegionFilterSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe('the budget summary', () => {
  const balances = { AVAILABLE: 600, RESERVED: 200, COMMITTED: 100, PAYABLE: 50, PAID: 50 };

  it('sums the accounts and says the ledger is balanced when they make the budget', () => {
    expect(
      budgetSummary({ programmes: 2, budgetFen: 1_000, balances, everyProgrammeBalanced: true }),
    ).toEqual({ programmes: 2, budgetFen: 1_000, accounts: balances, totalFen: 1_000, balanced: true });
  });

  it('is unbalanced when the sum misses the budget or one programme is unsound', () => {
    expect(
      budgetSummary({ programmes: 1, budgetFen: 1_001, balances, everyProgrammeBalanced: true }).balanced,
    ).toBe(false);
    // two programmes' errors can cancel out in the sum: each is checked on its own too
    expect(
      budgetSummary({ programmes: 2, budgetFen: 1_000, balances, everyProgrammeBalanced: false }).balanced,
    ).toBe(false);
  });
});

describe('breakdowns', () => {
  it('list every service category in catalog order, zeros included', () => {
    const rows = byCategory([
      { category: 'METROLOGY', bookings: 2, accepted: 1 },
      { category: 'TESTING', bookings: 5, accepted: 4 },
    ]);
    expect(rows.map((r) => r.category)).toEqual([
      'TESTING',
      'INSPECTION',
      'METROLOGY',
      'CERTIFICATION',
      'EXPERIMENTAL_VERIFICATION',
      'STANDARDIZATION_CONSULTING',
    ]);
    expect(rows[0]).toEqual({ category: 'TESTING', bookings: 5, accepted: 4 });
    expect(rows[1]).toEqual({ category: 'INSPECTION', bookings: 0, accepted: 0 });
  });

  it('name provinces and put the busiest first', () => {
    expect(
      byProvince([
        { province: '32', bookings: 1, accepted: 1, subsidyFen: 100 },
        { province: '31', bookings: 3, accepted: 2, subsidyFen: 900 },
      ]),
    ).toEqual([
      { provinceCode: '31', name: '上海市', nameEn: 'Shanghai', bookings: 3, accepted: 2, subsidyFen: 900 },
      { provinceCode: '32', name: '江苏省', nameEn: 'Jiangsu', bookings: 1, accepted: 1, subsidyFen: 100 },
    ]);
  });

  it('give every stage in process order, in days and seconds, null where nothing went through', () => {
    const stages = stageMedians([
      { stage: 'TESTING', count: 3, medianSeconds: 2 * 86_400 + 43_200 },
      { stage: 'APPLICATION_DECISION', count: 4, medianSeconds: 12.3456 },
    ]);
    expect(stages.map((s) => s.stage)).toEqual([
      'APPLICATION_DECISION',
      'BOOKING_CONFIRMATION',
      'SAMPLE_DELIVERY',
      'TESTING',
      'ACCEPTANCE',
      'PAYMENT',
    ]);
    expect(stages[0]).toMatchObject({ count: 4, medianDays: 0, medianSeconds: 12.346 });
    expect(stages[1]).toMatchObject({ count: 0, medianDays: null, medianSeconds: null });
    expect(stages[3]).toMatchObject({
      from: 'sample received',
      to: 'report uploaded',
      medianDays: 2.5,
      medianSeconds: 216_000,
    });
  });

  it('set the national targets beside the programme’s own figures', () => {
    expect(policyTargets({ enterprisesServed: 250, publicServicePlatforms: 3 })).toEqual([
      expect.objectContaining({
        key: 'SMES_WITH_QUALITY_SYSTEMS',
        target: 10_000,
        value: 250,
        share: 0.025,
      }),
      expect.objectContaining({
        key: 'NEW_PUBLIC_SERVICE_PLATFORMS',
        target: 1_000,
        value: 3,
        share: 0.003,
      }),
    ]);
  });
});

describe('the KPI report', () => {
  const facts: KpiFacts = {
    enterprisesServed: 2,
    vouchers: {
      issued: 3,
      used: 2,
      active: 2,
      usedUp: 0,
      expired: 1,
      revoked: 0,
      faceValueFen: 3_000_000,
      byMonth: [
        { month: '2026-12', issued: 0, used: 1, expired: 0 },
        { month: '2026-10', issued: 3, used: 1, expired: 0 },
        { month: '2027-02', issued: 0, used: 0, expired: 1 },
      ],
    },
    budget: {
      programmes: 1,
      budgetFen: 10_000_000,
      balances: { AVAILABLE: 7_000_000, RESERVED: 2_900_000, COMMITTED: 0, PAYABLE: 0, PAID: 100_000 },
      everyProgrammeBalanced: true,
    },
    bookingsByCategory: [{ category: 'TESTING', bookings: 3, accepted: 2 }],
    bookingsByProvince: [
      { province: '31', bookings: 2, accepted: 1, subsidyFen: 40_000 },
      { province: '32', bookings: 1, accepted: 1, subsidyFen: 60_000 },
    ],
    stages: [],
    providers: { bookings: 3, reports: 2, onTime: 1, late: 1, disputes: 1, publicServicePlatforms: 1 },
    topProviders: [
      {
        providerId: '0b7f6f3e-1f43-4d6b-9a55-0d8a1b1c0e01',
        name: '上海检测中心',
        kind: 'LAB',
        bookings: 3,
        reports: 2,
        onTime: 1,
        late: 1,
        disputes: 1,
      },
    ],
  };

  it('totals the bookings from the regions and rates the providers', () => {
    const report = kpiReport(facts, { regionPrefix: '31' }, new Date('2026-11-23T08:00:00Z'));
    expect(report.filters).toEqual({ programmeId: null, regionCode: '31', industry: null });
    expect(report.generatedAt).toBe('2026-11-23T08:00:00.000Z');
    expect(report.bookings).toMatchObject({ total: 3, accepted: 2, subsidyFen: 100_000 });
    expect(report.providers.overall).toMatchObject({ onTimeRate: 0.5, disputeRate: 0.5 });
    expect(report.providers.publicServicePlatforms).toBe(1);
    expect(report.providers.top[0]).toMatchObject({ name: '上海检测中心', onTimeRate: 0.5 });
    expect(report.budget.balanced).toBe(true);
    expect(report.policyTargets[0]).toMatchObject({ value: 2 });
  });

  it('lists vouchers month by month, across a year’s end, months without any as zeros', () => {
    const report = kpiReport(facts, {}, new Date('2027-03-01T00:00:00Z'));
    expect(report.vouchers.byMonth).toEqual([
      { month: '2026-10', issued: 3, used: 1, expired: 0 },
      { month: '2026-11', issued: 0, used: 0, expired: 0 },
      { month: '2026-12', issued: 0, used: 1, expired: 0 },
      { month: '2027-01', issued: 0, used: 0, expired: 0 },
      { month: '2027-02', issued: 0, used: 0, expired: 1 },
    ]);
    const sum = (key: 'issued' | 'used' | 'expired') =>
      report.vouchers.byMonth.reduce((total, m) => total + m[key], 0);
    expect([sum('issued'), sum('used'), sum('expired')]).toEqual([3, 2, 1]);
    expect(monthlySeries([])).toEqual([]);
  });
});

describe('a settlements line', () => {
  it('has one value per documented column, the amount in fen and in yuan', () => {
    const row = settlementRow({
      paidAt: new Date('2026-11-23T08:00:00.123Z'),
      programmeId: 'p',
      programmeName: '上海市中小企业检测券',
      providerName: '上海检测中心',
      providerCreditCode: '91310112MA1GB0001X',
      enterpriseName: '上海精测电子科技有限公司',
      enterpriseCreditCode: '91310115MA1GB0002Y',
      voucherCode: 'TV-2026-ABCD',
      bookingId: 'b',
      claimId: 'c',
      amountFen: 42_005,
      transferReference: 'GW-1',
      batchId: null,
    });
    expect(row).toHaveLength(SETTLEMENT_COLUMNS.length);
    expect(row[0]).toBe('2026-11-23T08:00:00.123Z');
    expect(row.slice(10)).toEqual(['42005', '420.05', 'GW-1', '']);
  });
});
