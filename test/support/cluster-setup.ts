import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { withDatabase } from '../../config/database';
import { prepareNamespace } from '../../infra/temporal-namespace';
import { dropDatabase, ensureDatabase, migrateDeploy } from '../../scripts/lib/database';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import { freePort } from '../../scripts/lib/ports';
import {
  freeServerPorts,
  setupTemporalSchema,
  startClusterTemporal,
} from '../../scripts/lib/temporal-cluster';
import { resolveTemporalServer } from '../../scripts/lib/temporal-server';
import { workflowsPath } from '../../worker/create-worker';
import type { TestServices } from './global-setup';

/** History shards of the tier's server: several, as in production, so runs spread over them. */
export const CLUSTER_TEST_SHARDS = 4;

/**
 * Once per run of the cluster tier: the production-shaped Temporal server (PostgreSQL persistence and
 * visibility in databases of the run's own, several history shards, the schema set up by the same
 * script docker-compose.yml runs), a fresh application database, a mail catcher and the workflow
 * bundle. Every database is dropped afterwards.
 */
export default async function setup(project: TestProject) {
  const stops: (() => Promise<void>)[] = [];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error(error));
  };
  try {
    const tools = await resolveTemporalServer((line) => console.log(line));
    if (!tools)
      throw new Error('the cluster tier needs the Temporal server: run scripts/ensure-temporal-server.ts');
    const tmp = await mkdtemp(path.join(os.tmpdir(), `vouchers-${project.name}-`));
    stops.push(() => rm(tmp, { recursive: true, force: true }));

    const base = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
    const run = `${process.pid}_${Date.now()}`;
    const databaseUrl = withDatabase(base, `vouchers_test_cluster_${run}`);
    await ensureDatabase(databaseUrl);
    stops.push(() => dropDatabase(databaseUrl));
    await migrateDeploy(databaseUrl);

    const options = {
      postgresUrl: base,
      database: `temporal_test_${run}`,
      visibilityDatabase: `temporal_visibility_test_${run}`,
      historyShards: CLUSTER_TEST_SHARDS,
      ports: await freeServerPorts(),
      logLevel: 'error',
      // PostgreSQL here allows 100 connections, shared with the other tiers and the service's processes
      sqlMaxConns: 4,
      onLine: (line: string) => console.error(`[temporal] ${line}`),
    };
    stops.push(async () => {
      await dropDatabase(withDatabase(base, options.database));
      await dropDatabase(withDatabase(base, options.visibilityDatabase));
    });
    await setupTemporalSchema(tools, options);
    const server = await startClusterTemporal(tools, options);
    stops.push(server.stop);
    await prepareNamespace(server.address, 'default', { retentionDays: 1, timeoutMs: 60_000 });

    const mail = await startMailCatcher({ smtpPort: await freePort(), webPort: await freePort() });
    stops.push(mail.stop);

    const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
    const workflowBundlePath = path.join(tmp, 'workflow-bundle.js');
    await writeFile(workflowBundlePath, code);

    const services: TestServices = {
      databaseUrl,
      temporalAddress: server.address,
      smtpUrl: mail.smtpUrl,
      mailApiUrl: mail.webUrl,
      workflowBundlePath,
      temporalCliPath: null,
    };
    project.provide('services', services);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

const noop = () => undefined;
const quietLogger = {
  log: noop,
  trace: noop,
  debug: noop,
  info: noop,
  warn: console.warn,
  error: console.error,
};
