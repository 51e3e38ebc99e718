/**
 * `npm run cluster [-- --workers 2 --apis 2 --shards 4]`: the production shape on this machine. The
 * Temporal server (the release docker-compose.yml runs) on PostgreSQL with several history shards,
 * its schema set up or migrated, the namespace and search attributes registered; W workers and A API
 * instances as processes of their own, each restarted when it dies; a round-robin front serving the
 * portal and the API at one address; a mail catcher; the application database migrated. Ctrl-C stops
 * everything.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { withDatabase } from '../config/database';
import { ConfigError, loadEnv } from '../config/env';
import { createDb } from '../db/client';
import { prepareNamespace } from '../infra/temporal-namespace';
import { buildIdOf, packageVersion } from '../worker/versioning';
import { ensureDatabase, migrateDeploy } from './lib/database';
import { ensureDemoProgramme } from './lib/demo-programme';
import { startFront } from './lib/front';
import { startMailCatcher } from './lib/mail-catcher';
import { ensurePortalBuilt } from './lib/portal-build';
import { waitFor } from './lib/ports';
import { startProcess, type ManagedProcess } from './lib/processes';
import { keptSecret, log, numberFrom, proveWorkers, stackParts } from './lib/stack-parts';
import { portsAround, setupTemporalSchema, startClusterTemporal } from './lib/temporal-cluster';
import { PROJECT_ROOT } from './lib/temporal-cli';
import { resolveTemporalServer, TEMPORAL_SERVER_VERSION } from './lib/temporal-server';
import { workflowBundle } from './lib/workflow-bundle';
import { seedDemoUsers } from './seed';
import { seedDemoCatalog, watchDemoProviders } from './seed-catalog';

const say = (line: string) => log('stack', line);
const RESTART_AFTER_MS = 1000;

function settings() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { workers: { type: 'string' }, apis: { type: 'string' }, shards: { type: 'string' } },
  });
  for (const [flag, env] of [
    ['workers', 'CLUSTER_WORKERS'],
    ['apis', 'CLUSTER_APIS'],
    ['shards', 'TEMPORAL_HISTORY_SHARDS'],
  ] as const) {
    if (values[flag] !== undefined) process.env[env] = values[flag];
  }
  const shards = Number(process.env.TEMPORAL_HISTORY_SHARDS ?? 4);
  if (!Number.isInteger(shards) || shards < 1 || shards > 16384) {
    throw new ConfigError(['TEMPORAL_HISTORY_SHARDS (--shards): must be a whole number from 1 to 16384']);
  }
  return {
    workers: numberFrom('CLUSTER_WORKERS', 2, 'count'),
    apis: numberFrom('CLUSTER_APIS', 2, 'count'),
    shards,
    frontPort: numberFrom('CLUSTER_PORT', 3100),
    temporalPort: numberFrom('CLUSTER_TEMPORAL_PORT', 7433),
    smtpPort: numberFrom('CLUSTER_SMTP_PORT', 1125),
    mailUiPort: numberFrom('CLUSTER_MAIL_UI_PORT', 1180),
  };
}

/** A worker or an API instance, started again when it dies, as a container platform would. */
function supervised(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  isStopping: () => boolean,
): { name: string; stop(): Promise<void> } {
  let current: ManagedProcess;
  const start = () => {
    current = startProcess(name, process.execPath, args, { env, cwd: PROJECT_ROOT, onLine: log });
    const self = current;
    void self.exited.then((code) => {
      if (isStopping() || self !== current) return;
      say(`${name} exited (code ${code}); starting it again in ${RESTART_AFTER_MS / 1000} s`);
      setTimeout(() => {
        if (!isStopping()) start();
      }, RESTART_AFTER_MS);
    });
  };
  start();
  return { name, stop: () => current.stop() };
}

