import {
  decisionRefusal,
  statusAt,
  type ApprovalKind,
  type ApprovalRecord,
  type ApprovalStatus,
  type Refusal,
} from '../../domain/approval';
import { SYSTEM_ACTOR, type Actor } from '../../domain/actor';
import { fenFromBigInt, type Fen } from '../../domain/money';
import type { Db } from '../client';
import type { Approval as ApprovalRow, Prisma } from '../generated/client';
import { inTransaction, type Tx } from '../tx';
import { appendAudit } from './audit';
import type { Page, PageCursor, PageRequest } from './page';

/** A proposal step the rules refuse (docs/policy.md, "Four eyes"); thrown inside the transaction, so nothing changes. */
export class ApprovalRefused extends Error {
  constructor(
    readonly kind: 'CONFLICT' | 'FORBIDDEN' | 'NOT_FOUND',
    readonly refusal: Refusal,
  ) {
    super(refusal.message);
    this.name = 'ApprovalRefused';
  }
}

export interface Caller {
  actor: Actor;
  requestId: string | null;
}

const auditOf = (approval: ApprovalRecord) => ({
  kind: approval.kind,
  programmeId: approval.programmeId,
  subjectId: approval.subjectId,
  status: approval.status,
});

export function toApproval(row: ApprovalRow): ApprovalRecord {
  return {
    id: row.id,
    kind: row.kind,
    programmeId: row.programmeId,
    subjectId: row.subjectId,
    payload: row.payload as Record<string, unknown>,
    proposedBy: row.proposedBy,
    proposedAt: row.proposedAt,
    expiresAt: row.expiresAt,
    status: row.status,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    reason: row.reason,
  };
}

export type NewApproval = Pick<
  ApprovalRecord,
  'id' | 'kind' | 'programmeId' | 'subjectId' | 'payload' | 'proposedBy' | 'proposedAt' | 'expiresAt'
>;

/**
 * Inserts a PENDING proposal, or returns null when one of the same kind and subject is still
 * pending (the partial unique index decides, so two concurrent proposals cannot both be made).
 */
export async function insertApproval(tx: Tx, approval: NewApproval): Promise<ApprovalRecord | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO approvals (id, kind, programme_id, subject_id, payload, proposed_by, proposed_at, expires_at)
    VALUES (${approval.id}::uuid, ${approval.kind}::"ApprovalKind", ${approval.programmeId}::uuid,
            ${approval.subjectId}::uuid, ${JSON.stringify(approval.payload)}::jsonb, ${approval.proposedBy}::uuid,
            ${approval.proposedAt}, ${approval.expiresAt})
    ON CONFLICT (kind, subject_id) WHERE status = 'PENDING' DO NOTHING
    RETURNING id`;
  if (rows.length === 0) return null;
  return toApproval(await tx.approval.findUniqueOrThrow({ where: { id: approval.id } }));
}

/** The stored PENDING proposal of this kind for this subject (expired or not), locked. */
export async function lockPendingApproval(
  tx: Tx,
  kind: ApprovalKind,
  subjectId: string,
): Promise<ApprovalRecord | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM approvals WHERE kind = ${kind}::"ApprovalKind" AND subject_id = ${subjectId}::uuid
      AND status = 'PENDING' FOR UPDATE`;
  if (!rows[0]) return null;
  return toApproval(await tx.approval.findUniqueOrThrow({ where: { id: rows[0].id } }));
}

