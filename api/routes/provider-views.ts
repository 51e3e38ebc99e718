import { WithStartWorkflowOperation } from '@temporalio/client';
import { providerTimings } from '../../config/providers';
import { z } from 'zod';
import { ProviderKindSchema, ProviderStatusSchema, ServiceCategorySchema } from '../../domain/catalog';
import { durationMs } from '../../domain/duration';
import type { AuthUser } from '../../domain/identity';
import {
  ACCREDITATION_KINDS,
  accreditationStanding,
  providerWorkflowId,
  type Accreditation,
  type ProviderRecord,
  type ServiceRecord,
} from '../../domain/provider';
import { providerOnboarding, type ProviderOnboardingInput } from '../../workflows/provider-onboarding';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';
import { timelineOf, TimelineEntrySchema } from '../http/timeline';
import { workflowUrl } from '../http/workflows';

export const AccreditationView = z
  .object({
    kind: z.enum(ACCREDITATION_KINDS),
    number: z.string().meta({ example: 'CNAS L1234' }),
    scope: z.array(z.string()).meta({ description: 'standards the accreditation covers' }),
    expiresOn: z.string().meta({ description: 'last valid day (Asia/Shanghai)', example: '2028-06-30' }),
    expiresAt: z.iso.datetime().meta({ description: 'the instant it lapses' }),
    warningFrom: z.iso.datetime().meta({
      description:
        'from this instant on the staff are warned to renew it (PROVIDER_EXPIRY_WARNING_BEFORE ahead)',
    }),
    standing: z.enum(['VALID', 'RENEWAL_DUE', 'LAPSED']).meta({
      description: 'now: valid, due for renewal (its warning has begun), or lapsed',
    }),
  })
  .meta({ id: 'Accreditation' });

export const ServiceView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    category: ServiceCategorySchema,
    standards: z.array(z.string()),
    unitPriceFen: z.number().int(),
    turnaroundDays: z.number().int(),
    dailyCapacity: z.number().int(),
    inScope: z
      .boolean()
      .meta({ description: 'in the accredited scope; only such services are matched to vouchers' }),
  })
  .meta({ id: 'Service' });

export const ProviderView = z
  .object({
    id: z.uuid(),
    creditCode: z.string(),
    name: z.string(),
    kind: ProviderKindSchema,
    regionCode: z.string(),
    legalRepresentative: z.string(),
    phone: z.string(),
    address: z.string(),
    status: ProviderStatusSchema,
    ratingCentis: z.number().int().meta({ description: 'rating in hundredths of a star, 0–500' }),
    onTimeCount: z.number().int(),
    lateCount: z.number().int(),
    completedCount: z.number().int(),
    accreditations: z.array(AccreditationView).meta({ description: 'verified accreditations' }),
    services: z.array(ServiceView).meta({ description: 'the active catalog' }),
    createdAt: z.iso.datetime(),
    // the rest is for the provider's own staff, administrators and auditors
    statusReason: z.string().nullable().optional(),
    pendingVerification: z
      .object({
        submissionId: z.uuid(),
        submittedAt: z.iso.datetime(),
        verifyBy: z.iso.datetime().meta({
          description: 'when the review is escalated if nobody decides (PROVIDER_REVIEW_ESCALATE_AFTER)',
        }),
        accreditations: z.array(AccreditationView),
      })
      .nullable()
      .optional()
      .meta({ description: 'accreditations submitted and waiting for an administrator' }),
    workflowId: z.string().optional(),
    workflowUrl: z.url().optional(),
    timeline: z.array(TimelineEntrySchema).optional(),
  })
  .meta({
    id: 'Provider',
    description:
      'SME users see listed providers’ public profile; staff, administrators and auditors also see the review, reasons and timeline',
  });

export type ProviderBody = z.infer<typeof ProviderView>;

function accreditationView(deps: ApiDeps) {
  const now = deps.clock.now().getTime();
  return (a: Accreditation): z.infer<typeof AccreditationView> => ({
    ...a,
    ...accreditationStanding(a, deps.env.PROVIDER_EXPIRY_WARNING_BEFORE, now),
  });
}

