import type pg from 'pg';
import { APPLICATION_STATUSES, VOUCHER_STATUSES } from '../domain/application';
import { APPROVAL_KINDS, APPROVAL_STATUSES } from '../domain/approval';
import { BOOKING_STATUSES } from '../domain/booking';
import { PROVIDER_STATUSES } from '../domain/catalog';
import { CLAIM_STATUSES } from '../domain/claim';
import { middleCursor } from './lib-scale-measure';

/**
 * Every list an administrator or auditor pages through, with each filter it offers: the first page
 * and a page from the middle of the list (a cursor made from the row half-way down, as a reader who
 * paged that far would hold).
 */
export interface ListCase {
  name: string;
  path: string;
}

interface Paged {
  path: string;
  table: string;
  time: string;
  filters: { name: string; query: Record<string, string>; where: string; params: unknown[] }[];
}

export async function listCases(pool: pg.Pool, programmeId: string): Promise<ListCase[]> {
  const one = async (sql: string) => (await pool.query<{ v: string }>(sql)).rows[0]?.v ?? null;
  const voucherId = await one(
    `SELECT voucher_id::text AS v FROM bookings GROUP BY voucher_id ORDER BY count(*) DESC, voucher_id LIMIT 1`,
  );
  const byStatus = (statuses: readonly string[], column = 'status') =>
    statuses.map((status) => ({
      name: `status=${status}`,
      query: { status },
      where: `${column} = $1`,
      params: [status],
    }));
  const byProgramme = {
    name: 'programme',
    query: { programmeId },
    where: 'programme_id = $1',
    params: [programmeId],
  };
  const all = { name: 'all', query: {}, where: 'TRUE', params: [] };
  const paged: Paged[] = [
    {
      path: '/applications',
      table: 'applications',
      time: 'created_at',
      filters: [all, ...byStatus(APPLICATION_STATUSES), byProgramme],
    },
    {
      path: '/vouchers',
      table: 'vouchers',
      time: 'issued_at',
      filters: [all, ...byStatus(VOUCHER_STATUSES), byProgramme],
    },
    {
      path: '/bookings',
      table: 'bookings',
      time: 'created_at',
      filters: [
        all,
        ...byStatus(BOOKING_STATUSES),
        ...(voucherId
          ? [{ name: 'voucher', query: { voucherId }, where: 'voucher_id = $1', params: [voucherId] }]
          : []),
      ],
    },
    {
      path: '/claims',
      table: 'claims',
      time: 'created_at',
      filters: [all, ...byStatus(CLAIM_STATUSES), byProgramme],
    },
    {
      path: '/providers',
      table: 'providers',
      time: 'created_at',
      filters: [
        all,
        ...byStatus(PROVIDER_STATUSES),
        {
          name: 'awaitingVerification',
          query: { awaitingVerification: 'true' },
          where: 'pending_accreditations IS NOT NULL',
          params: [],
        },
      ],
    },
    {
      path: '/admin/users',
      table: 'users',
      time: 'created_at',
      filters: [
        all,
        ...['SME', 'PROVIDER', 'ADMIN', 'AUDITOR'].map((role) => ({
          name: `role=${role}`,
          query: { role },
          where: 'role = $1',
          params: [role],
        })),
        {
          name: 'search',
          query: { search: 'sme1' },
          where: `(email ILIKE '%sme1%' OR display_name ILIKE '%sme1%')`,
          params: [],
        },
      ],
    },
  ];
  const cases: ListCase[] = [];
  for (const list of paged) {
    for (const filter of list.filters) {
      const query = new URLSearchParams({ limit: '50', ...filter.query });
      cases.push({
        name: `${list.path} ${filter.name} first page`,
        path: `${list.path}?${query.toString()}`,
      });
      const cursor = await middleCursor(pool, list.table, list.time, filter.where, filter.params);
      if (cursor)
        cases.push({
          name: `${list.path} ${filter.name} middle page`,
          path: `${list.path}?${query.toString()}&cursor=${cursor}`,
        });
    }
  }
  // approvals list pending first, then newest: the first page of each filter
  const approvalFilters: Record<string, string>[] = [
    {},
    ...APPROVAL_STATUSES.map((status) => ({ status })),
    ...APPROVAL_KINDS.map((kind) => ({ kind })),
    { programmeId },
  ];
  for (const filter of approvalFilters) {
    const query = new URLSearchParams({ limit: '50', ...filter });
    cases.push({
      name: `/approvals ${
        Object.entries(filter)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ') || 'all'
      } first page`,
      path: `/approvals?${query.toString()}`,
    });
  }
  for (const status of ['', 'OPEN', 'RESOLVED']) {
    const query = new URLSearchParams({ limit: '50', ...(status ? { status } : {}) });
    cases.push({ name: `/disputes ${status || 'all'}`, path: `/disputes?${query.toString()}` });
  }
  cases.push({ name: '/disputes programme', path: `/disputes?limit=50&programmeId=${programmeId}` });
  cases.push({ name: '/programs', path: '/programs?limit=50' });
  // /programs/:id/payout-batches and /processes also ask Temporal (the payout schedule, the runs): not here
  cases.push({ name: '/worklist (administrator)', path: '/worklist' });

  // the audit log pages by sequence number
  const total = Number(await one(`SELECT seq::text AS v FROM audit_chain`));
  const entity = await one(
    `SELECT entity_id AS v FROM audit_log WHERE entity_type = 'booking' AND seq > ${Math.floor(total / 2)} ORDER BY seq LIMIT 1`,
  );
  const actor = await one(
    `SELECT actor_id AS v FROM audit_log WHERE actor_role = 'PROVIDER' AND seq > ${Math.floor(total / 2)} ORDER BY seq LIMIT 1`,
  );
  const middle = String(Math.floor(total / 2));
  const auditFilters: Record<string, string>[] = [
    {},
    { entityType: 'booking' },
    { action: 'REPORT_ACCEPTED' },
    { entityType: 'booking', entityId: entity ?? '' },
    { actorId: actor ?? '' },
    { from: '2023-12-31T16:00:00Z', to: '2024-01-31T16:00:00Z' },
  ];
  for (const filter of auditFilters) {
    const label = Object.keys(filter).join('+') || 'all';
    const query = new URLSearchParams({ limit: '100', ...filter });
    cases.push({ name: `/audit ${label} first page`, path: `/audit?${query.toString()}` });
    cases.push({ name: `/audit ${label} middle page`, path: `/audit?${query.toString()}&after=${middle}` });
  }
  return cases;
}

export function kpiCases(programmeId: string): ListCase[] {
  return [
    { name: 'KPIs unfiltered', path: '/reports/kpis' },
    { name: 'KPIs by programme', path: `/reports/kpis?programmeId=${programmeId}` },
    { name: 'KPIs by province (Guangdong)', path: '/reports/kpis?regionCode=44' },
    { name: 'KPIs by city (Shenzhen)', path: '/reports/kpis?regionCode=4403' },
    { name: 'KPIs by industry (electronics)', path: '/reports/kpis?industry=electronics' },
  ];
}
