/**
 * `npm run bench -- matching [--providers N] [--services-per-provider N] [--queries N] [--vocabulary broad|demo|both]`
 *
 * Matching latency on a catalog of 10,000 providers and 100,000 services, in a database created
 * for each scenario and dropped after it: through the HTTP API (authentication, rate limits,
 * validation, JSON) and through the matching function alone, for what the API runs (indexed
 * catalog, capacity mirror), for the indexed catalog reading capacity from the database on every
 * query, and for a naive baseline that scans the services table on every query. Prints JSON.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { z } from 'zod';
import { createApp } from '../api/app';
import { createApiDeps } from '../api/create-deps';
import { defineRoute } from '../api/http/route';
import { allRoutes } from '../api/routes';
import { postgresConfig } from '../config/database';
import { loadEnv } from '../config/env';
import { createDb } from '../db/client';
import { addDays, localDate } from '../domain/calendar';
import { DemandSchema, type Demand } from '../domain/demand';
import { PolicySchema } from '../domain/policy';
import { fullDays } from '../db/repositories/capacity';
import { createCatalogIndex } from '../db/repositories/catalog-index';
import { match, type CatalogSource, type ProgrammeTerms } from '../db/repositories/matching';
import { dropDatabase } from '../scripts/lib/database';
import { DISTRICTS } from '../scripts/demo-catalog-data';
import { benchDatabase } from './lib-database';
import { fullScanSource } from './lib-matching-baseline';
import { prng, standardsOf, TEMPLATES, writeCatalog } from './lib-matching-catalog';
import { machine, percentiles } from './machine';

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    providers: { type: 'string', default: '10000' },
    'services-per-provider': { type: 'string', default: '10' },
    queries: { type: 'string', default: '400' },
    'baseline-queries': { type: 'string', default: '60' },
    vocabulary: { type: 'string', default: 'both' },
  },
});
const queries = Number(args.queries);
const baselineQueries = Number(args['baseline-queries']);

function demands(count: number, today: string, broad: boolean, random: () => number): Demand[] {
  return Array.from({ length: count }, () => {
    // standards tested together: from one service's family, sometimes two
    const pick = () => standardsOf(TEMPLATES[Math.floor(random() * TEMPLATES.length)]!, broad, random);
    const pool = random() < 0.3 ? [...pick(), ...pick()] : pick();
    const wanted = [...new Set(pool.filter((_, i) => i === 0 || random() < 0.5))].slice(0, 3);
    return DemandSchema.parse({
      standards: wanted,
      sampleCount: 1 + Math.floor(random() * 4),
      latestCompletionDate: addDays(today, 14 + Math.floor(random() * 46)),
      ...(random() < 0.5
        ? { regionPreference: DISTRICTS[Math.floor(random() * DISTRICTS.length)]!.code }
        : {}),
    });
  });
}

async function timed(n: number, run: (i: number) => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

async function writeDatabase(databaseUrl: string, broad: boolean, today: string, random: () => number) {
  const pool = new pg.Pool(postgresConfig(databaseUrl, { max: 2 }));
  try {
    const started = performance.now();
    const size = {
      providers: Number(args.providers),
      servicesPerProvider: Number(args['services-per-provider']),
      usageRows: 50_000,
      broad,
    };
    const written = await writeCatalog(pool, size, today, random);
    const programmeId = randomUUID();
    const policy = PolicySchema.parse({
      crossRegionAllowed: true,
      crossRegionAreas: ['310000', '320000', '330000', '340000'],
    });
    await pool.query(
      `INSERT INTO programmes (id, name, authority, year, region_code, budget_fen, policy, created_by)
       VALUES ($1, '长三角检测券（基准）', '上海市经济和信息化委员会', 2026, '310000', 100000000, $2, $1)`,
      [programmeId, JSON.stringify(policy)],
    );
    return { ...written, providers: size.providers, programmeId, writeMs: performance.now() - started };
  } finally {
    await pool.end();
  }
}

async function scenario(vocabulary: 'broad' | 'demo') {
  const databaseUrl = await benchDatabase('matching');
  try {
    const today = localDate(new Date());
    const random = prng(20_231_123);
    const catalog = await writeDatabase(databaseUrl, vocabulary === 'broad', today, random);

    const env = loadEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '8',
      RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
    });
    const { deps, close } = createApiDeps(env);
    // the baselines read the catalog without the API's repositories: a pool of their own, as large
    const db = createDb(databaseUrl, env.DATABASE_POOL_SIZE);
    const naive = fullScanSource(db);
    const index = createCatalogIndex(db);
    const indexWithDirectCapacity: CatalogSource = {
      providersFor: (standards) => index.providersFor(standards),
      fullDays: (query) => fullDays(db, query),
    };
    const request = (demand: Demand, programme: ProgrammeTerms | undefined) => ({
      demand,
      programme,
      weights: env.MATCHING_WEIGHTS,
      leadDays: env.MATCHING_LEAD_DAYS,
      now: new Date(),
      limit: 20,
      nearMissLimit: 20,
    });
    const programmeOf = async (id: string | undefined) =>
      id ? ((await deps.repos.matching.programmeTerms(id)) ?? undefined) : undefined;

    const Browse = z.strictObject({ programmeId: z.uuid().optional(), demand: DemandSchema });
    const naiveRoute = defineRoute({
      method: 'post',
      path: '/bench/full-scan-matches',
      operationId: 'benchFullScanMatches',
      summary: 'matching over a full scan (benchmark only)',
      tags: ['bench'],
      access: ['SME'],
      request: { body: Browse },
      responses: { 200: { description: 'as POST /matches', schema: z.unknown() } },
      handler: async ({ body }) => ({
        status: 200,
        body: await match(naive, request(body.demand, await programmeOf(body.programmeId))),
      }),
    });
    const server = createApp(deps, [...allRoutes, naiveRoute]).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    const user = (await deps.repos.users.create({
      id: randomUUID(),
      email: `bench-${randomUUID()}@vouchers.test`,
      passwordHash: 'not-used',
      role: 'SME',
      displayName: 'bench',
      locale: 'zh-CN',
      emailVerifiedAt: new Date(),
    }))!;
    const { token } = await deps.tokens.issue({ ...user, tokenVersion: 0 });

    // half of the queries under a Yangtze River Delta programme, as a voucher's would be
    const programmeIdOf = (i: number) => (i % 2 === 0 ? catalog.programmeId : undefined);
    const asFunction = (source: CatalogSource | null) => async (demand: Demand, i: number) => {
      const programme = await programmeOf(programmeIdOf(i));
      return source
        ? match(source, request(demand, programme))
        : deps.repos.matching.match(request(demand, programme));
    };
    const overHttp = (path: string) => async (demand: Demand, i: number) => {
      const programmeId = programmeIdOf(i);
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ demand, ...(programmeId ? { programmeId } : {}) }),
      });
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
      return res.json();
    };

    const warmStarted = performance.now();
    const warmed = await deps.repos.matching.warm();
    const warmMs = performance.now() - warmStarted;
    await index.warm();

    const load = demands(queries, today, vocabulary === 'broad', random);
    const run = (fn: (d: Demand, i: number) => Promise<unknown>, n: number) =>
      timed(n, (i) => fn(load[i % load.length]!, i));
    // warm-up: JIT, connection pools, PostgreSQL caches
    await run(asFunction(null), 50);
    await run(overHttp('/matches'), 50);
    await run(asFunction(indexWithDirectCapacity), 20);
    await run(asFunction(naive), 5);

    const answers = await Promise.all(load.slice(0, 100).map((d, i) => asFunction(null)(d, i)));
    const latencyMs = {
      api: { function: await run(asFunction(null), queries), http: await run(overHttp('/matches'), queries) },
      indexWithDirectCapacityRead: { function: await run(asFunction(indexWithDirectCapacity), queries) },
      fullScan: {
        function: await run(asFunction(naive), baselineQueries),
        http: await run(overHttp('/bench/full-scan-matches'), baselineQueries),
      },
    };
    server.close();
    await Promise.all([close(), db.$disconnect()]);
    return {
      vocabulary,
      catalog: {
        providers: catalog.providers,
        services: catalog.services,
        usageRows: catalog.usageRows,
        standards: warmed.standards,
        writeSeconds: Math.round(catalog.writeMs / 100) / 10,
        cacheLoadMs: Math.round(warmMs),
      },
      answers: {
        medianProvidersConsidered: percentiles(answers.map((a) => a.totalCandidates + a.totalNearMisses)).p50,
        p95ProvidersConsidered: percentiles(answers.map((a) => a.totalCandidates + a.totalNearMisses)).p95,
        medianCandidates: percentiles(answers.map((a) => a.totalCandidates)).p50,
      },
      latencyMs,
      meetsTargets: latencyMs.api.function.p95 < 20 && latencyMs.api.http.p95 < 50,
    };
  } finally {
    await dropDatabase(databaseUrl);
  }
}

const vocabularies =
  args.vocabulary === 'both' ? (['broad', 'demo'] as const) : [args.vocabulary as 'broad' | 'demo'];
const results = [];
for (const vocabulary of vocabularies) results.push(await scenario(vocabulary));
console.log(
  JSON.stringify(
    {
      benchmark: 'matching',
      machine: machine(),
      queries: {
        count: queries,
        baselineCount: baselineQueries,
        mix: 'POST /matches; half under a Yangtze River Delta programme; 1–3 standards; 1–4 samples; deadline in 14–60 days; 20 candidates and 20 near misses returned',
      },
      targets: { functionP95Ms: 20, httpP95Ms: 50 },
      scenarios: results,
    },
    null,
    2,
  ),
);
