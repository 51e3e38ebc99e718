import { z } from 'zod';
import { applicationNames } from '../../db/repositories/applications';
import { bookingNames } from '../../db/repositories/bookings';
import type { ApplicationStatus } from '../../domain/application';
import type { BookingRecord, BookingStatus } from '../../domain/booking';
import type { AuthUser } from '../../domain/identity';
import type { Policy } from '../../domain/policy';
import type { ApiDeps } from '../deps';
import { defineRoute, ROLES } from '../http/route';
import {
  applicationAwaits,
  AwaitingView,
  bookingAwaits,
  soonestFirst,
  voucherAwaits,
  type Awaiting,
} from './awaiting';

const WorkItemView = z
  .object({
    kind: z.enum(['APPLICATION', 'VOUCHER', 'BOOKING', 'CLAIM', 'PROVIDER']),
    id: z.uuid(),
    status: z.string(),
    title: z.string().meta({ description: 'the names that identify the item, e.g. programme or provider' }),
    awaiting: AwaitingView,
  })
  .meta({ id: 'WorkItem' });
type WorkItem = z.infer<typeof WorkItemView>;

const Worklist = z
  .object({
    items: z.array(WorkItemView).meta({ description: 'soonest deadline first; items without one last' }),
  })
  .meta({ id: 'Worklist' });

/** Enough for a home page; each list's own page has the rest. */
const PER_STATUS = 50;

function policyCache(deps: ApiDeps) {
  const policies = new Map<string, Promise<Policy>>();
  return (programmeId: string) => {
    let policy = policies.get(programmeId);
    if (!policy) {
      policy = deps.repos.programmes.findById(programmeId).then((p) => p!.policy);
      policies.set(programmeId, policy);
    }
    return policy;
  };
}

async function bookingItems(
  deps: ApiDeps,
  scope: { enterpriseId?: string; providerId?: string },
  statuses: BookingStatus[],
  party: Awaiting['party'],
): Promise<WorkItem[]> {
  const policyOf = policyCache(deps);
  const bookings: BookingRecord[] = [];
  for (const status of statuses) {
    const page = await deps.repos.bookings.list({ ...scope, status }, { limit: PER_STATUS });
    bookings.push(...page.items);
  }
  const items = await Promise.all(
    bookings.map(async (booking): Promise<WorkItem | null> => {
      const awaiting = bookingAwaits(booking, await policyOf(booking.programmeId), null);
      if (awaiting?.party !== party) return null;
      const names = await bookingNames(deps.db, booking);
      const title = party === 'SME' ? names.providerName : names.enterpriseName;
      return { kind: 'BOOKING', id: booking.id, status: booking.status, title, awaiting };
    }),
  );
  return items.filter((item) => item !== null);
}

async function applicationItems(
  deps: ApiDeps,
  scope: { enterpriseId?: string },
  status: ApplicationStatus,
): Promise<WorkItem[]> {
  const policyOf = policyCache(deps);
  const page = await deps.repos.applications.list({ ...scope, status }, { limit: PER_STATUS });
  return Promise.all(
    page.items.map(async (application) => {
      const names = await applicationNames(deps.db, application);
      return {
        kind: 'APPLICATION' as const,
        id: application.id,
        status: application.status,
        title: scope.enterpriseId ? names.programmeName : `${names.enterpriseName} · ${names.programmeName}`,
        awaiting: applicationAwaits(application, await policyOf(application.programmeId))!,
      };
    }),
  );
}

async function smeItems(deps: ApiDeps, enterpriseId: string): Promise<WorkItem[]> {
  const vouchers = await deps.repos.vouchers.list({ enterpriseId, status: 'ACTIVE' }, { limit: PER_STATUS });
  const voucherItems = vouchers.items.flatMap((voucher): WorkItem[] => {
    const awaiting = voucherAwaits(voucher);
    return awaiting
      ? [{ kind: 'VOUCHER', id: voucher.id, status: voucher.status, title: voucher.code, awaiting }]
      : [];
  });
  return [
    ...(await applicationItems(deps, { enterpriseId }, 'INFO_REQUESTED')),
    ...voucherItems,
    ...(await bookingItems(deps, { enterpriseId }, ['CONFIRMED', 'REPORTED', 'ACCEPTED'], 'SME')),
  ];
}

async function providerItems(deps: ApiDeps, providerId: string): Promise<WorkItem[]> {
  return bookingItems(deps, { providerId }, ['REQUESTED', 'SAMPLE_RECEIVED'], 'PROVIDER');
}

async function adminItems(deps: ApiDeps): Promise<WorkItem[]> {
  const claims = await deps.repos.claims.list({ status: 'PENDING_REVIEW' }, { limit: PER_STATUS });
  const providers = await deps.repos.providers.list(
    { status: 'PENDING_VERIFICATION' },
    { limit: PER_STATUS },
  );
  return [
    ...(await applicationItems(deps, {}, 'UNDER_REVIEW')),
    ...(await bookingItems(deps, {}, ['DISPUTED'], 'ADMIN')),
    ...claims.items.map((claim) => ({
      kind: 'CLAIM' as const,
      id: claim.id,
      status: claim.status,
      title: `${claim.contract.providerName} · ${claim.contract.enterpriseName}`,
      awaiting: { party: 'ADMIN' as const, action: 'DECIDE_CLAIM' as const, dueAt: null, afterDue: null },
    })),
    ...providers.items.map((provider) => ({
      kind: 'PROVIDER' as const,
      id: provider.id,
      status: provider.status,
      title: provider.name,
      awaiting: { party: 'ADMIN' as const, action: 'VERIFY_PROVIDER' as const, dueAt: null, afterDue: null },
    })),
  ];
}

async function itemsFor(deps: ApiDeps, user: AuthUser): Promise<WorkItem[]> {
  switch (user.role) {
    case 'SME':
      return user.enterpriseId ? smeItems(deps, user.enterpriseId) : [];
    case 'PROVIDER':
      return user.providerId ? providerItems(deps, user.providerId) : [];
    case 'ADMIN':
      return adminItems(deps);
    case 'AUDITOR':
      // auditors read and verify; nothing in a process waits for them
      return [];
  }
}

export const worklistRoutes = [
  defineRoute({
    method: 'get',
    path: '/worklist',
    operationId: 'worklist',
    summary: 'What awaits the caller’s action, soonest deadline first',
    description:
      'An SME sees its information requests, its active vouchers, bookings waiting for samples, reports to ' +
      'accept or dispute and co-payments to record; a provider the bookings to confirm and reports due; an ' +
      'administrator applications under review, disputes, claims to decide and providers to verify. Nothing ' +
      'in a process waits for an auditor.',
    tags: ['identity'],
    access: ROLES,
    responses: { 200: { description: 'The caller’s open work', schema: Worklist } },
    handler: async ({ user, deps }) => {
      const items = await itemsFor(deps, user);
      return { status: 200, body: { items: [...items].sort(soonestFirst) } };
    },
  }),
];
