import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { percentiles } from './machine';

interface HistoryEvent {
  eventType: string;
  eventTime: string;
  workflowExecutionUpdateAcceptedEventAttributes?: {
    protocolInstanceId?: string;
    acceptedRequest?: { input?: { name?: string } };
  };
  workflowExecutionUpdateCompletedEventAttributes?: { meta?: { updateId?: string } };
  markerRecordedEventAttributes?: { markerName?: string };
}

/** One update as its process's history tells it: each event after the task that took it, in ms from that task. */
export interface UpdateTrace {
  update: string;
  totalMs: number;
  events: { at: number; event: string }[];
}

const short = (type: string) =>
  type
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * Every update of a workflow run, from the scheduling of the workflow task that accepted it to its
 * completion: the workflow tasks, activities, local activities (markers) and timers in between.
 */
export async function updateTraces(client: Client, workflowId: string): Promise<UpdateTrace[]> {
  const { events } = JSON.parse(
    historyToJSON(await client.workflow.getHandle(workflowId).fetchHistory()),
  ) as {
    events: HistoryEvent[];
  };
  const traces: UpdateTrace[] = [];
  events.forEach((event, index) => {
    const accepted = event.workflowExecutionUpdateAcceptedEventAttributes;
    if (!accepted) return;
    const updateId = accepted.protocolInstanceId;
    let from = index;
    while (from > 0 && events[from]!.eventType !== 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED') from -= 1;
    const done = events.findIndex(
      (e, i) => i > index && e.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId === updateId,
    );
    if (done < 0) return;
    const t0 = Date.parse(events[from]!.eventTime);
    const span = events.slice(from, done + 1).map((e) => ({
      at: Date.parse(e.eventTime) - t0,
      event: e.markerRecordedEventAttributes?.markerName
        ? `marker:${e.markerRecordedEventAttributes.markerName}`
        : short(e.eventType),
    }));
    traces.push({
      update: accepted.acceptedRequest?.input?.name ?? 'unknown',
      totalMs: span.at(-1)!.at,
      events: span,
    });
  });
  return traces;
}

/** Per update name: the percentiles of its time in the process, and the events of its median and slowest runs. */
export function summariseTraces(traces: UpdateTrace[]) {
  const byName = new Map<string, UpdateTrace[]>();
  for (const trace of traces) byName.set(trace.update, [...(byName.get(trace.update) ?? []), trace]);
  return Object.fromEntries(
    [...byName].map(([name, list]) => {
      const sorted = [...list].sort((a, b) => a.totalMs - b.totalMs);
      const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
      return [
        name,
        {
          inProcessMs: percentiles(list.map((t) => t.totalMs)),
          medianRun: median.events.map((e) => `+${e.at} ${e.event}`),
          // where a tail comes from: waiting for the task (scheduled → started) or inside it
          slowestRun: sorted.at(-1)!.events.map((e) => `+${e.at} ${e.event}`),
        },
      ];
    }),
  );
}
