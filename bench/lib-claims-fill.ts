import type pg from 'pg';
import { kpiTriggersOff } from './lib-kpi-triggers';

/**
 * `n` paid claims of one programme, one enterprise and one voucher, spread over `providers` providers and
 * paid two by two at the same instant, a second apart (so that the order by (paid_at, id) counts), inserted by a few set-based statements. Returns the programme's and providers' ids.
 */
export async function fillPaidClaims(
  pool: pg.Pool,
  n: number,
  providers = 3,
): Promise<{ programmeId: string; providerIds: string[] }> {
  // the KPI figures are counted once from the inserted rows, not row by row
  const restoreKpiTriggers = await kpiTriggersOff(pool);
  let filled = false;
  try {
    const result = await fill(pool, n, providers);
    filled = true;
    return result;
  } finally {
    await restoreKpiTriggers({ rebuild: filled });
  }
}

async function fill(
  pool: pg.Pool,
  n: number,
  providers: number,
): Promise<{ programmeId: string; providerIds: string[] }> {
  const { rows } = await pool.query<{ programme_id: string; provider_ids: string[] }>(
    `WITH pg AS (
       INSERT INTO programmes (id, name, authority, year, region_code, budget_fen, policy, created_by)
       VALUES (gen_random_uuid(), '检测券 2026', '上海市经济和信息化委员会', 2026, '310000', 100000000000, '{}', gen_random_uuid())
       RETURNING id
     ), e AS (
       INSERT INTO enterprises (id, credit_code, name, region_code, industry_code, employees, annual_revenue_fen,
                                legal_representative, contact_phone, address)
       VALUES (gen_random_uuid(), '91310115' || lpad((random() * 1e10)::bigint::text, 10, '0'), '=HYPERLINK("http://x")',
               '310115', '3911', 50, 1000000000, '张三', '13800000000', '上海市浦东新区')
       RETURNING id
     ), a AS (
       INSERT INTO applications (id, programme_id, enterprise_id, submitted_by, requested_amount_fen, purpose, demand,
                                 status, workflow_id, updated_at)
       SELECT gen_random_uuid(), pg.id, e.id, gen_random_uuid(), 1000000, 'bench', '{}', 'APPROVED', 'bench', now()
       FROM pg, e RETURNING id, programme_id, enterprise_id
     ), v AS (
       INSERT INTO vouchers (id, code, application_id, programme_id, enterprise_id, face_value_fen, balance_fen, status,
                             valid_from, valid_until, workflow_id, updated_at)
       SELECT gen_random_uuid(), 'BENCH-' || substr(md5(random()::text), 1, 10), a.id, a.programme_id, a.enterprise_id,
              100000000000, 0, 'ACTIVE', now(), now() + interval '180 days', 'bench', now()
       FROM a RETURNING id
     ), p AS (
       INSERT INTO providers (id, credit_code, name, kind, region_code, legal_representative, phone, address, updated_at)
       SELECT gen_random_uuid(), '12310000' || lpad((random() * 1e10)::bigint::text, 10, '0'), '检测机构 ' || i, 'LAB',
              '310000', '李四', '021-00000000', '上海', now()
       FROM generate_series(1, $1::int) i RETURNING id
     )
     SELECT (SELECT id FROM pg)::text AS programme_id, (SELECT array_agg(id::text) FROM p) AS provider_ids`,
    [providers],
  );
  const { programme_id: programmeId, provider_ids: providerIds } = rows[0]!;
  await pool.query(
    `WITH b AS (
       INSERT INTO bookings (id, voucher_id, programme_id, enterprise_id, provider_id, sample_count, catalog_price_fen,
                             quoted_price_fen, subsidy_fen, copayment_fen, scheduled_date, status, workflow_id,
                             created_by, updated_at, lines)
       SELECT gen_random_uuid(), v.id, v.programme_id, v.enterprise_id, ($2::uuid[])[1 + i % array_length($2::uuid[], 1)],
              1, 10000 + i, 10000 + i, 5000 + i, 5000, current_date, 'SETTLED', 'bench', gen_random_uuid(), now(), '[]'
       FROM generate_series(1, $3::int) i, (SELECT * FROM vouchers WHERE programme_id = $1::uuid) v
       RETURNING id, programme_id, provider_id, subsidy_fen, sample_count
     )
     INSERT INTO claims (id, booking_id, programme_id, provider_id, amount_fen, contract, report_sha256,
                         payment_reference, status, workflow_id, paid_at, updated_at)
     SELECT gen_random_uuid(), b.id, b.programme_id, b.provider_id, b.subsidy_fen, '{}', md5(b.id::text), 'bench',
            'PAID', 'bench',
            timestamptz '2026-01-01' + (row_number() OVER (ORDER BY b.id)) / 2 * interval '1 second',
            now()
     FROM b`,
    [programmeId, providerIds, n],
  );
  await pool.query('ANALYZE claims');
  return { programmeId, providerIds };
}
