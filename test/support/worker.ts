import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { ActivityDeps } from '../../activities/deps';
import { loadEnv } from '../../config/env';
import { createDb, type Db } from '../../db/client';
import { createLogger } from '../../infra/logger';
import { createMailer } from '../../notifications/mailer';
import { activityDeps } from '../../worker/activity-deps';
import { createWorker } from '../../worker/create-worker';
import type { WorkerVersioning } from '../../worker/versioning';
import { mailbox, type Mailbox } from './mailbox';

/** A task queue of its own for each test file, so files running in parallel never steal work. */
export function uniqueTaskQueue(fileUrl: string): string {
  return `${path.basename(new URL(fileUrl).pathname).replace(/\.test\.ts$/, '')}-${randomUUID().slice(0, 8)}`;
}

export interface TestWorkerHarness {
  db: Db;
  client: Client;
  worker: Worker;
  taskQueue: string;
  mail: Mailbox;
  deps: ActivityDeps;
  stop(): Promise<void>;
}

/** A real worker on the run's Temporal server, with real PostgreSQL and SMTP behind its activities. */
export async function startTestWorker(options: {
  taskQueue: string;
  deps?: Partial<ActivityDeps>;
  /** another workflow bundle, e.g. test fixtures; the run's product bundle by default */
  workflowBundlePath?: string;
  versioning?: WorkerVersioning;
  stuckAfterMs?: number;
  maxCachedWorkflows?: number;
}): Promise<TestWorkerHarness> {
  const services = inject('services');
  const db = createDb(services.databaseUrl, 5);
  const mailer = createMailer({
    smtpUrl: services.smtpUrl,
    from: 'Testing Vouchers <no-reply@vouchers.test>',
  });
  const connection = await Connection.connect({ address: services.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const env = loadEnv({
    NODE_ENV: 'test',
    DATABASE_URL: services.databaseUrl,
    TEMPORAL_ADDRESS: services.temporalAddress,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    PUBLIC_URL: 'http://vouchers.test',
    OPS_EMAIL: 'ops@vouchers.test',
    ESCALATION_EMAILS: 'supervisor@vouchers.test',
  });
  const deps: ActivityDeps = {
    ...activityDeps({
      env,
      db,
      mailer,
      client,
      logger: createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }, 'test-worker'),
    }),
    ...options.deps,
  };
  const nativeConnection = await NativeConnection.connect({ address: services.temporalAddress });
  const worker = await createWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue: options.taskQueue,
    workflowBundlePath: options.workflowBundlePath ?? services.workflowBundlePath,
    deps,
    versioning: options.versioning,
    stuckAfterMs: options.stuckAfterMs,
    maxCachedWorkflows: options.maxCachedWorkflows,
  });
  const running = worker.run();
  return {
    db,
    client,
    worker,
    taskQueue: options.taskQueue,
    mail: mailbox(services.mailApiUrl),
    deps,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
      await db.$disconnect();
      mailer.close();
    },
  };
}
