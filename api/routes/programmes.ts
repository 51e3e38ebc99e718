import { z } from 'zod';
import { defaultPayoutSchedule } from '../../config/env';
import {
  PAYOUT_BATCH_STATUSES,
  type PayoutBatchRecord,
  type ProgrammeRecord,
} from '../../db/repositories/programmes';
import { temporalPayoutSchedules } from '../../infra/payout-schedules';
import { programmeSetup } from '../../workflows/programme-setup';
import { payoutScheduleOf } from '../../domain/payout-schedule';
import { budgetChangeRefusal, type BudgetChangePayload, type PayoutRunPayload } from '../../domain/approval';
import { durationMs } from '../../domain/duration';
import type { AuthUser } from '../../domain/identity';
import { ACCOUNTS, ledgerViolations } from '../../domain/ledger';
import { PositiveFenSchema } from '../../domain/money';
import { PolicySchema } from '../../domain/policy';
import { RegionCodeSchema } from '../../domain/region';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';
import { encodeCursor, decodeCursor, listQuery, pageSchema } from '../http/pagination';
import { defineRoute } from '../http/route';
import { actorOf, intoWorkflow } from '../http/workflows';
import { approvalView, ApprovalView, fromApprovalRefusal } from './approvals';

const LedgerView = z
  .object({
    accounts: z.object(
      Object.fromEntries(ACCOUNTS.map((a) => [a, z.number().int()])) as Record<
        (typeof ACCOUNTS)[number],
        z.ZodNumber
      >,
    ),
    totalFen: z.number().int(),
    balanced: z.boolean().meta({ description: 'the accounts sum to the budget and none is negative' }),
  })
  .meta({ id: 'Ledger', description: 'the programme budget by ledger account, in fen' });

export const ProgrammeView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    authority: z.string(),
    year: z.number().int(),
    regionCode: z.string(),
    budgetFen: z.number().int(),
    status: z.enum(['ACTIVE', 'CLOSED']),
    policy: PolicySchema,
    createdAt: z.iso.datetime(),
    ledger: LedgerView.optional().meta({ description: 'for administrators and auditors' }),
  })
  .meta({ id: 'Programme' });

const PayoutBatchView = z
  .object({
    id: z.uuid(),
    status: z.enum(PAYOUT_BATCH_STATUSES).meta({
      description: 'RUNNING: its transfers are being sent; COMPLETED: every transfer was sent',
    }),
    totalFen: z.number().int().meta({ description: 'the approved claims it found unpaid, summed, in fen' }),
    transfers: z.number().int().meta({ description: 'one per provider paid' }),
    transfersSent: z.number().int(),
    claims: z.number().int(),
    startedAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'PayoutBatch' });

const PayoutBatchPage = pageSchema(PayoutBatchView, 'PayoutBatchPage').extend({
  schedule: z
    .object({
      expression: z
        .string()
        .meta({ description: 'an interval such as "1d" or a five-field cron expression' }),
      serviceDefault: z
        .boolean()
        .meta({ description: 'the policy sets no schedule: the service’s default applies' }),
      nextRunAt: z.iso
        .datetime()
        .nullable()
        .meta({ description: 'when the next batch runs on the schedule' }),
    })
    .meta({ description: 'when the programme’s batches run' }),
});

const batchView = (batch: PayoutBatchRecord): z.infer<typeof PayoutBatchView> => ({
  id: batch.id,
  status: batch.status,
  totalFen: batch.totalFen,
  transfers: batch.transfers,
  transfersSent: batch.transfersSent,
  claims: batch.claims,
  startedAt: batch.createdAt.toISOString(),
  completedAt: batch.completedAt?.toISOString() ?? null,
});

const ProgrammeCreation = z
  .strictObject({
    name: z.string().trim().min(2).max(200),
    authority: z
      .string()
      .trim()
      .min(2)
      .max(200)
      .meta({ description: 'issuing authority, e.g. 上海市经济和信息化委员会' }),
    year: z.number().int().min(2023).max(2100),
    regionCode: RegionCodeSchema.meta({ description: 'the region the programme serves' }),
    budgetFen: PositiveFenSchema,
    policy: PolicySchema.prefault({}).meta({ description: 'every rule has a default from real schemes' }),
  })
  .meta({ id: 'ProgrammeCreation' });

const BudgetChangeProposal = z
  .strictObject({
    newBudgetFen: PositiveFenSchema.meta({ description: 'the budget after the change, in fen' }),
    reason: z
      .string()
      .trim()
      .min(2)
      .max(2000)
      .meta({ description: 'why, for the approver and the audit log' }),
  })
  .meta({ id: 'BudgetChangeProposal' });