export function serviceView(s: ServiceRecord): z.infer<typeof ServiceView> {
  return {
    id: s.id,
    name: s.name,
    category: s.category,
    standards: s.standards,
    unitPriceFen: s.unitPriceFen,
    turnaroundDays: s.turnaroundDays,
    dailyCapacity: s.dailyCapacity,
    inScope: s.inScope,
  };
}

const seesAll = (user: AuthUser, provider: ProviderRecord) =>
  user.role === 'ADMIN' || user.role === 'AUDITOR' || user.providerId === provider.id;

export async function providerView(
  deps: ApiDeps,
  provider: ProviderRecord,
  user: AuthUser,
  options: { timeline: boolean; services?: ServiceRecord[] } = { timeline: true },
): Promise<ProviderBody> {
  // a list passes the services it read for the whole page in one query
  const services = options.services ?? (await deps.repos.providers.services(provider.id));
  const accreditation = accreditationView(deps);
  const body: ProviderBody = {
    id: provider.id,
    creditCode: provider.creditCode,
    name: provider.name,
    kind: provider.kind,
    regionCode: provider.regionCode,
    legalRepresentative: provider.legalRepresentative,
    phone: provider.phone,
    address: provider.address,
    status: provider.status,
    ratingCentis: provider.ratingCentis,
    onTimeCount: provider.onTimeCount,
    lateCount: provider.lateCount,
    completedCount: provider.completedCount,
    accreditations: provider.accreditations.map(accreditation),
    services: services.map(serviceView),
    createdAt: provider.createdAt.toISOString(),
  };
  if (!seesAll(user, provider)) return body;
  const workflowId = providerWorkflowId(provider.id);
  return {
    ...body,
    statusReason: provider.statusReason,
    pendingVerification: provider.pending
      ? {
          submissionId: provider.pending.submissionId,
          submittedAt: provider.pending.submittedAt,
          verifyBy: new Date(
            Date.parse(provider.pending.submittedAt) + durationMs(deps.env.PROVIDER_REVIEW_ESCALATE_AFTER),
          ).toISOString(),
          accreditations: provider.pending.accreditations.map(accreditation),
        }
      : null,
    workflowId,
    workflowUrl: workflowUrl(deps, workflowId),
    ...(options.timeline
      ? { timeline: await timelineOf(deps, [{ entityType: 'provider', entityId: provider.id }]) }
      : {}),
  };
}

/** A page of providers without timelines: their services read in one query, not one per provider. */
export async function providerViews(
  deps: ApiDeps,
  providers: ProviderRecord[],
  user: AuthUser,
): Promise<ProviderBody[]> {
  const services = await deps.repos.providers.servicesOfMany(providers.map((p) => p.id));
  return Promise.all(
    providers.map((p) =>
      providerView(deps, p, user, { timeline: false, services: services.get(p.id) ?? [] }),
    ),
  );
}

/**
 * The provider, if this user may see it: its own staff, administrators and auditors always; SME
 * users only listed providers. 404 otherwise, so that who applied and failed stays private.
 */
export async function visibleProvider(deps: ApiDeps, user: AuthUser, id: string): Promise<ProviderRecord> {
  const provider = await deps.repos.providers.findById(id);
  const visible =
    provider && (seesAll(user, provider) || (user.role === 'SME' && provider.status === 'LISTED'));
  if (!visible) throw AppError.notFound('provider', id);
  return provider;
}

/** The provider, if this user is its staff; 404 for any other, as if it did not exist. */
export async function ownProvider(deps: ApiDeps, user: AuthUser, id: string): Promise<ProviderRecord> {
  const provider = user.providerId === id ? await deps.repos.providers.findById(id) : null;
  if (!provider) throw AppError.notFound('provider', id);
  return provider;
}

export function onboardingInput(deps: ApiDeps, providerId: string): ProviderOnboardingInput {
  return { providerId, timings: providerTimings(deps.env) };
}

/**
 * Starts the provider's process, or joins the one running. Every later action goes through this
 * too, so a provider whose process never started (demo data, a start lost to an outage) gets one.
 */
export function onboardingStart(deps: ApiDeps, providerId: string) {
  return new WithStartWorkflowOperation(providerOnboarding, {
    workflowId: providerWorkflowId(providerId),
    taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [onboardingInput(deps, providerId)],
  });
}
