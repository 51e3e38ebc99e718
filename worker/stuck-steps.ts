import type { Info } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { ActivityDeps, Clock } from '../activities/deps';
import { DEFAULT_STUCK_AFTER } from '../config/env';
import {
  createStuckStepRepository,
  type StepKey,
  type StuckStepRepository,
} from '../db/repositories/stuck-steps';
import { durationMs } from '../domain/duration';
import type { Logger } from '../infra/logger';

export interface StuckStepOptions {
  steps: Pick<StuckStepRepository, 'record' | 'clear'>;
  /** an activity failing for longer than this since it was first scheduled counts as stuck */
  stuckAfterMs: number;
  clock: Clock;
  logger: Logger;
}

const MAX_FAILURE_LENGTH = 2000;

/** Whether Temporal schedules another attempt after this failure. */
function willRetry(info: Info, error: unknown, now: number): boolean {
  if (error instanceof CancelledFailure) return false;
  if (error instanceof ApplicationFailure && error.nonRetryable) return false;
  const type = error instanceof ApplicationFailure ? error.type : error instanceof Error ? error.name : null;
  const policy = info.retryPolicy;
  if (type && policy?.nonRetryableErrorTypes?.includes(type)) return false;
  if (policy?.maximumAttempts && info.attempt >= policy.maximumAttempts) return false;
  if (info.scheduleToCloseTimeoutMs > 0 && now >= info.scheduledTimestampMs + info.scheduleToCloseTimeoutMs)
    return false;
  return true;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.slice(0, MAX_FAILURE_LENGTH);
}

/**
 * Records a step that keeps failing so operators see it (`GET /processes?status=STUCK`, the
 * `processes_needing_attention` gauge), and forgets it once it succeeds or stops retrying. It
 * writes only for attempts past the threshold: the ordinary first attempt costs nothing.
 * Placed first among the activity interceptors, it sees the failure as Temporal will.
 */
export function stuckStepInterceptor(options: StuckStepOptions): ActivityInterceptorsFactory {
  const { steps, stuckAfterMs, clock, logger } = options;
  const quietly = async (what: string, key: StepKey, write: () => Promise<void>) => {
    try {
      await write();
    } catch (error) {
      // the step's own outcome matters more than its bookkeeping
      logger.warn({ err: error, ...key }, `could not ${what} a stuck step`);
    }
  };

  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const info = ctx.info;
        const run = info.workflowExecution;
        // local activities too: their attempts keep their first schedule time and their id (a sequence number
        // shared with the run's activities), and they fail and retry on the same bounded policy
        if (!run) return next(input);
        const key: StepKey = { workflowId: run.workflowId, runId: run.runId, activityId: info.activityId };
        const overdue = () => clock.now().getTime() - info.scheduledTimestampMs >= stuckAfterMs;
        try {
          const result = await next(input);
          // a row exists only if an earlier attempt failed past the threshold
          if (info.attempt > 1 && overdue()) await quietly('clear', key, () => steps.clear(key));
          return result;
        } catch (error) {
          if (overdue()) {
            const now = clock.now();
            if (willRetry(info, error, now.getTime())) {
              await quietly('record', key, () =>
                steps.record({
                  ...key,
                  workflowType: info.workflowType ?? 'unknown',
                  activityType: info.activityType,
                  taskQueue: info.taskQueue,
                  attempt: info.attempt,
                  firstScheduledAt: new Date(info.scheduledTimestampMs),
                  lastFailure: describe(error),
                  lastFailedAt: now,
                }),
              );
            } else {
              // the failure now goes to the workflow, which handles it or fails (and is listed as FAILED)
              await quietly('clear', key, () => steps.clear(key));
            }
          }
          throw error;
        }
      },
    },
  });
}

/** The worker's registration: stuck steps go to the service's own database. */
export function recordStuckSteps(
  deps: Pick<ActivityDeps, 'db' | 'clock' | 'logger'>,
  stuckAfterMs = durationMs(DEFAULT_STUCK_AFTER),
): ActivityInterceptorsFactory {
  return stuckStepInterceptor({
    steps: createStuckStepRepository(deps.db),
    stuckAfterMs,
    clock: deps.clock,
    logger: deps.logger,
  });
}
