import { z } from 'zod';
import { needsSecondApproval, statusAt, type ApprovalRecord } from '../../domain/approval';
import { CLAIM_STATUSES, CLAIM_WAITS, type ClaimRecord } from '../../domain/claim';
import { awaitingIn } from '../../domain/process';
import { AwaitingSchema } from '../../domain/process-schema';
import { RISK_FLAG_CODES } from '../../domain/risk';
import type { ProgrammeRecord } from '../../db/repositories/programmes';
import type { AuthUser } from '../../domain/identity';
import { decideClaimUpdate } from '../../workflows/settlement';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';
import { decodeCursor, encodeCursor, listQuery, pageSchema } from '../http/pagination';
import { defineRoute } from '../http/route';
import { timelineOf, TimelineEntrySchema } from '../http/timeline';
import { actorOf, intoWorkflow, workflowUrl } from '../http/workflows';
import { BookingLineView } from './booking-views';

const RiskFlagView = z
  .object({
    code: z.enum(RISK_FLAG_CODES),
    message: z.string(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'RiskFlag' });

export const ClaimView = z
  .object({
    id: z.uuid(),
    bookingId: z.uuid(),
    programmeId: z.uuid(),
    providerId: z.uuid(),
    status: z.enum(CLAIM_STATUSES),
    amountFen: z.number().int().meta({ description: 'the booking’s subsidy' }),
    contract: z
      .object({
        bookingId: z.uuid(),
        voucherCode: z.string(),
        enterpriseName: z.string(),
        enterpriseCreditCode: z.string(),
        providerName: z.string(),
        providerCreditCode: z.string(),
        lines: z.array(BookingLineView),
        sampleCount: z.number().int(),
        quotedPriceFen: z.number().int(),
        catalogPriceFen: z.number().int(),
        subsidyFen: z.number().int(),
        copaymentFen: z.number().int(),
        sampleReceivedAt: z.string(),
        reportedAt: z.string(),
        acceptedAt: z.string(),
      })
      .meta({ description: 'the job as performed' }),
    reportSha256: z.string(),
    paymentReference: z.string().meta({ description: 'reference of the SME’s own payment' }),
    riskFlags: z.array(RiskFlagView),
    autoApproved: z.boolean(),
    decisionReason: z.string().nullable(),
    decidedAt: z.iso.datetime().nullable(),
    transfer: z.object({ reference: z.string().nullable(), sentAt: z.iso.datetime().nullable() }).nullable(),
    paidAt: z.iso.datetime().nullable(),
    secondApproval: z
      .object({
        required: z.boolean().meta({
          description:
            'the amount is above the programme’s secondApprovalAboveFen: two administrators approve',
        }),
        thresholdFen: z.number().int(),
        firstApproval: z
          .object({
            approvalId: z.uuid(),
            by: z.object({ id: z.uuid(), name: z.string() }),
            at: z.iso.datetime(),
            expiresAt: z.iso.datetime(),
          })
          .nullable()
          .meta({ description: 'the first approval awaiting a second, different administrator' }),
      })
      .meta({ description: 'four-eyes control (docs/policy.md, "Four eyes")' }),
    awaiting: AwaitingSchema.nullable().meta({
      description:
        'an administrator’s decision or the payout, and by when; null once decided and paid or rejected',
    }),
    createdAt: z.iso.datetime(),
    workflowId: z.string(),
    workflowUrl: z.string(),
    timeline: z.array(TimelineEntrySchema).optional(),
  })
  .meta({ id: 'Claim' });

export const ClaimDecision = z
  .discriminatedUnion('decision', [
    z.strictObject({ decision: z.literal('APPROVE'), note: z.string().trim().max(2000).optional() }),
    z.strictObject({ decision: z.literal('REJECT'), reason: z.string().trim().min(2).max(2000) }),
  ])
  .meta({ id: 'ClaimDecision' });

/** A claim's latest first approval when it still awaits the second administrator, or null. */
const stillPending = (latest: ApprovalRecord | null | undefined, now: Date): ApprovalRecord | null =>
  latest && statusAt(latest, now) === 'PENDING' ? latest : null;

/** The first approval of a claim still awaiting its second administrator, or null. */
export async function pendingFirstApproval(deps: ApiDeps, claimId: string): Promise<ApprovalRecord | null> {
  return stillPending(await deps.repos.approvals.latestFor('CLAIM_APPROVAL', claimId), deps.clock.now());
}

/** What a claim's view shows besides the claim itself, read for a whole page at once. */
interface ClaimContext {
  programmes: Map<string, ProgrammeRecord>;
  transfers: Map<string, { gatewayReference: string | null; sentAt: Date | null }>;
  /** the latest claim approval of each claim awaiting review, with its proposer's name */
  firstApprovals: Map<string, { approval: ApprovalRecord; proposerName: string | null }>;
}

/** Three queries for a page, whatever its length: its programmes, transfers and first approvals. */
async function contextOf(deps: ApiDeps, claims: readonly ClaimRecord[]): Promise<ClaimContext> {
  const [programmes, transfers, firstApprovals] = await Promise.all([
    deps.repos.programmes.findByIds(claims.map((c) => c.programmeId)),
    deps.repos.claims.transfersById(claims.flatMap((c) => (c.transferId ? [c.transferId] : []))),
    deps.repos.approvals.latestForEach(
      'CLAIM_APPROVAL',
      claims.filter((c) => c.status === 'PENDING_REVIEW').map((c) => c.id),
    ),
  ]);
  return { programmes, transfers, firstApprovals };
}

function secondApprovalOf(claim: ClaimRecord, context: ClaimContext, now: Date) {
  const policy = context.programmes.get(claim.programmeId)!.policy;
  const latest = claim.status === 'PENDING_REVIEW' ? context.firstApprovals.get(claim.id) : undefined;
  const first = stillPending(latest?.approval, now);
  return {
    required: needsSecondApproval(claim.amountFen, policy),
    thresholdFen: policy.secondApprovalAboveFen,
    firstApproval: first
      ? {
          approvalId: first.id,
          by: { id: first.proposedBy, name: latest?.proposerName ?? first.proposedBy },
          at: first.proposedAt.toISOString(),
          expiresAt: first.expiresAt.toISOString(),
        }
      : null,
  };
}

async function view(deps: ApiDeps, claim: ClaimRecord, withTimeline: boolean, context: ClaimContext) {
  const transfer = claim.transferId ? (context.transfers.get(claim.transferId) ?? null) : null;
  return {
    id: claim.id,
    bookingId: claim.bookingId,
    programmeId: claim.programmeId,
    providerId: claim.providerId,
    status: claim.status,
    amountFen: claim.amountFen,
    contract: claim.contract,
    reportSha256: claim.reportSha256,
    paymentReference: claim.paymentReference,
    riskFlags: claim.riskFlags,
    autoApproved: claim.autoApproved,
    decisionReason: claim.decisionReason,
    decidedAt: claim.decidedAt?.toISOString() ?? null,
    transfer: transfer
      ? { reference: transfer.gatewayReference, sentAt: transfer.sentAt?.toISOString() ?? null }
      : null,
    paidAt: claim.paidAt?.toISOString() ?? null,
    secondApproval: secondApprovalOf(claim, context, deps.clock.now()),
    awaiting: awaitingIn(CLAIM_WAITS, claim.status, claim.dueAt),
    createdAt: claim.createdAt.toISOString(),
    workflowId: claim.workflowId,
    workflowUrl: workflowUrl(deps, claim.workflowId),
    ...(withTimeline
      ? { timeline: await timelineOf(deps, [{ entityType: 'claim', entityId: claim.id }]) }
      : {}),
  };
}

/** One claim's whole answer, with its timeline. */
async function claimAnswer(deps: ApiDeps, claim: ClaimRecord) {
  return view(deps, claim, true, await contextOf(deps, [claim]));
}

async function visibleClaim(deps: ApiDeps, user: AuthUser, id: string): Promise<ClaimRecord> {
  const claim = await deps.repos.claims.findById(id);
  if (!claim || (user.role === 'PROVIDER' && claim.providerId !== user.providerId))
    throw AppError.notFound('claim', id);
  return claim;
}

export const claimRoutes = [
  defineRoute({
    method: 'get',
    path: '/claims',
    operationId: 'listClaims',
    summary: 'Subsidy claims, newest first; a provider sees its own',
    tags: ['claims'],
    access: ['PROVIDER', 'ADMIN', 'AUDITOR'],
    request: { query: listQuery(z.enum(CLAIM_STATUSES)).extend({ programmeId: z.uuid().optional() }) },
    responses: { 200: { description: 'A page of claims', schema: pageSchema(ClaimView, 'ClaimPage') } },
    handler: async ({ query, user, deps }) => {
      if (user.role === 'PROVIDER' && !user.providerId)
        return { status: 200, body: { items: [], nextCursor: null } };
      const page = await deps.repos.claims.list(
        {
          status: query.status,
          programmeId: query.programmeId,
          providerId: user.role === 'PROVIDER' ? user.providerId! : undefined,
        },
        { limit: query.limit, after: decodeCursor(query.cursor) },
      );
      const context = await contextOf(deps, page.items);
      return {
        status: 200,
        body: {
          items: await Promise.all(page.items.map((c) => view(deps, c, false, context))),
          nextCursor: encodeCursor(page.next),
        },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/claims/:id',
    operationId: 'getClaim',
    summary: 'A claim with its risk flags, decision, payment and timeline',
    tags: ['claims'],
    access: ['PROVIDER', 'ADMIN', 'AUDITOR'],
    request: { params: z.strictObject({ id: z.uuid() }) },
    responses: { 200: { description: 'The claim', schema: ClaimView } },
    errors: ['NOT_FOUND'],
    handler: async ({ params, user, deps }) => ({
      status: 200,
      body: await claimAnswer(deps, await visibleClaim(deps, user, params.id)),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/claims/:id/decision',
    operationId: 'decideClaim',
    summary: 'Approve a claim (it joins the next payout batch) or reject it with a reason',
    description:
      'A rejected claim’s subsidy goes back to the voucher while it is live, otherwise to the programme.',
    tags: ['claims'],
    access: ['ADMIN'],
    idempotent: true,
    request: { params: z.strictObject({ id: z.uuid() }), body: ClaimDecision },
    responses: { 200: { description: 'The claim after the decision', schema: ClaimView } },
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: async ({ params, body, user, deps, requestId }) => {
      await decideClaimAs(deps, user, params.id, body, requestId);
      return { status: 200, body: await claimAnswer(deps, (await deps.repos.claims.findById(params.id))!) };
    },
  }),
];

/**
 * An administrator's decision on a claim, however it reaches the service (the claim's own route or
 * the queue of proposals): into the claim's settlement process, which records a first approval
 * above the threshold and approves on the second (docs/policy.md, "Four eyes").
 */
export async function decideClaimAs(
  deps: ApiDeps,
  user: AuthUser,
  claimId: string,
  body: z.infer<typeof ClaimDecision>,
  requestId: string,
): Promise<void> {
  const claim = await visibleClaim(deps, user, claimId);
  if (claim.status !== 'PENDING_REVIEW') {
    throw new AppError('CONFLICT', `The claim is ${claim.status}; it was decided already`, {
      code: 'CLAIM_ALREADY_DECIDED',
      details: { status: claim.status },
    });
  }
  // answered here so that the refusal leaves no trace; the process checks again under the claim's lock
  const first = body.decision === 'APPROVE' ? await pendingFirstApproval(deps, claim.id) : null;
  if (first && first.proposedBy === user.id) {
    throw new AppError('CONFLICT', 'You approved this claim first; another administrator must approve it', {
      code: 'FOUR_EYES_SAME_ADMIN',
      details: { proposedBy: first.proposedBy, approvalId: first.id },
    });
  }
  await intoWorkflow(
    deps,
    () =>
      deps.temporal.workflow
        .getHandle(claim.workflowId)
        .executeUpdate(decideClaimUpdate, { args: [{ ...body, actor: actorOf(user), requestId }] }),
    'the claim',
    `/api/v1/claims/${claim.id}`,
  );
}
