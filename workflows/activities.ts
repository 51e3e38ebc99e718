import { proxyActivities } from '@temporalio/workflow';
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
export const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 15,
    nonRetryableErrorTypes: [REFUSAL_TYPE],
  },
});
