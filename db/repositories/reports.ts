import { POLICY_INDUSTRIES } from '../../domain/enterprise';
import type { KpiFacts, KpiFilters, SettlementLine } from '../../domain/kpis';
import { ACCOUNTS, type Account, type Balances } from '../../domain/ledger';
import { fenFromBigInt } from '../../domain/money';
import { poolOf, type Db } from '../client';
import { Prisma } from '../generated/client';
import type { Tx } from '../tx';
import { compactFigures, keptFigures, scopesOf } from './kpi-figures';
import { paidClaimPages } from './settlement-pages';

const and = (parts: Prisma.Sql[]) => (parts.length ? Prisma.join(parts, ' AND ') : Prisma.sql`TRUE`);

/** The enterprise side of a filter, on the alias `e`. */
function enterpriseWhere(filters: KpiFilters): Prisma.Sql[] {
  const parts: Prisma.Sql[] = [];
  if (filters.regionPrefix) parts.push(Prisma.sql`e.region_code LIKE ${`${filters.regionPrefix}%`}`);
  if (filters.industry) {
    const divisions = POLICY_INDUSTRIES[filters.industry]?.divisions ?? [];
    parts.push(Prisma.sql`left(e.industry_code, 3) = ANY(${divisions}::text[])`);
  }
  return parts;
}

const programmeOf = (column: Prisma.Sql, filters: KpiFilters) =>
  filters.programmeId ? [Prisma.sql`${column} = ${filters.programmeId}::uuid`] : [];

/**
 * A programme's ledger is not split by district or industry: the budget covers the programmes whose
 * region overlaps the region asked for (a Shanghai programme for a Pudong query, and the reverse).
 */
function programmeWhere(filters: KpiFilters): Prisma.Sql {
  const parts = programmeOf(Prisma.sql`p.id`, filters);
  if (filters.regionPrefix) {
    parts.push(Prisma.sql`(regexp_replace(p.region_code, '(00)+$', '') LIKE ${`${filters.regionPrefix}%`}
      OR ${filters.regionPrefix} LIKE regexp_replace(p.region_code, '(00)+$', '') || '%')`);
  }
  return and(parts);
}

const bookingWhere = (filters: KpiFilters) =>
  and([...programmeOf(Prisma.sql`b.programme_id`, filters), ...enterpriseWhere(filters)]);

const ACCEPTED = Prisma.sql`b.status IN ('ACCEPTED', 'SETTLED')`;

async function vouchers(tx: Tx, filters: KpiFilters) {
  const [row] = await tx.$queryRaw<
    {
      enterprisesServed: number;
      issued: number;
      used: number;
      active: number;
      usedUp: number;
      expired: number;
      revoked: number;
      faceValueFen: bigint;
    }[]
  >`
    SELECT count(DISTINCT v.enterprise_id)::int AS "enterprisesServed",
           count(*)::int AS issued,
           count(*) FILTER (WHERE EXISTS (
             SELECT 1 FROM bookings b WHERE b.voucher_id = v.id AND ${ACCEPTED}))::int AS used,
           count(*) FILTER (WHERE v.status = 'ACTIVE')::int AS active,
           count(*) FILTER (WHERE v.status = 'USED')::int AS "usedUp",
           count(*) FILTER (WHERE v.status = 'EXPIRED')::int AS expired,
           count(*) FILTER (WHERE v.status = 'REVOKED')::int AS revoked,
           coalesce(sum(v.face_value_fen), 0)::bigint AS "faceValueFen"
    FROM vouchers v JOIN enterprises e ON e.id = v.enterprise_id
    WHERE ${and([...programmeOf(Prisma.sql`v.programme_id`, filters), ...enterpriseWhere(filters)])}`;
  const { enterprisesServed, faceValueFen, ...counts } = row!;
  return { enterprisesServed, vouchers: { ...counts, faceValueFen: fenFromBigInt(faceValueFen) } };
}

/**
 * Vouchers per calendar month in Beijing time: issued by their issue, used by the first acceptance of a
 * report on one of their bookings, expired by the expiry the audit log records (else their last valid day).
 */
async function vouchersByMonth(tx: Tx, filters: KpiFilters) {
  const month = (instant: Prisma.Sql) =>
    Prisma.sql`to_char(${instant} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`;
  return tx.$queryRaw<KpiFacts['vouchers']['byMonth']>`
    WITH selected AS (
      SELECT v.* FROM vouchers v JOIN enterprises e ON e.id = v.enterprise_id
      WHERE ${and([...programmeOf(Prisma.sql`v.programme_id`, filters), ...enterpriseWhere(filters)])}
    ), events AS (
      SELECT ${month(Prisma.sql`s.issued_at`)} AS month, 'issued' AS kind FROM selected s
      UNION ALL
      SELECT ${month(Prisma.sql`u.at`)}, 'used' FROM selected s
      CROSS JOIN LATERAL (
        SELECT min(b.accepted_at) AS at FROM bookings b WHERE b.voucher_id = s.id AND ${ACCEPTED}) u
      WHERE u.at IS NOT NULL
      UNION ALL
      SELECT ${month(Prisma.sql`coalesce(s.expired_at, s.valid_until)`)}, 'expired'
      FROM selected s WHERE s.status = 'EXPIRED'
    )
    SELECT month, count(*) FILTER (WHERE kind = 'issued')::int AS issued,
           count(*) FILTER (WHERE kind = 'used')::int AS used,
           count(*) FILTER (WHERE kind = 'expired')::int AS expired
    FROM events GROUP BY month ORDER BY month`;
}

