import { z } from 'zod';
import { CreditCodeSchema } from './credit-code';
import { FenSchema } from './money';
import { RegionCodeSchema } from './region';

export const ENTERPRISE_TAGS = [
  'SPECIALIZED_INNOVATIVE', // 专精特新
  'LITTLE_GIANT', // 专精特新“小巨人”
  'HIGH_TECH', // 高新技术企业
  'TECH_SME', // 科技型中小企业
] as const;
export const EnterpriseTagSchema = z.enum(ENTERPRISE_TAGS).meta({ id: 'EnterpriseTag' });

/**
 * GB/T 4754-2017 industry: a section letter, optionally with a 2-, 3- or 4-digit class, e.g. `C`,
 * `C34`, `C3989`.
 */
export const IndustryCodeSchema = z
  .string()
  .regex(/^[A-T](\d{2}|\d{3}|\d{4})?$/, { error: 'must be a GB/T 4754 code such as "C34" or "C3989"' })
  .meta({ id: 'IndustryCode', example: 'C3989' });

/** The six industries the 2023–2025 action names, by their GB/T 4754 manufacturing divisions. */
export const POLICY_INDUSTRIES: Record<string, { zh: string; en: string; divisions: string[] }> = {
  machinery: { zh: '机械', en: 'machinery', divisions: ['C33', 'C34', 'C35'] },
  electronics: { zh: '电子', en: 'electronics', divisions: ['C38', 'C39', 'C40'] },
  textiles: { zh: '纺织', en: 'textiles', divisions: ['C17', 'C18'] },
  steel: { zh: '钢铁', en: 'steel', divisions: ['C31'] },
  buildingMaterials: { zh: '建材', en: 'building materials', divisions: ['C30'] },
  nonFerrousMetals: { zh: '有色金属', en: 'non-ferrous metals', divisions: ['C32'] },
};

export function policyIndustryOf(industryCode: string): string | null {
  const division = industryCode.slice(0, 3);
  for (const [key, industry] of Object.entries(POLICY_INDUSTRIES)) {
    if (industry.divisions.includes(division)) return key;
  }
  return null;
}

/** Mainland mobile (1xxxxxxxxxx) or landline with area code (010-12345678). */
export const PhoneSchema = z
  .string()
  .trim()
  .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/, {
    error: 'must be a mainland mobile number or a landline with area code, e.g. 13800138000 or 021-62345678',
  })
  .meta({ example: '021-62345678' });

export const EnterpriseRegistrationSchema = z
  .strictObject({
    creditCode: CreditCodeSchema,
    name: z.string().trim().min(2).max(200),
    regionCode: RegionCodeSchema,
    industryCode: IndustryCodeSchema,
    employees: z.number().int().min(1).max(1_000_000),
    annualRevenueFen: FenSchema,
    legalRepresentative: z.string().trim().min(1).max(50),
    contactPhone: PhoneSchema,
    address: z.string().trim().min(4).max(300),
    tags: z.array(EnterpriseTagSchema).max(ENTERPRISE_TAGS.length).default([]),
  })
  .meta({ id: 'EnterpriseRegistration' });

export type EnterpriseRegistration = z.output<typeof EnterpriseRegistrationSchema>;

/** The facts eligibility and risk checks read about an enterprise. */
export interface EnterpriseFacts {
  id: string;
  creditCode: string;
  name: string;
  regionCode: string;
  industryCode: string;
  employees: number;
  annualRevenueFen: number;
  legalRepresentative: string;
  contactPhone: string;
  address: string;
  tags: string[];
}
