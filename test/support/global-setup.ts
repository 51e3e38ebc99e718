import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { withDatabase } from '../../config/database';
import { ensureSearchAttributes } from '../../infra/search-attributes';
import { dropDatabase, ensureDatabase, migrateDeploy } from '../../scripts/lib/database';
import {
  startDownloadedTemporal,
  startTemporalDevServer,
  type LocalTemporal,
} from '../../scripts/lib/local-temporal';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import { freePort } from '../../scripts/lib/ports';
import { resolveTemporalCli } from '../../scripts/lib/temporal-cli';
import { workflowsPath } from '../../worker/create-worker';

export interface TestServices {
  databaseUrl: string;
  temporalAddress: string;
  smtpUrl: string;
  mailApiUrl: string;
  workflowBundlePath: string;
  temporalCliPath: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    services: TestServices;
  }
}

/**
 * Once per test run and tier: a fresh database with the committed migrations applied, a Temporal
 * dev server (in memory) unless TEMPORAL_ADDRESS names one, a MailDev SMTP catcher, and the
 * workflow bundle every test worker loads.
 */
export default async function setup(project: TestProject) {
  const stops: (() => Promise<void>)[] = [];
  const tmp = await mkdtemp(path.join(os.tmpdir(), `vouchers-${project.name}-`));
  stops.push(() => rm(tmp, { recursive: true, force: true }));

  const base = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const databaseUrl = withDatabase(base, `vouchers_test_${project.name}_${process.pid}_${Date.now()}`);
  await ensureDatabase(databaseUrl);
  stops.push(() => dropDatabase(databaseUrl));
  await migrateDeploy(databaseUrl);

  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  const cli = await resolveTemporalCli(() => undefined);
  if (!temporalAddress) {
    const port = await freePort();
    const server: LocalTemporal = cli
      ? await startTemporalDevServer(cli.path, { port })
      : await startDownloadedTemporal({ port });
    stops.push(server.stop);
    temporalAddress = server.address;
  } else {
    // a dev server starts with them; a configured server may lack them
    const connection = await Connection.connect({ address: temporalAddress });
    await ensureSearchAttributes(connection, 'default').finally(() => connection.close());
  }

  const [smtpPort, webPort] = [await freePort(), await freePort()];
  const mail = await startMailCatcher({ smtpPort, webPort });
  stops.push(mail.stop);

  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  const workflowBundlePath = path.join(tmp, 'workflow-bundle.js');
  await writeFile(workflowBundlePath, code);

  project.provide('services', {
    databaseUrl,
    temporalAddress,
    smtpUrl: mail.smtpUrl,
    mailApiUrl: mail.webUrl,
    workflowBundlePath,
    temporalCliPath: cli?.path ?? null,
  });

  return async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error(error));
  };
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
