import type { World } from './world';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ProcessSnapshot {
  workflowId: string;
  runId: string;
  status: string;
  /** pending activities: their type, attempt and last failure */
  activities: { type: string; attempt: number; lastFailure: string | null }[];
  /** a workflow task scheduled or running */
  deciding: boolean;
  /** the attempt of that workflow task: above 1, the workflow code itself keeps failing */
  taskAttempt: number;
}

/** Every process of the sequence with what it is doing now. */
export async function snapshot(w: World): Promise<ProcessSnapshot[]> {
  const found: ProcessSnapshot[] = [];
  for (const wf of await w.workflows()) {
    const snap: ProcessSnapshot = {
      workflowId: wf.workflowId,
      runId: wf.runId,
      status: wf.status.name,
      activities: [],
      deciding: false,
      taskAttempt: 0,
    };
    if (wf.status.name === 'RUNNING') {
      const description = await w.worker.client.workflow
        .getHandle(wf.workflowId, wf.runId)
        .describe()
        .catch(() => null);
      snap.activities = (description?.raw.pendingActivities ?? []).map((a) => ({
        type: a.activityType?.name ?? '?',
        attempt: a.attempt ?? 1,
        lastFailure: a.lastFailure?.message ?? null,
      }));
      snap.deciding = Boolean(description?.raw.pendingWorkflowTask);
      snap.taskAttempt = description?.raw.pendingWorkflowTask?.attempt ?? 0;
    }
    found.push(snap);
  }
  return found;
}

/**
 * Waits until no process of the sequence has an activity or a workflow task under way (timers and
 * waits for people are fine), or until `timeoutMs`. Answers what it last saw.
 */
export async function settle(w: World, timeoutMs = 15_000): Promise<ProcessSnapshot[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const processes = await snapshot(w);
    const busy = processes.some((p) => p.activities.length > 0 || p.deciding);
    if (!busy || Date.now() > deadline) return processes;
    await sleep(400);
  }
}

export { sleep };
