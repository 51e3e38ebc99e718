import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { createApp } from '../api/app';
import { createApiDeps } from '../api/create-deps';
import type { ApiDeps } from '../api/deps';
import { loadEnv, type Env } from '../config/env';
import { createDb, type Db } from '../db/client';
import { createLogger } from '../infra/logger';
import { workerRuntimeOptions } from '../infra/temporal-logger';
import { createMailer } from '../notifications/mailer';
import { dropDatabase } from '../scripts/lib/database';
import { startTemporalDevServer } from '../scripts/lib/local-temporal';
import { freePort } from '../scripts/lib/ports';
import { resolveTemporalCli } from '../scripts/lib/temporal-cli';
import { activityDeps } from '../worker/activity-deps';
import { createWorker } from '../worker/create-worker';
import { benchDatabase } from './lib-database';
import { startMailProcess } from './lib-mail-process';

export interface JourneyStack {
  env: Env;
  apiUrl: string;
  api: ApiDeps;
  /** the run's database, shared with the worker */
  db: Db;
  client: Client;
  connection: NativeConnection;
  worker: Worker;
  temporalAddress: string;
  temporalPid: number | null;
  smtpPid: number | null;
  stop(): Promise<void>;
}

/**
 * Everything a journey touches, made for the run and removed after it: a database with the
 * committed migrations, a Temporal dev server, an SMTP server, the API and the worker in this process
 * (the servers each in a process of their own).
 */
export async function startJourneyStack(options: {
  say: (line: string) => void;
  databasePoolSize: number;
  maxConcurrentActivityTaskExecutions: number;
}): Promise<JourneyStack> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch((error: unknown) => console.error(error));
  };
  try {
    const databaseUrl = await benchDatabase('journeys');
    stops.push(() => dropDatabase(databaseUrl));

    const cli = await resolveTemporalCli(options.say);
    if (!cli) throw new Error('no Temporal CLI: set TEMPORAL_CLI_PATH or install Go to build it');
    const temporal = await startTemporalDevServer(cli.path, { port: await freePort() });
    stops.push(temporal.stop);
    const mail = await startMailProcess();
    stops.push(mail.stop);

    const env = loadEnv({
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: String(options.databasePoolSize),
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: 'bench-journeys',
      SMTP_URL: mail.smtpUrl,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      // every simulated user calls from 127.0.0.1: the per-IP limits would throttle the load itself
      RATE_LIMIT_LOGIN_PER_MINUTE: '1000000',
      RATE_LIMIT_REGISTER_PER_HOUR: '1000000',
      RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
      // hundreds of journeys at once keep each request waiting longer than a user would: the benchmark
      // measures throughput at saturation, so requests wait for their process instead of answering 503
      PROCESS_ANSWER_WITHIN: '10m',
    });
    const logger = createLogger(env, 'bench', 2);
    Runtime.install(workerRuntimeOptions(logger));

    const { deps, close } = createApiDeps(env, { logger });
    stops.push(close);
    const server = createApp(deps).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const db = createDb(databaseUrl, options.databasePoolSize);
    stops.push(() => db.$disconnect());
    // the waited steps' own connections, as worker/main.ts keeps them
    const waitedDb = createDb(databaseUrl, env.WAITED_STEPS_POOL_SIZE);
    stops.push(() => waitedDb.$disconnect());
    const mailer = createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM });
    stops.push(async () => mailer.close());
    const clientConnection = await Connection.connect({ address: temporal.address });
    stops.push(() => clientConnection.close());
    const client = new Client({ connection: clientConnection, namespace: env.TEMPORAL_NAMESPACE });
    const connection = await NativeConnection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const worker = await createWorker({
      connection,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      deps: activityDeps({ env, db, mailer, logger, client }),
      waitedSteps: {
        deps: activityDeps({ env, db: waitedDb, mailer, logger, client }),
        concurrency: env.WAITED_STEPS_POOL_SIZE,
      },
      maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions,
    });
    const running = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await running;
    });
    return {
      env,
      apiUrl,
      api: deps,
      db,
      client,
      connection,
      worker,
      temporalAddress: temporal.address,
      temporalPid: temporal.pid,
      smtpPid: mail.pid,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
