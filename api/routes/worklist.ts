import { z } from 'zod';
import { applicationAwaiting, voucherAwaiting, type ApplicationStatus } from '../../domain/application';
import { bookingAwaiting, type BookingRecord, type BookingStatus } from '../../domain/booking';
import { CLAIM_WAITS } from '../../domain/claim';
import { durationMs } from '../../domain/duration';
import type { AuthUser } from '../../domain/identity';
import { awaitingIn, AwaitingSchema, soonestFirst, type Awaiting, type Party } from '../../domain/process';
import type { ApiDeps } from '../deps';
import { defineRoute, ROLES } from '../http/route';

const WorkItemView = z
  .object({
    kind: z.enum(['APPLICATION', 'VOUCHER', 'BOOKING', 'CLAIM', 'PROVIDER', 'APPROVAL']),
    id: z.uuid(),
    status: z.string(),
    title: z.string().meta({ description: 'the names that identify the item, e.g. programme or provider' }),
    awaiting: AwaitingSchema,
  })
  .meta({ id: 'WorkItem' });
type WorkItem = z.infer<typeof WorkItemView>;

const Worklist = z
  .object({
    items: z.array(WorkItemView).meta({ description: 'soonest deadline first' }),
  })
  .meta({ id: 'Worklist' });

/** Enough for a home page; each list's own page has the rest. */
const PER_STATUS = 50;

/** The bookings in these statuses that wait for `party` now (docs/processes.md, "Booking"). */
async function bookingItems(
  deps: ApiDeps,
  scope: { enterpriseId?: string; providerId?: string },
  statuses: BookingStatus[],
  party: Party,
): Promise<WorkItem[]> {
  const bookings: BookingRecord[] = [];
  for (const status of statuses) {
    const page = await deps.repos.bookings.list({ ...scope, status }, { limit: PER_STATUS });
    bookings.push(...page.items);
  }
  const items = await Promise.all(
    bookings.map(async (booking): Promise<WorkItem | null> => {
      const { claim } = await deps.repos.bookings.links(booking.id);
      const awaiting = bookingAwaiting(booking, claim);
      if (awaiting?.party !== party) return null;
      const names = await deps.repos.bookings.names(booking);
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
  const page = await deps.repos.applications.list({ ...scope, status }, { limit: PER_STATUS });
  const items = await Promise.all(
    page.items.map(async (application): Promise<WorkItem | null> => {
      const awaiting = applicationAwaiting(application);
      if (!awaiting) return null;
      const names = await deps.repos.applications.names(application);
      return {
        kind: 'APPLICATION',
        id: application.id,
        status: application.status,
        title: scope.enterpriseId ? names.programmeName : `${names.enterpriseName} · ${names.programmeName}`,
        awaiting,
      };
    }),
  );
  return items.filter((item) => item !== null);
}

async function smeItems(deps: ApiDeps, enterpriseId: string): Promise<WorkItem[]> {
  const vouchers = await deps.repos.vouchers.list({ enterpriseId, status: 'ACTIVE' }, { limit: PER_STATUS });
  const voucherItems = vouchers.items.flatMap((voucher): WorkItem[] => {
    const awaiting = voucherAwaiting(voucher);
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

/**
 * Payout runs and budget changes another administrator proposed, waiting for this one's approval (four
 * eyes); a claim's first approval is the claim's own item.
 */
async function approvalItems(deps: ApiDeps, user: AuthUser): Promise<WorkItem[]> {
  const items: WorkItem[] = [];
  for (const kind of ['PAYOUT_RUN', 'BUDGET_CHANGE'] as const) {
    const page = await deps.repos.approvals.list(
      { kind, status: 'PENDING' },
      { limit: PER_STATUS },
      deps.clock.now(),
    );
    for (const approval of page.items) {
      if (approval.proposedBy === user.id) continue;
      const programme = await deps.repos.programmes.findById(approval.programmeId);
      items.push({
        kind: 'APPROVAL',
        id: approval.id,
        status: approval.status,
        title: programme?.name ?? approval.programmeId,
        awaiting: {
          party: 'ADMIN',
          action: 'APPROVE_PROPOSAL',
          dueAt: approval.expiresAt.toISOString(),
          afterDue: 'PROPOSAL_EXPIRES',
        },
      });
    }
  }
  return items;
}

async function adminItems(deps: ApiDeps, user: AuthUser): Promise<WorkItem[]> {
  const claims = await deps.repos.claims.list({ status: 'PENDING_REVIEW' }, { limit: PER_STATUS });
  const providers = await deps.repos.providers.list(
    { status: 'PENDING_VERIFICATION' },
    { limit: PER_STATUS },
  );
  const verifyWithin = durationMs(deps.env.PROVIDER_REVIEW_ESCALATE_AFTER);
  return [
    ...(await applicationItems(deps, {}, 'UNDER_REVIEW')),
    ...(await approvalItems(deps, user)),
    ...(await bookingItems(deps, {}, ['DISPUTED'], 'ADMIN')),
    ...claims.items.flatMap((claim): WorkItem[] => {
      const awaiting = awaitingIn(CLAIM_WAITS, claim.status, claim.dueAt);
      return awaiting
        ? [
            {
              kind: 'CLAIM',
              id: claim.id,
              status: claim.status,
              title: `${claim.contract.providerName} · ${claim.contract.enterpriseName}`,
              awaiting,
            },
          ]
        : [];
    }),
    ...providers.items.flatMap((provider): WorkItem[] => {
      if (!provider.pending) return [];
      const awaiting: Awaiting = {
        party: 'ADMIN',
        action: 'VERIFY_PROVIDER',
        dueAt: new Date(Date.parse(provider.pending.submittedAt) + verifyWithin).toISOString(),
        afterDue: 'ESCALATED',
      };
      return [{ kind: 'PROVIDER', id: provider.id, status: provider.status, title: provider.name, awaiting }];
    }),
  ];
}

async function itemsFor(deps: ApiDeps, user: AuthUser): Promise<WorkItem[]> {
  switch (user.role) {
    case 'SME':
      return user.enterpriseId ? smeItems(deps, user.enterpriseId) : [];
    case 'PROVIDER':
      return user.providerId ? providerItems(deps, user.providerId) : [];
    case 'ADMIN':
      return adminItems(deps, user);
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
      'administrator applications under review, disputes, claims to decide, providers to verify and payout ' +
      'runs and budget changes another administrator proposed (four eyes). Nothing ' +
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
