import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../db/client';
import { compactFigures } from '../db/repositories/kpi-figures';
import { createReportRepository } from '../db/repositories/reports';
import type { KpiFacts, KpiFilters } from '../domain/kpis';
import { ownDatabase } from './support/own-database';

/**
 * The KPI figures the database keeps by trigger equal the same figures counted from the rows, after a
 * life of changes like the processes make them: decisions, vouchers issued, expired and revoked,
 * bookings through confirmation, samples, reports, a dispute and its retest, acceptance, claims paid
 * by transfers (one whose claim has no payment instant of its own), a report dropped.
 */

let db: Db;
let drop: () => Promise<void>;
const reports = () => createReportRepository(db);

const programmes = { shanghai: randomUUID(), guangdong: randomUUID() };
const providers = { lab: randomUUID(), platform: randomUUID(), metrology: randomUUID() };
const enterprises = [
  { id: randomUUID(), region: '310101', industry: 'C3311' },
  { id: randomUUID(), region: '310115', industry: 'C1711' },
  { id: randomUUID(), region: '440305', industry: 'C3421' },
  { id: randomUUID(), region: '440106', industry: 'I6510' },
  { id: randomUUID(), region: '310115', industry: 'C3311' },
];
const t0 = Date.parse('2026-01-31T15:00:00Z');
const at = (hours: number) => new Date(t0 + hours * 3_600_000);

async function sql(text: string, ...values: unknown[]) {
  await db.$executeRawUnsafe(text, ...values);
}

async function givenWorld() {
  for (const [name, id] of Object.entries(programmes)) {
    await sql(
      `INSERT INTO programmes (id, name, authority, year, region_code, budget_fen, policy, created_by)
       VALUES ($1::uuid, $2, 'authority', 2026, $3, 100000000, '{}', $1::uuid)`,
      id,
      name,
      name === 'shanghai' ? '310000' : '440000',
    );
  }
  for (const [name, id] of Object.entries(providers)) {
    await sql(
      `INSERT INTO providers (id, credit_code, name, kind, region_code, legal_representative, phone, address, status, updated_at)
       VALUES ($1::uuid, $2, $3, $4::"ProviderKind", '310101', 'r', '1', 'a', 'LISTED', now())`,
      id,
      `P-${id}`,
      `provider ${name}`,
      name === 'platform' ? 'PUBLIC_SERVICE_PLATFORM' : name === 'metrology' ? 'METROLOGY' : 'LAB',
    );
  }
  for (const e of enterprises) {
    await sql(
      `INSERT INTO enterprises (id, credit_code, name, region_code, industry_code, employees, annual_revenue_fen,
         legal_representative, contact_phone, address, tags)
       VALUES ($1::uuid, $2, 'enterprise', $3, $4, 10, 100, 'r', '1', 'a', '{}')`,
      e.id,
      `E-${e.id}`,
      e.region,
      e.industry,
    );
  }
}

async function application(enterprise: string, programme: string, hours: number) {
  const id = randomUUID();
  await sql(
    `INSERT INTO applications (id, programme_id, enterprise_id, submitted_by, requested_amount_fen, purpose, demand,
       status, workflow_id, created_at, updated_at, one_open_rule)
     VALUES ($1::uuid, $2::uuid, $3::uuid, $3::uuid, 100000, 'p', '{}', 'SUBMITTED', 'w', $4, now(), false)`,
    id,
    programme,
    enterprise,
    at(hours),
  );
  return id;
}

const decide = (id: string, status: 'APPROVED' | 'REJECTED', hours: number | null) =>
  sql(
    `UPDATE applications SET status = $2::"ApplicationStatus", decided_at = $3 WHERE id = $1::uuid`,
    id,
    status,
    hours === null ? null : at(hours),
  );

async function voucher(applicationId: string, hours: number) {
  const id = randomUUID();
  await sql(
    `INSERT INTO vouchers (id, code, application_id, programme_id, enterprise_id, face_value_fen, balance_fen, status,
       valid_from, valid_until, workflow_id, issued_at, updated_at, one_open_rule)
     SELECT $1::uuid, $1, a.id, a.programme_id, a.enterprise_id, 100000, 100000, 'ACTIVE', $2, $3, 'w', $2, now(), false
       FROM applications a WHERE a.id = $4::uuid`,
    id,
    at(hours),
    at(hours + 24 * 40),
    applicationId,
  );
  return id;
}

