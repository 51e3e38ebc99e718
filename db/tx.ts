import type { Db } from './client';
import type { Prisma } from './generated/client';

/** A Prisma transaction client: repositories take one so that callers compose one transaction. */
export type Tx = Prisma.TransactionClient;

/**
 * Lock order, the same in every transaction so that none waits on another in a cycle:
 *   1. business rows (enterprise, application, voucher, booking, claim) — SELECT … FOR UPDATE
 *   2. ledger accounts (two rows, in account order: see ledger.move)
 *   3. the audit chain's head row (updated by appendAudit) — always the last statement
 *
 * Runs `fn` in one READ COMMITTED transaction. Money movements rely on row locks and conditional
 * updates inside it, not on a stricter isolation level, so they never fail with serialisation errors.
 */
export function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>, timeoutMs = 15_000): Promise<T> {
  return db.$transaction(fn, { timeout: timeoutMs, maxWait: timeoutMs });
}
