import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { ConfigError, loadEnv } from '../config/env';
import { createDb } from '../db/client';
import { durationMs } from '../domain/duration';
import { ensureAuditVerificationSchedule } from '../infra/audit-verification-schedule';
import { createLogger, type Logger } from '../infra/logger';
import { ensureSearchAttributes, SEARCH_ATTRIBUTE_NAMES } from '../infra/search-attributes';
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
  const waitedDb = createDb(env.DATABASE_URL, env.WAITED_STEPS_POOL_SIZE);
  const mailer = createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM });
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  // activities manage Schedules through the client API
  const clientConnection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  const client = new Client({ connection: clientConnection, namespace: env.TEMPORAL_NAMESPACE });
  try {
    await checkSearchAttributes(clientConnection, env.TEMPORAL_NAMESPACE, logger);
    if (env.AUDIT_VERIFICATION_SCHEDULE !== 'off') {
      await ensureAuditVerificationSchedule(
        client,
        env.TEMPORAL_TASK_QUEUE,
        env.AUDIT_VERIFICATION_SCHEDULE,
      ).catch((error: unknown) =>
        logger.error({ err: error }, 'could not set up the nightly verification of the audit chain'),
      );
    }
    const worker = await createWorker({
      connection,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      workflowBundlePath: env.WORKFLOW_BUNDLE_PATH,
      deps: activityDeps({ env, db, mailer, logger, client }),
      waitedSteps: {
        deps: activityDeps({ env, db: waitedDb, mailer, logger, client }),
        concurrency: env.WAITED_STEPS_POOL_SIZE,
      },
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
    await Promise.all([db.$disconnect(), waitedDb.$disconnect()]);
    mailer.close();
  }
}

/**
 * The workflows set the process search attributes; a namespace without them fails those steps.
 * Where the worker may not manage the namespace (a managed cloud), it says what to create and runs on.
 */
async function checkSearchAttributes(
  connection: Connection,
  namespace: string,
  logger: Logger,
): Promise<void> {
  try {
    const added = await ensureSearchAttributes(connection, namespace);
    if (added.length) logger.info({ namespace, added }, 'search attributes registered');
  } catch (error) {
    logger.error(
      { err: error, namespace, attributes: SEARCH_ATTRIBUTE_NAMES },
      'could not check or register the process search attributes (Keyword); create them as the README says, or the steps that set them fail',
    );
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