async function booking(voucherId: string, provider: string, hours: number, categories: string[]) {
  const id = randomUUID();
  const lines = JSON.stringify(categories.map((category) => ({ category })));
  await sql(
    `INSERT INTO bookings (id, voucher_id, programme_id, enterprise_id, provider_id, lines, sample_count, standards,
       catalog_price_fen, quoted_price_fen, subsidy_fen, copayment_fen, scheduled_date, status, workflow_id,
       created_by, created_at, updated_at)
     SELECT $1::uuid, v.id, v.programme_id, v.enterprise_id, $2::uuid, $3::jsonb, 1, '{}', 30000, 30000, 20000,
            10000, '2026-03-01', 'REQUESTED', 'w', v.enterprise_id, $4, now()
       FROM vouchers v WHERE v.id = $5::uuid`,
    id,
    provider,
    lines,
    at(hours),
    voucherId,
  );
  return id;
}

const step = (id: string, set: string, ...values: unknown[]) =>
  sql(`UPDATE bookings SET ${set} WHERE id = $1::uuid`, id, ...values);

async function report(bookingId: string) {
  const id = randomUUID();
  await sql(
    `INSERT INTO booking_reports (id, booking_id, sha256, conclusion, file_name, content, uploaded_by)
     VALUES ($1::uuid, $2::uuid, 'sha', 'PASS', 'r.pdf', '\\x00', $2::uuid)`,
    id,
    bookingId,
  );
  return id;
}

async function throughToAcceptance(id: string, hours: number, late: boolean) {
  await step(id, `status = 'CONFIRMED', confirmed_at = $2`, at(hours + 3));
  await step(id, `status = 'SAMPLE_RECEIVED', sample_received_at = $2`, at(hours + 30));
  await report(id);
  await step(id, `status = 'REPORTED', report_uploaded_at = $2, reported_late = $3`, at(hours + 80), late);
  await step(id, `status = 'ACCEPTED', accepted_at = $2`, at(hours + 100 + (late ? 7.5 : 0)));
}

async function claim(bookingId: string) {
  const id = randomUUID();
  await sql(
    `INSERT INTO claims (id, booking_id, programme_id, provider_id, amount_fen, contract, report_sha256,
       payment_reference, status, workflow_id, updated_at)
     SELECT $1::uuid, b.id, b.programme_id, b.provider_id, b.subsidy_fen, '{}', 'sha', 'ref', 'PENDING_REVIEW', 'w', now()
       FROM bookings b WHERE b.id = $2::uuid`,
    id,
    bookingId,
  );
  return id;
}

async function payout(
  programme: string,
  provider: string,
  claimIds: string[],
  hours: number,
  ownInstant: boolean,
) {
  const batch = randomUUID();
  const transfer = randomUUID();
  await sql(
    `INSERT INTO payout_batches (id, programme_id, run_key, status, total_fen) VALUES ($1::uuid, $2::uuid, $1, 'RUNNING', 0)`,
    batch,
    programme,
  );
  await sql(
    `INSERT INTO payout_transfers (id, batch_id, provider_id, amount_fen, idempotency_key, status)
     VALUES ($1::uuid, $2::uuid, $3::uuid, 1, $1, 'PENDING')`,
    transfer,
    batch,
    provider,
  );
  await db.$transaction(async (tx) => {
    for (const id of claimIds) {
      await tx.$executeRawUnsafe(
        `UPDATE claims SET status = 'APPROVED', transfer_id = $2::uuid WHERE id = $1::uuid`,
        id,
        transfer,
      );
      await tx.$executeRawUnsafe(
        `UPDATE claims SET status = 'PAID', paid_at = $2 WHERE id = $1::uuid`,
        id,
        ownInstant ? at(hours) : null,
      );
      await tx.$executeRawUnsafe(
        `UPDATE bookings SET status = 'SETTLED' FROM claims c WHERE c.id = $1::uuid AND bookings.id = c.booking_id`,
        id,
      );
    }
    await tx.$executeRawUnsafe(
      `UPDATE payout_transfers SET status = 'SENT', sent_at = $2 WHERE id = $1::uuid`,
      transfer,
      at(hours + 1),
    );
  });
}

