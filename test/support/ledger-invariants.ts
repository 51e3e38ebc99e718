import { afterEach, expect, inject } from 'vitest';
import pg from 'pg';
import { postgresConfig } from '../../config/database';

/**
 * After every end-to-end test, in every file: every programme's ledger is sound (docs/policy.md, "Budget and ledger"). One
 * statement reads the accounts and the postings, so the check sees one consistent snapshot even
 * while other files move money.
 */
let pool: pg.Pool | undefined;

afterEach(async () => {
  pool ??= new pg.Pool(postgresConfig(inject('services').databaseUrl, { max: 1, allowExitOnIdle: true }));
  const { rows } = await pool.query<{ programme_id: string; problem: string }>(`
    WITH accounts AS (
      SELECT programme_id, SUM(balance_fen) AS total, MIN(balance_fen) AS lowest,
             jsonb_object_agg(account, balance_fen) AS balances
      FROM ledger_accounts GROUP BY programme_id
    ), postings AS (
      SELECT e.programme_id, p.account, SUM(p.amount_fen) AS moved
      FROM ledger_postings p JOIN ledger_entries e ON e.id = p.entry_id GROUP BY e.programme_id, p.account
    )
    SELECT a.programme_id::text, 'accounts sum to ' || a.total || ', budget ' || pr.budget_fen AS problem
      FROM accounts a JOIN programmes pr ON pr.id = a.programme_id WHERE a.total <> pr.budget_fen
    UNION ALL
    SELECT programme_id::text, 'an account is negative' FROM accounts WHERE lowest < 0
    UNION ALL
    SELECT la.programme_id::text, la.account || ' holds ' || la.balance_fen || ', its postings say ' ||
           (COALESCE(ps.moved, 0) + CASE WHEN la.account = 'AVAILABLE' THEN pr.budget_fen ELSE 0 END)
      FROM ledger_accounts la JOIN programmes pr ON pr.id = la.programme_id
      LEFT JOIN postings ps ON ps.programme_id = la.programme_id AND ps.account = la.account
      WHERE la.balance_fen <> COALESCE(ps.moved, 0) + CASE WHEN la.account = 'AVAILABLE' THEN pr.budget_fen ELSE 0 END`);
  expect(rows, 'ledger invariants').toEqual([]);
});
