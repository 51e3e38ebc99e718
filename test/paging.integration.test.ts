import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../db/client';
import { createApplicationRepository } from '../db/repositories/applications';
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
