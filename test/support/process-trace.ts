import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { onTestFailed } from 'vitest';
import { until } from './scenarios';

interface EventJson {
  eventTime?: string;
  eventType?: string;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
  workflowExecutionUpdateAcceptedEventAttributes?: { acceptedRequest?: { input?: { name?: string } } };
}

/**
 * When the running test fails, prints where each named process stands: its status, the steps it is
 * retrying and its last events. A test that times out then says what the process was doing.
 */
export function traceProcessesOnFailure(client: Client, workflowIds: () => string[]): void {
  onTestFailed(async () => {
    for (const id of workflowIds()) {
      try {
        const handle = client.workflow.getHandle(id);
        const description = await handle.describe();
        const pending = (description.raw.pendingActivities ?? []).map(
          (a) =>
            `${a.activityType?.name} attempt ${a.attempt}${a.lastFailure?.message ? `: ${a.lastFailure.message}` : ''}`,
        );
        const { events } = JSON.parse(historyToJSON(await handle.fetchHistory())) as { events: EventJson[] };
        const last = events.slice(-15).map((e) => {
          const activity = e.activityTaskScheduledEventAttributes?.activityType?.name;
          const update = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
          return `${e.eventTime ?? ''} ${e.eventType ?? ''}${activity ? ` ${activity}` : ''}${update ? ` ${update}` : ''}`;
        });
        console.error(
          [
            `process ${id}: ${description.status.name}`,
            ...pending.map((p) => `  retrying ${p}`),
            ...last.map((l) => `  ${l}`),
          ].join('\n'),
        );
      } catch (error) {
        console.error(`process ${id}: not described (${String(error)})`);
      }
    }
  });
}

/**
 * The handle of a process once it is running. A booking is answered before its process has started,
 * so a test that acts on the process itself (an operator terminating it) waits for it first.
 */
export async function runningProcess(
  client: Client,
  workflowId: string,
  timeoutMs = 30_000,
): Promise<WorkflowHandle> {
  const handle = client.workflow.getHandle(workflowId);
  await until(
    `process ${workflowId} to start`,
    () =>
      handle.describe().then(
        ({ status }) => {
          if (status.name !== 'RUNNING')
            throw new Error(`process ${workflowId} is ${status.name}, not running`);
          return true;
        },
        (error: unknown) => {
          if (error instanceof WorkflowNotFoundError) return false;
          throw error;
        },
      ),
    timeoutMs,
  );
  return handle;
}
