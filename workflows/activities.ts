import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/**
 * Activities as workflows call them. Database and SMTP calls are short; a failure is retried with
 * backoff for as long as the step's deadline allows, so an outage delays a journey, never loses it.
 */
export const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['BusinessRuleViolation'],
  },
});
