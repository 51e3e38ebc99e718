import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

/** What one workflow execution did, counted from its event history. */
export interface ProcessCounts {
  activities: number;
  /** local activities: their markers */
  localActivities: number;
  timersStarted: number;
  timersFired: number;
  updates: number;
  signals: number;
  children: number;
  workflowTasks: number;
  events: number;
  /** still running when counted (the voucher waits for its validity to end) */
  open: boolean;
}

export async function countHistory(client: Client, workflowId: string): Promise<ProcessCounts> {
  const handle = client.workflow.getHandle(workflowId);
  const { events } = JSON.parse(historyToJSON(await handle.fetchHistory())) as {
    events: { eventType: string; markerRecordedEventAttributes?: { markerName?: string } }[];
  };
  const count = (type: string) => events.filter((e) => e.eventType === `EVENT_TYPE_${type}`).length;
  const { status } = await handle.describe();
  return {
    activities: count('ACTIVITY_TASK_SCHEDULED'),
    localActivities: events.filter(
      (e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
    ).length,
    timersStarted: count('TIMER_STARTED'),
    timersFired: count('TIMER_FIRED'),
    updates: count('WORKFLOW_EXECUTION_UPDATE_ACCEPTED'),
    signals: count('WORKFLOW_EXECUTION_SIGNALED'),
    children: count('START_CHILD_WORKFLOW_EXECUTION_INITIATED'),
    workflowTasks: count('WORKFLOW_TASK_COMPLETED'),
    events: events.length,
    open: status.name === 'RUNNING',
  };
}
