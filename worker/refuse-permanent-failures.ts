import { ApplicationFailure } from '@temporalio/common';
import type { Context } from '@temporalio/activity';
import type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInterceptorsFactory,
  Next,
} from '@temporalio/worker';
import { REFUSAL_TYPE, type RefusalDetail } from '../workflows/refusal';
import { classifyFailure } from './failure-classes';

/** Non-retryable failure types activities throw themselves, and the refusal each stands for. */
const OWN_TYPES: Record<string, Pick<RefusalDetail, 'kind' | 'code'>> = {
  Conflict: { kind: 'CONFLICT', code: 'STATE_CONFLICT' },
  NotFound: { kind: 'NOT_FOUND', code: 'NOT_FOUND' },
};

function refused(message: string, detail: RefusalDetail, cause?: Error): ApplicationFailure {
  return ApplicationFailure.create({
    type: REFUSAL_TYPE,
    message,
    nonRetryable: true,
    details: [detail],
    cause,
  });
}

/**
 * What an activity throws, as its workflow should see it: a failure that cannot pass becomes at once a
 * non-retryable `Refused` failure whose first detail is a `RefusalDetail`, so that the workflow takes
 * its refusal path and the API answers 4xx with the reason; one that can pass is thrown unchanged and
 * retried on the activities' bounded schedule.
 */
export function classifyActivityFailure(error: unknown): unknown {
  if (error instanceof ApplicationFailure) {
    const own = error.nonRetryable && error.type ? OWN_TYPES[error.type] : undefined;
    return own ? refused(error.message, { ...own }, error) : error;
  }
  const failure = classifyFailure(error);
  if (failure.class !== 'permanent') return error;
  return refused(failure.message, failure.refusal, error instanceof Error ? error : undefined);
}

class RefusePermanentFailures implements ActivityInboundCallsInterceptor {
  constructor(private readonly context: Context) {}

  async execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    try {
      return await next(input);
    } catch (error) {
      const classified = classifyActivityFailure(error);
      if (classified !== error && classified instanceof ApplicationFailure) {
        this.context.log.warn('activity failure cannot pass: refused at once', {
          reason: classified.message,
          refusal: classified.details?.[0],
        });
      }
      throw classified;
    }
  }
}

/** Registered on the worker: every activity's failures go through `classifyActivityFailure`. */
export const refusePermanentFailures: ActivityInterceptorsFactory = (context: Context) => ({
  inbound: new RefusePermanentFailures(context),
});
