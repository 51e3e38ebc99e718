import { randomUUID } from 'node:crypto';
import {
  ACCOUNTS,
  MOVEMENTS,
  postingsOf,
  type Account,
  type Balances,
  type Movement,
} from '../../domain/ledger';
import { fenFromBigInt, type Fen } from '../../domain/money';
import type { Db } from '../client';
import type { Tx } from '../tx';

export interface MovementRequest {
  programmeId: string;
  movement: Movement;
  amountFen: Fen;
  /** business key of the movement, e.g. `booking/<id>/commit`: a movement happens at most once */
  idempotencyKey: string;
  memo: string;
  voucherId?: string | null;
  bookingId?: string | null;
  claimId?: string | null;
}

export type MovementResult = { entryId: string; replayed: boolean };

/** Raised inside the transaction when the source account cannot cover the movement; nothing moves. */
export class InsufficientFunds extends Error {
  constructor(
    readonly account: Account,
    readonly balanceFen: Fen,
    readonly requestedFen: Fen,
  ) {
    super(`${account} holds ${balanceFen} fen, ${requestedFen} fen were asked for`);
    this.name = 'InsufficientFunds';
  }
}

/** Raised when an idempotency key is reused for a different movement: a bug, never a retry. */
export class ConflictingMovement extends Error {
  constructor(key: string) {
    super(`ledger idempotency key ${key} was already used for a different movement`);
    this.name = 'ConflictingMovement';
  }
}

/** Creates the five accounts of a new programme, the whole budget AVAILABLE. */
export async function openAccounts(tx: Tx, programmeId: string, budgetFen: Fen): Promise<void> {
  await tx.ledgerAccount.createMany({
    data: ACCOUNTS.map((account) => ({
      programmeId,
      account,
      balanceFen: BigInt(account === 'AVAILABLE' ? budgetFen : 0),
    })),
  });
}

/**
 * Moves money between two accounts of a programme as one balanced entry, inside the caller's
 * transaction. Both account rows are locked in a fixed order (so concurrent movements queue rather
 * than deadlock), the source is checked to cover the amount, and the entry's idempotency key makes
 * a repeated call a no-op that returns the first entry.
 */
export async function move(tx: Tx, request: MovementRequest): Promise<MovementResult> {
  const { from, to } = MOVEMENTS[request.movement];
  const amount = BigInt(request.amountFen);
  const [debit, credit] = postingsOf(request.movement, request.amountFen);

  const locked = await tx.$queryRaw<{ account: Account; balance_fen: bigint }[]>`
    SELECT account, balance_fen FROM ledger_accounts
    WHERE programme_id = ${request.programmeId}::uuid AND account::text IN (${from}, ${to})
    ORDER BY account FOR UPDATE`;
  if (locked.length !== 2) throw new Error(`programme ${request.programmeId} has no ledger`);

  // the same key means the same movement, hence the same two accounts: the locks above order
  // concurrent calls with one key, and the later one finds the entry the earlier one committed
  const existing = await tx.ledgerEntry.findUnique({
    where: { idempotencyKey: request.idempotencyKey },
    select: { id: true, movement: true, amountFen: true, programmeId: true },
  });
  if (existing) {
    if (
      existing.movement !== request.movement ||
      existing.amountFen !== amount ||
      existing.programmeId !== request.programmeId
    ) {
      throw new ConflictingMovement(request.idempotencyKey);
    }
    return { entryId: existing.id, replayed: true };
  }

  const source = locked.find((row) => row.account === from)!;
  if (source.balance_fen < amount) {
    throw new InsufficientFunds(from, fenFromBigInt(source.balance_fen), request.amountFen);
  }

  // the entry, its two postings and both balances in one statement: one round trip inside the caller's
  // transaction instead of four (the postings' balance is checked at commit, by a deferred trigger)
  const entryId = randomUUID();
  await tx.$executeRaw`
    WITH entry AS (
      INSERT INTO ledger_entries
        (id, programme_id, idempotency_key, movement, amount_fen, voucher_id, booking_id, claim_id, memo, created_at)
      VALUES (${entryId}::uuid, ${request.programmeId}::uuid, ${request.idempotencyKey}, ${request.movement},
              ${amount}::bigint, ${request.voucherId ?? null}::uuid, ${request.bookingId ?? null}::uuid,
              ${request.claimId ?? null}::uuid, ${request.memo}, clock_timestamp())
      RETURNING id
    ), postings AS (
      INSERT INTO ledger_postings (entry_id, account, amount_fen)
      SELECT entry.id, line.account::"Account", line.amount_fen
      FROM entry, (VALUES (${debit.account}::text, ${BigInt(debit.amountFen)}::bigint),
                          (${credit.account}::text, ${BigInt(credit.amountFen)}::bigint)) AS line (account, amount_fen)
    )
    UPDATE ledger_accounts
    SET balance_fen = balance_fen + CASE WHEN account::text = ${from} THEN ${-amount}::bigint ELSE ${amount}::bigint END
    WHERE programme_id = ${request.programmeId}::uuid AND account::text IN (${from}, ${to})`;
  return { entryId, replayed: false };
}

export function createLedgerRepository(db: Db) {
  /** The balances of each of the programmes a page names, in one query. */
  async function balancesOf(programmeIds: readonly string[]): Promise<Map<string, Balances>> {
    const unique = [...new Set(programmeIds)];
    if (unique.length === 0) return new Map();
    const rows = await db.ledgerAccount.findMany({ where: { programmeId: { in: unique } } });
    const byProgramme = new Map(
      unique.map((id) => [id, Object.fromEntries(ACCOUNTS.map((a) => [a, 0])) as Balances]),
    );
    for (const row of rows) byProgramme.get(row.programmeId)![row.account] = fenFromBigInt(row.balanceFen);
    return byProgramme;
  }

  return {
    async balances(programmeId: string): Promise<Balances> {
      return (await balancesOf([programmeId])).get(programmeId)!;
    },

    balancesOf,

    /** The balance each account would have if computed from the postings alone. */
    async balancesFromPostings(programmeId: string): Promise<Balances> {
      const rows = await db.$queryRaw<{ account: Account; total: bigint }[]>`
        SELECT p.account, COALESCE(SUM(p.amount_fen), 0)::bigint AS total
        FROM ledger_postings p JOIN ledger_entries e ON e.id = p.entry_id
        WHERE e.programme_id = ${programmeId}::uuid GROUP BY p.account`;
      const balances = Object.fromEntries(ACCOUNTS.map((a) => [a, 0])) as Balances;
      for (const row of rows) balances[row.account] = fenFromBigInt(row.total);
      return balances;
    },

    async entries(programmeId: string, filter: { voucherId?: string; bookingId?: string } = {}) {
      const rows = await db.ledgerEntry.findMany({
        where: { programmeId, ...filter },
        orderBy: { createdAt: 'asc' },
        include: { postings: true },
      });
      return rows.map((row) => ({
        id: row.id,
        movement: row.movement as Movement,
        amountFen: fenFromBigInt(row.amountFen),
        idempotencyKey: row.idempotencyKey,
        memo: row.memo,
        voucherId: row.voucherId,
        bookingId: row.bookingId,
        claimId: row.claimId,
        createdAt: row.createdAt,
        postings: row.postings.map((p) => ({ account: p.account, amountFen: fenFromBigInt(p.amountFen) })),
      }));
    },
  };
}

export type LedgerRepository = ReturnType<typeof createLedgerRepository>;
