import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '../domain/audit';
import { fenFromBigInt, type Fen } from '../domain/money';
import type { RemittanceLine } from '../domain/payout';
import { move } from '../db/repositories/ledger';
import { inTransaction } from '../db/tx';
import { recordChange } from './context';
import type { ActivityDeps } from './deps';
import { refused } from './refusal';

export interface PlannedTransfer {
  transferId: string;
  providerId: string;
  amountFen: Fen;
  claimIds: string[];
}

export function createPayoutActivities({ db, clock, paymentGateway }: ActivityDeps) {
  return {
    /**
     * Opens the batch of one scheduled run (once, whatever the retries) and gives it every approved
     * claim of the programme not yet in a transfer: one transfer per provider. Claims are locked, so a
     * claim joins one transfer only, even if two batches ran at once.
     */
    async openPayoutBatch(input: {
      programmeId: string;
      runKey: string;
    }): Promise<{ batchId: string; transfers: PlannedTransfer[] }> {
      return inTransaction(db, async (tx) => {
        const existing = await tx.payoutBatch.findUnique({
          where: { runKey: input.runKey },
          include: { transfers: { include: { claims: { select: { id: true } } } } },
        });
        if (existing) {
          return {
            batchId: existing.id,
            transfers: existing.transfers.map((t) => ({
              transferId: t.id,
              providerId: t.providerId,
              amountFen: fenFromBigInt(t.amountFen),
              claimIds: t.claims.map((c) => c.id),
            })),
          };
        }
        const batchId = randomUUID();
        const claims = await tx.$queryRaw<{ id: string; provider_id: string; amount_fen: bigint }[]>`
          SELECT id, provider_id::text, amount_fen FROM claims
          WHERE programme_id = ${input.programmeId}::uuid AND status = 'APPROVED' AND transfer_id IS NULL AND amount_fen > 0
          ORDER BY provider_id, id FOR UPDATE`;
        const byProvider = new Map<string, { id: string; amount: bigint }[]>();
        for (const claim of claims) {
          byProvider.set(claim.provider_id, [
            ...(byProvider.get(claim.provider_id) ?? []),
            { id: claim.id, amount: claim.amount_fen },
          ]);
        }
        const total = claims.reduce((sum, c) => sum + c.amount_fen, 0n);
        await tx.payoutBatch.create({
          data: {
            id: batchId,
            programmeId: input.programmeId,
            runKey: input.runKey,
            status: 'RUNNING',
            totalFen: total,
          },
        });
        const transfers: PlannedTransfer[] = [];
        for (const [providerId, owed] of byProvider) {
          const transferId = randomUUID();
          const amount = owed.reduce((sum, c) => sum + c.amount, 0n);
          await tx.payoutTransfer.create({
            data: {
              id: transferId,
              batchId,
              providerId,
              amountFen: amount,
              idempotencyKey: `payout/${batchId}/${providerId}`,
              status: 'PENDING',
            },
          });
          await tx.claim.updateMany({ where: { id: { in: owed.map((c) => c.id) } }, data: { transferId } });
          transfers.push({
            transferId,
            providerId,
            amountFen: fenFromBigInt(amount),
            claimIds: owed.map((c) => c.id),
          });
        }
        await recordChange(tx, {
          actor: SYSTEM_ACTOR,
          action: 'PAYOUT_BATCH_OPENED',
          entityType: 'payout-batch',
          entityId: batchId,
          after: {
            programmeId: input.programmeId,
            totalFen: fenFromBigInt(total),
            transfers: transfers.length,
            claims: claims.length,
          },
        });
        return { batchId, transfers };
      });
    },

    /**
     * Orders one transfer through the gateway with its idempotency key, then books it: PAYABLE → PAID
     * for each claim. A retry after a crash orders the same transfer again, which the gateway executes
     * once, and books nothing twice.
     */
    async executeTransfer(input: {
      transferId: string;
    }): Promise<{ reference: string; remittance: RemittanceLine[] }> {
      const transfer = await db.payoutTransfer.findUniqueOrThrow({
        where: { id: input.transferId },
        include: {
          provider: true,
          claims: {
            include: {
              booking: {
                include: { enterprise: { select: { name: true } }, voucher: { select: { code: true } } },
              },
            },
          },
        },
      });
      const remittance = transfer.claims.map((c) => ({
        claimId: c.id,
        bookingId: c.bookingId,
        voucherCode: c.booking.voucher.code,
        enterpriseName: c.booking.enterprise.name,
        amountFen: fenFromBigInt(c.amountFen),
      }));
      if (transfer.status === 'SENT') return { reference: transfer.gatewayReference!, remittance };

      const { reference } = await paymentGateway.transfer({
        idempotencyKey: transfer.idempotencyKey,
        payeeCreditCode: transfer.provider.creditCode,
        payeeName: transfer.provider.name,
        amountFen: fenFromBigInt(transfer.amountFen),
        memo: `检测券补贴 testing-voucher subsidies: ${transfer.claims.length} claim(s)`,
      });

      await inTransaction(db, async (tx) => {
        await tx.$executeRaw`SELECT 1 FROM payout_transfers WHERE id = ${transfer.id}::uuid FOR UPDATE`;
        const current = await tx.payoutTransfer.findUniqueOrThrow({ where: { id: transfer.id } });
        if (current.status === 'SENT') return;
        const now = clock.now();
        for (const claim of transfer.claims) {
          if (claim.status !== 'APPROVED') {
            throw refused(
              'CONFLICT',
              'CLAIM_NOT_APPROVED',
              `claim ${claim.id} is ${claim.status}, cannot be paid`,
            );
          }
          await move(tx, {
            programmeId: claim.programmeId,
            movement: 'PAY',
            amountFen: fenFromBigInt(claim.amountFen),
            idempotencyKey: `claim/${claim.id}/pay`,
            memo: `claim ${claim.id} paid by transfer ${reference}`,
            bookingId: claim.bookingId,
            claimId: claim.id,
          });
          await tx.claim.update({
            where: { id: claim.id },
            data: { status: 'PAID', paidAt: now, dueAt: null },
          });
          await tx.booking.update({
            where: { id: claim.bookingId },
            data: { status: 'SETTLED', dueAt: null },
          });
        }
        await tx.payoutTransfer.update({
          where: { id: transfer.id },
          data: { status: 'SENT', gatewayReference: reference, sentAt: now },
        });
        await recordChange(tx, {
          actor: SYSTEM_ACTOR,
          action: 'TRANSFER_SENT',
          entityType: 'payout-transfer',
          entityId: transfer.id,
          after: {
            providerId: transfer.providerId,
            amountFen: fenFromBigInt(transfer.amountFen),
            reference,
            claimIds: transfer.claims.map((c) => c.id),
          },
        });
      });
      return { reference, remittance };
    },

    async completePayoutBatch(input: { batchId: string }): Promise<void> {
      await inTransaction(db, async (tx) => {
        const batch = await tx.payoutBatch.findUniqueOrThrow({ where: { id: input.batchId } });
        if (batch.status === 'COMPLETED') return;
        await tx.payoutBatch.update({
          where: { id: batch.id },
          data: { status: 'COMPLETED', completedAt: clock.now() },
        });
        await recordChange(tx, {
          actor: SYSTEM_ACTOR,
          action: 'PAYOUT_BATCH_COMPLETED',
          entityType: 'payout-batch',
          entityId: batch.id,
          after: { totalFen: fenFromBigInt(batch.totalFen) },
        });
      });
    },
  };
}
