import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { systemClock, type Clock } from '../activities/deps';
import { postgresConfig } from '../config/database';
import type { Env } from '../config/env';
import { durationMs } from '../domain/duration';
import { createDb } from '../db/client';
import { createRepositories } from '../db/repositories';
import { createLogger, type Logger } from '../infra/logger';
import { createMetrics } from '../infra/metrics';
import { createProcessWatch } from '../infra/process-watch';
import { createMailer } from '../notifications/mailer';
import { createNotificationActivities } from '../activities/notifications';
import type { ApiDeps } from './deps';
import { createTokenService } from './http/auth';
import { createRateLimits, createSignInLimits } from './http/rate-limit';
import { createSignInWatch } from './http/sign-in';

/** Everything the API needs, from validated configuration; `close` releases it all. */
export function createApiDeps(
  env: Env,
  options: { logger?: Logger; clock?: Clock } = {},
): { deps: ApiDeps; close: () => Promise<void> } {
  const logger = options.logger ?? createLogger(env, 'api');
  const clock = options.clock ?? systemClock;
  const db = createDb(env.DATABASE_URL, env.DATABASE_POOL_SIZE);
  // Rate-limit and sign-in counters commit without waiting for their WAL to reach the disk: a
  // database crash may forget the last fraction of a second of counts, never leave them inconsistent,
  // and every write request's counter no longer waits for a disk flush.
  const limiterPool = new pg.Pool(
    postgresConfig(env.DATABASE_URL, { max: 4, options: '-c synchronous_commit=off' }),
  );
  // lazy: the API starts, and says so on /readyz, while Temporal is still coming up
  const connection = Connection.lazy({ address: env.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
  const mailer = createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM });
  const repos = createRepositories(db, {
    idempotencyAbandonedAfterMs: env.IDEMPOTENCY_ABANDONED_AFTER_SECONDS * 1000,
    idempotencyRetentionMs: durationMs(env.IDEMPOTENCY_RETENTION),
  });
  // through the e-mail outbox, as the processes' mails go
  const notify = createNotificationActivities({
    db,
    mailer,
    publicUrl: env.PUBLIC_URL,
    escalationEmails: env.ESCALATION_EMAILS,
    opsEmail: env.OPS_EMAIL,
  }).sendNotification;
  const processes = createProcessWatch({
    temporal,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    stuckSteps: repos.stuckSteps,
  });
  const metrics = createMetrics('api', {
    onError: (error) => logger.warn({ err: error }, 'could not count failed and stuck processes'),
  });
  metrics.processes.watch(() => processes.counts());

  const deps: ApiDeps = {
    env,
    repos,
    temporal,
    logger,
    metrics,
    processes,
    clock,
    tokens: createTokenService({
      secret: env.JWT_SECRET,
      issuer: env.JWT_ISSUER,
      ttlSeconds: env.JWT_TTL_SECONDS,
      clock,
    }),
    rateLimits: createRateLimits(limiterPool, {
      loginPerMinute: env.RATE_LIMIT_LOGIN_PER_MINUTE,
      registerPerHour: env.RATE_LIMIT_REGISTER_PER_HOUR,
      writesPerMinute: env.RATE_LIMIT_WRITES_PER_MINUTE,
      accountMailsPerAddressPerHour: env.RATE_LIMIT_ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR,
      accountMailsPerRecipientPerHour: env.RATE_LIMIT_ACCOUNT_MAILS_PER_RECIPIENT_PER_HOUR,
    }),
    signIns: createSignInWatch({
      db,
      logger,
      limits: createSignInLimits(limiterPool, {
        failuresBeforeDelay: env.SIGN_IN_FAILURES_BEFORE_DELAY,
        firstDelayMs: durationMs(env.SIGN_IN_FIRST_DELAY),
        longestDelayMs: durationMs(env.SIGN_IN_LONGEST_DELAY),
        failureMemoryMs: durationMs(env.SIGN_IN_FAILURE_MEMORY),
        addressFailuresPerHour: env.SIGN_IN_ADDRESS_FAILURES_PER_HOUR,
        alertWindowMs: durationMs(env.SIGN_IN_ALERT_WINDOW),
      }),
      alertFailures: env.SIGN_IN_ALERT_FAILURES,
      notify,
    }),
    notify,
    readiness: {
      database: async () => {
        await db.$queryRaw`SELECT 1`;
      },
      temporal: async () => {
        await temporal.workflowService.getSystemInfo({});
      },
      smtp: () => mailer.verify(),
    },
  };
  return {
    deps,
    close: async () => {
      await Promise.allSettled([db.$disconnect(), limiterPool.end(), connection.close()]);
      mailer.close();
    },
  };
}
