import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { countsAt } from '../bench/lib-scale-world';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const FACTOR = 0.01;

interface Timed {
  name: string;
  error?: string;
  ms?: { p50: number; p95: number; p99: number };
  met: boolean;
}
interface ExportRun {
  rows: number;
  rowsPerSecond: number;
  complete: boolean;
  rssMiB: { before: number | null; peak: number | null };
}
interface ScaleResult {
  settings: { factor: number; seed: number };
  seeding: {
    tables: { table: string; rows: number; rowsPerSecond: number }[];
    counts: { claims: number; auditEntries: number };
    byStatus: Record<'vouchers' | 'bookings' | 'claims', Record<string, number>>;
  };
  checks: {
    auditChainValid: boolean;
    everyProgrammeBalanced: boolean;
    kpiVouchers: { issued: number; active: number; usedUp: number; expired: number; revoked: number };
    kpiBookings: { total: number; accepted: number };
    kpiBudget: { programmes: number; budgetFen: number; totalFen: number };
  };
  lists: Timed[];
  kpis: Timed[];
  exports: { name: string; fast: ExportRun; slow: ExportRun; met: boolean }[];
  verification: { valid: boolean; checked: number; entriesPerSecond: number; met: boolean };
}

/**
 * The scale benchmark end to end at a hundredth of a country: it seeds, serves and measures, and what
 * it seeded is what the API reports. Its figures are not judged here: the machine running the tests is
 * busy with other tests.
 */
describe('npm run bench -- scale, at a hundredth of a country', () => {
  let result: ScaleResult;
  beforeAll(async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/run.ts',
        'scale',
        '--factor',
        String(FACTOR),
        '--repeat',
        '2',
        '--warm-up',
        '0',
        '--kpi-repeat',
        '1',
        '--slow-reader-seconds',
        '1',
      ],
      {
        cwd: ROOT,
        env: { ...process.env, BENCH_DATABASE_URL: inject('services').databaseUrl },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    result = JSON.parse(stdout) as ScaleResult;
  }, 600_000);

  const rowsOf = (table: string) => result.seeding.tables.find((t) => t.table === table)?.rows;
  const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);

  it('seeds every table at the factor, by COPY, with its rate', () => {
    const counts = countsAt(FACTOR);
    expect(rowsOf('enterprises')).toBe(counts.enterprises);
    expect(rowsOf('providers')).toBe(counts.providers);
    expect(rowsOf('applications')).toBe(counts.applications);
    expect(rowsOf('vouchers')).toBe(counts.vouchers);
    expect(rowsOf('bookings')).toBe(counts.bookings);
    expect(rowsOf('audit_log')).toBe(counts.auditEntries);
    expect(rowsOf('claims')).toBe(result.seeding.counts.claims);
    expect(rowsOf('users')).toBe(counts.enterprises + counts.providers + 3);
    for (const table of [
      'programmes',
      'ledger_accounts',
      'ledger_entries',
      'ledger_postings',
      'services',
      'payout_batches',
      'payout_transfers',
      'disputes',
      'approvals',
    ])
      expect(rowsOf(table), table).toBeGreaterThan(0);
    for (const t of result.seeding.tables) expect(t.rowsPerSecond, t.table).toBeGreaterThan(0);
    // most bookings settled, some in every open status the last weeks leave
    expect(result.seeding.byStatus.bookings.SETTLED! / counts.bookings).toBeGreaterThan(0.6);
    expect(Object.keys(result.seeding.byStatus.bookings).length).toBeGreaterThanOrEqual(9);
  });

  it('leaves an audit chain the API verifies, every programme balanced', () => {
    expect(result.checks.auditChainValid).toBe(true);
    expect(result.verification.valid).toBe(true);
    // the seeded entries and the two sign-ins of the run
    expect(result.verification.checked).toBe(countsAt(FACTOR).auditEntries + 2);
    expect(result.checks.everyProgrammeBalanced).toBe(true);
    expect(result.checks.kpiBudget.totalFen).toBe(result.checks.kpiBudget.budgetFen);
    expect(result.checks.kpiBudget.programmes).toBe(10);
  });

  it('reports through the KPIs what it seeded', () => {
    const { vouchers, bookings, claims } = result.seeding.byStatus;
    expect(result.checks.kpiVouchers).toMatchObject({
      issued: sum(vouchers),
      active: vouchers.ACTIVE ?? 0,
      usedUp: vouchers.USED ?? 0,
      expired: vouchers.EXPIRED ?? 0,
      revoked: vouchers.REVOKED ?? 0,
    });
    expect(result.checks.kpiBookings).toEqual({
      total: sum(bookings),
      accepted: (bookings.ACCEPTED ?? 0) + (bookings.SETTLED ?? 0),
    });
    // a claim for every accepted booking
    expect(sum(claims)).toBe(result.checks.kpiBookings.accepted);
  });

  it('measures every list, KPI, export and the verification, each with its figures', () => {
    expect(result.lists.length).toBeGreaterThan(50);
    for (const measured of [...result.lists, ...result.kpis]) {
      expect(measured.error, measured.name).toBeUndefined();
      expect(measured.ms?.p95, measured.name).toEqual(expect.any(Number));
      expect(measured.ms?.p99, measured.name).toEqual(expect.any(Number));
    }
    expect(result.kpis.map((k) => k.name)).toHaveLength(5);
    expect(result.exports.map((e) => e.name)).toEqual(['settlements CSV', 'audit export']);
    for (const e of result.exports) {
      expect(e.fast.complete, e.name).toBe(true);
      expect(e.fast.rows, e.name).toBeGreaterThan(1);
      expect(e.fast.rssMiB.peak, e.name).toEqual(expect.any(Number));
      expect(e.slow.rows, e.name).toBeGreaterThan(0);
    }
    // the settlements CSV: a header and a line per paid claim
    expect(result.exports[0]!.fast.rows).toBe((result.seeding.byStatus.claims.PAID ?? 0) + 1);
    expect(result.verification.entriesPerSecond).toBeGreaterThan(0);
  });
});
