/**
 * `npm run bench -- audit [--n 1000000] [--claims 200000] [--samples 30]`
 *
 * The audit log and the settlements at volume, in a database created for the run and dropped after it:
 * fills a chain of n entries and `claims` paid claims, then measures, through the API in this process,
 * the NDJSON export and the settlements CSV (rows/s), the everyday
 * verification of the whole chain (`GET /audit/verify`, entries/s; the first one covers everything),
 * the list's first and deep pages with each filter (p95 ms), and, beside the API, the verification
 * as it was before (Prisma objects and the generic canonicaliser) on the first 100,000 entries.
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createApp } from '../api/app';
import { createApiDeps } from '../api/create-deps';
import { allRoutes } from '../api/routes';
import { postgresConfig } from '../config/database';
import { loadEnv } from '../config/env';
import { createDb } from '../db/client';
import { toChainedEntry } from '../db/repositories/audit';
import { auditHash, GENESIS_HASH } from '../domain/audit';
import { dropDatabase } from '../scripts/lib/database';
import { fillAuditChain } from './lib-audit-fill';
import { fillPaidClaims } from './lib-claims-fill';
import { benchDatabase } from './lib-database';
import { machine, percentiles } from './machine';

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    n: { type: 'string', default: '1000000' },
    claims: { type: 'string', default: '200000' },
    samples: { type: 'string', default: '30' },
  },
});
const n = Number(args.n);
const claims = Number(args.claims);
const samples = Number(args.samples);
const say = (line: string) => console.error(`[bench] ${line}`);

/** The verification as it was: Prisma objects, the generic canonicaliser, one page after another. */
async function previousVerification(databaseUrl: string, upTo: number) {
  const db = createDb(databaseUrl, 2);
  try {
    const start = performance.now();
    let prev = GENESIS_HASH;
    let after = 0n;
    let checked = 0;
    while (checked < upTo) {
      const rows = await db.auditEntry.findMany({
        where: { seq: { gt: after } },
        orderBy: { seq: 'asc' },
        take: 1000,
      });
      if (!rows.length) break;
      for (const row of rows.map(toChainedEntry)) {
        const { seq: _s, prevHash, hash, ...content } = row;
        if (prevHash !== prev || auditHash(prevHash, content) !== hash)
          throw new Error(`break at ${row.seq}`);
        prev = hash;
        checked += 1;
      }
      after = rows[rows.length - 1]!.seq;
    }
    return Math.round(checked / ((performance.now() - start) / 1000));
  } finally {
    await db.$disconnect();
  }
}

async function main() {
  const databaseUrl = await benchDatabase('audit');
  const pool = new pg.Pool(postgresConfig(databaseUrl, { max: 2 }));
  const env = loadEnv({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '5',
    TEMPORAL_ADDRESS: '127.0.0.1:1',
    SMTP_URL: 'smtp://127.0.0.1:1',
    PUBLIC_URL: 'http://vouchers.bench',
    JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
    METRICS_TOKEN: 'bench-metrics-token-that-is-long-enough-0123456789',
    RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
  });
  const { deps, close } = createApiDeps(env);
  const server = createApp(deps, allRoutes).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  try {
    let t = performance.now();
    await fillAuditChain(pool, n, (done) => done % 100_000 === 0 && say(`filled ${done}`));
    const fillSeconds = (performance.now() - t) / 1000;
    say(`filled ${n} entries in ${fillSeconds.toFixed(1)} s`);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    const user = await deps.repos.users.create({
      id: crypto.randomUUID(),
      email: 'auditor@bench.vouchers.test',
      passwordHash: '-',
      role: 'AUDITOR',
      displayName: 'bench',
      locale: 'en',
      enterpriseId: null,
      providerId: null,
      emailVerifiedAt: new Date(),
    });
    const { token } = await deps.tokens.issue({ ...user!, tokenVersion: 0 });
    const get = (path: string) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });

    t = performance.now();
    const exported = await get('/audit/export');
    let lines = 0;
    for await (const chunk of exported.body! as AsyncIterable<Uint8Array>) {
      const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      for (let at = buffer.indexOf(10); at >= 0; at = buffer.indexOf(10, at + 1)) lines += 1;
    }
    const exportRowsPerSecond = Math.round(lines / ((performance.now() - t) / 1000));
    say(`export: ${lines} lines, ${exportRowsPerSecond} rows/s`);

    await fillPaidClaims(pool, claims);
    const countLines = async (path: string) => {
      const start = performance.now();
      const res = await get(path);
      let count = 0;
      for await (const chunk of res.body! as AsyncIterable<Uint8Array>) {
        const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        for (let at = buffer.indexOf(10); at >= 0; at = buffer.indexOf(10, at + 1)) count += 1;
      }
      return Math.round((count - 1) / ((performance.now() - start) / 1000));
    };
    const settlementRowsPerSecond = await countLines('/reports/settlements.csv');
    say(`settlements: ${claims} rows, ${settlementRowsPerSecond} rows/s`);

    t = performance.now();
    const verification = (await (await get('/audit/verify')).json()) as { valid: boolean; checked: number };
    const verifyEntriesPerSecond = Math.round(verification.checked / ((performance.now() - t) / 1000));
    say(`verify: ${JSON.stringify(verification)}, ${verifyEntriesPerSecond} entries/s`);
    const previousEntriesPerSecond = await previousVerification(databaseUrl, Math.min(n, 100_000));
    say(`verification as before: ${previousEntriesPerSecond} entries/s`);

    const deep = String(Math.floor(n * 0.9));
    const filters: Record<string, string> = {
      none: '',
      action: 'action=BENCH_ACTION_7',
      entity: `entityType=voucher&entityId=00000000-0000-4000-9000-${String(2).padStart(12, '0')}`,
      actor: `actorId=00000000-0000-4000-8000-${String(1234).padStart(12, '0')}`,
      time: `from=${new Date(Date.UTC(2021, 0, 1) + n * 500).toISOString()}&to=${new Date(Date.UTC(2021, 0, 1) + n * 800).toISOString()}`,
    };
    const list: Record<
      string,
      { first: ReturnType<typeof percentiles>; deep: ReturnType<typeof percentiles> }
    > = {};
    for (const [name, query] of Object.entries(filters)) {
      const measure = async (path: string) => {
        const times: number[] = [];
        for (let i = 0; i < samples; i += 1) {
          const s = performance.now();
          const res = await get(path);
          if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
          await res.arrayBuffer();
          times.push(performance.now() - s);
        }
        return percentiles(times);
      };
      list[name] = {
        first: await measure(`/audit?limit=100&${query}`),
        deep: await measure(`/audit?limit=100&after=${deep}&${query}`),
      };
      say(`list ${name}: first p95 ${list[name].first.p95} ms, deep p95 ${list[name].deep.p95} ms`);
    }
    console.log(
      JSON.stringify(
        {
          benchmark: 'audit',
          machine: machine(),
          settings: { entries: n, claims, samples },
          results: {
            fillSeconds,
            exportRowsPerSecond,
            settlementRowsPerSecond,
            verifyEntriesPerSecond,
            previousEntriesPerSecond,
            list,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    server.close();
    await close();
    await pool.end();
    await dropDatabase(databaseUrl);
  }
}

await main();
