import { fileURLToPath } from 'node:url';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type NativeConnection } from '@temporalio/worker';
import type { ProcessCounts } from './lib-history-counts';
import { bareChildId, bareProcess, stepsQuery, stepUpdate, type BarePlan } from './lib-bare-workflow';

export const BARE_TASK_QUEUE = 'bench-bare';

/** The bare processes on a worker of their own, with an activity that does nothing but answer. */
export async function startBareWorker(
  connection: NativeConnection,
  namespace: string,
  options: { maxConcurrentActivityTaskExecutions: number },
): Promise<{ worker: Worker; stop: () => Promise<void> }> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./lib-bare-workflow.ts', import.meta.url)),
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: console.warn,
      error: console.error,
    },
  });
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue: BARE_TASK_QUEUE,
    workflowBundle: { code },
    activities: { step: async (n: number) => n },
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions,
  });
  const running = worker.run();
  return {
    worker,
    stop: async () => {
      worker.shutdown();
      await running;
    },
  };
}

/**
 * The bare plan of the journey's three processes, from their counted histories: the voucher
 * process (started with the submission update, starts the booking from its last update, stays
 * open), the booking (runs the settlement at its end) and the settlement.
 */
export function barePlan(
  voucher: ProcessCounts,
  booking: ProcessCounts,
  settlement: ProcessCounts,
): BarePlan {
  const plan = (counts: ProcessCounts, child: BarePlan['child']): BarePlan => ({
    activities: counts.activities,
    localActivities: counts.localActivities,
    updates: counts.updates,
    timers: counts.timersStarted,
    stayOpen: counts.open,
    child,
  });
  return plan(voucher, {
    how: 'startedByLastUpdate',
    plan: plan(booking, { how: 'executedAtEnd', plan: plan(settlement, null) }),
  });
}

/**
 * One bare journey, driven as the API drives the real one: the first update starts the process,
 * each further step is an update, the process that takes the report is queried once before its
 * third step (the API checks the booking's state before storing a report), and the journey ends
 * when the process that runs the last child has finished.
 */
export async function bareJourney(client: Client, plan: BarePlan, workflowId: string): Promise<void> {
  await client.workflow.executeUpdateWithStart(stepUpdate, {
    args: [0],
    startWorkflowOperation: new WithStartWorkflowOperation(bareProcess, {
      workflowId,
      taskQueue: BARE_TASK_QUEUE,
      args: [plan],
      workflowIdConflictPolicy: 'FAIL',
    }),
  });
  let id = workflowId;
  let current = plan;
  let first = 1;
  for (;;) {
    const handle = client.workflow.getHandle(id);
    for (let n = first; n < current.updates; n += 1) {
      if (n === 2 && current.child?.how === 'executedAtEnd') await handle.query(stepsQuery);
      await handle.executeUpdate(stepUpdate, { args: [n] });
    }
    if (current.child?.how === 'startedByLastUpdate') {
      id = bareChildId(id);
      current = current.child.plan;
      first = 0;
      continue;
    }
    await handle.result();
    return;
  }
}

/** The workflow ids of a bare journey's processes, root first. */
export function bareProcessIds(plan: BarePlan, workflowId: string): string[] {
  const ids = [workflowId];
  for (let p = plan.child; p; p = p.plan.child) ids.push(bareChildId(ids[ids.length - 1]!));
  return ids;
}
