import type { Client } from '@temporalio/client';
import { systemClock, type ActivityDeps, type Clock } from '../activities/deps';
import { databaseGateway } from '../activities/payment-gateway';
import { defaultPayoutSchedule, type Env } from '../config/env';
import type { Db } from '../db/client';
import { createMatchingRepository } from '../db/repositories/matching';
import type { Logger } from '../infra/logger';
import { temporalPayoutSchedules } from '../infra/payout-schedules';
import type { Mailer } from '../notifications/mailer';

/** The activities' dependencies as the worker process runs them. */
export function activityDeps(options: {
  env: Env;
  db: Db;
  mailer: Mailer;
  logger: Logger;
  client: Client;
  clock?: Clock;
}): ActivityDeps {
  const { env, db } = options;
  return {
    db,
    mailer: options.mailer,
    clock: options.clock ?? systemClock,
    logger: options.logger,
    publicUrl: env.PUBLIC_URL,
    opsEmail: env.OPS_EMAIL,
    escalationEmails: env.ESCALATION_EMAILS,
    paymentGateway: databaseGateway(db),
    payoutSchedules: temporalPayoutSchedules(options.client, env.TEMPORAL_TASK_QUEUE),
    defaultPayoutSchedule: defaultPayoutSchedule(env),
    matching: createMatchingRepository(db),
    matchingSettings: { weights: env.MATCHING_WEIGHTS, leadDays: env.MATCHING_LEAD_DAYS },
  };
}
