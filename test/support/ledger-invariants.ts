import { afterEach, expect, inject } from 'vitest';
import pg from 'pg';
import { postgresConfig } from '../../config/database';
import { ledgerProblems } from './ledger-problems';

/**
 * After every end-to-end test, in every file: every programme's ledger is sound (docs/policy.md, "Budget and ledger"). One
 * statement reads the accounts and the postings, so the check sees one consistent snapshot even
 * while other files move money.
 */
let pool: pg.Pool | undefined;

afterEach(async () => {
  pool ??= new pg.Pool(postgresConfig(inject('services').databaseUrl, { max: 1, allowExitOnIdle: true }));
  expect(await ledgerProblems(pool), 'ledger invariants').toEqual([]);
});
