import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillAuditChain } from '../bench/lib-audit-fill';
import { postgresConfig } from '../config/database';
import { checkChainInThreads } from '../db/repositories/audit-chain-threads';
import { auditPages } from '../db/repositories/audit-pages';
import { GENESIS_HASH } from '../domain/audit';
import { checkChain, type ChainPosition } from '../domain/audit-verification';
import { ownDatabase } from './support/own-database';

// ranges of 500: a range ends at 1500 and the next begins at 1501
const ENTRIES = 4_000;
const RANGE = 500;

let database: Awaited<ReturnType<typeof ownDatabase>>;
let pool: pg.Pool;
const start: ChainPosition = { seq: 0n, hash: GENESIS_HASH, checked: 0 };

beforeAll(async () => {
  database = await ownDatabase('chain_threads');
  pool = new pg.Pool(postgresConfig(database.url, { max: 2 }));
  await fillAuditChain(pool, ENTRIES);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

/** What someone with direct database access could do; the append-only trigger is switched off for it. */
async function tampered(statements: string[], check: () => Promise<void>): Promise<void> {
  const run = async (sql: string[]) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      for (const statement of sql) await client.query(statement);
      await client.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  };
  await run([
    'DROP TABLE IF EXISTS saved_log; CREATE TABLE saved_log AS SELECT * FROM audit_log',
    ...statements,
  ]);
  try {
    await check();
  } finally {
    await run(['DELETE FROM audit_log', 'INSERT INTO audit_log SELECT * FROM saved_log']);
  }
}

/** Both checks from the same position, with what each heard after its pages. */
async function bothChecks(from: ChainPosition = start) {
  const heard: { threads: ChainPosition[]; one: ChainPosition[] } = { threads: [], one: [] };
  const threads = await checkChainInThreads(
    postgresConfig(database.url),
    from,
    BigInt(ENTRIES),
    (position) => void heard.threads.push(position),
    { rangeSize: RANGE, threads: 3 },
  );
  const one = await checkChain(
    (afterSeq) => auditPages(pool, {}, { afterSeq, toSeq: BigInt(ENTRIES), pageSize: RANGE }),
    from,
    (position) => void heard.one.push(position),
  );
  return { threads, one, heard };
}

describe('the chain checked by ranges in worker threads', () => {
  it('finds it intact, hearing each range in chain order, as the check in one thread does', async () => {
    const { threads, one, heard } = await bothChecks();
    expect(threads).toEqual(one);
    expect(threads).toMatchObject({ break: null, position: { seq: BigInt(ENTRIES), checked: ENTRIES } });
    expect(heard.threads).toEqual(heard.one);
    expect(heard.threads.map((p) => p.checked)).toEqual(
      Array.from({ length: ENTRIES / RANGE }, (_, i) => (i + 1) * RANGE),
    );
  });

  it('takes up after a position, linking the first entry to the hash recorded there', async () => {
    const { rows } = await pool.query<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = 1200');
    const { threads, one } = await bothChecks({ seq: 1200n, hash: rows[0]!.hash, checked: 1200 });
    expect(threads).toEqual(one);
    expect(threads.position.checked).toBe(ENTRIES);

    const forged = await bothChecks({ seq: 1200n, hash: 'f'.repeat(64), checked: 1200 });
    expect(forged.threads).toEqual(forged.one);
    expect(forged.threads.break).toMatchObject({ seq: '1201', reason: 'PREVIOUS_HASH_MISMATCH' });
  });

  it.each([
    ['a changed field', [`UPDATE audit_log SET entity_id = 'forged' WHERE seq = 2222`], '2222', 'CONTENT'],
    [
      'a changed hash',
      [`UPDATE audit_log SET hash = '${'a'.repeat(64)}' WHERE seq = 3100`],
      '3100',
      'CONTENT',
    ],
    ['the last entry of a range removed', ['DELETE FROM audit_log WHERE seq = 1500'], '1501', 'PREVIOUS'],
    ['the first entry of a range removed', ['DELETE FROM audit_log WHERE seq = 1501'], '1502', 'PREVIOUS'],
    ['a whole range removed', ['DELETE FROM audit_log WHERE seq BETWEEN 1001 AND 1500'], '1501', 'PREVIOUS'],
    [
      'two entries across ranges swapped',
      [
        'UPDATE audit_log SET seq = -1 WHERE seq = 2000',
        'UPDATE audit_log SET seq = 2000 WHERE seq = 2001',
        'UPDATE audit_log SET seq = 2001 WHERE seq = -1',
      ],
      '2000',
      'PREVIOUS',
    ],
  ])(
    'names the entry %s breaks, first in chain order, as the check in one thread does',
    async (_, sql, seq, kind) => {
      await tampered([...sql, `UPDATE audit_log SET entity_id = 'later' WHERE seq = 3900`], async () => {
        const { threads, one, heard } = await bothChecks();
        expect(threads).toEqual(one);
        expect(threads.break).toMatchObject({ seq, reason: `${kind}_HASH_MISMATCH` });
        // progress only moves forward, and never past the entry before the break
        const counts = heard.threads.map((p) => p.checked);
        expect(counts).toEqual([...new Set(counts)].sort((a, b) => a - b));
        expect(Math.max(0, ...counts)).toBeLessThanOrEqual(threads.position.checked);
      });
    },
  );
});
