/**
 * `npm run bench -- scale [--factor 1] [--seed 20261127] [--repeat 30] [--kpi-repeat 10] [--warm-up 3]
 *   [--slow-reader-seconds 20] [--verify-path /audit/verify] [--keep] [--database URL]`
 *
 * A country's five years of testing vouchers, seeded with COPY into a database of the run's own
 * (migrated with the project's migrations), then read through the HTTP API the way administrators and
 * auditors read it: every list with each of its filters (first page and a page from the middle), the
 * KPIs, the settlements CSV and the audit export (fast and slow readers, with the API process's
 * memory), and the audit chain's verification. Prints one JSON document; each figure has its target.
 * At factor 1: 200,000 enterprises, 2,000 providers, 500,000 applications, 400,000 vouchers,
 * 1,000,000 bookings and 10,000,000 audit entries; every count scales with the factor.
 *
 * `--database` measures a database an earlier `--keep` run seeded (same factor and seed), migrated
 * to the current schema, without seeding it again; it is kept. Its verification records are removed
 * first, so that the first check covers the whole chain again.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { postgresConfig } from '../config/database';
import { dropDatabase, migrateDeploy } from '../scripts/lib/database';
import { freePort, waitFor } from '../scripts/lib/ports';
import { startProcess } from '../scripts/lib/processes';
import { PROJECT_ROOT } from '../scripts/lib/temporal-cli';
import { benchDatabase } from './lib-database';
import { kpiCases, listCases } from './lib-scale-cases';
import { download, getJson, latency, signIn, type Api } from './lib-scale-measure';
import { PROGRAMMES } from './lib-scale-life';
import { seedScale, STAFF } from './lib-scale-seed';
import { countsAt } from './lib-scale-world';
import { machine } from './machine';

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    factor: { type: 'string', default: '1' },
    seed: { type: 'string', default: '20261127' },
    repeat: { type: 'string', default: '30' },
    'warm-up': { type: 'string', default: '3' },
    'kpi-repeat': { type: 'string', default: '10' },
    'slow-reader-seconds': { type: 'string', default: '20' },
    // the verification to time: today's synchronous check, or a background job where one exists
    'verify-path': { type: 'string', default: '/audit/verify' },
    keep: { type: 'boolean', default: false },
    database: { type: 'string' },
  },
});
const factor = Number(args.factor);
const seed = Number(args.seed);
const repeat = Number(args.repeat);
const kpiRepeat = Number(args['kpi-repeat']);
const warmUp = Number(args['warm-up']);
const say = (line: string) => console.error(`[bench] ${line}`);
const STAFF_PASSWORD = 'Scale-bench-Pa55word!';
const TARGETS = {
  listP95Ms: 50,
  kpiP95Ms: 1000,
  exportRowsPerSecond: 50_000,
  verifyEntriesPerSecond: 100_000,
};

async function startApi(databaseUrl: string) {
  const port = await freePort();
  const child = startProcess('api', process.execPath, ['--import', 'tsx', 'api/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      DATABASE_URL: databaseUrl,
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      JWT_SECRET: randomBytes(32).toString('base64url'),
      // nothing here starts or signals a process: Temporal is never dialled
      TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
      RATE_LIMIT_LOGIN_PER_MINUTE: '1000000',
      RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
      // a whole export or verification of the log may take longer than a page
      REQUEST_TIMEOUT: '3h',
    },
    cwd: PROJECT_ROOT,
    onLine: (_name, line) => {
      if (/"level":(50|60)|error/i.test(line)) say(`api: ${line.slice(0, 300)}`);
    },
  });
  const url = `http://127.0.0.1:${port}/api/v1`;
  await waitFor('the API', async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 120_000);
  return { api: { url, pid: child.child.pid ?? 0 } satisfies Api, stop: () => child.stop() };
}

/** A request that fails is reported with its answer, and the run goes on to the next. */
async function measuredOrFailed(
  c: { name: string; path: string },
  run: () => Promise<Awaited<ReturnType<typeof latency>>>,
) {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    say(`${c.name}: FAILED ${message.slice(0, 200)}`);
    return { name: c.name, path: c.path, error: message.slice(0, 500), met: false };
  }
}

