import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, poolOf, type Db } from '../db/client';
import { createApplicationRepository } from '../db/repositories/applications';
import { createApprovalRepository } from '../db/repositories/approvals';
import { createAuditRepository } from '../db/repositories/audit';
import type { Page, PageCursor } from '../db/repositories/page';
import { createVoucherRepository } from '../db/repositories/vouchers';
import { ownDatabase } from './support/own-database';

/**
 * Keyset pages over (created_at, id): many rows share one instant, rows arrive while a reader pages,
 * and every row is still listed once, newest first, whatever the filter.
 */

let db: Db;
let drop: () => Promise<void>;
const programme = randomUUID();
const enterprise = randomUUID();
const instants = ['2026-03-01T08:00:00.000Z', '2026-03-01T08:00:00.001Z', '2026-03-02T00:00:00.000Z'];

async function sql(text: string, ...values: unknown[]) {
  await db.$executeRawUnsafe(text, ...values);
}

/** `n` applications (and their vouchers, issued at the same instant) at each instant, half of them approved. */
async function givenRows(n: number, at: string) {
  for (let i = 0; i < n; i += 1) {
    const id = randomUUID();
    await sql(
      `INSERT INTO applications (id, programme_id, enterprise_id, submitted_by, requested_amount_fen, purpose, demand,
         status, workflow_id, created_at, updated_at, one_open_rule)
       VALUES ($1::uuid, $2::uuid, $3::uuid, $3::uuid, 1, 'p', '{}', $4::"ApplicationStatus", 'w', $5, now(), false)`,
      id,
      programme,
      enterprise,
      i % 2 ? 'APPROVED' : 'UNDER_REVIEW',
      new Date(at),
    );
    await sql(
      `INSERT INTO vouchers (id, code, application_id, programme_id, enterprise_id, face_value_fen, balance_fen, status,
         valid_from, valid_until, workflow_id, issued_at, updated_at, one_open_rule)
       VALUES ($1::uuid, $1, $1::uuid, $2::uuid, $3::uuid, 1, 1, 'ACTIVE', $4, $4, 'w', $4, now(), false)`,
      id,
      programme,
      enterprise,
      new Date(at),
    );
  }
}

async function everyPage<T extends { id: string; createdAt: Date }>(
  read: (after: PageCursor | undefined) => Promise<Page<T>>,
  meanwhile: () => Promise<void> = async () => {},
): Promise<T[]> {
  const seen: T[] = [];
  let after: PageCursor | undefined;
  for (;;) {
    const page = await read(after);
    seen.push(...page.items);
    await meanwhile();
    if (!page.next) return seen;
    after = page.next;
  }
}

const newestFirst = (a: { id: string; createdAt: Date }, b: { id: string; createdAt: Date }) =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

beforeAll(async () => {
  const own = await ownDatabase('paging');
  drop = own.drop;
  db = createDb(own.url, 4);
  await sql(
    `INSERT INTO programmes (id, name, authority, year, region_code, budget_fen, policy, created_by)
     VALUES ($1::uuid, 'p', 'a', 2026, '310000', 1, '{}', $1::uuid)`,
    programme,
  );
  await sql(
    `INSERT INTO enterprises (id, credit_code, name, region_code, industry_code, employees, annual_revenue_fen,
       legal_representative, contact_phone, address, tags)
     VALUES ($1::uuid, 'c', 'e', '310101', 'C3311', 1, 1, 'r', '1', 'a', '{}')`,
    enterprise,
  );
  for (const at of instants) await givenRows(7, at);
});
afterAll(async () => {
  await db?.$disconnect();
  await drop?.();
});

describe('keyset pages', () => {
  it('list every row once, newest first, when many share an instant and rows arrive meanwhile', async () => {
    const applications = createApplicationRepository(db);
    const before = await db.application.findMany({ select: { id: true, createdAt: true } });
    let arriving = 0;
    const seen = await everyPage(
      (after) => applications.list({}, { limit: 3, after }),
      // newer than any page's cursor: a reader paging on sees none of them and loses none of the rest
      async () => {
        arriving += 1;
        if (arriving <= 2) await givenRows(2, '2026-04-01T00:00:00.000Z');
      },
    );
    expect(seen.map((a) => a.id)).toEqual([...before].sort(newestFirst).map((a) => a.id));
    expect(new Set(seen.map((a) => a.id)).size).toBe(21);
  });

  it('do the same under a filter, and for vouchers paged by their issue', async () => {
    const approved = await everyPage((after) =>
      createApplicationRepository(db).list(
        { status: 'APPROVED', programmeId: programme },
        { limit: 2, after },
      ),
    );
    const expected = await db.application.findMany({
      where: { status: 'APPROVED' },
      select: { id: true, createdAt: true },
    });
    expect(approved.map((a) => a.id)).toEqual([...expected].sort(newestFirst).map((a) => a.id));

    const vouchers = await everyPage((after) =>
      createVoucherRepository(db).list({ programmeId: programme }, { limit: 4, after }),
    );
    const issued = await db.voucher.findMany({ select: { id: true, issuedAt: true } });
    expect(vouchers.map((v) => v.id)).toEqual(
      issued
        .map((v) => ({ id: v.id, createdAt: v.issuedAt }))
        .sort(newestFirst)
        .map((v) => v.id),
    );
  });
});

/** Counts the statements a client sends outside transactions while `read` runs. */
async function statementsOf<T>(
  client: Db,
  read: () => Promise<T>,
): Promise<{ result: T; statements: number }> {
  const pool = poolOf(client);
  const query = pool.query.bind(pool);
  let statements = 0;
  pool.query = ((...args: Parameters<typeof query>) => {
    statements += 1;
    return query(...args);
  }) as typeof pool.query;
  try {
    return { result: await read(), statements };
  } finally {
    pool.query = query;
  }
}