async function budget(tx: Tx, filters: KpiFilters): Promise<KpiFacts['budget']> {
  const where = programmeWhere(filters);
  const accounts = await tx.$queryRaw<{ account: Account; balance: bigint }[]>`
    SELECT a.account::text AS account, sum(a.balance_fen)::bigint AS balance
    FROM ledger_accounts a JOIN programmes p ON p.id = a.programme_id
    WHERE ${where} GROUP BY a.account`;
  const [totals] = await tx.$queryRaw<{ programmes: number; budget: bigint; balanced: boolean }[]>`
    SELECT count(*)::int AS programmes, coalesce(sum(p.budget_fen), 0)::bigint AS budget,
           coalesce(bool_and(sound.ok), true) AS balanced
    FROM programmes p
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(a.balance_fen) = p.budget_fen AND bool_and(a.balance_fen >= 0), false) AS ok
      FROM ledger_accounts a WHERE a.programme_id = p.id) sound
    WHERE ${where}`;
  const balances = Object.fromEntries(ACCOUNTS.map((a) => [a, 0])) as Balances;
  for (const row of accounts) balances[row.account] = fenFromBigInt(row.balance);
  return {
    programmes: totals!.programmes,
    budgetFen: fenFromBigInt(totals!.budget),
    balances,
    everyProgrammeBalanced: totals!.balanced,
  };
}

async function bookingsByCategory(tx: Tx, filters: KpiFilters) {
  return tx.$queryRaw<KpiFacts['bookingsByCategory']>`
    SELECT line->>'category' AS category, count(DISTINCT b.id)::int AS bookings,
           count(DISTINCT b.id) FILTER (WHERE ${ACCEPTED})::int AS accepted
    FROM bookings b JOIN enterprises e ON e.id = b.enterprise_id
    CROSS JOIN LATERAL jsonb_array_elements(b.lines) AS line
    WHERE ${bookingWhere(filters)}
    GROUP BY 1`;
}

async function bookingsByProvince(tx: Tx, filters: KpiFilters) {
  const rows = await tx.$queryRaw<
    { province: string; bookings: number; accepted: number; subsidy: bigint }[]
  >`
    SELECT left(e.region_code, 2) AS province, count(*)::int AS bookings,
           count(*) FILTER (WHERE ${ACCEPTED})::int AS accepted,
           coalesce(sum(b.subsidy_fen) FILTER (WHERE ${ACCEPTED}), 0)::bigint AS subsidy
    FROM bookings b JOIN enterprises e ON e.id = b.enterprise_id
    WHERE ${bookingWhere(filters)}
    GROUP BY 1`;
  return rows.map(({ subsidy, ...r }) => ({ ...r, subsidyFen: fenFromBigInt(subsidy) }));
}

/**
 * Medians of each stage, in seconds, from the instants on the rows (migration
 * 20261127100000_report_instants gave the rows kept before those columns the audit log's instants).
 */
async function stages(tx: Tx, filters: KpiFilters) {
  const applications = and([
    ...programmeOf(Prisma.sql`a.programme_id`, filters),
    ...enterpriseWhere(filters),
  ]);
  return tx.$queryRaw<KpiFacts['stages']>`
    WITH spans AS (
      SELECT 'APPLICATION_DECISION' AS stage, extract(epoch FROM (a.decided_at - a.created_at))::float8 AS s
      FROM applications a JOIN enterprises e ON e.id = a.enterprise_id
      WHERE ${applications} AND a.status IN ('APPROVED', 'REJECTED')
      UNION ALL
      SELECT x.stage, extract(epoch FROM x.span)::float8
      FROM bookings b JOIN enterprises e ON e.id = b.enterprise_id
      LEFT JOIN claims c ON c.booking_id = b.id AND c.status = 'PAID'
      LEFT JOIN payout_transfers pt ON pt.id = c.transfer_id
      CROSS JOIN LATERAL (VALUES
        ('BOOKING_CONFIRMATION', b.confirmed_at - b.created_at),
        ('SAMPLE_DELIVERY', b.sample_received_at - b.confirmed_at),
        ('TESTING', b.report_uploaded_at - b.sample_received_at),
        ('ACCEPTANCE', b.accepted_at - b.report_uploaded_at),
        ('PAYMENT', coalesce(c.paid_at, pt.sent_at) - b.accepted_at)
      ) AS x(stage, span)
      WHERE ${bookingWhere(filters)}
    )
    SELECT stage, count(*)::int AS count,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY s) AS "medianSeconds"
    FROM spans WHERE s IS NOT NULL GROUP BY stage`;
}

