import type { VoucherRecord, VoucherStatus } from '../../domain/application';
import type { BookingStatus } from '../../domain/booking';
import type { ClaimStatus } from '../../domain/claim';
import { fenFromBigInt, type Fen } from '../../domain/money';
import type { Db } from '../client';
import type { Voucher as VoucherRow } from '../generated/client';
import { lockRow } from '../lock';
import type { Tx } from '../tx';
import { afterCursor, toPage, type Page, type PageRequest } from './page';

export function toVoucher(row: VoucherRow): VoucherRecord {
  return {
    id: row.id,
    code: row.code,
    applicationId: row.applicationId,
    programmeId: row.programmeId,
    enterpriseId: row.enterpriseId,
    faceValueFen: fenFromBigInt(row.faceValueFen),
    balanceFen: fenFromBigInt(row.balanceFen),
    releasedFen: fenFromBigInt(row.releasedFen),
    status: row.status,
    statusReason: row.statusReason,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    workflowId: row.workflowId,
    issuedAt: row.issuedAt,
    createdAt: row.issuedAt,
  };
}

/** `oneOpenRule`: whether the programme allows one active voucher per enterprise (the database then holds it too). */
export async function insertVoucher(
  tx: Tx,
  voucher: { oneOpenRule: boolean } & Pick<
    VoucherRecord,
    | 'id'
    | 'code'
    | 'applicationId'
    | 'programmeId'
    | 'enterpriseId'
    | 'faceValueFen'
    | 'validFrom'
    | 'validUntil'
    | 'workflowId'
    | 'issuedAt'
  >,
): Promise<VoucherRecord> {
  const row = await tx.voucher.create({
    data: {
      ...voucher,
      faceValueFen: BigInt(voucher.faceValueFen),
      balanceFen: BigInt(voucher.faceValueFen),
      status: 'ACTIVE',
    },
  });
  return toVoucher(row);
}

export async function findVoucherOfApplication(
  tx: Tx | Db,
  applicationId: string,
): Promise<VoucherRecord | null> {
  const row = await tx.voucher.findUnique({ where: { applicationId } });
  return row ? toVoucher(row) : null;
}

export async function lockVoucher(tx: Tx, id: string): Promise<VoucherRecord> {
  return toVoucher((await lockRow<VoucherRow>(tx, 'vouchers', id)).row);
}

/** Ends a voucher: its remaining balance is given back (the caller moves the money in the ledger). */
export async function closeVoucher(
  tx: Tx,
  id: string,
  status: Extract<VoucherStatus, 'EXPIRED' | 'REVOKED' | 'USED'>,
  reason: string | null,
  /** when it closed: kept as `expired_at` for an expiry, the instant its audit entry records */
  at?: Date,
): Promise<VoucherRecord> {
  const current = await lockVoucher(tx, id);
  const row = await tx.voucher.update({
    where: { id },
    data: {
      status,
      statusReason: reason,
      ...(status === 'EXPIRED' ? { expiredAt: at ?? new Date() } : {}),
      balanceFen: 0n,
      releasedFen: BigInt(current.releasedFen + current.balanceFen),
    },
  });
  return toVoucher(row);
}

/**
 * Moves part of a voucher's balance into or out of bookings (negative: committed to a booking).
 * After the voucher ended, money coming back is counted as released instead.
 */
export async function adjustVoucherBalance(
  tx: Tx,
  /** the voucher as this transaction locked it (`lockVoucher`) and has not changed it since */
  current: VoucherRecord,
  deltaFen: Fen,
): Promise<VoucherRecord> {
  const { id } = current;
  const live = current.status === 'ACTIVE';
  if (deltaFen < 0 && (!live || current.balanceFen + deltaFen < 0)) {
    throw new Error(
      `voucher ${id} cannot commit ${-deltaFen} fen (balance ${current.balanceFen}, ${current.status})`,
    );
  }
  const row = await tx.voucher.update({
    where: { id },
    data: live
      ? { balanceFen: BigInt(current.balanceFen + deltaFen) }
      : { releasedFen: BigInt(current.releasedFen + deltaFen) },
  });
  return toVoucher(row);
}

export interface VoucherFilter {
  status?: VoucherStatus;
  programmeId?: string;
  enterpriseId?: string;
}

export function createVoucherRepository(db: Db) {
  return {
    async findById(id: string): Promise<VoucherRecord | null> {
      const row = await db.voucher.findUnique({ where: { id } });
      return row ? toVoucher(row) : null;
    },

    /** The id of the voucher an approved application issued; null before. */
    async idOfApplication(applicationId: string): Promise<string | null> {
      const row = await db.voucher.findUnique({ where: { applicationId }, select: { id: true } });
      return row?.id ?? null;
    },

    /** The voucher's bookings with their provider and claim, oldest first: what a revocation would touch. */
    async bookingsWithClaims(voucherId: string): Promise<VoucherBooking[]> {
      const rows = await db.booking.findMany({
        where: { voucherId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: {
          id: true,
          status: true,
          standards: true,
          scheduledDate: true,
          subsidyFen: true,
          provider: { select: { name: true } },
          claim: { select: { id: true, status: true } },
        },
      });
      return rows.map((row) => ({
        bookingId: row.id,
        status: row.status,
        standards: row.standards,
        scheduledDate: row.scheduledDate.toISOString().slice(0, 10),
        subsidyFen: fenFromBigInt(row.subsidyFen),
        providerName: row.provider.name,
        claim: row.claim,
      }));
    },

    async list(filter: VoucherFilter, page: PageRequest): Promise<Page<VoucherRecord>> {
      const rows = await db.voucher.findMany({
        where: { ...filter, ...afterCursor(page.after, 'issuedAt') },
        orderBy: [{ issuedAt: 'desc' }, { id: 'desc' }],
        take: page.limit + 1,
      });
      return toPage(
        rows.map((row) => ({ ...row, createdAt: row.issuedAt })),
        page.limit,
        toVoucher,
      );
    },
  };
}

export interface VoucherBooking {
  bookingId: string;
  status: BookingStatus;
  standards: string[];
  scheduledDate: string;
  subsidyFen: Fen;
  providerName: string;
  claim: { id: string; status: ClaimStatus } | null;
}

export type VoucherRepository = ReturnType<typeof createVoucherRepository>;

/** The voucher's bookings whose claim was approved or paid: they stand when the voucher is revoked. */
export async function claimsStandingOf(
  tx: Tx,
  voucherId: string,
): Promise<{ claimId: string; bookingId: string; status: string; amountFen: number }[]> {
  const rows = await tx.claim.findMany({
    where: { booking: { voucherId }, status: { in: ['APPROVED', 'PAID'] } },
    select: { id: true, bookingId: true, status: true, amountFen: true },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((r) => ({
    claimId: r.id,
    bookingId: r.bookingId,
    status: r.status,
    amountFen: fenFromBigInt(r.amountFen),
  }));
}
