import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { ConfigError, loadEnv } from '../config/env';
import { createDb } from '../db/client';
import { durationMs } from '../domain/duration';
import { createLogger } from '../infra/logger';
import { workerRuntimeOptions } from '../infra/temporal-logger';
import { createMailer } from '../notifications/mailer';
import { activityDeps } from './activity-deps';
import { createWorker } from './create-worker';
import { versioningFromEnv } from './versioning';

async function main() {
  const env = loadEnv();
  const logger = createLogger(env, 'worker');
  Runtime.install(workerRuntimeOptions(logger));

  const db = createDb(env.DATABASE_URL, env.DATABASE_POOL_SIZE);
  const mailer = createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM });
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  // activities manage Schedules through the client API
  const clientConnection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  const client = new Client({ connection: clientConnection, namespace: env.TEMPORAL_NAMESPACE });
  try {
    const worker = await createWorker({
      connection,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      workflowBundlePath: env.WORKFLOW_BUNDLE_PATH,
      deps: activityDeps({ env, db, mailer, logger, client }),
      versioning: versioningFromEnv(env),
      stuckAfterMs: durationMs(env.STUCK_AFTER),
    });
    const deployment = worker.options.workerDeploymentOptions;
    logger.info(
      {
        taskQueue: env.TEMPORAL_TASK_QUEUE,
        namespace: env.TEMPORAL_NAMESPACE,
        address: env.TEMPORAL_ADDRESS,
        deployment: deployment?.version.deploymentName,
        buildId: deployment?.version.buildId,
        versioning: deployment?.useWorkerVersioning ? 'on' : 'off',
      },
      'worker started',
    );
    // the Runtime shuts the worker down on SIGINT/SIGTERM; run() resolves once in-flight tasks drain
    await worker.run();
    logger.info('worker stopped');
  } finally {
    await clientConnection.close();
    await connection.close();
    await db.$disconnect();
    mailer.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
