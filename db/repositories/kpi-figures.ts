import { POLICY_INDUSTRIES } from '../../domain/enterprise';
import type { KpiFacts, KpiFilters } from '../../domain/kpis';
import { fenFromBigInt } from '../../domain/money';
import type { Db } from '../client';
import { Prisma } from '../generated/client';
import type { Tx } from '../tx';

/**
 * The KPI figures the database keeps (migration 20261127100002_kpi_figures): triggers append, in the
 * transaction of every change to a booking, voucher, application, claim, transfer, report or dispute,
 * what the change adds to each figure of each scope the row counts in. A scope is what one filter
 * selects; an industry is the sum of its GB/T 4754 divisions. The sums equal a count over the rows
 * (test/kpi-figures.integration.test.ts recomputes them).
 */

/** The scopes whose sums answer the filters, or null when they combine filters (counted from the rows). */
export function scopesOf(filters: KpiFilters): string[] | null {
  const given = [filters.programmeId, filters.regionPrefix, filters.industry].filter((f) => f !== undefined);
  if (given.length > 1) return null;
  if (filters.programmeId !== undefined) return [`p:${filters.programmeId}`];
  if (filters.regionPrefix !== undefined)
    return [2, 4, 6].includes(filters.regionPrefix.length) ? [`r:${filters.regionPrefix}`] : null;
  if (filters.industry !== undefined) {
    const divisions = POLICY_INDUSTRIES[filters.industry]?.divisions ?? [];
    return divisions.length ? divisions.map((d) => `d:${d}`) : null;
  }
  return ['all'];
}

interface Sum {
  figure: string;
  key: string;
  value: bigint;
}

/** The rows of kpi_spans the filters select (one filter at most: see scopesOf). */
function spanWhere(filters: KpiFilters): Prisma.Sql {
  if (filters.programmeId) return Prisma.sql`programme_id = ${filters.programmeId}::uuid`;
  if (filters.regionPrefix) return Prisma.sql`region_code LIKE ${`${filters.regionPrefix}%`}`;
  if (filters.industry)
    return Prisma.sql`division = ANY(${POLICY_INDUSTRIES[filters.industry]?.divisions ?? []}::text[])`;
  return Prisma.sql`TRUE`;
}

/**
 * The exact median of a stage, as percentile_cont(0.5) computes it: the histogram says which bucket
 * holds the middle rank (or the two middle ranks), and only that bucket's durations are read.
 */
async function median(
  tx: Tx,
  stage: string,
  buckets: { bucket: bigint; count: number }[],
  filters: KpiFilters,
): Promise<{ count: number; medianSeconds: number }> {
  const count = buckets.reduce((sum, b) => sum + b.count, 0);
  const position = 0.5 * (count - 1);
  const ranks = [Math.floor(position), Math.ceil(position)];
  let before = 0;
  let firstBefore = -1;
  const wanted: bigint[] = [];
  for (const { bucket, count: inBucket } of buckets) {
    if (ranks.some((rank) => rank >= before && rank < before + inBucket)) {
      if (firstBefore < 0) firstBefore = before;
      wanted.push(bucket);
    }
    before += inBucket;
  }
  const rows = await tx.$queryRaw<{ seconds: number; n: number }[]>`
    SELECT seconds, sum(sign)::int AS n FROM kpi_spans
    WHERE stage = ${stage} AND bucket = ANY(${wanted}::bigint[]) AND ${spanWhere(filters)}
    GROUP BY seconds HAVING sum(sign) > 0 ORDER BY seconds`;
  const at = (rank: number) => {
    let seen = firstBefore;
    for (const row of rows) {
      seen += row.n;
      if (rank < seen) return row.seconds;
    }
    throw new Error(`kpi_spans lacks the ${stage} duration of rank ${rank}`);
  };
  const [low, high] = [at(ranks[0]!), at(ranks[1]!)];
  // percentile_cont's interpolation, in the same floating-point steps
  return { count, medianSeconds: ranks[0] === ranks[1] ? low : low + (high - low) * (position - ranks[0]!) };
}

async function stages(tx: Tx, sums: Sum[], filters: KpiFilters): Promise<KpiFacts['stages']> {
  const byStage = new Map<string, { bucket: bigint; count: number }[]>();
  for (const { figure, key, value } of sums) {
    if (!figure.startsWith('h:') || value === 0n) continue;
    const stage = figure.slice(2);
    byStage.set(stage, [...(byStage.get(stage) ?? []), { bucket: BigInt(key), count: Number(value) }]);
  }
  const result: KpiFacts['stages'] = [];
  for (const [stage, buckets] of byStage) {
    buckets.sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0));
    result.push({ stage, ...(await median(tx, stage, buckets, filters)) });
  }
  return result;
}

