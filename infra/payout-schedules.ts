import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client } from '@temporalio/client';
import { DurationSchema } from '../domain/duration';
import { DEFAULT_TIME_ZONE } from '../domain/calendar';

export const payoutScheduleId = (programmeId: string) => `payout/${programmeId}`;

/** The Temporal Schedule that runs a programme's payout batches. */
export interface PayoutSchedules {
  /** creates the programme's schedule; a second call changes nothing */
  ensure(input: { programmeId: string; schedule: string }): Promise<void>;
  /** runs a batch now, outside the schedule (e.g. at the end of a reporting period) */
  trigger(programmeId: string): Promise<void>;
  /** when the next batch runs on the schedule; null when the programme has none */
  nextRun(programmeId: string): Promise<Date | null>;
}

function specOf(schedule: string) {
  return DurationSchema.safeParse(schedule).success
    ? { intervals: [{ every: schedule }] }
    : { cronExpressions: [schedule], timezone: DEFAULT_TIME_ZONE };
}

export function temporalPayoutSchedules(client: Client, taskQueue: string): PayoutSchedules {
  return {
    async ensure({ programmeId, schedule }) {
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
        });
      } catch (error) {
        if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      }
    },
    async nextRun(programmeId) {
      try {
        const description = await client.schedule.getHandle(payoutScheduleId(programmeId)).describe();
        return description.info.nextActionTimes[0] ?? null;
      } catch (error) {
        if (error instanceof ScheduleNotFoundError) return null;
        throw error;
      }
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
