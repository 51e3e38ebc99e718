import { ledgerProblems } from '../../ledger-problems';
import { DECIDED_CLAIM_STATUSES, RELEASED_BOOKING_STATUSES } from '../state';
import type { World } from '../world';

/** Each programme's ledger is sound (the invariants every end-to-end test checks). */
export async function checkLedger(w: World, programmeIds: string[]): Promise<void> {
  for (const p of await ledgerProblems(w.db, programmeIds)) {
    w.record('ledger-unbalanced', `programme ${p.programme_id}: ${p.problem}`);
  }
}

/**
 * COMMITTED holds exactly the subsidies of bookings whose money is still promised: not released
 * (declined, expired, cancelled, lapsed) and without a decided claim. One statement, one snapshot.
 */
export async function checkCommitted(w: World, programmeIds: string[]): Promise<void> {
  const { rows } = await w.db.query<{
    programme_id: string;
    committed: string;
    expected: string;
    counted: string | null;
  }>(
    `SELECT p.id::text AS programme_id, la.balance_fen::text AS committed,
            COALESCE(SUM(b.subsidy_fen) FILTER (WHERE b.id IS NOT NULL), 0)::text AS expected,
            string_agg(b.id::text || ' ' || b.status::text || ' ' || b.subsidy_fen, ', ') AS counted
     FROM programmes p
     JOIN ledger_accounts la ON la.programme_id = p.id AND la.account = 'COMMITTED'
     LEFT JOIN bookings b ON b.programme_id = p.id AND NOT (b.status::text = ANY($2::text[]))
       AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.booking_id = b.id AND c.status::text = ANY($3::text[]))
     WHERE p.id = ANY($1::uuid[])
     GROUP BY p.id, la.balance_fen`,
    [programmeIds, RELEASED_BOOKING_STATUSES, DECIDED_CLAIM_STATUSES],
  );
  for (const r of rows) {
    if (r.committed !== r.expected) {
      w.record(
        'committed-mismatch',
        `programme ${r.programme_id}: COMMITTED holds ${r.committed} fen, the bookings in committed states hold ${r.expected} (${r.counted ?? 'none'})`,
      );
    }
  }
}

/** Each claim is paid once: one PAY entry at most, PAID postings equal to its amount once paid, the bank's transfers equal to PAID. */
export async function checkPaidOnce(w: World, programmeIds: string[]): Promise<void> {
  const claims = await w.db.query<{
    id: string;
    status: string;
    amount: string;
    entries: string;
    paid: string;
  }>(
    `SELECT c.id::text, c.status::text, c.amount_fen::text AS amount,
            (SELECT COUNT(*) FROM ledger_entries e WHERE e.claim_id = c.id AND e.movement = 'PAY')::text AS entries,
            (SELECT COALESCE(SUM(p.amount_fen), 0) FROM ledger_entries e JOIN ledger_postings p ON p.entry_id = e.id
              WHERE e.claim_id = c.id AND p.account = 'PAID')::text AS paid
     FROM claims c WHERE c.programme_id = ANY($1::uuid[])`,
    [programmeIds],
  );
  for (const c of claims.rows) {
    const expectedPaid = c.status === 'PAID' ? c.amount : '0';
    if (Number(c.entries) > 1 || c.paid !== expectedPaid) {
      w.record(
        'claim-paid-twice',
        `claim ${c.id} (${c.status}, ${c.amount} fen): ${c.entries} PAY entries, ${c.paid} fen posted to PAID`,
      );
    }
  }
  const banks = await w.db.query<{ programme_id: string; sent: string; paid: string }>(
    `SELECT la.programme_id::text, la.balance_fen::text AS paid,
            COALESCE((SELECT SUM(g.amount_fen) FROM payout_batches pb
                      JOIN payout_transfers t ON t.batch_id = pb.id
                      JOIN gateway_transfers g ON g.idempotency_key = t.idempotency_key
                      WHERE pb.programme_id = la.programme_id), 0)::text AS sent
     FROM ledger_accounts la WHERE la.account = 'PAID' AND la.programme_id = ANY($1::uuid[])`,
    [programmeIds],
  );
  for (const b of banks.rows) {
    if (b.sent !== b.paid) {
      w.record(
        'claim-paid-twice',
        `programme ${b.programme_id}: the gateway sent ${b.sent} fen, PAID holds ${b.paid}`,
      );
    }
  }
}