async function view(
  deps: ApiDeps,
  programme: ProgrammeRecord,
  withLedger: boolean,
): Promise<z.infer<typeof ProgrammeView>> {
  const base = {
    id: programme.id,
    name: programme.name,
    authority: programme.authority,
    year: programme.year,
    regionCode: programme.regionCode,
    budgetFen: programme.budgetFen,
    status: programme.status,
    policy: programme.policy,
    createdAt: programme.createdAt.toISOString(),
  };
  if (!withLedger) return base;
  const accounts = await deps.repos.ledger.balances(programme.id);
  return {
    ...base,
    ledger: {
      accounts,
      totalFen: ACCOUNTS.reduce((sum, a) => sum + accounts[a], 0),
      balanced: ledgerViolations(accounts, programme.budgetFen).length === 0,
    },
  };
}

const seesLedger = (role: string) => role === 'ADMIN' || role === 'AUDITOR';

export const programmeRoutes = [
  defineRoute({
    method: 'post',
    path: '/programs',
    operationId: 'createProgramme',
    summary: 'Create a voucher programme with its budget and policy',
    description: 'The whole budget starts in the AVAILABLE account of the programme’s own ledger.',
    tags: ['programmes'],
    access: ['ADMIN'],
    idempotent: true,
    request: { body: ProgrammeCreation },
    responses: { 201: { description: 'The programme, with its ledger', schema: ProgrammeView } },
    errors: ['UNAVAILABLE'],
    handler: async ({ body, user, deps, requestId, newId }) => {
      const id = newId();
      // a workflow, so that the ledger and the payout schedule are both set up even if this instance dies
      await intoWorkflow(
        deps,
        async () => {
          const handle = await deps.temporal.workflow.start(programmeSetup, {
            workflowId: `programme/${id}`,
            taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
            // a retry with the same Idempotency-Key names the same programme: it waits for that setup
            workflowIdConflictPolicy: 'USE_EXISTING',
            args: [{ id, ...body, createdBy: user.id, actor: actorOf(user), requestId }],
          });
          return handle.result();
        },
        `programme ${id}`,
        `/api/v1/programs/${id}`,
      );
      const programme = (await deps.repos.programmes.findById(id))!;
      return {
        status: 201,
        body: await view(deps, programme, true),
        headers: { Location: `/api/v1/programs/${id}` },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/programs',
    operationId: 'listProgrammes',
    summary: 'Programmes, newest first',
    tags: ['programmes'],
    access: ['SME', 'PROVIDER', 'ADMIN', 'AUDITOR'],
    request: { query: listQuery(z.enum(['ACTIVE', 'CLOSED'])) },
    responses: {
      200: { description: 'A page of programmes', schema: pageSchema(ProgrammeView, 'ProgrammePage') },
    },
    handler: async ({ query, user, deps }) => {
      const page = await deps.repos.programmes.list(
        { status: query.status },
        { limit: query.limit, after: decodeCursor(query.cursor) },
      );
      return {
        status: 200,
        body: {
          items: await Promise.all(page.items.map((p) => view(deps, p, seesLedger(user.role)))),
          nextCursor: encodeCursor(page.next),
        },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/programs/:id',
    operationId: 'getProgramme',
    summary: 'A programme; administrators and auditors also see its ledger',
    tags: ['programmes'],
    access: ['SME', 'PROVIDER', 'ADMIN', 'AUDITOR'],
    request: { params: z.strictObject({ id: z.uuid() }) },
    responses: { 200: { description: 'The programme', schema: ProgrammeView } },
    errors: ['NOT_FOUND'],
    handler: async ({ params, user, deps }) => {
      const programme = await deps.repos.programmes.findById(params.id);
      if (!programme) throw AppError.notFound('programme', params.id);
      return { status: 200, body: await view(deps, programme, seesLedger(user.role)) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/programs/:id/payout-batches',
    operationId: 'listPayoutBatches',
    summary: 'A programme’s payout schedule and its payout batches, newest first',
    tags: ['programmes'],
    access: ['ADMIN', 'AUDITOR'],
    request: { params: z.strictObject({ id: z.uuid() }), query: listQuery() },
    responses: { 200: { description: 'A page of payout batches', schema: PayoutBatchPage } },
    errors: ['NOT_FOUND'],
    handler: async ({ params, query, deps }) => {
      const programme = await deps.repos.programmes.findById(params.id);
      if (!programme) throw AppError.notFound('programme', params.id);
      const [page, nextRun] = await Promise.all([
        deps.repos.programmes.payoutBatches(programme.id, {
          limit: query.limit,
          after: decodeCursor(query.cursor),
        }),
        intoWorkflow(
          deps,
          () => temporalPayoutSchedules(deps.temporal, deps.env.TEMPORAL_TASK_QUEUE).nextRun(programme.id),
          'the payout schedule',
          `/api/v1/programs/${programme.id}/payout-batches`,
        ),
      ]);
      return {
        status: 200,
        body: {
          items: page.items.map(batchView),
          nextCursor: encodeCursor(page.next),
          schedule: {
            // as its Schedule was created; the worker's own rule for an older programme whose policy names none
            expression: payoutScheduleOf(programme, defaultPayoutSchedule(deps.env)),
            serviceDefault: programme.policy.payoutSchedule === undefined,
            nextRunAt: nextRun?.toISOString() ?? null,
          },
        },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/programs/:id/payout-runs',
    operationId: 'runPayout',
    summary: 'Propose a payout run now, outside the schedule; a second administrator’s approval starts it',
    description:
      'Four eyes (docs/policy.md): the run is a proposal until another administrator approves it through POST /approvals/{id}/decision; then every approved claim not yet paid is transferred, one transfer per provider, in the background. One payout run per programme may await approval at a time (409 APPROVAL_ALREADY_PENDING). The proposal expires after the policy’s approvalsExpireAfter.',
    tags: ['programmes', 'approvals'],
    access: ['ADMIN'],
    idempotent: true,
    request: { params: z.strictObject({ id: z.uuid() }) },
    responses: {
      202: { description: 'The proposal, awaiting a second administrator', schema: ApprovalView },
    },
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: async ({ params, user, deps, requestId, newId }) => {
      const programme = await deps.repos.programmes.findById(params.id);
      if (!programme) throw AppError.notFound('programme', params.id);
      const payable = await deps.repos.approvals.payable(programme.id);
      const payload: PayoutRunPayload = { claims: payable.claims, totalFen: payable.totalFen };
      const approval = await propose(deps, programme, 'PAYOUT_RUN', { ...payload }, user, requestId, newId());
      return {
        status: 202,
        body: await approvalView(deps, approval, user),
        headers: { Location: `/api/v1/approvals/${approval.id}` },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/programs/:id/budget-changes',
    operationId: 'proposeBudgetChange',
    summary: 'Propose a new budget for the programme; a second administrator’s approval applies it',
    description:
      'Four eyes (docs/policy.md): the change is a proposal until another administrator approves it. An increase adds to AVAILABLE; a decrease takes from AVAILABLE only and is refused (409 BUDGET_DECREASE_EXCEEDS_AVAILABLE, with the figures) when it would take more than AVAILABLE holds, both now and again at approval. One budget change per programme may await approval at a time.',
    tags: ['programmes', 'approvals'],
    access: ['ADMIN'],
    idempotent: true,
    request: { params: z.strictObject({ id: z.uuid() }), body: BudgetChangeProposal },
    responses: {
      202: { description: 'The proposal, awaiting a second administrator', schema: ApprovalView },
    },
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: async ({ params, body, user, deps, requestId, newId }) => {
      const programme = await deps.repos.programmes.findById(params.id);
      if (!programme) throw AppError.notFound('programme', params.id);
      const deltaFen = body.newBudgetFen - programme.budgetFen;
      if (deltaFen === 0) {
        throw new AppError('INVALID', 'newBudgetFen is the budget already', {
          code: 'VALIDATION_FAILED',
          issues: [
            {
              in: 'body',
              field: 'newBudgetFen',
              reason: 'is the programme’s budget already',
              code: 'unchanged',
            },
          ],
        });
      }
      const { AVAILABLE } = await deps.repos.ledger.balances(programme.id);
      const refusal = budgetChangeRefusal(deltaFen, AVAILABLE, programme.budgetFen);
      if (refusal)
        throw new AppError('CONFLICT', refusal.message, { code: refusal.code, details: refusal.details });
      const payload: BudgetChangePayload = {
        budgetBeforeFen: programme.budgetFen,
        newBudgetFen: body.newBudgetFen,
        deltaFen,
        reason: body.reason,
      };
      const approval = await propose(
        deps,
        programme,
        'BUDGET_CHANGE',
        { ...payload },
        user,
        requestId,
        newId(),
      );
      return {
        status: 202,
        body: await approvalView(deps, approval, user),
        headers: { Location: `/api/v1/approvals/${approval.id}` },
      };
    },
  }),
];

function propose(
  deps: ApiDeps,
  programme: ProgrammeRecord,
  kind: 'PAYOUT_RUN' | 'BUDGET_CHANGE',
  payload: Record<string, unknown>,
  user: AuthUser,
  requestId: string,
  id: string,
) {
  const now = deps.clock.now();
  return deps.repos.approvals
    .propose(
      {
        id,
        kind,
        programmeId: programme.id,
        subjectId: programme.id,
        payload,
        proposedBy: user.id,
        proposedAt: now,
        expiresAt: new Date(now.getTime() + durationMs(programme.policy.approvalsExpireAfter)),
      },
      { actor: actorOf(user), requestId },
    )
    .catch(fromApprovalRefusal);
}
