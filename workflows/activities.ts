import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { RetryPolicy } from '@temporalio/common';
import type { Activities } from '../activities';
import { REFUSAL_TYPE } from './refusal';

/**
 * Activities as workflows call them. Database and SMTP calls are short (30 s per attempt).
 *
 * A failure that cannot pass is refused at once by the worker (type `Refused`, never retried). One
 * that can pass is retried with backoff, 1 s doubling to at most 1 min between attempts, for 15
 * attempts: about 10 minutes of failures, long enough to ride out a database restart or failover,
 * a worker redeploy or an SMTP outage, short enough that nothing retries for ever; then the step
 * fails and its process with it, for operators to see.
 *
 * The bound is on attempts rather than on time since scheduling (`scheduleToCloseTimeout`): a step
 * waiting in the task queue for a worker has not failed, and must not fail because every worker was
 * stopped longer than the bound.
 */
const retry: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 15,
  nonRetryableErrorTypes: [REFUSAL_TYPE],
};

export const activities = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry });

/**
 * The same activities run as local activities: by the worker holding the workflow task, inside that
 * task, with the same timeout and the same bounded retries (backoff up to a minute is waited in the
 * worker, longer by a server timer). A step someone waits for costs one workflow task instead of a
 * task, an activity task and a second task, each through the Temporal server. The worker's activity
 * interceptors (failure classes, stuck steps) see them as they see the others.
 */
const localActivities = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry,
  // every wait of the policy (at most a minute) stays in the worker: an attempt keeps its id and first
  // schedule time, which the stuck-step record goes by
  localRetryThreshold: '1 minute',
});

/** The patch (README, "Changing a workflow safely") under which the steps people wait for run locally. */
export const LOCAL_STEPS_PATCH = 'local-steps';

/**
 * The activities for a step a caller waits for (an update's database step, the first checks an
 * update-with-start waits for): local activities, except in runs that took such a step as an
 * activity before the patch, which replay as they ran. Call it where the step is taken.
 */
export function waitedSteps(): typeof activities {
  return patched(LOCAL_STEPS_PATCH) ? localActivities : activities;
}
