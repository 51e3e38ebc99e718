import type { ProcessSnapshot } from '../settle';
import type { World } from '../world';

/** No process failed, was terminated or timed out, and none has an activity retrying. */
export function checkProcesses(w: World, processes: ProcessSnapshot[]): void {
  for (const p of processes) {
    if (['FAILED', 'TERMINATED', 'TIMED_OUT'].includes(p.status)) {
      if (!w.failedSeen.has(p.runId)) w.failedSeen.set(p.runId, p.workflowId);
      continue;
    }
    if (p.taskAttempt > 1) {
      w.record(
        'workflow-task-failing',
        `${p.workflowId}: its workflow task failed ${p.taskAttempt - 1} time(s) and is retried`,
      );
    }
    for (const a of p.activities.filter((x) => x.attempt > 1)) {
      w.record(
        'activity-stuck',
        `${p.workflowId}: activity ${a.type} at attempt ${a.attempt}: ${a.lastFailure ?? 'no failure recorded'}`,
      );
    }
  }
}

/** The reason each failed process gives, recorded once per run. */
export async function describeFailures(w: World): Promise<void> {
  for (const [runId, workflowId] of w.failedSeen) {
    if (w.failedReported.has(runId)) continue;
    w.failedReported.add(runId);
    const reason = await w.worker.client.workflow
      .getHandle(workflowId, runId)
      .result()
      .then(
        () => 'no failure',
        (error: unknown) => causes(error),
      );
    w.record('workflow-failed', `${workflowId}: ${reason}`);
  }
}

function causes(error: unknown): string {
  const messages: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) messages.push(e.message);
  return messages.join(' ← ');
}
