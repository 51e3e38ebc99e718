import { formatYuan, type Fen } from './money';

export const RISK_FLAG_CODES = [
  'RELATED_PARTY',
  'PRICE_ABOVE_CATALOG',
  'DUPLICATE_REPORT',
  'OUTSIDE_VALIDITY',
  'ANNUAL_CAP_EXCEEDED',
  'COPAYMENT_NOT_RECORDED',
] as const;
export type RiskFlagCode = (typeof RISK_FLAG_CODES)[number];

export interface RiskFlag {
  code: RiskFlagCode;
  message: string;
  details: Record<string, string | number | string[]>;
}

export interface Party {
  creditCode: string;
  legalRepresentative: string;
  phone: string;
  address: string;
}

export interface ClaimRiskFacts {
  enterprise: Party;
  provider: Party;
  quotedPriceFen: Fen;
  catalogPriceFen: Fen;
  claimAmountFen: Fen;
  /** other claims that carry the same report (by SHA-256) */
  claimsWithSameReport: string[];
  /** when the service was done: sample received and report delivered */
  serviceFrom: Date;
  serviceTo: Date;
  voucherValidFrom: Date;
  voucherValidUntil: Date;
  /** subsidies already claimed for the enterprise this calendar year, this claim excluded */
  enterpriseClaimedThisYearFen: Fen;
  enterpriseAnnualCapFen: Fen;
  /** the SME's own payment was never recorded, and the wait for it was escalated */
  copaymentMissing: boolean;
  copaymentFen: Fen;
}

const digits = (value: string) => value.replace(/\D/g, '');
const compact = (value: string) => value.replace(/[\s,，.。\-－#号()（）]/g, '').toLowerCase();

const PARTY_FIELDS = {
  'credit code': 'creditCode',
  'legal representative': 'legalRepresentative',
  phone: 'phone',
  address: 'address',
} as const satisfies Record<string, keyof Party>;

/** Who is the same on both sides of the transaction: any one is enough to look closer. */
export function relatedPartyLinks(a: Party, b: Party): (keyof typeof PARTY_FIELDS)[] {
  const links: (keyof typeof PARTY_FIELDS)[] = [];
  if (a.creditCode === b.creditCode) links.push('credit code');
  if (a.legalRepresentative.trim() === b.legalRepresentative.trim()) links.push('legal representative');
  if (digits(a.phone) !== '' && digits(a.phone) === digits(b.phone)) links.push('phone');
  if (compact(a.address) === compact(b.address)) links.push('address');
  return links;
}

/**
 * The checks a claim passes before public money goes out (docs/processes.md, "Settlement"). A flag does not
 * refuse a claim: it sends it to an administrator with the reason shown.
 */
export function claimRiskFlags(facts: ClaimRiskFacts): RiskFlag[] {
  const flags: RiskFlag[] = [];
  const links = relatedPartyLinks(facts.enterprise, facts.provider);
  if (links.length) {
    flags.push({
      code: 'RELATED_PARTY',
      message: `the enterprise and the provider share a ${links.join(', ')}`,
      // the evidence: each shared field as each side registered it, in the order of sharedFields
      details: {
        sharedFields: links,
        enterpriseValues: links.map((link) => facts.enterprise[PARTY_FIELDS[link]]),
        providerValues: links.map((link) => facts.provider[PARTY_FIELDS[link]]),
      },
    });
  }
  if (facts.quotedPriceFen > facts.catalogPriceFen) {
    flags.push({
      code: 'PRICE_ABOVE_CATALOG',
      message: `quoted ${formatYuan(facts.quotedPriceFen)}, above the catalog price of ${formatYuan(facts.catalogPriceFen)}`,
      details: { quotedPriceFen: facts.quotedPriceFen, catalogPriceFen: facts.catalogPriceFen },
    });
  }
  if (facts.claimsWithSameReport.length) {
    flags.push({
      code: 'DUPLICATE_REPORT',
      message: `the same report file is attached to ${facts.claimsWithSameReport.length} other claim(s)`,
      details: { claimIds: facts.claimsWithSameReport },
    });
  }
  if (facts.serviceFrom < facts.voucherValidFrom || facts.serviceTo > facts.voucherValidUntil) {
    flags.push({
      code: 'OUTSIDE_VALIDITY',
      message: 'the service was performed outside the voucher’s validity',
      details: {
        serviceFrom: facts.serviceFrom.toISOString(),
        serviceTo: facts.serviceTo.toISOString(),
        validFrom: facts.voucherValidFrom.toISOString(),
        validUntil: facts.voucherValidUntil.toISOString(),
      },
    });
  }
  if (facts.enterpriseClaimedThisYearFen + facts.claimAmountFen > facts.enterpriseAnnualCapFen) {
    flags.push({
      code: 'ANNUAL_CAP_EXCEEDED',
      message: `with this claim the enterprise would receive ${formatYuan(facts.enterpriseClaimedThisYearFen + facts.claimAmountFen)} this year, above its cap of ${formatYuan(facts.enterpriseAnnualCapFen)}`,
      details: {
        claimedThisYearFen: facts.enterpriseClaimedThisYearFen,
        claimAmountFen: facts.claimAmountFen,
        annualCapFen: facts.enterpriseAnnualCapFen,
      },
    });
  }
  if (facts.copaymentMissing) {
    flags.push({
      code: 'COPAYMENT_NOT_RECORDED',
      message: `the enterprise's co-payment of ${formatYuan(facts.copaymentFen)} was never recorded`,
      details: { copaymentFen: facts.copaymentFen },
    });
  }
  return flags;
}

/** Small, clean claims are approved without a person; the rest wait for an administrator. */
export function autoApprovable(claimAmountFen: Fen, flags: RiskFlag[], autoApproveBelowFen: Fen): boolean {
  return flags.length === 0 && claimAmountFen < autoApproveBelowFen;
}
