import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client } from '@temporalio/client';
import { isIntervalSchedule } from '../domain/payout-schedule';
import { DEFAULT_TIME_ZONE } from '../domain/calendar';

export const payoutScheduleId = (programmeId: string) => `payout/${programmeId}`;

/** Temporal refused the schedule's spec: retrying cannot change that. */
export class ScheduleSpecRefused extends Error {
  constructor(
    readonly schedule: string,
    reason: string,
  ) {
    super(`Temporal cannot read the payout schedule "${schedule}": ${reason}`);
    this.name = 'ScheduleSpecRefused';
  }
}

/** The Temporal Schedule that runs a programme's payout batches. */
export interface PayoutSchedules {
  /**
   * Creates the programme's schedule, paused when asked; a second call changes nothing. Throws
   * `ScheduleSpecRefused` when Temporal cannot read the schedule.
   */
  ensure(input: { programmeId: string; schedule: string; paused?: boolean }): Promise<void>;
  /** lets a paused schedule run; changes nothing when it runs */
  resume(programmeId: string): Promise<void>;
  /** runs a batch now, outside the schedule (e.g. at the end of a reporting period) */
  trigger(programmeId: string): Promise<void>;
  /** when the next batch runs on the schedule; null when the programme has none */
  nextRun(programmeId: string): Promise<Date | null>;
}

/**
 * The Schedule spec of a schedule as the service states them (`payoutScheduleProblem`'s rule): an
 * interval, or a cron expression in Asia/Shanghai time.
 */
export function specOf(schedule: string) {
  return isIntervalSchedule(schedule)
    ? { intervals: [{ every: schedule }] }
    : { cronExpressions: [schedule], timezone: DEFAULT_TIME_ZONE };
}

/**
 * How long a reading of a schedule may take: a claim's approval asks for the next run before its
 * transaction, and an attempt that waited on a server that does not answer would hold the claim.
 * Past this the call fails, and the step's attempt with it, to be retried.
 */
export const SCHEDULE_READ_WITHIN_MS = 5_000;

export function temporalPayoutSchedules(
  client: Client,
  taskQueue: string,
  options: { readWithinMs?: number } = {},
): PayoutSchedules {
  const readWithinMs = options.readWithinMs ?? SCHEDULE_READ_WITHIN_MS;
  return {
    async ensure({ programmeId, schedule, paused = false }) {
      try {
        await client.schedule.create({
          scheduleId: payoutScheduleId(programmeId),
          spec: specOf(schedule),
          action: {
            type: 'startWorkflow',
            workflowType: 'payoutBatch',
            workflowId: `payout/${programmeId}`,
            args: [{ programmeId }],
            taskQueue,
          },
          // a batch never overlaps the previous one; runs missed during an outage are made up once
          policies: { overlap: 'SKIP', catchupWindow: '1d' },
          memo: { programmeId },
          ...(paused ? { state: { paused: true, note: 'waiting for its programme to be set up' } } : {}),
        });
      } catch (error) {
        if (error instanceof ScheduleAlreadyRunning) return;
        // the client turns the server's "Invalid schedule spec" into a TypeError
        if (error instanceof TypeError) throw new ScheduleSpecRefused(schedule, error.message);
        throw error;
      }
    },
    async nextRun(programmeId) {
      try {
        const description = await client.withDeadline(Date.now() + readWithinMs, () =>
          client.schedule.getHandle(payoutScheduleId(programmeId)).describe(),
        );
        return description.info.nextActionTimes[0] ?? null;
      } catch (error) {
        if (error instanceof ScheduleNotFoundError) return null;
        throw error;
      }
    },
    async resume(programmeId) {
      const handle = client.schedule.getHandle(payoutScheduleId(programmeId));
      const { state } = await handle.describe();
      if (state.paused) await handle.unpause('its programme is set up');
    },
    async trigger(programmeId) {
      try {
        await client.schedule.getHandle(payoutScheduleId(programmeId)).trigger('BUFFER_ONE');
      } catch (error) {
        if (error instanceof ScheduleNotFoundError)
          throw new Error(`programme ${programmeId} has no payout schedule`, { cause: error });
        throw error;
      }
    },
  };
}
