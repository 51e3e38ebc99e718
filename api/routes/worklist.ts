import { z } from 'zod';
import { applicationAwaiting, voucherAwaiting, type ApplicationStatus } from '../../domain/application';
import { bookingAwaiting, type BookingStatus } from '../../domain/booking';
import { CLAIM_WAITS } from '../../domain/claim';
import { durationMs } from '../../domain/duration';
import type { AuthUser } from '../../domain/identity';
import { awaitingIn, soonestFirst, type Awaiting, type Party } from '../../domain/process';
import { AwaitingSchema } from '../../domain/process-schema';
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

/**
 * The bookings in these statuses that wait for `party` now (docs/processes.md, "Booking"): one query per
 * status, then their links and names for all of them at once.
 */
async function bookingItems(
  deps: ApiDeps,
  scope: { enterpriseId?: string; providerId?: string },
  statuses: BookingStatus[],
  party: Party,
): Promise<WorkItem[]> {
  const pages = await Promise.all(
    statuses.map((status) => deps.repos.bookings.list({ ...scope, status }, { limit: PER_STATUS })),
  );
  const bookings = pages.flatMap((page) => page.items);
  const ids = bookings.map((b) => b.id);
  const [links, names] = await Promise.all([
    deps.repos.bookings.linksOf(ids),
    deps.repos.bookings.namesOf(ids),
  ]);
  return bookings.flatMap((booking): WorkItem[] => {
    const awaiting = bookingAwaiting(booking, links.get(booking.id)?.claim ?? null);
    const named = names.get(booking.id);
    if (awaiting?.party !== party || !named) return [];
    const title = party === 'SME' ? named.providerName : named.enterpriseName;
    return [{ kind: 'BOOKING', id: booking.id, status: booking.status, title, awaiting }];
  });
}

async function applicationItems(
  deps: ApiDeps,
  scope: { enterpriseId?: string },
  status: ApplicationStatus,
): Promise<WorkItem[]> {
  const page = await deps.repos.applications.list({ ...scope, status }, { limit: PER_STATUS });
  const listing = await deps.repos.applications.listingOf(page.items.map((a) => a.id));
  return page.items.flatMap((application): WorkItem[] => {
    const awaiting = applicationAwaiting(application);
    const names = listing.get(application.id);
    if (!awaiting || !names) return [];
    return [
      {
        kind: 'APPLICATION',
        id: application.id,
        status: application.status,
        title: scope.enterpriseId ? names.programmeName : `${names.enterpriseName} · ${names.programmeName}`,
        awaiting,
      },
    ];
  });
}

async function smeItems(deps: ApiDeps, enterpriseId: string): Promise<WorkItem[]> {
  const vouchers = await deps.repos.vouchers.list({ enterpriseId, status: 'ACTIVE' }, { limit: PER_STATUS });
  const voucherItems = vouchers.items.flatMap((voucher): WorkItem[] => {
    const awaiting = voucherAwaiting(voucher);
    return awaiting
      ? [{ kind: 'VOUCHER', id: voucher.id, status: voucher.status, title: voucher.code, awaiting }]
      : [];
  });
  const [applications, bookings] = await Promise.all([
    applicationItems(deps, { enterpriseId }, 'INFO_REQUESTED'),
    bookingItems(deps, { enterpriseId }, ['CONFIRMED', 'REPORTED', 'ACCEPTED'], 'SME'),
  ]);
  return [...applications, ...voucherItems, ...bookings];
}

async function providerItems(deps: ApiDeps, providerId: string): Promise<WorkItem[]> {
  return bookingItems(deps, { providerId }, ['REQUESTED', 'SAMPLE_RECEIVED'], 'PROVIDER');
}

/**
 * Payout runs and budget changes another administrator proposed, waiting for this one's approval (four
 * eyes); a claim's first approval is the claim's own item.
 */
async function approvalItems(deps: ApiDeps, user: AuthUser): Promise<WorkItem[]> {
  const pages = await Promise.all(
    (['PAYOUT_RUN', 'BUDGET_CHANGE'] as const).map((kind) =>
      deps.repos.approvals.list({ kind, status: 'PENDING' }, { limit: PER_STATUS }, deps.clock.now()),
    ),
  );
  const approvals = pages.flatMap((page) => page.items).filter((a) => a.proposedBy !== user.id);
  const programmes = await deps.repos.programmes.findByIds(approvals.map((a) => a.programmeId));
  return approvals.map((approval) => ({
    kind: 'APPROVAL',
    id: approval.id,
    status: approval.status,
    title: programmes.get(approval.programmeId)?.name ?? approval.programmeId,
    awaiting: {
      party: 'ADMIN',
      action: 'APPROVE_PROPOSAL',
      dueAt: approval.expiresAt.toISOString(),
      afterDue: 'PROPOSAL_EXPIRES',
    },
  }));
}

/** The administrators' work: its five kinds read at once. */
async function adminItems(deps: ApiDeps, user: AuthUser): Promise<WorkItem[]> {
  const [claims, providers, applications, approvals, disputed] = await Promise.all([
    deps.repos.claims.list({ status: 'PENDING_REVIEW' }, { limit: PER_STATUS }),
    deps.repos.providers.list({ status: 'PENDING_VERIFICATION' }, { limit: PER_STATUS }),
    applicationItems(deps, {}, 'UNDER_REVIEW'),
    approvalItems(deps, user),
    bookingItems(deps, {}, ['DISPUTED'], 'ADMIN'),
  ]);
  const verifyWithin = durationMs(deps.env.PROVIDER_REVIEW_ESCALATE_AFTER);
  return [
    ...applications,
    ...approvals,
    ...disputed,
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