describe('a page of claims', () => {
  it('reads the latest claim approval of each claim, with its proposer, in one statement', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    for (const [id, name] of [
      [first, '初审管理员'],
      [second, 'Second Admin'],
    ] as const) {
      await sql(
        `INSERT INTO users (id, email, password_hash, role, display_name)
         VALUES ($1::uuid, $1 || '@paging.test', 'x', 'ADMIN', $2)`,
        id,
        name,
      );
    }
    const claims = Array.from({ length: 30 }, () => randomUUID());
    const propose = (claim: string, by: string, at: string, status: string, id = randomUUID()) =>
      sql(
        `INSERT INTO approvals (id, kind, programme_id, subject_id, proposed_by, proposed_at, expires_at, status)
         VALUES ($1::uuid, 'CLAIM_APPROVAL', $2::uuid, $3::uuid, $4::uuid, $5, $5::timestamptz + interval '2 days',
                 $6::"ApprovalStatus")`,
        id,
        programme,
        claim,
        by,
        new Date(at),
        status,
      ).then(() => id);
    // every claim but the last two has an older proposal, rejected, and a newer one still pending
    const latest = new Map<string, { id: string; by: string }>();
    for (const [i, claim] of claims.slice(0, -2).entries()) {
      const by = i % 2 ? second : first;
      await propose(claim, first, '2026-03-01T08:00:00.000Z', 'REJECTED');
      latest.set(claim, { id: await propose(claim, by, '2026-03-02T08:00:00.000Z', 'PENDING'), by });
    }
    // one whose only proposal's proposer is no longer a user; one never proposed
    const gone = randomUUID();
    latest.set(claims.at(-2)!, {
      id: await propose(claims.at(-2)!, gone, '2026-03-02T08:00:00.000Z', 'PENDING'),
      by: gone,
    });

    const { result, statements } = await statementsOf(db, () =>
      createApprovalRepository(db).latestForEach('CLAIM_APPROVAL', claims),
    );
    expect(statements).toBe(1);
    expect([...result.keys()].sort()).toEqual([...latest.keys()].sort());
    for (const [claim, expected] of latest) {
      const found = result.get(claim)!;
      expect(found.approval).toMatchObject({ id: expected.id, subjectId: claim, proposedBy: expected.by });
      expect(found.proposerName).toBe(
        expected.by === first ? '初审管理员' : expected.by === second ? 'Second Admin' : null,
      );
    }
  });
});

describe('the audit log by time', () => {
  it('lists every entry stamped in the window once, in chain order, stamps out of order included', async () => {
    // 300 entries a minute apart; a few stamped out of their place in the chain, as an entry whose
    // stamp was taken before a slow transaction committed is
    const base = Date.parse('2025-01-01T00:00:00.000Z');
    const minute = 60_000;
    const stampOf = new Map<number, number>([
      [150, base + 210 * minute + 30_000],
      [205, base + 400 * minute],
      [280, base + 215 * minute + 30_000],
      [299, base + 201 * minute],
    ]);
    await sql(
      `INSERT INTO audit_log (seq, id, at, actor_role, action, entity_type, entity_id, prev_hash, hash)
       SELECT g, gen_random_uuid(), to_timestamp(COALESCE(($2::jsonb ->> g::text)::bigint, $1::bigint + g * 60000) / 1000.0),
              'SYSTEM', 'PAGED', 'thing', g::text, md5(g::text), md5('entry ' || g)
         FROM generate_series(1, 300) g`,
      base,
      JSON.stringify(Object.fromEntries(stampOf)),
    );
    await sql(`UPDATE audit_chain SET seq = 300 WHERE id = 1`);
    const at = (seq: number) => stampOf.get(seq) ?? base + seq * minute;
    const audit = createAuditRepository(db);
    const everyEntry = async (from: number, to: number | undefined, limit: number) => {
      const seqs: number[] = [];
      let afterSeq: bigint | undefined;
      for (;;) {
        const page = await audit.list(
          { entityType: 'thing', from: new Date(from), ...(to === undefined ? {} : { to: new Date(to) }) },
          { afterSeq, limit },
        );
        seqs.push(...page.map((entry) => Number(entry.seq)));
        if (page.length < limit) return seqs;
        afterSeq = BigInt(page.at(-1)!.seq);
      }
    };
    const stamped = (from: number, to = Infinity) =>
      Array.from({ length: 300 }, (_, i) => i + 1).filter((seq) => at(seq) >= from && at(seq) < to);

    const [from, to] = [base + 201 * minute, base + 221 * minute];
    expect(stamped(from, to)).toEqual(expect.arrayContaining([150, 280, 299]));
    for (const limit of [1, 4, 100]) expect(await everyEntry(from, to, limit)).toEqual(stamped(from, to));
    expect(await everyEntry(base + 290 * minute, undefined, 3)).toEqual(stamped(base + 290 * minute));
    expect(await everyEntry(base + 5 * minute, undefined, 100)).toEqual(stamped(base + 5 * minute));
    // a page past the window holds what was stamped in it and appended later
    const past = await audit.list({ from: new Date(from), to: new Date(to) }, { afterSeq: 250n, limit: 10 });
    expect(past.map((entry) => Number(entry.seq))).toEqual([280, 299]);
    expect(await audit.list({ from: new Date(base + 1000 * minute) }, { limit: 10 })).toEqual([]);
  });
});
