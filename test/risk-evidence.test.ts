import { describe, expect, it } from 'vitest';
import { claimRiskFlags, type ClaimRiskFacts } from '../domain/risk';

const clean: ClaimRiskFacts = {
  enterprise: {
    creditCode: '91310115MA1K4ABC12',
    legalRepresentative: '陈立',
    phone: '021-5555 0101',
    address: '上海市浦东新区张江路 88 号',
  },
  provider: {
    creditCode: '12310000425000123X',
    legalRepresentative: '王芳',
    phone: '021-6666 0202',
    address: '上海市徐汇区漕宝路 1 号',
  },
  quotedPriceFen: 90_000,
  catalogPriceFen: 90_000,
  claimAmountFen: 45_000,
  claimsWithSameReport: [],
  serviceFrom: new Date('2026-03-02T00:00:00Z'),
  serviceTo: new Date('2026-03-05T00:00:00Z'),
  voucherValidFrom: new Date('2026-03-01T00:00:00Z'),
  voucherValidUntil: new Date('2026-08-28T00:00:00Z'),
  enterpriseClaimedThisYearFen: 0,
  enterpriseAnnualCapFen: 10_000_000,
  copaymentMissing: false,
  copaymentFen: 45_000,
};

describe('the evidence a risk flag carries for the administrator', () => {
  it('a related party: each shared field with the value each side registered', () => {
    const flags = claimRiskFlags({
      ...clean,
      provider: { ...clean.provider, phone: '(021) 55550101', address: '上海市浦东新区张江路88号' },
    });
    expect(flags).toHaveLength(1);
    expect(flags[0]!.details).toEqual({
      sharedFields: ['phone', 'address'],
      enterpriseValues: ['021-5555 0101', '上海市浦东新区张江路 88 号'],
      providerValues: ['(021) 55550101', '上海市浦东新区张江路88号'],
    });
  });

  it('a price above the catalog: the quote and the catalog price', () => {
    const [flag] = claimRiskFlags({ ...clean, quotedPriceFen: 500_000 });
    expect(flag).toMatchObject({
      code: 'PRICE_ABOVE_CATALOG',
      details: { quotedPriceFen: 500_000, catalogPriceFen: 90_000 },
    });
  });

  it('a duplicate report: the other claims with the same report', () => {
    const other = '0b7c5c1e-9a43-4d1f-8a55-3f0c2b6f9d10';
    const [flag] = claimRiskFlags({ ...clean, claimsWithSameReport: [other] });
    expect(flag).toMatchObject({ code: 'DUPLICATE_REPORT', details: { claimIds: [other] } });
  });
});
