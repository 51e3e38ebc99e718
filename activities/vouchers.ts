import type { VoucherRecord } from '../domain/application';
import { SYSTEM_ACTOR, type Actor } from '../domain/audit';
import type { Fen } from '../domain/money';
import { move } from '../db/repositories/ledger';
import { claimsStandingOf, closeVoucher, lockVoucher } from '../db/repositories/vouchers';
import { inTransaction } from '../db/tx';
import { recordChange } from './context';
import type { ActivityDeps } from './deps';

export interface VoucherClosure {
  status: VoucherRecord['status'];
  releasedFen: Fen;
  balanceFen: Fen;
}

export function createVoucherActivities({ db }: ActivityDeps) {
  /**
   * Ends a voucher and gives its uncommitted balance back to the programme (RESERVED → AVAILABLE).
   * Bookings already under way keep their committed subsidy and finish normally.
   */
  async function close(
    voucherId: string,
    status: 'EXPIRED' | 'REVOKED',
    reason: string,
    actor: Actor,
    requestId: string | null,
  ): Promise<VoucherClosure> {
    return inTransaction(db, async (tx) => {
      const voucher = await lockVoucher(tx, voucherId);
      if (voucher.status !== 'ACTIVE') {
        return { status: voucher.status, releasedFen: voucher.releasedFen, balanceFen: voucher.balanceFen };
      }
      if (voucher.balanceFen > 0) {
        await move(tx, {
          programmeId: voucher.programmeId,
          movement: 'RELEASE',
          amountFen: voucher.balanceFen,
          idempotencyKey: `voucher/${voucher.id}/release`,
          memo: `${status.toLowerCase()} voucher ${voucher.code}: unused balance back to the programme`,
          voucherId: voucher.id,
        });
      }
      // the audit entry's instant, kept on the row too: the KPI report counts expiries by it
      const at = new Date();
      const closed = await closeVoucher(tx, voucherId, status, reason, at);
      // on revocation, the claims already approved or paid stand: listed here for follow-up
      const standing = status === 'REVOKED' ? await claimsStandingOf(tx, voucherId) : [];
      await recordChange(
        tx,
        {
          actor,
          requestId,
          action: status === 'EXPIRED' ? 'VOUCHER_EXPIRED' : 'VOUCHER_REVOKED',
          entityType: 'voucher',
          entityId: voucherId,
          before: { status: voucher.status, balanceFen: voucher.balanceFen },
          after: {
            status: closed.status,
            reason,
            releasedToProgrammeFen: voucher.balanceFen,
            ...(status === 'REVOKED' ? { claimsStanding: standing } : {}),
          },
        },
        at,
      );
      return { status: closed.status, releasedFen: voucher.balanceFen, balanceFen: 0 };
    });
  }

  return {
    expireVoucher: (input: { voucherId: string }) =>
      close(input.voucherId, 'EXPIRED', 'validity ended', SYSTEM_ACTOR, null),

    revokeVoucher: (input: { voucherId: string; reason: string; actor: Actor; requestId: string | null }) =>
      close(input.voucherId, 'REVOKED', input.reason, input.actor, input.requestId),

    /** Closes a voucher whose whole face value went into bookings that are all over. */
    async closeUsedVoucher(input: { voucherId: string }): Promise<{ status: VoucherRecord['status'] }> {
      return inTransaction(db, async (tx) => {
        const voucher = await lockVoucher(tx, input.voucherId);
        if (voucher.status !== 'ACTIVE' || voucher.balanceFen > 0) return { status: voucher.status };
        const closed = await closeVoucher(tx, voucher.id, 'USED', 'face value used in full');
        await recordChange(tx, {
          actor: SYSTEM_ACTOR,
          action: 'VOUCHER_USED',
          entityType: 'voucher',
          entityId: voucher.id,
          before: { status: voucher.status },
          after: { status: closed.status, faceValueFen: voucher.faceValueFen },
        });
        return { status: closed.status };
      });
    },

    async voucherBalance(input: {
      voucherId: string;
    }): Promise<{ balanceFen: Fen; status: VoucherRecord['status'] }> {
      const voucher = await db.voucher.findUniqueOrThrow({
        where: { id: input.voucherId },
        select: { balanceFen: true, status: true },
      });
      return { balanceFen: Number(voucher.balanceFen), status: voucher.status };
    },

    async recordVoucherEvent(input: { voucherId: string; action: string; note: string }): Promise<void> {
      await inTransaction(db, (tx) =>
        recordChange(tx, {
          actor: SYSTEM_ACTOR,
          action: input.action,
          entityType: 'voucher',
          entityId: input.voucherId,
          after: { note: input.note },
        }),
      );
    },
  };
}
