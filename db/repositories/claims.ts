import { CLAIM_STATUSES, type ClaimRecord, type ClaimStatus, type ContractData } from '../../domain/claim';
import { fenFromBigInt, type Fen } from '../../domain/money';
import type { ClaimTotal, TransferRecord, TransferStatus } from '../../domain/payout';
import type { RiskFlag } from '../../domain/risk';
import type { Db } from '../client';
import type { Claim as ClaimRow, Prisma } from '../generated/client';
import { lockRow } from '../lock';
import type { Tx } from '../tx';
import { afterCursor, newestFirst, toPage, type Page, type PageRequest } from './page';

export function toClaim(row: ClaimRow): ClaimRecord {
  return {
    id: row.id,
    bookingId: row.bookingId,
    programmeId: row.programmeId,
    providerId: row.providerId,
    amountFen: fenFromBigInt(row.amountFen),
    contract: row.contract as unknown as ContractData,
    reportSha256: row.reportSha256,
    paymentReference: row.paymentReference,
    riskFlags: row.riskFlags as unknown as RiskFlag[],
    autoApproved: row.autoApproved,
    status: row.status,
    decisionReason: row.decisionReason,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    transferId: row.transferId,
    paidAt: row.paidAt,
    dueAt: row.dueAt,
    workflowId: row.workflowId,
    createdAt: row.createdAt,
  };
}

export interface NewClaim {
  id: string;
  bookingId: string;
  programmeId: string;
  providerId: string;
  amountFen: Fen;
  contract: ContractData;
  reportSha256: string;
  paymentReference: string;
  riskFlags: RiskFlag[];
  dueAt: Date | null;
  workflowId: string;
}

/** One claim per booking: a repeated call returns the first. */
export async function insertClaim(
  tx: Tx,
  claim: NewClaim,
): Promise<{ record: ClaimRecord; created: boolean }> {
  const existing = await tx.claim.findUnique({ where: { bookingId: claim.bookingId } });
  if (existing) return { record: toClaim(existing), created: false };
  const row = await tx.claim.create({
    data: {
      ...claim,
      amountFen: BigInt(claim.amountFen),
      contract: claim.contract as unknown as Prisma.InputJsonValue,
      riskFlags: claim.riskFlags as unknown as Prisma.InputJsonValue,
      status: 'PENDING_REVIEW',
    },
  });
  return { record: toClaim(row), created: true };
}

export async function findClaimOfBooking(tx: Tx, bookingId: string): Promise<ClaimRecord | null> {
  const row = await tx.claim.findUnique({ where: { bookingId } });
  return row ? toClaim(row) : null;
}

export async function lockClaim(tx: Tx, id: string): Promise<ClaimRecord> {
  return toClaim((await lockRow<ClaimRow>(tx, 'claims', id)).row);
}

export async function updateClaim(
  tx: Tx,
  id: string,
  changes: {
    status: ClaimStatus;
    decisionReason?: string | null;
    decidedBy?: string | null;
    decidedAt?: Date;
    autoApproved?: boolean;
    dueAt?: Date | null;
  },
): Promise<ClaimRecord> {
  return toClaim(await tx.claim.update({ where: { id }, data: changes }));
}

