import { randomUUID } from 'node:crypto';
import type { Fen } from '../domain/money';
import type { Db } from '../db/client';

export interface TransferOrder {
  /** the same key always means the same transfer: a bank executes it once */
  idempotencyKey: string;
  payeeCreditCode: string;
  payeeName: string;
  amountFen: Fen;
  memo: string;
}

/** Where money leaves the programme. A bank integration implements this interface. */
export interface PaymentGateway {
  transfer(order: TransferOrder): Promise<{ reference: string }>;
}

export class TransferConflict extends Error {
  constructor(key: string) {
    super(`transfer ${key} was already ordered with other terms`);
    this.name = 'TransferConflict';
  }
}

/**
 * The default gateway: records each transfer order in the database, once per idempotency key,
 * and answers with its reference — what a bank's payment API does, without the bank.
 */
export function databaseGateway(db: Db): PaymentGateway {
  return {
    async transfer(order) {
      const row = await db.gatewayTransfer.upsert({
        where: { idempotencyKey: order.idempotencyKey },
        create: { id: randomUUID(), ...order, amountFen: BigInt(order.amountFen) },
        update: {},
      });
      if (row.amountFen !== BigInt(order.amountFen) || row.payeeCreditCode !== order.payeeCreditCode) {
        throw new TransferConflict(order.idempotencyKey);
      }
      return { reference: `GW-${row.id}` };
    },
  };
}
