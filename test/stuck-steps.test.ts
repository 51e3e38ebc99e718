import type { Context, Info } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { StepKey, StuckStepFailure } from '../db/repositories/stuck-steps';
import { stuckStepInterceptor } from '../worker/stuck-steps';

const SCHEDULED = Date.parse('2026-11-26T08:00:00Z');
const STUCK_AFTER_MS = 5 * 60_000;

function harness(options: { info?: Partial<Info>; elapsedMs: number; failWrites?: boolean }) {
  const recorded: StuckStepFailure[] = [];
  const cleared: StepKey[] = [];
  const write = async () => {
    if (options.failWrites) throw new Error('database unreachable');
  };
  const info = {
    activityId: '7',
    activityType: 'sendNotification',
    attempt: 4,
    isLocal: false,
    workflowExecution: { workflowId: 'booking/b-1', runId: 'run-1' },
    workflowType: 'booking',
    taskQueue: 'testing-vouchers',
    scheduledTimestampMs: SCHEDULED,
    scheduleToCloseTimeoutMs: 0,
    retryPolicy: { maximumAttempts: 0, nonRetryableErrorTypes: ['BusinessRuleViolation'] },
    ...options.info,
  } as Info;
  const factory = stuckStepInterceptor({
    steps: {
      record: async (step) => {
        await write();
        recorded.push(step);
      },
      clear: async (key) => {
        await write();
        cleared.push(key);
      },
    },
    stuckAfterMs: STUCK_AFTER_MS,
    clock: { now: () => new Date(SCHEDULED + options.elapsedMs) },
    logger: pino({ level: 'silent' }),
  });
  const { inbound } = factory({ info } as Context);
  const run = (outcome: () => Promise<unknown>) => inbound!.execute!({ args: [], headers: {} }, outcome);
  return { recorded, cleared, run };
}

const key = { workflowId: 'booking/b-1', runId: 'run-1', activityId: '7' };
const refused = () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:25'));

describe('steps that keep failing', () => {
  it('are recorded once an attempt fails past the threshold, with the attempt and the failure', async () => {
    const h = harness({ elapsedMs: STUCK_AFTER_MS + 1 });
    await expect(h.run(refused)).rejects.toThrow('ECONNREFUSED');
    expect(h.recorded).toEqual([
      {
        ...key,
        workflowType: 'booking',
        activityType: 'sendNotification',
        taskQueue: 'testing-vouchers',
        attempt: 4,
        firstScheduledAt: new Date(SCHEDULED),
        lastFailure: 'Error: connect ECONNREFUSED 10.0.0.5:25',
        lastFailedAt: new Date(SCHEDULED + STUCK_AFTER_MS + 1),
      },
    ]);
  });

  it('are not recorded while they fail within the threshold, and cost nothing when they succeed at once', async () => {
    const early = harness({ elapsedMs: STUCK_AFTER_MS - 1 });
    await expect(early.run(refused)).rejects.toThrow();
    const first = harness({ info: { attempt: 1 }, elapsedMs: STUCK_AFTER_MS * 2 });
    await expect(first.run(async () => 'sent')).resolves.toBe('sent');
    for (const h of [early, first]) expect([h.recorded, h.cleared]).toEqual([[], []]);
  });

  it('are cleared when they succeed past the threshold', async () => {
    const h = harness({ elapsedMs: STUCK_AFTER_MS * 3 });
    await expect(h.run(async () => ({ sent: 1 }))).resolves.toEqual({ sent: 1 });
    expect(h.cleared).toEqual([key]);
  });

  it.each([
    ['a non-retryable failure', {}, () => ApplicationFailure.nonRetryable('no such booking')],
    [
      'a failure of a type the policy does not retry',
      {},
      () => ApplicationFailure.create({ type: 'BusinessRuleViolation', message: 'over budget' }),
    ],
    ['the last attempt', { attempt: 5, retryPolicy: { maximumAttempts: 5 } }, () => new Error('timeout')],
    [
      'an attempt after which the schedule-to-close deadline has passed',
      { scheduleToCloseTimeoutMs: STUCK_AFTER_MS },
      () => new Error('timeout'),
    ],
    ['a cancellation', {}, () => new CancelledFailure('the workflow cancelled the step')],
  ] as [string, Partial<Info>, () => Error][])(
    'are cleared, not recorded, after %s',
    async (_, info, error) => {
      const h = harness({ info, elapsedMs: STUCK_AFTER_MS + 1 });
      await expect(h.run(() => Promise.reject(error()))).rejects.toBeInstanceOf(Error);
      expect(h.recorded).toEqual([]);
      expect(h.cleared).toEqual([key]);
    },
  );

  it('leave the step’s own outcome alone when the record cannot be written', async () => {
    const failing = harness({ elapsedMs: STUCK_AFTER_MS + 1, failWrites: true });
    await expect(failing.run(refused)).rejects.toThrow('ECONNREFUSED');
    await expect(failing.run(async () => 'sent')).resolves.toBe('sent');
  });

  it('are tracked for local activities as for the others: a database step of an update runs as one', async () => {
    const h = harness({
      info: { isLocal: true, activityType: 'confirmBooking' },
      elapsedMs: STUCK_AFTER_MS + 1,
    });
    await expect(h.run(refused)).rejects.toThrow('ECONNREFUSED');
    expect(h.recorded).toEqual([
      expect.objectContaining({ ...key, activityType: 'confirmBooking', attempt: 4 }),
    ]);
    await expect(h.run(async () => 'confirmed')).resolves.toBe('confirmed');
    expect(h.cleared).toEqual([key]);
  });
});
