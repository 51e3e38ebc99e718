import { z } from 'zod';
import {
  APPROVAL_KINDS,
  APPROVAL_STATUSES,
  statusAt,
  type ApprovalRecord,
  type BudgetChangePayload,
  type PayoutRunPayload,
} from '../../domain/approval';
import type { AuthUser } from '../../domain/identity';
import { ApprovalRefused } from '../../db/repositories/approvals';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';
import { decodeCursor, encodeCursor, listQuery, pageSchema } from '../http/pagination';
import { defineRoute } from '../http/route';
import { actorOf } from '../http/workflows';
import { decideClaimAs } from './claims';
import { approvalEffect } from '../approval-effects';

const Person = z.object({ id: z.uuid(), name: z.string() });

export const ApprovalView = z
  .object({
    id: z.uuid(),
    kind: z.enum(APPROVAL_KINDS).meta({
      description:
        'CLAIM_APPROVAL: a claim above the threshold approved once; PAYOUT_RUN: a payout batch outside the schedule; BUDGET_CHANGE: a new programme budget',
    }),
    status: z.enum(APPROVAL_STATUSES).meta({ description: 'EXPIRED once past expiresAt undecided' }),
    programme: z.object({ id: z.uuid(), name: z.string() }),
    subjectId: z
      .uuid()
      .meta({ description: 'the claim, or the programme for payout runs and budget changes' }),
    proposedBy: Person,
    proposedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    decidedBy: Person.nullable(),
    decidedAt: z.iso.datetime().nullable(),
    reason: z.string().nullable(),
    yours: z.boolean().meta({ description: 'the caller proposed it: another administrator must decide it' }),
    claim: z
      .object({
        id: z.uuid(),
        amountFen: z.number().int(),
        thresholdFen: z.number().int(),
        riskFlags: z.array(z.string()),
        providerName: z.string(),
        enterpriseName: z.string(),
        status: z.string(),
      })
      .nullable()
      .meta({ description: 'what a claim approval approves' }),
    payoutRun: z
      .object({
        claimsAtProposal: z.number().int(),
        totalFenAtProposal: z.number().int(),
        claims: z.number().int().meta({ description: 'approved claims not yet paid now' }),
        totalFen: z.number().int(),
        claimIds: z.array(z.uuid()).meta({ description: 'the first 50 of them' }),
      })
      .nullable()
      .meta({ description: 'what a payout run would pay' }),
    budgetChange: z
      .object({
        budgetBeforeFen: z.number().int(),
        newBudgetFen: z.number().int(),
        deltaFen: z.number().int(),
        reason: z.string(),
        availableFen: z.number().int().meta({ description: 'AVAILABLE now: a decrease may take no more' }),
      })
      .nullable()
      .meta({ description: 'what a budget change changes' }),
  })
  .meta({ id: 'Approval' });

export type ApprovalViewBody = z.infer<typeof ApprovalView>;

const ApprovalDecision = z
  .discriminatedUnion('decision', [
    z.strictObject({ decision: z.literal('APPROVE'), reason: z.string().trim().max(2000).optional() }),
    z.strictObject({ decision: z.literal('REJECT'), reason: z.string().trim().min(2).max(2000) }),
  ])
  .meta({ id: 'ApprovalDecision' });

/**
 * A page of proposals as the API shows them. What they show besides themselves (programmes, people,
 * claims, what a payout run would pay, balances) is read for the whole page at once: five queries
 * however long the page.
 */