/** What the seeding wrote and how long each part took. */
function seedingReport(
  seeded: Awaited<ReturnType<typeof seedScale>>,
  analyzeSeconds: number,
  counts: ReturnType<typeof countsAt>,
) {
  const tally = seeded.plan.tally;
  return {
    seconds: seeded.seconds,
    planSeconds: seeded.planSeconds,
    vacuumAnalyzeSeconds: analyzeSeconds,
    tables: seeded.tables,
    kpiRebuildSeconds: seeded.kpiRebuildSeconds,
    counts: {
      ...counts,
      claims: Object.values(tally.claims).reduce((a, b) => a + b, 0),
      claimShareOfBookings:
        Math.round((1000 * Object.values(tally.claims).reduce((a, b) => a + b, 0)) / counts.bookings) / 1000,
      programmes: PROGRAMMES.length,
      payoutBatches: seeded.plan.batches.length,
      payoutTransfers: seeded.plan.transfers.length,
      disputes: seeded.plan.disputes.length,
      approvals: seeded.plan.approvals.length,
      ledgerEntries: tally.ledgerEntries,
      auditEntries: seeded.plan.events.length,
    },
    byStatus: {
      applications: tally.applications,
      vouchers: tally.vouchers,
      bookings: tally.bookings,
      claims: tally.claims,
    },
  };
}