export async function lockApproval(tx: Tx, id: string): Promise<ApprovalRecord | null> {
  const rows = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id FROM approvals WHERE id = ${id}::uuid FOR UPDATE`;
  if (!rows[0]) return null;
  return toApproval(await tx.approval.findUniqueOrThrow({ where: { id } }));
}

export async function closeApproval(
  tx: Tx,
  id: string,
  change: {
    status: Exclude<ApprovalStatus, 'PENDING'>;
    decidedBy: string | null;
    decidedAt: Date;
    reason?: string | null;
  },
): Promise<ApprovalRecord> {
  const row = await tx.approval.update({
    where: { id },
    data: {
      status: change.status,
      decidedBy: change.decidedBy,
      decidedAt: change.decidedAt,
      ...(change.reason === undefined ? {} : { reason: change.reason }),
    },
  });
  return toApproval(row);
}

/**
 * Locks the programme's row, then its AVAILABLE account (docs/policy.md, "Budget and ledger"): the
 * lock every reservation from AVAILABLE also takes, so a decrease checked here cannot race an
 * application's approval into overspending. NO KEY UPDATE: rows being inserted for the programme
 * (ledger entries, vouchers) hold a key-share lock on it, which this must not wait for.
 */
export async function lockBudget(
  tx: Tx,
  programmeId: string,
): Promise<{ budgetFen: Fen; availableFen: Fen } | null> {
  const programme = await tx.$queryRaw<{ budget_fen: bigint }[]>`
    SELECT budget_fen FROM programmes WHERE id = ${programmeId}::uuid FOR NO KEY UPDATE`;
  if (!programme[0]) return null;
  const available = await tx.$queryRaw<{ balance_fen: bigint }[]>`
    SELECT balance_fen FROM ledger_accounts
    WHERE programme_id = ${programmeId}::uuid AND account = 'AVAILABLE' FOR UPDATE`;
  if (!available[0]) throw new Error(`programme ${programmeId} has no ledger`);
  return {
    budgetFen: fenFromBigInt(programme[0].budget_fen),
    availableFen: fenFromBigInt(available[0].balance_fen),
  };
}

/**
 * Changes the budget and AVAILABLE by the same amount, under the locks of `lockBudget`: the accounts
 * still sum to the budget, and AVAILABLE is still the budget plus its postings.
 */
export async function applyBudgetChange(tx: Tx, programmeId: string, deltaFen: Fen): Promise<void> {
  const delta = BigInt(deltaFen);
  await tx.programme.update({ where: { id: programmeId }, data: { budgetFen: { increment: delta } } });
  await tx.ledgerAccount.update({
    where: { programmeId_account: { programmeId, account: 'AVAILABLE' } },
    data: { balanceFen: { increment: delta } },
  });
}

/** What a payout run would pay now: approved claims not yet paid, and the first 50 of them. */
export interface Payable {
  claims: number;
  totalFen: Fen;
  claimIds: string[];
}

export interface ApprovalFilter {
  kind?: ApprovalKind;
  programmeId?: string;
  subjectId?: string;
  /** as seen at `now`: PENDING means not yet past its deadline, EXPIRED includes those past it */
  status?: ApprovalStatus;
}

function whereStatus(status: ApprovalStatus | undefined, now: Date): Prisma.ApprovalWhereInput {
  if (status === 'PENDING') return { status: 'PENDING', expiresAt: { gt: now } };
  if (status === 'EXPIRED')
    return { OR: [{ status: 'EXPIRED' }, { status: 'PENDING', expiresAt: { lte: now } }] };
  if (status) return { status };
  return {};
}

const newest: Prisma.ApprovalOrderByWithRelationInput[] = [{ proposedAt: 'desc' }, { id: 'desc' }];

function after(cursor: PageCursor | undefined): Prisma.ApprovalWhereInput {
  if (!cursor) return {};
  // the first bound is implied by the second and lets the index start at the cursor
  return {
    proposedAt: { lte: cursor.createdAt },
    OR: [{ proposedAt: { lt: cursor.createdAt } }, { proposedAt: cursor.createdAt, id: { lt: cursor.id } }],
  };
}

export function createApprovalRepository(db: Db) {
  async function page(
    where: Prisma.ApprovalWhereInput,
    cursor: PageCursor | undefined,
    limit: number,
  ): Promise<ApprovalRecord[]> {
    const rows = await db.approval.findMany({
      where: { AND: [where, after(cursor)] },
      orderBy: newest,
      take: limit,
    });
    return rows.map(toApproval);
  }

  /**
   * `payable` of each of the programmes a page names, counted and summed by the database in one
   * query (an index on the programme, status and creation serves it).
   */
  async function payableOf(programmeIds: readonly string[]): Promise<Map<string, Payable>> {
    const unique = [...new Set(programmeIds)];
    const byProgramme = new Map<string, Payable>(
      unique.map((id) => [id, { claims: 0, totalFen: 0, claimIds: [] }]),
    );
    if (unique.length === 0) return byProgramme;
    const rows = await db.$queryRaw<
      { programme_id: string; claims: number; total_fen: bigint; claim_ids: string[] }[]
    >`
        SELECT programme_id::text, count(*)::int AS claims, sum(amount_fen)::bigint AS total_fen,
               (array_agg(id::text ORDER BY created_at, id))[1:50] AS claim_ids
          FROM claims
         WHERE status = 'APPROVED' AND programme_id = ANY(${unique}::uuid[])
         GROUP BY programme_id`;
    for (const row of rows) {
      byProgramme.set(row.programme_id, {
        claims: row.claims,
        totalFen: fenFromBigInt(row.total_fen),
        claimIds: row.claim_ids,
      });
    }
    return byProgramme;
  }

  /** Marks a stored PENDING proposal past its deadline as EXPIRED, with its audit entry. */
  async function expire(tx: Tx, approval: ApprovalRecord, now: Date): Promise<void> {
    const expired = await closeApproval(tx, approval.id, {
      status: 'EXPIRED',
      decidedBy: null,
      decidedAt: now,
    });
    await appendAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: 'APPROVAL_EXPIRED',
      entityType: 'approval',
      entityId: approval.id,
      before: auditOf(approval),
      after: { ...auditOf(expired), expiresAt: approval.expiresAt.toISOString() },
    });
  }

  return {
    /**
     * Records a proposal awaiting a second administrator. One proposal of a kind per subject is open
     * at a time: an earlier one past its deadline is marked expired first, a live one refuses this.
     */
    async propose(approval: NewApproval, caller: Caller): Promise<ApprovalRecord> {
      return inTransaction(db, async (tx) => {
        const open = await lockPendingApproval(tx, approval.kind, approval.subjectId);
        if (open && statusAt(open, approval.proposedAt) === 'EXPIRED')
          await expire(tx, open, approval.proposedAt);
        const created = await insertApproval(tx, approval);
        if (!created) {
          throw new ApprovalRefused('CONFLICT', {
            code: 'APPROVAL_ALREADY_PENDING',
            message: 'The same act is already proposed and awaits a second administrator',
            details: open ? { approvalId: open.id, proposedBy: open.proposedBy } : undefined,
          });
        }
        await appendAudit(tx, {
          actor: caller.actor,
          requestId: caller.requestId,
          action: 'APPROVAL_PROPOSED',
          entityType: 'approval',
          entityId: created.id,
          after: {
            ...auditOf(created),
            payload: created.payload as never,
            expiresAt: created.expiresAt.toISOString(),
          },
        });
        return created;
      });
    },

    /**
     * A second administrator's decision on a proposal. Approval runs `effect` (what the proposal
     * does) in the same transaction, after the checks: a refusal from it undoes everything.
     */
    async decide(
      id: string,
      decision: { decision: 'APPROVE' | 'REJECT'; reason: string | null },
      caller: Caller,
      now: Date,
      effect: (tx: Tx, approval: ApprovalRecord) => Promise<void>,
    ): Promise<ApprovalRecord> {
      return inTransaction(db, async (tx) => {
        const approval = await lockApproval(tx, id);
        if (!approval)
          throw new ApprovalRefused('NOT_FOUND', {
            code: 'NOT_FOUND',
            message: `proposal ${id} was not found`,
          });
        const refusal = decisionRefusal(approval, caller.actor.userId ?? '', now);
        if (refusal) throw new ApprovalRefused('CONFLICT', refusal);
        if (decision.decision === 'APPROVE') await effect(tx, approval);
        const decided = await closeApproval(tx, id, {
          status: decision.decision === 'APPROVE' ? 'APPROVED' : 'REJECTED',
          decidedBy: caller.actor.userId,
          decidedAt: now,
          reason: decision.reason,
        });
        await appendAudit(tx, {
          actor: caller.actor,
          requestId: caller.requestId,
          action: decision.decision === 'APPROVE' ? 'APPROVAL_APPROVED' : 'APPROVAL_REJECTED',
          entityType: 'approval',
          entityId: id,
          before: { ...auditOf(approval), proposedBy: approval.proposedBy },
          after: { ...auditOf(decided), decidedBy: decided.decidedBy, reason: decided.reason },
        });
        return decided;
      });
    },

    /** The proposer takes back a proposal still pending. */
    async withdraw(id: string, caller: Caller, now: Date): Promise<ApprovalRecord> {
      return inTransaction(db, async (tx) => {
        const approval = await lockApproval(tx, id);
        if (!approval)
          throw new ApprovalRefused('NOT_FOUND', {
            code: 'NOT_FOUND',
            message: `proposal ${id} was not found`,
          });
        if (approval.proposedBy !== caller.actor.userId) {
          throw new ApprovalRefused('FORBIDDEN', {
            code: 'NOT_THE_PROPOSER',
            message: 'Only the administrator who proposed this may withdraw it',
          });
        }
        const refusal = decisionRefusal(approval, '', now);
        if (refusal) throw new ApprovalRefused('CONFLICT', refusal);
        const withdrawn = await closeApproval(tx, id, {
          status: 'WITHDRAWN',
          decidedBy: caller.actor.userId,
          decidedAt: now,
        });
        await appendAudit(tx, {
          actor: caller.actor,
          requestId: caller.requestId,
          action: 'APPROVAL_WITHDRAWN',
          entityType: 'approval',
          entityId: id,
          before: auditOf(approval),
          after: auditOf(withdrawn),
        });
        return withdrawn;
      });
    },

    async findById(id: string): Promise<ApprovalRecord | null> {
      const row = await db.approval.findUnique({ where: { id } });
      return row ? toApproval(row) : null;
    },

    /** The latest proposal of this kind for this subject, whatever its status. */
    async latestFor(kind: ApprovalKind, subjectId: string): Promise<ApprovalRecord | null> {
      const row = await db.approval.findFirst({ where: { kind, subjectId }, orderBy: newest });
      return row ? toApproval(row) : null;
    },

    /**
     * The latest proposal of this kind for each of the subjects, with its proposer's name, in one
     * query: what a page of claims shows of their first approvals.
     */
    async latestForEach(
      kind: ApprovalKind,
      subjectIds: readonly string[],
    ): Promise<Map<string, { approval: ApprovalRecord; proposerName: string | null }>> {
      if (subjectIds.length === 0) return new Map();
      const rows = await db.$queryRaw<(ApprovalRow & { proposerName: string | null })[]>`
        SELECT DISTINCT ON (a.subject_id)
               a.id::text, a.kind::text, a.programme_id::text AS "programmeId",
               a.subject_id::text AS "subjectId", a.payload, a.proposed_by::text AS "proposedBy",
               a.proposed_at AS "proposedAt", a.expires_at AS "expiresAt", a.status::text,
               a.decided_by::text AS "decidedBy", a.decided_at AS "decidedAt", a.reason,
               u.display_name AS "proposerName"
          FROM approvals a LEFT JOIN users u ON u.id = a.proposed_by
         WHERE a.kind = ${kind}::"ApprovalKind" AND a.subject_id = ANY(${[...subjectIds]}::uuid[])
         ORDER BY a.subject_id, a.proposed_at DESC, a.id DESC`;
      return new Map(
        rows.map((row) => [row.subjectId, { approval: toApproval(row), proposerName: row.proposerName }]),
      );
    },

    /**
     * Proposals newest first; without a status filter those still pending come first, then the
     * rest. The cursor names the last row of the page before, and so which of the two parts it was in.
     */
    async list(filter: ApprovalFilter, request: PageRequest, now: Date): Promise<Page<ApprovalRecord>> {
      const base: Prisma.ApprovalWhereInput = {
        kind: filter.kind,
        programmeId: filter.programmeId,
        subjectId: filter.subjectId,
      };
      const take = request.limit + 1;
      let rows: ApprovalRecord[];
      if (filter.status) {
        rows = await page({ AND: [base, whereStatus(filter.status, now)] }, request.after, take);
      } else {
        const pending: Prisma.ApprovalWhereInput = { AND: [base, whereStatus('PENDING', now)] };
        const rest: Prisma.ApprovalWhereInput = { AND: [base, { NOT: whereStatus('PENDING', now) }] };
        const cursorRow = request.after
          ? await db.approval.findUnique({ where: { id: request.after.id } })
          : null;
        const inPending = !request.after || (cursorRow?.status === 'PENDING' && cursorRow.expiresAt > now);
        rows = inPending ? await page(pending, request.after, take) : [];
        if (rows.length < take) {
          rows = rows.concat(await page(rest, inPending ? undefined : request.after, take - rows.length));
        }
      }
      const items = rows.slice(0, request.limit);
      const last = items[items.length - 1];
      return {
        items,
        next: rows.length > request.limit && last ? { createdAt: last.proposedAt, id: last.id } : null,
      };
    },

    /** Approved claims of the programme not yet paid: what a payout run would pay now. */
    async payable(programmeId: string): Promise<Payable> {
      return (await payableOf([programmeId])).get(programmeId)!;
    },

    payableOf,
  };
}

export type ApprovalRepository = ReturnType<typeof createApprovalRepository>;
