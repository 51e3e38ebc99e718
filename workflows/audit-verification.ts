import { proxyActivities, setWorkflowOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activities } from './activities';
import { versioningBehavior } from './kit/steps';

/**
 * The long step: hours at a country's volume. It heartbeats after each page; a worker that dies is
 * noticed within the heartbeat timeout and the retry resumes from the last heartbeat.
 */
const verification = proxyActivities<Pick<Activities, 'verifyAuditChain'>>({
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 15,
  },
});

/**
 * One whole-chain verification of the audit log (docs/processes.md, "Audit verification"): started by
 * an auditor or administrator (who recorded it, `verificationId`) or by its nightly schedule (which
 * records it here, or finds the one already running and leaves it be).
 */
export async function auditVerification(
  input: { verificationId?: string } = {},
): Promise<{ verificationId: string; state: string }> {
  let verificationId = input.verificationId;
  if (!verificationId) {
    const begun = await activities.beginAuditVerification();
    if (!begun.started) return { verificationId: begun.verificationId, state: 'RUNNING' };
    verificationId = begun.verificationId;
  }
  try {
    const { state } = await verification.verifyAuditChain({ verificationId });
    return { verificationId, state };
  } catch (error) {
    await activities.abandonAuditVerification({ verificationId });
    throw error;
  }
}

// short enough to finish on the build it started on
setWorkflowOptions(versioningBehavior('PINNED'), auditVerification);
