import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createApiDeps } from '../api/create-deps';
import type { ApiDeps } from '../api/deps';
import { withDatabase } from '../config/database';
import { loadEnv } from '../config/env';
import { createDb, type Db } from '../db/client';
import { createLogger } from '../infra/logger';
import { prepareNamespace } from '../infra/temporal-namespace';
import { dropDatabase } from '../scripts/lib/database';
import { startFront } from '../scripts/lib/front';
import { startTemporalDevServer, type LocalTemporal } from '../scripts/lib/local-temporal';
import { freePort, waitFor } from '../scripts/lib/ports';
import { startProcess, type ManagedProcess } from '../scripts/lib/processes';
import { PROJECT_ROOT, resolveTemporalCli } from '../scripts/lib/temporal-cli';
import { freeServerPorts, setupTemporalSchema, startClusterTemporal } from '../scripts/lib/temporal-cluster';
import { resolveTemporalServer } from '../scripts/lib/temporal-server';
import { workflowBundle } from '../scripts/lib/workflow-bundle';
import { benchDatabase } from './lib-database';
import { machineCpu, processCpu } from './lib-measure';
import { startMailProcess } from './lib-mail-process';

export type TemporalKind = 'dev server' | 'cluster';

export interface ShapeStack {
  kind: TemporalKind;
  /** the front over the API instances, or the one API instance itself */
  apiUrl: string;
  /** API dependencies in this process, for the scene set in the database (users, tokens) */
  api: ApiDeps;
  db: Db;
  client: Client;
  /** the bearer token of the API processes' `/metrics` */
  metricsToken: string;
  /** every process of the stack but PostgreSQL, for their CPU time */
  pids: { temporal: number | null; smtp: number | null; workers: number[]; apis: number[] };
  stop(): Promise<void>;
}

/**
 * The production shape around one kind of Temporal server: W worker and A API processes (started as
 * `npm run cluster` starts them) behind the round-robin front, a fresh application database, an SMTP
 * relay that keeps nothing. The server is the dev server (SQLite in memory) or the production server
 * on PostgreSQL with the given history shards, in databases of the run's own.
 */