/** A life of a few programmes' worth of rows, changed step by step as the processes change them. */
async function givenLife() {
  const [sh, gd] = [programmes.shanghai, programmes.guangdong];
  const apps = [
    await application(enterprises[0]!.id, sh, 0),
    await application(enterprises[1]!.id, sh, 1),
    await application(enterprises[2]!.id, gd, 2),
    await application(enterprises[3]!.id, gd, 3),
    await application(enterprises[0]!.id, gd, 4),
    await application(enterprises[4]!.id, sh, 5),
    await application(enterprises[4]!.id, sh, 6),
  ];
  await decide(apps[0]!, 'APPROVED', 20);
  await decide(apps[1]!, 'APPROVED', 30.25);
  await decide(apps[2]!, 'APPROVED', 20);
  await decide(apps[3]!, 'APPROVED', 700);
  await decide(apps[4]!, 'APPROVED', 55);
  await decide(apps[5]!, 'REJECTED', 9);
  // still under review: no decision stage
  await sql(`UPDATE applications SET status = 'UNDER_REVIEW' WHERE id = $1::uuid`, apps[6]);

  const vouchers = await Promise.all(apps.slice(0, 5).map((a, i) => voucher(a, 24 + i * 300)));
  const [v0, v1, v2, v3, v4] = vouchers as [string, string, string, string, string];

  const b1 = await booking(v0, providers.lab, 30, ['TESTING', 'INSPECTION']);
  const b2 = await booking(v0, providers.platform, 31, ['TESTING']);
  const b3 = await booking(v1, providers.lab, 350, ['METROLOGY']);
  const b4 = await booking(v2, providers.metrology, 650, ['TESTING', 'TESTING']);
  const b5 = await booking(v3, providers.platform, 960, ['CERTIFICATION']);
  const b6 = await booking(v4, providers.lab, 1300, ['TESTING']);
  const b7 = await booking(v4, providers.platform, 1301, ['INSPECTION']);

  // two bookings of one voucher accepted at once, each in its own transaction
  await Promise.all([throughToAcceptance(b1, 30, false), throughToAcceptance(b2, 31, true)]);
  await throughToAcceptance(b4, 650, false);
  await throughToAcceptance(b6, 1300, true);

  // a disputed report, a retest and the second report accepted
  await step(b3, `status = 'CONFIRMED', confirmed_at = $2`, at(353));
  await step(b3, `status = 'SAMPLE_RECEIVED', sample_received_at = $2`, at(380));
  await report(b3);
  await step(b3, `status = 'REPORTED', report_uploaded_at = $2, reported_late = false`, at(430));
  await sql(
    `INSERT INTO disputes (id, booking_id, reason, status, raised_by) VALUES ($1::uuid, $2::uuid, 'r', 'OPEN', $2::uuid)`,
    randomUUID(),
    b3,
  );
  await step(b3, `status = 'DISPUTED'`);
  await step(b3, `status = 'SAMPLE_RECEIVED', report_sha256 = NULL, reported_late = NULL`);
  await report(b3);
  await step(b3, `status = 'REPORTED', report_uploaded_at = $2, reported_late = true`, at(470));

  // a report stored and dropped; a booking cancelled after confirmation; one never confirmed
  await sql(`DELETE FROM booking_reports WHERE id = $1::uuid`, await report(b5));
  await step(b5, `status = 'CONFIRMED', confirmed_at = $2`, at(961));
  await step(b5, `status = 'CANCELLED'`);
  await step(b7, `status = 'DECLINED'`);

  // claims: paid with their own instant, and paid with the transfer's
  const [c1, c2, c4, c6] = await Promise.all([b1, b2, b4, b6].map(claim));
  await payout(programmes.shanghai, providers.lab, [c1!], 200, true);
  await payout(programmes.shanghai, providers.platform, [c2!], 210, false);
  await payout(programmes.guangdong, providers.metrology, [c4!], 900, true);
  await sql(`UPDATE claims SET status = 'APPROVED' WHERE id = $1::uuid`, c6);

  // vouchers closing: used up, expired (with and without the instant kept), revoked
  await sql(`UPDATE vouchers SET status = 'USED', balance_fen = 0 WHERE id = $1::uuid`, v0);
  await sql(`UPDATE vouchers SET status = 'EXPIRED', expired_at = $2 WHERE id = $1::uuid`, v1, at(24 * 45));
  await sql(`UPDATE vouchers SET status = 'EXPIRED' WHERE id = $1::uuid`, v2);
  await sql(`UPDATE vouchers SET status = 'REVOKED', status_reason = 'fraud' WHERE id = $1::uuid`, v3);
}

