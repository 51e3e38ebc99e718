import { z } from 'zod';
import { addDays, isIsoDate, localDate, type IsoDate } from './calendar';
import { ProviderKindSchema, ServiceCategorySchema, type ProviderKind, type ProviderStatus } from './catalog';
import { CreditCodeSchema } from './credit-code';
import { durationMs } from './duration';
import { PhoneSchema } from './enterprise';
import { UnitPriceFenSchema, type Fen } from './money';
import { RegionCodeSchema } from './region';
import { StandardCodeSchema } from './standards';
import type { ServiceCategory } from './catalog';

export const ACCREDITATION_KINDS = ['CNAS', 'CMA'] as const;
export type AccreditationKind = (typeof ACCREDITATION_KINDS)[number];

export const providerWorkflowId = (providerId: string) => `provider/${providerId}`;

/**
 * CNAS numbers name the accreditation programme (L laboratory, IB inspection body, C certification
 * body, PT proficiency testing, RM reference material producer) and a serial, e.g. `CNAS L1234`;
 * CMA (检验检测机构资质认定) certificates carry a 12-digit number.
 */
const NUMBER_FORMATS: Record<AccreditationKind, { pattern: RegExp; example: string }> = {
  CNAS: { pattern: /^CNAS ?(L|IB|C|PT|RM)\d{3,5}(-[A-Z]{1,3})?$/, example: 'CNAS L1234' },
  CMA: { pattern: /^\d{12}$/, example: '201523110235' },
};

export function normaliseAccreditationNumber(kind: AccreditationKind, number: string): string {
  const compact = number.trim().toUpperCase();
  return kind === 'CNAS' ? compact.replace(/^CNAS ?/, 'CNAS ') : compact;
}

/**
 * When an accreditation lapses. A certificate states its last valid day, and it is valid through
 * the end of that day in Asia/Shanghai (UTC+8 all year, no daylight saving). An exact instant is
 * accepted too, for a withdrawal effective at a given time.
 */
export function accreditationLapse(expiry: string): { expiresOn: IsoDate; expiresAt: string } {
  if (isIsoDate(expiry)) {
    return { expiresOn: expiry, expiresAt: new Date(`${addDays(expiry, 1)}T00:00:00+08:00`).toISOString() };
  }
  const lapse = new Date(expiry).getTime();
  // the last day it is valid is the day holding the last millisecond before the lapse
  return { expiresOn: localDate(lapse - 1), expiresAt: new Date(lapse).toISOString() };
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const ExpirySchema = z
  .string()
  .max(40)
  .refine((value) => isIsoDate(value) || (INSTANT.test(value) && !Number.isNaN(Date.parse(value))), {
    error: 'must be a date YYYY-MM-DD or an instant such as 2028-06-30T18:00:00+08:00',
  })
  .meta({
    description:
      'last valid day as printed on the certificate (valid through the end of that day, Asia/Shanghai), ' +
      'or the exact instant it lapses (ISO 8601 with offset)',
    example: '2028-06-30',
  });

export const AccreditationInputSchema = z
  .strictObject({
    kind: z.enum(ACCREDITATION_KINDS),
    number: z.string().trim().min(1).max(40),
    scope: z
      .array(StandardCodeSchema)
      .min(1, { error: 'name at least one standard the accreditation covers' })
      .max(1000)
      .transform((codes) => [...new Set(codes)].sort()),
    expiresOn: ExpirySchema,
  })
  .superRefine((value, ctx) => {
    const format = NUMBER_FORMATS[value.kind];
    if (!format.pattern.test(normaliseAccreditationNumber(value.kind, value.number))) {
      ctx.addIssue({
        code: 'custom',
        path: ['number'],
        message: `is not a ${value.kind} number, e.g. "${format.example}"`,
      });
    }
  })
  .transform((value): Accreditation => {
    return {
      kind: value.kind,
      number: normaliseAccreditationNumber(value.kind, value.number),
      scope: value.scope,
      ...accreditationLapse(value.expiresOn),
    };
  })
  .meta({ id: 'AccreditationInput' });

export const AccreditationListSchema = z
  .array(AccreditationInputSchema)
  .min(1, { error: 'name at least one CNAS or CMA accreditation' })
  .max(10)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((a, index) => {
      const key = `${a.kind} ${a.number}`;
      if (seen.has(key))
        ctx.addIssue({ code: 'custom', path: [index, 'number'], message: 'is listed twice' });
      seen.add(key);
    });
  });

export const ProviderRegistrationSchema = z
  .strictObject({
    creditCode: CreditCodeSchema,
    name: z.string().trim().min(2).max(200),
    kind: ProviderKindSchema,
    regionCode: RegionCodeSchema,
    legalRepresentative: z.string().trim().min(1).max(50),
    phone: PhoneSchema,
    address: z.string().trim().min(4).max(300),
    accreditations: AccreditationListSchema,
  })
  .meta({ id: 'ProviderRegistration' });

export type ProviderRegistration = z.output<typeof ProviderRegistrationSchema>;

export const ServiceInputSchema = z
  .strictObject({
    id: z.uuid().optional().meta({ description: 'an existing service to change; a new service without it' }),
    name: z.string().trim().min(2).max(200),
    category: ServiceCategorySchema,
    standards: z
      .array(StandardCodeSchema)
      .min(1)
      .max(50)
      .transform((codes) => [...new Set(codes)].sort()),
    unitPriceFen: UnitPriceFenSchema,
    turnaroundDays: z.number().int().min(1).max(365),
    dailyCapacity: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .meta({ description: 'samples a day; 0 takes no new work' }),
    inScope: z.boolean().meta({
      description:
        'claims every standard of the service lies in the accredited scope; a claim the accreditations do not back is refused',
    }),
  })
  .meta({ id: 'ServiceInput' });