async function providers(tx: Tx, scopes: string[], top: number) {
  const per = await tx.$queryRaw<KpiFacts['topProviders']>`
    WITH per AS (
      SELECT key AS provider_id,
             coalesce(sum(value) FILTER (WHERE figure = 'pb'), 0)::int AS bookings,
             coalesce(sum(value) FILTER (WHERE figure = 'pot'), 0)::int AS "onTime",
             coalesce(sum(value) FILTER (WHERE figure = 'plt'), 0)::int AS late,
             coalesce(sum(value) FILTER (WHERE figure = 'prp'), 0)::int AS reports,
             coalesce(sum(value) FILTER (WHERE figure = 'pds'), 0)::int AS disputes
      FROM kpi_deltas WHERE scope = ANY(${scopes}::text[]) AND figure IN ('pb', 'pot', 'plt', 'prp', 'pds')
      GROUP BY key)
    SELECT p.id::text AS "providerId", p.name, p.kind::text AS kind, per.bookings, per.reports,
           per."onTime", per.late, per.disputes
    FROM per JOIN providers p ON p.id = per.provider_id::uuid
    WHERE per.bookings > 0
    ORDER BY per.bookings DESC, p.name, p.id`;
  const total = (field: 'bookings' | 'reports' | 'onTime' | 'late' | 'disputes') =>
    per.reduce((sum, p) => sum + p[field], 0);
  return {
    overall: {
      bookings: total('bookings'),
      reports: total('reports'),
      onTime: total('onTime'),
      late: total('late'),
      disputes: total('disputes'),
      publicServicePlatforms: per.filter((p) => p.kind === 'PUBLIC_SERVICE_PLATFORM').length,
    },
    ranked: per.slice(0, top),
  };
}

/** Everything the KPI report counts apart from the budget, from the kept figures of the scopes. */
export async function keptFigures(
  tx: Tx,
  scopes: string[],
  filters: KpiFilters,
  top: number,
): Promise<{ figures: Omit<KpiFacts, 'budget'>; appended: number }> {
  const sums = await tx.$queryRaw<(Sum & { extra: number })[]>`
    SELECT figure, key, sum(value)::bigint AS value, (count(*) - count(DISTINCT scope))::int AS extra
    FROM kpi_deltas WHERE scope = ANY(${scopes}::text[]) GROUP BY figure, key`;
  const of = (figure: string) => {
    const map = new Map<string, bigint>();
    for (const s of sums) if (s.figure === figure && s.value !== 0n) map.set(s.key, s.value);
    return map;
  };
  const count = (figure: string, key: string) => Number(of(figure).get(key) ?? 0n);
  const [issued, used, expired] = [of('mi'), of('mu'), of('me')];
  const months = [...new Set([...issued.keys(), ...used.keys(), ...expired.keys()])].sort();
  const [booked, accepted] = [of('cb'), of('ca')];
  const [inProvince, acceptedInProvince, subsidy] = [of('bk'), of('bka'), of('bks')];
  const { overall, ranked } = await providers(tx, scopes, top);
  const figures = {
    enterprisesServed: count('v', 'ent'),
    vouchers: {
      issued: count('v', 'issued'),
      used: count('v', 'used'),
      active: count('vs', 'ACTIVE'),
      usedUp: count('vs', 'USED'),
      expired: count('vs', 'EXPIRED'),
      revoked: count('vs', 'REVOKED'),
      faceValueFen: fenFromBigInt(of('v').get('face') ?? 0n),
      byMonth: months.map((month) => ({
        month,
        issued: Number(issued.get(month) ?? 0n),
        used: Number(used.get(month) ?? 0n),
        expired: Number(expired.get(month) ?? 0n),
      })),
    },
    bookingsByCategory: [...booked].map(([category, n]) => ({
      category,
      bookings: Number(n),
      accepted: Number(accepted.get(category) ?? 0n),
    })),
    bookingsByProvince: [...inProvince].map(([province, n]) => ({
      province,
      bookings: Number(n),
      accepted: Number(acceptedInProvince.get(province) ?? 0n),
      subsidyFen: fenFromBigInt(subsidy.get(province) ?? 0n),
    })),
    stages: await stages(tx, sums, filters),
    providers: overall,
    topProviders: ranked,
  };
  // rows beyond one per scope, figure and key: what a compaction would fold
  return { figures, appended: sums.reduce((n, s) => n + s.extra, 0) };
}

/**
 * Folds a scope's appended rows into one per figure and key. Concurrent writers only insert, and
 * rows appended meanwhile are left for the next time; one compaction runs at a time.
 */
export async function compactFigures(db: Db, scopes: string[]): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('kpi-compact'))`;
    await tx.$executeRaw`
      WITH gone AS (
        DELETE FROM kpi_deltas WHERE scope = ANY(${scopes}::text[]) RETURNING scope, figure, key, value)
      INSERT INTO kpi_deltas (scope, figure, key, value)
      SELECT scope, figure, key, sum(value) FROM gone GROUP BY scope, figure, key HAVING sum(value) <> 0`;
  });
}
