/**
 * `npm start`: runs the whole service on this machine. It uses what is configured (DATABASE_URL,
 * TEMPORAL_ADDRESS, SMTP_URL) and starts local parts only where nothing is, prints every choice and
 * address, and stops every process it started on Ctrl-C.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { DEFAULT_DATABASE_URL } from '../config/database';
import { loadEnv } from '../config/env';
import { createDb } from '../db/client';
import { ensureSearchAttributes } from '../infra/search-attributes';
import { buildIdOf, packageVersion } from '../worker/versioning';
import { ensureDatabase, migrateDeploy } from './lib/database';
import { ensureDemoProgramme } from './lib/demo-programme';
import { ensurePortalBuilt } from './lib/portal-build';
import { startTemporalDevServer, startDownloadedTemporal, type LocalTemporal } from './lib/local-temporal';
import { startMailCatcher, type MailCatcher } from './lib/mail-catcher';
import { waitFor } from './lib/ports';
import { startProcess, type ManagedProcess } from './lib/processes';
import { keptSecret, log, numberFrom, proveWorkers, stackParts } from './lib/stack-parts';
import { PROJECT_ROOT, resolveTemporalCli } from './lib/temporal-cli';
import { workflowBundle } from './lib/workflow-bundle';
import { seedDemoUsers } from './seed';
import { seedDemoCatalog, watchDemoProviders } from './seed-catalog';

const say = (line: string) => log('stack', line);

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(PROJECT_ROOT, '.data'));
  await mkdir(dataDir, { recursive: true });
  const { started, stopAll, stopping } = stackParts(say);

  try {
    // PostgreSQL
    const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
    const shown = new URL(databaseUrl);
    shown.password = shown.password ? '***' : '';
    say(
      process.env.DATABASE_URL
        ? `database: DATABASE_URL (${shown.toString()})`
        : `database: local PostgreSQL ${shown.toString()} (DATABASE_URL not set)`,
    );
    if (await ensureDatabase(databaseUrl)) say(`database: created ${shown.pathname.slice(1)}`);
    await migrateDeploy(databaseUrl, (line) => {
      if (/migration|applied|up to date/i.test(line)) log('stack', `migrate: ${line.trim()}`);
    });

    // Temporal
    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    let temporalUi = process.env.TEMPORAL_UI_URL;
    if (temporalAddress) {
      say(`temporal: TEMPORAL_ADDRESS (${temporalAddress})`);
    } else {
      const port = numberFrom('LOCAL_TEMPORAL_PORT', 7233);
      const uiPort = numberFrom('LOCAL_TEMPORAL_UI_PORT', port + 1000);
      const dbFilename = path.join(dataDir, 'temporal.db');
      const cli = await resolveTemporalCli(say);
      let server: LocalTemporal;
      if (cli) {
        say(`temporal: local dev server from ${cli.path} (${cli.source}), persisted to ${dbFilename}`);
        server = await startTemporalDevServer(cli.path, {
          port,
          uiPort,
          dbFilename,
          onLine: (l) => log('temporal', l),
        });
      } else {
        say(
          'temporal: no CLI on PATH, at TEMPORAL_CLI_PATH or buildable with go; downloading it through the SDK',
        );
        server = await startDownloadedTemporal({ port, uiPort, dbFilename });
      }
      started.push({ name: 'temporal', stop: server.stop });
      temporalAddress = server.address;
      temporalUi = server.uiUrl ?? undefined;
    }
    await registerSearchAttributes(temporalAddress, process.env.TEMPORAL_NAMESPACE || 'default');

    // the worker's build: its workflow code, hashed into the build id made current below
    const bundle = await workflowBundle(dataDir, process.env.WORKFLOW_BUNDLE_PATH);
    const buildId = process.env.WORKER_BUILD_ID || buildIdOf(await packageVersion(), bundle.code);
    const versioning = process.env.WORKER_VERSIONING || 'true';
    say(
      `workflows: ${bundle.made ? 'bundled into' : 'bundle from WORKFLOW_BUNDLE_PATH,'} ${bundle.path}; build ${buildId}` +
        (versioning === 'true' ? '' : ' (WORKER_VERSIONING=false: unversioned)'),
    );

    // SMTP
    let smtpUrl = process.env.SMTP_URL;
    let mailPage: string | null = null;
    if (smtpUrl) {
      say(`smtp: SMTP_URL (${new URL(smtpUrl).host})`);
    } else {
      const catcher: MailCatcher = await startMailCatcher({
        smtpPort: numberFrom('LOCAL_SMTP_PORT', 1025),
        webPort: numberFrom('LOCAL_MAIL_UI_PORT', 1080),
        mailDirectory: path.join(dataDir, 'mail'),
      });
      started.push({ name: 'mail catcher', stop: catcher.stop });
      smtpUrl = catcher.smtpUrl;
      mailPage = catcher.webUrl;
      say(`smtp: local mail catcher (MailDev) at ${smtpUrl}, keeping mail in ${path.join(dataDir, 'mail')}`);
    }

    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      ...(temporalUi ? { TEMPORAL_UI_URL: temporalUi } : {}),
      SMTP_URL: smtpUrl,
      WORKFLOW_BUNDLE_PATH: bundle.path,
      WORKER_BUILD_ID: buildId,
      WORKER_VERSIONING: versioning,
      JWT_SECRET: process.env.JWT_SECRET || (await keptSecret(dataDir, 'jwt-secret')),
      METRICS_TOKEN: process.env.METRICS_TOKEN || (await keptSecret(dataDir, 'metrics-token')),
      LOG_FORMAT: process.env.LOG_FORMAT || 'pretty',
    };
    const env = loadEnv(childEnv);

    let demoProviders: string[] = [];
    if (process.env.SEED_DEMO !== 'false') {
      const db = createDb(env.DATABASE_URL, 2);
      try {
        const credentials = await seedDemoUsers(db);
        say('demo users (password in brackets):');
        for (const c of credentials) say(`  ${c.role.padEnd(8)} ${c.email} [${c.password}]`);
        const catalog = await seedDemoCatalog(db);
        demoProviders = catalog.providerIds;
        say(`demo catalog: ${catalog.providerIds.length} listed providers (${catalog.created} added now)`);
      } finally {
        await db.$disconnect();
      }
    }

    // the API serves the portal from web/dist: built before the API starts when missing or out of date
    await ensurePortalBuilt(say);

    const node = process.execPath;
    const onLine = (name: string, line: string) => log(name, line);
    const children: ManagedProcess[] = [
      startProcess('worker', node, ['--import', 'tsx', 'worker/main.ts'], {
        env: childEnv,
        cwd: PROJECT_ROOT,
        onLine,
      }),
      startProcess('api', node, ['--import', 'tsx', 'api/main.ts'], {
        env: childEnv,
        cwd: PROJECT_ROOT,
        onLine,
      }),
    ];
    for (const child of children) {
      started.push(child);
      void child.exited.then((code) => {
        if (!stopping()) {
          say(`${child.name} exited unexpectedly (code ${code}); stopping everything`);
          void stopAll(1);
        }
      });
    }

    const apiUrl = `http://127.0.0.1:${env.API_PORT}`;
    await waitFor('the API', async () => (await fetch(`${apiUrl}/readyz`)).ok, 120_000);
    await proveWorkers(
      { address: env.TEMPORAL_ADDRESS, namespace: env.TEMPORAL_NAMESPACE },
      env,
      buildId,
      say,
      'npm start',
    );
    // the demo providers' accreditations are watched like any registered provider's
    if (demoProviders.length) await watchDemoProviders(env, demoProviders);
    if (process.env.SEED_DEMO !== 'false') {
      const programme = await ensureDemoProgramme(apiUrl);
      say(
        programme
          ? `demo programme: ${programme} (open for applications)`
          : 'demo programme: one is open already',
      );
    }

    say('ready:');
    say(`  portal         ${apiUrl}/  (sign in with a demo user above)`);
    say(`  API            ${apiUrl}/api/v1`);
    say(`  API docs       ${apiUrl}/docs  (OpenAPI: ${apiUrl}/openapi.json)`);
    say(`  health         ${apiUrl}/healthz  ${apiUrl}/readyz`);
    const token = process.env.METRICS_TOKEN
      ? '$METRICS_TOKEN'
      : `$(cat ${path.join(dataDir, 'metrics-token')})`;
    say(`  metrics        ${apiUrl}/metrics  (Authorization: Bearer ${token})`);
    say(`  Temporal UI    ${temporalUi ?? '(configured server; see its own UI)'}`);
    say(`  mail           ${mailPage ?? `(configured SMTP server ${new URL(smtpUrl).host})`}`);
    say('press Ctrl-C to stop everything');
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    await stopAll(1);
  }
}

/** The process search attributes: a configured server or a dev server persisted before them may lack some. */
async function registerSearchAttributes(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const added = await ensureSearchAttributes(connection, namespace);
    say(
      added.length
        ? `temporal: search attributes ${added.join(', ')} registered in namespace ${namespace}`
        : `temporal: search attributes present in namespace ${namespace}`,
    );
  } finally {
    await connection.close();
  }
}

void main();