export async function startShapeStack(options: {
  kind: TemporalKind;
  workers: number;
  apis: number;
  shards: number;
  poolSize: number;
  bundlePath: string;
  say: (line: string) => void;
}): Promise<ShapeStack> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch((error: unknown) => console.error(error));
  };
  try {
    const databaseUrl = await benchDatabase('shape');
    stops.push(() => dropDatabase(databaseUrl));

    let temporal: LocalTemporal;
    if (options.kind === 'dev server') {
      const cli = await resolveTemporalCli(options.say);
      if (!cli) throw new Error('no Temporal CLI: set TEMPORAL_CLI_PATH or install Go to build it');
      temporal = await startTemporalDevServer(cli.path, { port: await freePort() });
    } else {
      const tools = await resolveTemporalServer(options.say);
      if (!tools) throw new Error('no Temporal server: install Go to build it');
      const base = withDatabase(databaseUrl, 'postgres');
      const run = `${process.pid}_${Date.now()}`;
      const serverOptions = {
        postgresUrl: base,
        database: `temporal_bench_${run}`,
        visibilityDatabase: `temporal_visibility_bench_${run}`,
        historyShards: options.shards,
        ports: await freeServerPorts(),
        logLevel: 'error',
        sqlMaxConns: 6,
        onLine: (line: string) => options.say(`temporal: ${line}`),
      };
      stops.push(async () => {
        await dropDatabase(withDatabase(base, serverOptions.database));
        await dropDatabase(withDatabase(base, serverOptions.visibilityDatabase));
      });
      await setupTemporalSchema(tools, serverOptions);
      temporal = await startClusterTemporal(tools, serverOptions);
    }
    stops.push(temporal.stop);
    await prepareNamespace(temporal.address, 'default', { retentionDays: 1, timeoutMs: 60_000 });
    const mail = await startMailProcess();
    stops.push(mail.stop);

    const childEnv: Record<string, string> = {
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: String(options.poolSize),
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: 'bench-journeys',
      SMTP_URL: mail.smtpUrl,
      WORKFLOW_BUNDLE_PATH: options.bundlePath,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      METRICS_TOKEN: randomBytes(32).toString('base64url'),
      // every simulated user calls from 127.0.0.1: the per-IP limits would throttle the load itself
      RATE_LIMIT_LOGIN_PER_MINUTE: '1000000',
      RATE_LIMIT_REGISTER_PER_HOUR: '1000000',
      RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
      // throughput at saturation: requests wait for their process instead of answering 503
      PROCESS_ANSWER_WITHIN: '10m',
      TRUST_PROXY: 'loopback',
      API_HOST: '127.0.0.1',
    };
    const env = loadEnv(childEnv);
    const spawned: ManagedProcess[] = [];
    const onLine = (name: string, line: string) => {
      if (/"level":(50|60)|error/i.test(line)) options.say(`${name}: ${line.slice(0, 2000)}`);
    };
    for (let i = 1; i <= options.workers; i += 1) {
      spawned.push(
        startProcess(`worker-${i}`, process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
          env: { ...process.env, ...childEnv },
          cwd: PROJECT_ROOT,
          onLine,
        }),
      );
    }
    const apiPorts: number[] = [];
    for (let i = 1; i <= options.apis; i += 1) {
      const port = await freePort();
      apiPorts.push(port);
      spawned.push(
        startProcess(`api-${i}`, process.execPath, ['--import', 'tsx', 'api/main.ts'], {
          env: { ...process.env, ...childEnv, API_PORT: String(port) },
          cwd: PROJECT_ROOT,
          onLine,
        }),
      );
    }
    stops.push(() => Promise.all(spawned.map((p) => p.stop())));
    for (const port of apiPorts) {
      await waitFor(
        `the API on ${port}`,
        async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
        120_000,
      );
    }
    // one API instance is reached directly, as `npm start` serves it; more share the round-robin front
    let apiUrl = `http://127.0.0.1:${apiPorts[0]}`;
    if (apiPorts.length > 1) {
      const front = await startFront({ upstreams: apiPorts.map((port) => `127.0.0.1:${port}`), port: 0 });
      stops.push(() => front.close());
      apiUrl = front.url;
    }

    const logger = createLogger(env, 'bench', 2);
    const { deps, close } = createApiDeps(env, { logger });
    stops.push(close);
    const db = createDb(databaseUrl, 4);
    stops.push(() => db.$disconnect());
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
    const pid = (p: ManagedProcess) => p.child.pid ?? 0;
    return {
      kind: options.kind,
      apiUrl,
      api: deps,
      db,
      client,
      metricsToken: childEnv.METRICS_TOKEN!,
      pids: {
        temporal: temporal.pid,
        smtp: mail.pid,
        workers: spawned.filter((p) => p.name.startsWith('worker')).map(pid),
        apis: spawned.filter((p) => p.name.startsWith('api')).map(pid),
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

async function cpuOf(pids: (number | null)[]): Promise<number> {
  let sum = 0;
  for (const pid of pids) sum += (await processCpu(pid)) ?? 0;
  return sum;
}

/** The CPU seconds each part of the stack spent while `run` ran, and the whole machine's. */
export async function measuredShape<T>(stack: ShapeStack, run: () => Promise<T>) {
  const parts = {
    temporalServer: [stack.pids.temporal],
    workers: stack.pids.workers,
    apis: stack.pids.apis,
    smtp: [stack.pids.smtp],
  };
  const before = Object.fromEntries(
    await Promise.all(Object.entries(parts).map(async ([k, pids]) => [k, await cpuOf(pids)] as const)),
  );
  const own = process.cpuUsage();
  const machineBefore = await machineCpu();
  const result = await run();
  const machineAfter = await machineCpu();
  const ownAfter = process.cpuUsage(own);
  const seconds: Record<string, number> = {};
  for (const [k, pids] of Object.entries(parts)) seconds[k] = round((await cpuOf(pids)) - before[k]!);
  seconds.benchProcess = round((ownAfter.user + ownAfter.system) / 1e6);
  seconds.machineBusy = machineBefore && machineAfter ? round(machineAfter.busy - machineBefore.busy) : NaN;
  return { result, cpuSeconds: seconds };
}

/** The workflow bundle every worker of both stacks loads, made once for the run. */
export async function benchBundle(dir: string): Promise<string> {
  return (await workflowBundle(dir, undefined)).path;
}