/** Other claims carrying the same report file. */
export async function claimsWithReport(tx: Tx, sha256: string, exceptBookingId: string): Promise<string[]> {
  const rows = await tx.claim.findMany({
    where: { reportSha256: sha256, bookingId: { not: exceptBookingId } },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** Subsidy claimed (and not rejected) for an enterprise's bookings in a period. */
export async function claimedForEnterprise(
  tx: Tx,
  query: { enterpriseId: string; programmeId: string; from: Date; to: Date; exceptBookingId: string },
): Promise<Fen> {
  const rows = await tx.$queryRaw<{ total: bigint }[]>`
    SELECT COALESCE(SUM(c.amount_fen), 0)::bigint AS total
    FROM claims c JOIN bookings b ON b.id = c.booking_id
    WHERE b.enterprise_id = ${query.enterpriseId}::uuid AND c.programme_id = ${query.programmeId}::uuid
      AND c.status <> 'REJECTED' AND c.booking_id <> ${query.exceptBookingId}::uuid
      AND c.created_at >= ${query.from} AND c.created_at < ${query.to}`;
  return fenFromBigInt(rows[0]?.total ?? 0n);
}

export interface ClaimFilter {
  status?: ClaimStatus;
  providerId?: string;
  programmeId?: string;
}

export interface TransferFilter {
  providerId: string;
  programmeId?: string;
  status?: TransferStatus;
}

const transferWithClaims = {
  batch: { select: { programmeId: true, createdAt: true } },
  claims: { select: { id: true, bookingId: true, amountFen: true, contract: true }, orderBy: { id: 'asc' } },
} as const satisfies Prisma.PayoutTransferInclude;

type TransferRow = Prisma.PayoutTransferGetPayload<{ include: typeof transferWithClaims }>;

function toTransfer(row: TransferRow): TransferRecord {
  return {
    id: row.id,
    batchId: row.batchId,
    programmeId: row.batch.programmeId,
    providerId: row.providerId,
    amountFen: fenFromBigInt(row.amountFen),
    status: row.status,
    reference: row.gatewayReference,
    orderedAt: row.batch.createdAt,
    sentAt: row.sentAt,
    claims: row.claims.map((claim) => {
      const contract = claim.contract as unknown as ContractData;
      return {
        claimId: claim.id,
        bookingId: claim.bookingId,
        voucherCode: contract.voucherCode,
        enterpriseName: contract.enterpriseName,
        amountFen: fenFromBigInt(claim.amountFen),
      };
    }),
  };
}

export function createClaimRepository(db: Db) {
  return {
    async findById(id: string): Promise<ClaimRecord | null> {
      const row = await db.claim.findUnique({ where: { id } });
      return row ? toClaim(row) : null;
    },
    /** The claims a page names, in one query. */
    async findByIds(ids: readonly string[]): Promise<Map<string, ClaimRecord>> {
      if (ids.length === 0) return new Map();
      const rows = await db.claim.findMany({ where: { id: { in: [...new Set(ids)] } } });
      return new Map(rows.map((row) => [row.id, toClaim(row)]));
    },
    async findByBooking(bookingId: string): Promise<ClaimRecord | null> {
      const row = await db.claim.findUnique({ where: { bookingId } });
      return row ? toClaim(row) : null;
    },
    /** The payout transfer that paid a claim: the gateway's reference and when it was sent. */
    async transfer(id: string): Promise<{ gatewayReference: string | null; sentAt: Date | null } | null> {
      return db.payoutTransfer.findUnique({
        where: { id },
        select: { gatewayReference: true, sentAt: true },
      });
    },

    /** The transfers that paid a page of claims, in one query. */
    async transfersById(ids: readonly string[]) {
      if (ids.length === 0)
        return new Map<string, { gatewayReference: string | null; sentAt: Date | null }>();
      const rows = await db.payoutTransfer.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, gatewayReference: true, sentAt: true },
      });
      return new Map(rows.map(({ id, ...transfer }) => [id, transfer]));
    },

    /**
     * A provider's payout transfers with the claims each paid, newest batch first. A transfer is
     * written in its batch's opening transaction, so the batch's opening time is the transfer's own.
     */
    async transfers(filter: TransferFilter, page: PageRequest): Promise<Page<TransferRecord>> {
      const after = page.after;
      const rows = await db.payoutTransfer.findMany({
        where: {
          providerId: filter.providerId,
          status: filter.status,
          ...(filter.programmeId ? { batch: { programmeId: filter.programmeId } } : {}),
          ...(after
            ? {
                OR: [
                  { batch: { createdAt: { lt: after.createdAt } } },
                  { batch: { createdAt: after.createdAt }, id: { lt: after.id } },
                ],
              }
            : {}),
        },
        orderBy: [{ batch: { createdAt: 'desc' } }, { id: 'desc' }],
        take: page.limit + 1,
        include: transferWithClaims,
      });
      return toPage(
        rows.map((row) => ({ createdAt: row.batch.createdAt, id: row.id, row })),
        page.limit,
        ({ row }) => toTransfer(row),
      );
    },

    /** A provider's claims counted and summed by status; every status is listed, zero or not. */
    async totals(providerId: string): Promise<ClaimTotal[]> {
      const groups = await db.claim.groupBy({
        by: ['status'],
        where: { providerId },
        _count: { _all: true },
        _sum: { amountFen: true },
      });
      return CLAIM_STATUSES.map((status) => {
        const group = groups.find((g) => g.status === status);
        return {
          status,
          claims: group?._count._all ?? 0,
          amountFen: fenFromBigInt(group?._sum.amountFen ?? 0n),
        };
      });
    },

    async list(filter: ClaimFilter, page: PageRequest): Promise<Page<ClaimRecord>> {
      const rows = await db.claim.findMany({
        where: { ...filter, ...afterCursor(page.after) },
        orderBy: newestFirst,
        take: page.limit + 1,
      });
      return toPage(rows, page.limit, toClaim);
    },
  };
}

export type ClaimRepository = ReturnType<typeof createClaimRepository>;
