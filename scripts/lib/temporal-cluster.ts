import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { postgresConfig } from '../../config/database';
import type { LocalTemporal } from './local-temporal';
import { portInUse, waitFor } from './ports';
import { stopProcess } from './processes';
import { PROJECT_ROOT } from './temporal-cli';
import type { ServerTools } from './temporal-server';

/** infra/temporal: config/cluster.yaml, its dynamic config and schema.sh, shared with docker-compose.yml */
const SERVER_ROOT = path.join(PROJECT_ROOT, 'infra', 'temporal');

export interface ServerPorts {
  frontend: number;
  http: number;
  history: number;
  matching: number;
  worker: number;
  frontendMembership: number;
  historyMembership: number;
  matchingMembership: number;
  workerMembership: number;
}

/** The server's ports laid out as Temporal's defaults are around 7233, around another frontend port. */
export function portsAround(frontend: number): ServerPorts {
  return {
    frontend,
    http: frontend + 10,
    history: frontend + 1,
    matching: frontend + 2,
    worker: frontend + 6,
    frontendMembership: frontend - 300,
    historyMembership: frontend - 299,
    matchingMembership: frontend - 298,
    workerMembership: frontend - 294,
  };
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Free ports for a server beside others (tests, benchmarks), laid out as portsAround. Below the OS's
 * ephemeral range: the server stores its membership ports in a smallint column (at most 32767).
 */
export async function freeServerPorts(): Promise<ServerPorts> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const ports = portsAround(10_300 + Math.floor(Math.random() * 22_000));
    let free = true;
    for (const port of Object.values(ports) as number[]) free &&= await bindable(port);
    if (free) return ports;
  }
  throw new Error('no free ports for a Temporal server below 32768');
}

export interface ClusterTemporalOptions {
  /** any URL of the PostgreSQL server the Temporal databases live on (its database name is not used) */
  postgresUrl: string;
  database: string;
  visibilityDatabase: string;
  /** fixed when the databases are first set up */
  historyShards: number;
  ports: ServerPorts;
  logLevel?: string;
  /**
   * Connections each of the server's four services may open to the history store (visibility gets a
   * quarter): one process runs all four, so it holds up to 4 × 1.25 × this many.
   */
  sqlMaxConns?: number;
  onLine?: (line: string) => void;
}

/** The environment config/cluster.yaml and schema.sh read. */
function serverEnv(options: ClusterTemporalOptions): NodeJS.ProcessEnv {
  const pg = postgresConfig(options.postgresUrl);
  const p = options.ports;
  return {
    PATH: process.env.PATH,
    POSTGRES_SEEDS: pg.host ?? '127.0.0.1',
    DB_PORT: String(pg.port ?? 5432),
    POSTGRES_USER: pg.user ?? 'postgres',
    POSTGRES_PWD: typeof pg.password === 'string' ? pg.password : '',
    DBNAME: options.database,
    VISIBILITY_DBNAME: options.visibilityDatabase,
    NUM_HISTORY_SHARDS: String(options.historyShards),
    SQL_MAX_CONNS: String(options.sqlMaxConns ?? 8),
    SQL_VIS_MAX_CONNS: String(Math.max(2, Math.ceil((options.sqlMaxConns ?? 8) / 4))),
    TEMPORAL_LOG_LEVEL: options.logLevel ?? 'warn',
    FRONTEND_GRPC_PORT: String(p.frontend),
    FRONTEND_HTTP_PORT: String(p.http),
    HISTORY_GRPC_PORT: String(p.history),
    MATCHING_GRPC_PORT: String(p.matching),
    WORKER_GRPC_PORT: String(p.worker),
    FRONTEND_MEMBERSHIP_PORT: String(p.frontendMembership),
    HISTORY_MEMBERSHIP_PORT: String(p.historyMembership),
    MATCHING_MEMBERSHIP_PORT: String(p.matchingMembership),
    WORKER_MEMBERSHIP_PORT: String(p.workerMembership),
    DYNAMIC_CONFIG_FILE_PATH: path.join(SERVER_ROOT, 'config', 'dynamicconfig', 'cluster.yaml'),
  };
}

function forwardLines(child: ChildProcess, onLine?: (line: string) => void, keep?: string[]) {
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      keep?.push(line);
      onLine?.(line);
    }
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
}

/**
 * infra/temporal/schema.sh with the go-installed sql tool: creates the two databases when missing and
 * migrates their schemas to the release's newest version. Idempotent.
 */
export async function setupTemporalSchema(
  tools: ServerTools,
  options: ClusterTemporalOptions,
): Promise<void> {
  const output: string[] = [];
  const child = spawn('sh', [path.join(SERVER_ROOT, 'schema.sh')], {
    env: { ...serverEnv(options), SQL_TOOL: tools.sqlTool, SCHEMA_DIR: tools.schemaDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  forwardLines(
    child,
    (line) => (line.startsWith('temporal schema:') ? options.onLine?.(line) : undefined),
    output,
  );
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0)
    throw new Error(`the Temporal schema setup failed (exit ${code}):\n${output.slice(-20).join('\n')}`);
}

/** Waits until the frontend answers gRPC (the cluster's own system namespace), not merely the port. */
async function waitUntilServing(address: string, timeoutMs: number): Promise<void> {
  await waitFor(
    `Temporal at ${address}`,
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return true;
      } finally {
        await connection.close();
      }
    },
    timeoutMs,
  );
}

/**
 * Runs the production Temporal server (all four services in one process) on PostgreSQL, from
 * infra/temporal/config/cluster.yaml; the schema must be set up first (setupTemporalSchema).
 */
export async function startClusterTemporal(
  tools: ServerTools,
  options: ClusterTemporalOptions,
): Promise<LocalTemporal> {
  for (const [name, port] of Object.entries(options.ports) as [string, number][]) {
    if (await portInUse(port)) throw new Error(`port ${port} (Temporal ${name}) is in use`);
  }
  const output: string[] = [];
  const child = spawn(
    tools.server,
    ['--root', SERVER_ROOT, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start'],
    { env: serverEnv(options), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // while stopping, its services log the others' going away as errors: noise, not news
  let stopping = false;
  forwardLines(child, (line) => (stopping ? undefined : options.onLine?.(line)), output);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`the Temporal server exited with ${code}:\n${output.slice(-20).join('\n')}`)),
    ),
  );
  const address = `127.0.0.1:${options.ports.frontend}`;
  await Promise.race([waitUntilServing(address, 120_000), exited]);
  exited.catch(() => undefined);
  return {
    address,
    uiUrl: null,
    pid: child.pid ?? null,
    stop: () => {
      stopping = true;
      return stopProcess(child, 20_000);
    },
  };
}