export async function approvalViews(
  deps: ApiDeps,
  approvals: readonly ApprovalRecord[],
  user: AuthUser,
): Promise<ApprovalViewBody[]> {
  const now = deps.clock.now();
  const programmesOf = (kind: ApprovalRecord['kind']) =>
    approvals.filter((a) => a.kind === kind).map((a) => a.programmeId);
  const [programmes, names, claims, payable, balances] = await Promise.all([
    deps.repos.programmes.findByIds(approvals.map((a) => a.programmeId)),
    deps.repos.users.displayNames(
      approvals.flatMap((a) => (a.decidedBy ? [a.proposedBy, a.decidedBy] : [a.proposedBy])),
    ),
    deps.repos.claims.findByIds(approvals.filter((a) => a.kind === 'CLAIM_APPROVAL').map((a) => a.subjectId)),
    deps.repos.approvals.payableOf(programmesOf('PAYOUT_RUN')),
    deps.repos.ledger.balancesOf(programmesOf('BUDGET_CHANGE')),
  ]);
  const person = (id: string) => ({ id, name: names.get(id) ?? id });
  return approvals.map((approval) => {
    const programme = programmes.get(approval.programmeId);
    let claim: ApprovalViewBody['claim'] = null;
    let payoutRun: ApprovalViewBody['payoutRun'] = null;
    let budgetChange: ApprovalViewBody['budgetChange'] = null;
    if (approval.kind === 'CLAIM_APPROVAL') {
      const record = claims.get(approval.subjectId);
      if (record) {
        claim = {
          id: record.id,
          amountFen: record.amountFen,
          thresholdFen: Number(
            approval.payload.thresholdFen ?? programme?.policy.secondApprovalAboveFen ?? 0,
          ),
          riskFlags: record.riskFlags.map((f) => f.code),
          providerName: record.contract.providerName,
          enterpriseName: record.contract.enterpriseName,
          status: record.status,
        };
      }
    } else if (approval.kind === 'PAYOUT_RUN') {
      const proposed = approval.payload as unknown as PayoutRunPayload;
      payoutRun = {
        claimsAtProposal: proposed.claims,
        totalFenAtProposal: proposed.totalFen,
        ...payable.get(approval.programmeId)!,
      };
    } else {
      const proposed = approval.payload as unknown as BudgetChangePayload;
      budgetChange = { ...proposed, availableFen: balances.get(approval.programmeId)!.AVAILABLE };
    }
    return {
      id: approval.id,
      kind: approval.kind,
      status: statusAt(approval, now),
      programme: { id: approval.programmeId, name: programme?.name ?? approval.programmeId },
      subjectId: approval.subjectId,
      proposedBy: person(approval.proposedBy),
      proposedAt: approval.proposedAt.toISOString(),
      expiresAt: approval.expiresAt.toISOString(),
      decidedBy: approval.decidedBy ? person(approval.decidedBy) : null,
      decidedAt: approval.decidedAt?.toISOString() ?? null,
      reason: approval.reason,
      yours: approval.proposedBy === user.id,
      claim,
      payoutRun,
      budgetChange,
    };
  });
}

export async function approvalView(
  deps: ApiDeps,
  approval: ApprovalRecord,
  user: AuthUser,
): Promise<ApprovalViewBody> {
  const [view] = await approvalViews(deps, [approval], user);
  return view!;
}

/** A refusal of the four-eyes rules as the API's error. */
export function fromApprovalRefusal(error: unknown): never {
  if (error instanceof ApprovalRefused) {
    throw new AppError(error.kind, error.refusal.message, {
      code: error.refusal.code === 'NOT_FOUND' ? undefined : error.refusal.code,
      details: error.refusal.details,
    });
  }
  throw error;
}

async function findApproval(deps: ApiDeps, id: string): Promise<ApprovalRecord> {
  const approval = await deps.repos.approvals.findById(id);
  if (!approval) throw AppError.notFound('proposal', id);
  return approval;
}

