import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { specOf } from './payout-schedules';

export const AUDIT_VERIFICATION_SCHEDULE_ID = 'audit-verification/nightly';

/**
 * The Temporal Schedule of the whole-chain verification of the audit log (nightly by default,
 * AUDIT_VERIFICATION_SCHEDULE): created when missing, its timing set to the configured one when it
 * differs. A run that finds one already going (started by an auditor) leaves it be.
 */
export async function ensureAuditVerificationSchedule(
  client: Client,
  taskQueue: string,
  schedule: string,
): Promise<void> {
  const spec = specOf(schedule);
  try {
    await client.schedule.create({
      scheduleId: AUDIT_VERIFICATION_SCHEDULE_ID,
      spec,
      action: {
        type: 'startWorkflow',
        workflowType: 'auditVerification',
        workflowId: 'audit-verification/scheduled',
        args: [{}],
        taskQueue,
      },
      policies: { overlap: 'SKIP', catchupWindow: '1h' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(AUDIT_VERIFICATION_SCHEDULE_ID).update((previous) => ({
      ...previous,
      spec,
      action: { ...previous.action, taskQueue },
    }));
  }
}