async function main(): Promise<void> {
  const config = settings();
  const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(PROJECT_ROOT, '.data'), 'cluster');
  await mkdir(dataDir, { recursive: true });
  const { started, stopAll, stopping } = stackParts(say);

  try {
    // PostgreSQL: the application's database and the Temporal server's two, on one server here
    const databaseUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/vouchers_cluster';
    const shown = new URL(databaseUrl);
    shown.password = shown.password ? '***' : '';
    if (await ensureDatabase(databaseUrl)) say(`database: created ${shown.pathname.slice(1)}`);
    await migrateDeploy(databaseUrl, (line) => {
      if (/applied|up to date/i.test(line)) say(`migrate: ${line.trim()}`);
    });
    say(`database: ${shown.toString()}`);

    // Temporal: the production server, built once into .tools
    const tools = await resolveTemporalServer(say);
    if (!tools)
      throw new Error(
        'no Temporal server: install Go, or set TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH and TEMPORAL_SCHEMA_DIR',
      );
    const temporalOptions = {
      postgresUrl: process.env.TEMPORAL_POSTGRES_URL || withDatabase(databaseUrl, 'postgres'),
      database: process.env.TEMPORAL_DATABASE || 'temporal',
      visibilityDatabase: process.env.TEMPORAL_VISIBILITY_DATABASE || 'temporal_visibility',
      historyShards: config.shards,
      ports: portsAround(config.temporalPort),
      logLevel: process.env.TEMPORAL_LOG_LEVEL || 'warn',
      sqlMaxConns: numberFrom('TEMPORAL_SQL_MAX_CONNS', 8, 'count'),
      onLine: (line: string) => log('temporal', line),
    };
    await setupTemporalSchema(tools, temporalOptions);
    say(`temporal: server ${TEMPORAL_SERVER_VERSION} from ${tools.server} (${tools.source})`);
    const server = await startClusterTemporal(tools, temporalOptions);
    started.push({ name: 'temporal', stop: server.stop });
    const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
    const prepared = await prepareNamespace(server.address, namespace, {
      retentionDays: Number(process.env.TEMPORAL_RETENTION_DAYS || 30),
      timeoutMs: 60_000,
    });
    say(
      `temporal: ${server.address}, ${config.shards} history shards, databases ${temporalOptions.database} and ${temporalOptions.visibilityDatabase}; namespace ${namespace}${prepared.namespaceRegistered ? ' registered' : ''}` +
        (prepared.searchAttributesAdded.length
          ? `; search attributes ${prepared.searchAttributesAdded.join(', ')} registered`
          : '; search attributes present'),
    );

    const bundle = await workflowBundle(dataDir, process.env.WORKFLOW_BUNDLE_PATH);
    const buildId = process.env.WORKER_BUILD_ID || buildIdOf(await packageVersion(), bundle.code);

    const catcher = await startMailCatcher({
      smtpPort: config.smtpPort,
      webPort: config.mailUiPort,
      mailDirectory: path.join(dataDir, 'mail'),
    });
    started.push({ name: 'mail catcher', stop: catcher.stop });

    const frontUrl = `http://127.0.0.1:${config.frontPort}`;
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: namespace,
      SMTP_URL: catcher.smtpUrl,
      WORKFLOW_BUNDLE_PATH: bundle.path,
      WORKER_BUILD_ID: buildId,
      WORKER_VERSIONING: process.env.WORKER_VERSIONING || 'true',
      JWT_SECRET: process.env.JWT_SECRET || (await keptSecret(dataDir, 'jwt-secret')),
      METRICS_TOKEN: process.env.METRICS_TOKEN || (await keptSecret(dataDir, 'metrics-token')),
      LOG_FORMAT: process.env.LOG_FORMAT || 'pretty',
      PUBLIC_URL: process.env.PUBLIC_URL || frontUrl,
      // the front is the one proxy whose X-Forwarded-For the instances believe
      TRUST_PROXY: process.env.TRUST_PROXY || 'loopback',
      API_HOST: '127.0.0.1',
    };
    const env = loadEnv(childEnv);

    let demoProviders: string[] = [];
    if (process.env.SEED_DEMO !== 'false') {
      const db = createDb(env.DATABASE_URL, 2);
      try {
        const credentials = await seedDemoUsers(db);
        say('demo users (password in brackets):');
        for (const c of credentials) say(`  ${c.role.padEnd(8)} ${c.email} [${c.password}]`);
        demoProviders = (await seedDemoCatalog(db)).providerIds;
      } finally {
        await db.$disconnect();
      }
    }
    await ensurePortalBuilt(say);

    for (let i = 1; i <= config.workers; i += 1) {
      started.push(supervised(`worker-${i}`, ['--import', 'tsx', 'worker/main.ts'], childEnv, stopping));
    }
    const apiPorts = Array.from({ length: config.apis }, (_, i) => config.frontPort + 1 + i);
    for (const [i, port] of apiPorts.entries()) {
      started.push(
        supervised(
          `api-${i + 1}`,
          ['--import', 'tsx', 'api/main.ts'],
          { ...childEnv, API_PORT: String(port) },
          stopping,
        ),
      );
    }
    for (const port of apiPorts) {
      await waitFor(
        `the API on port ${port}`,
        async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
        120_000,
      );
    }
    const front = await startFront({
      upstreams: apiPorts.map((port) => `127.0.0.1:${port}`),
      port: config.frontPort,
      onLine: (line) => log('front', line),
    });
    started.push({ name: 'front', stop: () => front.close() });

    await proveWorkers(
      { address: server.address, namespace: namespace },
      env,
      buildId,
      say,
      'npm run cluster',
    );
    if (demoProviders.length) await watchDemoProviders(env, demoProviders);
    if (process.env.SEED_DEMO !== 'false') {
      const programme = await ensureDemoProgramme(front.url);
      say(
        programme
          ? `demo programme: ${programme} (open for applications)`
          : 'demo programme: one is open already',
      );
    }

    say('ready:');
    say(`  portal and API ${front.url}/  (round-robin over ${config.apis} API instances)`);
    say(`  API instances  ${apiPorts.map((port) => `http://127.0.0.1:${port}`).join('  ')}`);
    say(`  workers        ${config.workers} on task queue ${env.TEMPORAL_TASK_QUEUE}, build ${buildId}`);
    say(
      `  Temporal       ${server.address} (${config.shards} history shards; temporal --address ${server.address} workflow list)`,
    );
    say(`  mail           ${catcher.webUrl}`);
    say(
      `  metrics        each instance's /metrics (Authorization: Bearer $(cat ${path.join(dataDir, 'metrics-token')}))`,
    );
    say('press Ctrl-C to stop everything');
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    await stopAll(1);
  }
}

void main();