export const approvalRoutes = [
  defineRoute({
    method: 'get',
    path: '/approvals',
    operationId: 'listApprovals',
    summary: 'Proposals awaiting a second administrator (four eyes): pending first, then newest first',
    description:
      'Payout runs, budget changes and first approvals of claims above the programme’s threshold. Every administrator sees every proposal.',
    tags: ['approvals'],
    access: ['ADMIN', 'AUDITOR'],
    request: {
      query: listQuery(z.enum(APPROVAL_STATUSES)).extend({
        kind: z.enum(APPROVAL_KINDS).optional(),
        programmeId: z.uuid().optional(),
      }),
    },
    responses: {
      200: { description: 'A page of proposals', schema: pageSchema(ApprovalView, 'ApprovalPage') },
    },
    handler: async ({ query, user, deps }) => {
      const page = await deps.repos.approvals.list(
        { status: query.status, kind: query.kind, programmeId: query.programmeId },
        { limit: query.limit, after: decodeCursor(query.cursor) },
        deps.clock.now(),
      );
      return {
        status: 200,
        body: {
          items: await approvalViews(deps, page.items, user),
          nextCursor: encodeCursor(page.next),
        },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/approvals/:id',
    operationId: 'getApproval',
    summary: 'A proposal, what it will do, who proposed it and by when it must be decided',
    tags: ['approvals'],
    access: ['ADMIN', 'AUDITOR'],
    request: { params: z.strictObject({ id: z.uuid() }) },
    responses: { 200: { description: 'The proposal', schema: ApprovalView } },
    errors: ['NOT_FOUND'],
    handler: async ({ params, user, deps }) => ({
      status: 200,
      body: await approvalView(deps, await findApproval(deps, params.id), user),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/approvals/:id/decision',
    operationId: 'decideApproval',
    summary: 'A second administrator approves (the act happens) or rejects a proposal',
    description:
      'The proposer cannot approve their own proposal (409 FOUR_EYES_SAME_ADMIN); a decided or expired proposal cannot be decided (409 APPROVAL_ALREADY_DECIDED, APPROVAL_EXPIRED). Approving a payout run starts it; approving a budget change applies it to AVAILABLE, refused when a decrease would take more than AVAILABLE holds (409 BUDGET_DECREASE_EXCEEDS_AVAILABLE). For a claim it is the claim’s own decision: approval approves it, rejection rejects it.',
    tags: ['approvals'],
    access: ['ADMIN'],
    idempotent: true,
    request: { params: z.strictObject({ id: z.uuid() }), body: ApprovalDecision },
    responses: { 200: { description: 'The proposal after the decision', schema: ApprovalView } },
    errors: ['NOT_FOUND', 'CONFLICT', 'UNAVAILABLE'],
    handler: async ({ params, body, user, deps, requestId }) => {
      const approval = await findApproval(deps, params.id);
      const caller = { actor: actorOf(user), requestId };
      if (approval.kind === 'CLAIM_APPROVAL') {
        const status = statusAt(approval, deps.clock.now());
        if (status !== 'PENDING') {
          throw new AppError(
            'CONFLICT',
            status === 'EXPIRED'
              ? `The first approval expired at ${approval.expiresAt.toISOString()}`
              : `The proposal is ${status}; it was decided already`,
            {
              code: status === 'EXPIRED' ? 'APPROVAL_EXPIRED' : 'APPROVAL_ALREADY_DECIDED',
              details: { status },
            },
          );
        }
        await decideClaimAs(
          deps,
          user,
          approval.subjectId,
          body.decision === 'APPROVE'
            ? { decision: 'APPROVE', note: body.reason }
            : { decision: 'REJECT', reason: body.reason },
          requestId,
        );
      } else {
        await deps.repos.approvals
          .decide(
            approval.id,
            { decision: body.decision, reason: body.reason ?? null },
            caller,
            deps.clock.now(),
            approvalEffect(deps, caller),
          )
          .catch(fromApprovalRefusal);
      }
      return {
        status: 200,
        body: await approvalView(deps, (await deps.repos.approvals.findById(approval.id))!, user),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/approvals/:id/withdrawal',
    operationId: 'withdrawApproval',
    summary: 'The proposer withdraws a proposal still pending',
    tags: ['approvals'],
    access: ['ADMIN'],
    idempotent: true,
    request: { params: z.strictObject({ id: z.uuid() }) },
    responses: { 200: { description: 'The withdrawn proposal', schema: ApprovalView } },
    errors: ['NOT_FOUND', 'CONFLICT', 'FORBIDDEN'],
    handler: async ({ params, user, deps, requestId }) => {
      const withdrawn = await deps.repos.approvals
        .withdraw(params.id, { actor: actorOf(user), requestId }, deps.clock.now())
        .catch(fromApprovalRefusal);
      return { status: 200, body: await approvalView(deps, withdrawn, user) };
    },
  }),
];