const FILTERS: KpiFilters[] = [
  {},
  { programmeId: programmes.shanghai },
  { programmeId: programmes.guangdong },
  { regionPrefix: '31' },
  { regionPrefix: '3101' },
  { regionPrefix: '310115' },
  { regionPrefix: '4403' },
  { regionPrefix: '11' },
  { industry: 'machinery' },
  { industry: 'textiles' },
  { industry: 'steel' },
];

/** The figures in one order: the database lists categories, provinces and stages in any. */
function comparable(facts: KpiFacts) {
  const by =
    <T>(key: (row: T) => string) =>
    (a: T, b: T) =>
      key(a).localeCompare(key(b));
  return {
    ...facts,
    bookingsByCategory: [...facts.bookingsByCategory].sort(by((r) => r.category)),
    bookingsByProvince: [...facts.bookingsByProvince].sort(by((r) => r.province)),
    stages: [...facts.stages].sort(by((r) => r.stage)),
  };
}

async function expectKeptEqualRecounted() {
  for (const filters of FILTERS) {
    const kept = await reports().kpiFacts(filters, { top: 2 });
    const recounted = await reports().kpiFactsFromRows(filters, { top: 2 });
    expect(comparable(kept), JSON.stringify(filters)).toEqual(comparable(recounted));
  }
}

beforeAll(async () => {
  const own = await ownDatabase('kpi_figures');
  drop = own.drop;
  db = createDb(own.url, 8);
  await givenWorld();
  await givenLife();
});
afterAll(async () => {
  await db?.$disconnect();
  await drop?.();
});

describe('the KPI figures the database keeps', () => {
  it('equal the figures counted from the rows, for every filter, after a life of changes', async () => {
    const all = await reports().kpiFacts({}, { top: 2 });
    // a life that touched every figure, so that a figure left unkept would show
    expect(all.enterprisesServed).toBe(4);
    expect(all.vouchers).toMatchObject({ issued: 5, used: 3, usedUp: 1, expired: 2, revoked: 1 });
    expect(all.vouchers.byMonth.reduce((n, m) => n + m.expired, 0)).toBe(2);
    expect(all.providers).toMatchObject({ bookings: 7, reports: 6, onTime: 2, late: 3, disputes: 1 });
    expect(all.providers.publicServicePlatforms).toBe(1);
    expect(all.stages.map((s) => [s.stage, s.count]).sort()).toEqual([
      ['ACCEPTANCE', 4],
      ['APPLICATION_DECISION', 6],
      ['BOOKING_CONFIRMATION', 6],
      ['PAYMENT', 3],
      ['SAMPLE_DELIVERY', 5],
      ['TESTING', 5],
    ]);
    await expectKeptEqualRecounted();
  });

  it('stay equal once folded, and after more changes', async () => {
    await compactFigures(db, ['all', `p:${programmes.shanghai}`, 'r:31', 'd:C33']);
    await expectKeptEqualRecounted();
    await sql(`UPDATE bookings SET accepted_at = accepted_at + interval '30 days' WHERE status = 'SETTLED'`);
    await sql(`UPDATE payout_transfers SET sent_at = sent_at + interval '1 day'`);
    await expectKeptEqualRecounted();
  });

  it('are recounted alike by kpi_rebuild, as a bulk load that wrote the rows without triggers does', async () => {
    const before = await Promise.all(FILTERS.map((f) => reports().kpiFacts(f, { top: 2 })));
    await sql(`SELECT kpi_rebuild()`);
    const after = await Promise.all(FILTERS.map((f) => reports().kpiFacts(f, { top: 2 })));
    expect(after.map(comparable)).toEqual(before.map(comparable));
    await expectKeptEqualRecounted();
  });

  it('keep an enterprise in the region and industry it registered with', async () => {
    await expect(
      sql(`UPDATE enterprises SET region_code = '110101' WHERE id = $1::uuid`, enterprises[0]!.id),
    ).rejects.toThrow(/kept as registered/);
  });
});
