import type pg from 'pg';

export interface LedgerProblem {
  programme_id: string;
  problem: string;
}

/**
 * What is wrong with the programmes' ledgers (SPEC §3.2): accounts that do not sum to the budget,
 * a negative account, a balance its postings do not explain. One statement reads the accounts and
 * the postings, so it sees one consistent snapshot even while other tests move money. Every
 * programme, or only those named.
 */
export async function ledgerProblems(db: pg.Pool | pg.PoolClient, programmeIds?: string[]) {
  const { rows } = await db.query<LedgerProblem>(
    `
    WITH accounts AS (
      SELECT programme_id, SUM(balance_fen) AS total, MIN(balance_fen) AS lowest,
             jsonb_object_agg(account, balance_fen) AS balances
      FROM ledger_accounts GROUP BY programme_id
    ), postings AS (
      SELECT e.programme_id, p.account, SUM(p.amount_fen) AS moved
      FROM ledger_postings p JOIN ledger_entries e ON e.id = p.entry_id GROUP BY e.programme_id, p.account
    ), problems AS (
      SELECT a.programme_id::text, 'accounts sum to ' || a.total || ', budget ' || pr.budget_fen AS problem
        FROM accounts a JOIN programmes pr ON pr.id = a.programme_id WHERE a.total <> pr.budget_fen
      UNION ALL
      SELECT programme_id::text, 'an account is negative' FROM accounts WHERE lowest < 0
      UNION ALL
      SELECT la.programme_id::text, la.account || ' holds ' || la.balance_fen || ', its postings say ' ||
             (COALESCE(ps.moved, 0) + CASE WHEN la.account = 'AVAILABLE' THEN pr.budget_fen ELSE 0 END)
        FROM ledger_accounts la JOIN programmes pr ON pr.id = la.programme_id
        LEFT JOIN postings ps ON ps.programme_id = la.programme_id AND ps.account = la.account
        WHERE la.balance_fen <> COALESCE(ps.moved, 0) + CASE WHEN la.account = 'AVAILABLE' THEN pr.budget_fen ELSE 0 END
    )
    SELECT programme_id, problem FROM problems
    WHERE $1::text[] IS NULL OR programme_id = ANY($1::text[])`,
    [programmeIds ?? null],
  );
  return rows;
}