async function main() {
  const counts = countsAt(factor);
  say(`factor ${factor}, seed ${seed}: ${JSON.stringify(counts)}`);
  const reused = args.database;
  const keep = args.keep || reused !== undefined;
  const databaseUrl = reused ?? (await benchDatabase('scale'));
  const pool = new pg.Pool(postgresConfig(databaseUrl, { max: 2 }));
  let stopApi: (() => Promise<void>) | null = null;
  try {
    let seeding: object = { reused: true };
    if (reused) {
      await migrateDeploy(databaseUrl);
      await pool.query('DELETE FROM audit_verifications');
      say(`measuring the kept database ${databaseUrl}`);
    } else {
      const seeded = await seedScale({ databaseUrl, seed, counts, staffPassword: STAFF_PASSWORD, say });
      say(`seeded in ${seeded.seconds} s`);
      const analyze = performance.now();
      await pool.query('VACUUM ANALYZE');
      const analyzeSeconds = Math.round(performance.now() - analyze) / 1000;
      say(`vacuum analyze in ${analyzeSeconds} s`);
      seeding = seedingReport(seeded, analyzeSeconds, counts);
    }

    const started = await startApi(databaseUrl);
    stopApi = started.stop;
    const { api } = started;
    const admin = await signIn(api, STAFF[0].email, STAFF_PASSWORD);
    const auditor = await signIn(api, STAFF[2].email, STAFF_PASSWORD);
    const programme = PROGRAMMES.find((p) => p.year === 2026 && p.index < 5)!;

    const lists = [];
    for (const c of await listCases(pool, programme.id)) {
      const result = await measuredOrFailed(c, () =>
        latency(api, admin, c.name, c.path, {
          repeat,
          warmUp,
          targetP95Ms: TARGETS.listP95Ms,
        }),
      );
      if ('ms' in result) say(`${c.name}: p95 ${result.ms.p95} ms (${result.items} items)`);
      lists.push(result);
    }
    const kpis = [];
    for (const c of kpiCases(programme.id)) {
      const result = await measuredOrFailed(c, () =>
        latency(api, auditor, c.name, c.path, {
          repeat: kpiRepeat,
          warmUp: Math.min(1, warmUp),
          targetP95Ms: TARGETS.kpiP95Ms,
        }),
      );
      if ('ms' in result) say(`${c.name}: p95 ${result.ms.p95} ms`);
      kpis.push(result);
    }

    const exports = [];
    for (const [name, path] of [
      ['settlements CSV', '/reports/settlements.csv'],
      ['audit export', '/audit/export'],
    ] as const) {
      const fast = await download(api, auditor, path, { kind: 'fast' });
      say(
        `${name}, fast reader: ${fast.rows} rows at ${fast.rowsPerSecond}/s, RSS peak ${fast.rssMiB.peak} MiB`,
      );
      const slow = await download(api, auditor, path, {
        kind: 'slow',
        bytesPerSecond: 2 * 1024 * 1024,
        maxSeconds: Number(args['slow-reader-seconds']),
      });
      say(
        `${name}, slow reader: ${slow.rows} rows in ${slow.seconds} s, RSS growth ${slow.rssMiB.growth} MiB`,
      );
      exports.push({
        name,
        path,
        fast,
        slow: { ...slow, bytesPerSecondLimit: 2 * 1024 * 1024 },
        targetRowsPerSecond: TARGETS.exportRowsPerSecond,
        met: fast.complete && fast.rowsPerSecond >= TARGETS.exportRowsPerSecond,
      });
    }

    const verifyStarted = performance.now();
    const verification = await getJson<{ valid: boolean; checked: number }>(
      api,
      auditor,
      args['verify-path'],
    );
    const verifySeconds = (performance.now() - verifyStarted) / 1000;
    const entriesPerSecond = Math.round(verification.checked / verifySeconds);
    say(
      `${args['verify-path']}: ${verification.checked} entries in ${verifySeconds.toFixed(1)} s, valid ${verification.valid}`,
    );

    const kpi = await getJson<{
      vouchers: Record<string, number>;
      budget: { balanced: boolean; programmes: number; budgetFen: number; totalFen: number };
      bookings: { total: number; accepted: number };
    }>(api, auditor, '/reports/kpis');
    console.log(
      JSON.stringify(
        {
          benchmark: 'scale',
          machine: machine(),
          settings: { factor, seed, repeat, kpiRepeat, warmUp },
          method:
            'The seeded country is written with COPY FROM STDIN into a database migrated by `prisma migrate deploy`, tables in ' +
            'foreign-key order with the KPI figures\u2019 triggers off, the figures then counted once by kpi_rebuild(), then VACUUM ANALYZE. One API process (as `npm run api` starts it) serves sequential requests ' +
            'from this process over loopback; latencies are per request, after a warm-up, as p50/p95/p99 in ms. Export rows/s ' +
            'count the lines of a whole download; the slow reader holds the socket to 2 MiB/s and is cut off after a bounded ' +
            'time. RSS is the API process’s VmRSS from /proc, sampled every 50 ms. PostgreSQL is the local server on the same machine.',
          seeding,
          checks: {
            auditChainValid: verification.valid,
            kpiVouchers: Object.fromEntries(
              Object.entries(kpi.vouchers).filter(([key]) => key !== 'byMonth'),
            ),
            kpiBookings: { total: kpi.bookings.total, accepted: kpi.bookings.accepted },
            // the KPI endpoint's budget.balanced: every programme's accounts sum to its budget, none negative
            everyProgrammeBalanced: kpi.budget.balanced,
            kpiBudget: {
              programmes: kpi.budget.programmes,
              budgetFen: kpi.budget.budgetFen,
              totalFen: kpi.budget.totalFen,
            },
          },
          lists,
          kpis,
          exports,
          verification: {
            path: args['verify-path'],
            valid: verification.valid,
            checked: verification.checked,
            seconds: Math.round(verifySeconds * 1000) / 1000,
            entriesPerSecond,
            targetEntriesPerSecond: TARGETS.verifyEntriesPerSecond,
            met: verification.valid && entriesPerSecond >= TARGETS.verifyEntriesPerSecond,
          },
          summary: {
            listsMet: `${lists.filter((l) => l.met).length}/${lists.length}`,
            kpisMet: `${kpis.filter((k) => k.met).length}/${kpis.length}`,
            exportsMet: `${exports.filter((e) => e.met).length}/${exports.length}`,
          },
          database: keep ? databaseUrl : null,
        },
        null,
        2,
      ),
    );
  } finally {
    if (stopApi) await stopApi();
    await pool.end();
    if (keep) say(`kept ${databaseUrl}`);
    else await dropDatabase(databaseUrl);
  }
}

await main();