export const CatalogSchema = z
  .strictObject({
    services: z
      .array(ServiceInputSchema)
      .max(500)
      .superRefine((services, ctx) => {
        const ids = new Set<string>();
        services.forEach((s, index) => {
          if (!s.id) return;
          if (ids.has(s.id))
            ctx.addIssue({ code: 'custom', path: [index, 'id'], message: 'is listed twice' });
          ids.add(s.id);
        });
      }),
  })
  .meta({
    id: 'Catalog',
    description: 'the whole catalog: services left out are withdrawn (kept for bookings that name them)',
  });

export type ServiceInput = z.output<typeof ServiceInputSchema>;

export interface Accreditation {
  kind: AccreditationKind;
  number: string;
  scope: string[];
  expiresOn: IsoDate;
  /** ISO instant */
  expiresAt: string;
}

/** Accreditations a provider submitted, waiting for an administrator to verify them. */
export interface ProviderSubmission {
  submissionId: string;
  submittedAt: string;
  submittedBy: string | null;
  accreditations: Accreditation[];
}

export const ProviderSubmissionSchema = z.object({
  submissionId: z.string(),
  submittedAt: z.string(),
  submittedBy: z.string().nullable(),
  accreditations: z.array(
    z.object({
      kind: z.enum(ACCREDITATION_KINDS),
      number: z.string(),
      scope: z.array(z.string()),
      expiresOn: z.string(),
      expiresAt: z.string(),
    }),
  ),
});

export interface ServiceRecord {
  id: string;
  providerId: string;
  name: string;
  category: ServiceCategory;
  standards: string[];
  unitPriceFen: Fen;
  turnaroundDays: number;
  dailyCapacity: number;
  inScope: boolean;
  active: boolean;
}

export interface ProviderRecord {
  id: string;
  creditCode: string;
  name: string;
  kind: ProviderKind;
  regionCode: string;
  legalRepresentative: string;
  phone: string;
  address: string;
  status: ProviderStatus;
  statusReason: string | null;
  ratingCentis: number;
  onTimeCount: number;
  lateCount: number;
  disputeCount: number;
  completedCount: number;
  /** verified accreditations */
  accreditations: Accreditation[];
  pending: ProviderSubmission | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The moment the first of these accreditations lapses; null without any. */
export function firstLapse(accreditations: readonly Pick<Accreditation, 'expiresAt'>[]): string | null {
  let first: string | null = null;
  for (const a of accreditations) {
    if (first === null || Date.parse(a.expiresAt) < Date.parse(first)) first = a.expiresAt;
  }
  return first;
}

export function lapsedAt(accreditations: readonly Accreditation[], now: number): Accreditation[] {
  return accreditations.filter((a) => Date.parse(a.expiresAt) <= now);
}

/** Where an accreditation stands: valid, due for renewal (from its warning on), or lapsed. */
export type AccreditationStanding = 'VALID' | 'RENEWAL_DUE' | 'LAPSED';

/**
 * The staff are warned to renew an accreditation `warningBefore` its lapse (the same lead the
 * onboarding process mails its warning with), and it stops counting at the lapse itself.
 */
export function accreditationStanding(
  accreditation: Pick<Accreditation, 'expiresAt'>,
  warningBefore: string,
  now: number,
): { warningFrom: string; standing: AccreditationStanding } {
  const lapse = Date.parse(accreditation.expiresAt);
  const warningFrom = lapse - durationMs(warningBefore);
  const standing = now >= lapse ? 'LAPSED' : now >= warningFrom ? 'RENEWAL_DUE' : 'VALID';
  return { warningFrom: new Date(warningFrom).toISOString(), standing };
}

export function describeAccreditation(a: Pick<Accreditation, 'kind' | 'number'>): string {
  return a.kind === 'CNAS' ? a.number : `CMA ${a.number}`;
}

/**
 * Services that claim the accredited scope for a standard no accreditation covers: the claim is
 * refused rather than silently corrected, so the provider sees exactly which standard lacks cover.
 */
export interface ScopeViolation {
  /** the service's place in the catalog */
  index: number;
  service: string;
  standard: string;
}

export function scopeViolations(
  services: readonly Pick<ServiceInput, 'name' | 'standards' | 'inScope'>[],
  accreditations: readonly Pick<Accreditation, 'scope'>[],
): ScopeViolation[] {
  const scope = new Set(accreditations.flatMap((a) => a.scope));
  return services.flatMap((service, index) =>
    service.inScope
      ? service.standards
          .filter((standard) => !scope.has(standard))
          .map((standard) => ({ index, service: service.name, standard }))
      : [],
  );
}

/** Durations of the onboarding process, from configuration (docs/policy.md defaults: 3 and 5 days). */
export interface ProviderTimings {
  reviewReminderAfter: string;
  reviewEscalateAfter: string;
  /** how often the process re-reads the accreditations it watches, besides the timer at the lapse */
  expiryCheckEvery: string;
  /** how long before a lapse the provider is reminded to renew */
  expiryWarningBefore: string;
}