/** Per provider over the selected bookings: reports, on-time and late reports, disputes. */
const providerCounts = (filters: KpiFilters) => Prisma.sql`
  SELECT b.provider_id, count(*)::int AS bookings,
         count(*) FILTER (WHERE b.reported_late = false)::int AS "onTime",
         count(*) FILTER (WHERE b.reported_late)::int AS late,
         coalesce(sum(r.n), 0)::int AS reports, coalesce(sum(d.n), 0)::int AS disputes
  FROM bookings b JOIN enterprises e ON e.id = b.enterprise_id
  CROSS JOIN LATERAL (SELECT count(*) AS n FROM booking_reports br WHERE br.booking_id = b.id) r
  CROSS JOIN LATERAL (SELECT count(*) AS n FROM disputes dp WHERE dp.booking_id = b.id) d
  WHERE ${bookingWhere(filters)}
  GROUP BY b.provider_id`;

async function providers(tx: Tx, filters: KpiFilters, top: number) {
  const [overall] = await tx.$queryRaw<KpiFacts['providers'][]>`
    WITH per AS (${providerCounts(filters)})
    SELECT coalesce(sum(per.bookings), 0)::int AS bookings, coalesce(sum(per.reports), 0)::int AS reports,
           coalesce(sum(per."onTime"), 0)::int AS "onTime", coalesce(sum(per.late), 0)::int AS late,
           coalesce(sum(per.disputes), 0)::int AS disputes,
           count(*) FILTER (WHERE p.kind = 'PUBLIC_SERVICE_PLATFORM')::int AS "publicServicePlatforms"
    FROM per JOIN providers p ON p.id = per.provider_id`;
  const ranked = await tx.$queryRaw<KpiFacts['topProviders']>`
    WITH per AS (${providerCounts(filters)})
    SELECT p.id::text AS "providerId", p.name, p.kind::text AS kind, per.bookings, per.reports,
           per."onTime", per.late, per.disputes
    FROM per JOIN providers p ON p.id = per.provider_id
    ORDER BY per.bookings DESC, p.name, p.id
    LIMIT ${top}`;
  return { overall: overall!, ranked };
}

async function countFromRows(tx: Tx, filters: KpiFilters, top: number): Promise<KpiFacts> {
  const { enterprisesServed, vouchers: voucherCounts } = await vouchers(tx, filters);
  const { overall, ranked } = await providers(tx, filters, top);
  return {
    enterprisesServed,
    vouchers: { ...voucherCounts, byMonth: await vouchersByMonth(tx, filters) },
    budget: await budget(tx, filters),
    bookingsByCategory: await bookingsByCategory(tx, filters),
    bookingsByProvince: await bookingsByProvince(tx, filters),
    stages: await stages(tx, filters),
    providers: overall,
    topProviders: ranked,
  };
}

export type { SettlementFilter } from './settlement-pages';
import type { SettlementFilter } from './settlement-pages';

export function createReportRepository(db: Db) {
  return {
    /**
     * Every count the KPI report needs, from one snapshot of the database: the figures the database
     * keeps for one filter (kpi-figures.ts), counted from the rows when filters are combined.
     */
    async kpiFacts(filters: KpiFilters, options: { top: number }): Promise<KpiFacts> {
      const scopes = scopesOf(filters);
      const { facts, appended } = await db.$transaction(
        async (tx) => {
          // planning these statements is cheap; JIT-compiling them cost more than running them
          await tx.$executeRaw`SET LOCAL jit = off`;
          if (!scopes) return { facts: await countFromRows(tx, filters, options.top), appended: 0 };
          const kept = await keptFigures(tx, scopes, filters, options.top);
          return { facts: { ...kept.figures, budget: await budget(tx, filters) }, appended: kept.appended };
        },
        { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: 60_000 },
      );
      if (scopes && appended > 1000) await compactFigures(db, scopes);
      return facts;
    },

    /** The same counts from the rows themselves, for combined filters and to check the kept ones. */
    async kpiFactsFromRows(filters: KpiFilters, options: { top: number }): Promise<KpiFacts> {
      return db.$transaction(
        async (tx) => {
          await tx.$executeRaw`SET LOCAL jit = off`;
          return countFromRows(tx, filters, options.top);
        },
        { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: 60_000 },
      );
    },

    /**
     * Paid claims in the order they were paid, a page at a time, for streaming: a page is read when the
     * consumer asks for it (settlement-pages.ts).
     */
    paidClaims(
      filter: SettlementFilter,
      options: { pageSize?: number; onPage?: () => void } = {},
    ): AsyncGenerator<SettlementLine[]> {
      return paidClaimPages(poolOf(db), filter, options);
    },
  };
}

export type ReportRepository = ReturnType<typeof createReportRepository>;
