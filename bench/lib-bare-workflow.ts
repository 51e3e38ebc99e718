/**
 * The journey's processes without their business: the same number of activities, updates, timers
 * and child workflows, shaped like them (an update that does one activity, a deadline timer while
 * waiting for the next step, a child started by the last update or run at the end), and nothing
 * else — no database, no e-mail, payloads of a few bytes. Bundled on its own, run on its own
 * task queue by `bench/journeys.ts`.
 */
import {
  condition,
  defineQuery,
  defineUpdate,
  executeChild,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';

export interface BarePlan {
  activities: number;
  /** local activities, run by the updates first (as the real processes run their waited-for steps) */
  localActivities: number;
  updates: number;
  timers: number;
  /** the process keeps running at the end, with a timer pending (the voucher until its expiry) */
  stayOpen: boolean;
  child: { plan: BarePlan; how: 'startedByLastUpdate' | 'executedAtEnd' } | null;
}

export const stepUpdate = defineUpdate<number, [number]>('step');
export const stepsQuery = defineQuery<number>('steps');

const { step } = proxyActivities<{ step(n: number): Promise<number> }>({
  startToCloseTimeout: '30 seconds',
});

const local = proxyLocalActivities<{ step(n: number): Promise<number> }>({
  startToCloseTimeout: '30 seconds',
});

export const bareChildId = (workflowId: string) => `${workflowId}/child`;

export async function bareProcess(plan: BarePlan): Promise<number> {
  let received = 0;
  const inHandlers = Math.min(plan.updates, plan.activities + plan.localActivities);
  const localInHandlers = Math.min(inHandlers, plan.localActivities);
  const inMainFlow = plan.activities - (inHandlers - localInHandlers);
  const localInMainFlow = plan.localActivities - localInHandlers;
  const startsChild = plan.child?.how === 'startedByLastUpdate' ? plan.child.plan : null;
  setHandler(stepsQuery, () => received);
  setHandler(stepUpdate, async (n) => {
    if (n < localInHandlers) await local.step(n);
    else if (n < inHandlers) await step(n);
    received += 1;
    if (startsChild && received === plan.updates) {
      await startChild(bareProcess, {
        workflowId: bareChildId(workflowInfo().workflowId),
        args: [startsChild],
      });
    }
    return received;
  });

  // the main flow's local activities (the checks a starting update waits for) come first
  for (let i = 0; i < localInMainFlow; i += 1) await local.step(2000 + i);
  // the main flow's activities (notifications, checks) follow the steps, spread evenly over them
  let done = 0;
  const runMainActivities = async (upTo: number) => {
    for (; done < upTo; done += 1) await step(1000 + done);
  };
  // timers left for the end: the voucher keeps one pending after the journey
  const closingTimers = plan.stayOpen ? Math.min(1, plan.timers) : 0;
  let deadlines = plan.timers - closingTimers;
  for (let waited = 0; waited < plan.updates; waited += 1) {
    if (deadlines > 0) {
      deadlines -= 1;
      await condition(() => received > waited, '1 day');
    } else {
      await condition(() => received > waited);
    }
    await runMainActivities(Math.floor((inMainFlow * (waited + 1)) / Math.max(1, plan.updates)));
  }
  await runMainActivities(inMainFlow);
  // timers the plan has beyond one a step: each starts and is beaten by the step that follows
  for (; deadlines > 0; deadlines -= 1) await condition(() => true, '1 day');
  if (plan.child?.how === 'executedAtEnd') {
    await executeChild(bareProcess, {
      workflowId: bareChildId(workflowInfo().workflowId),
      args: [plan.child.plan],
    });
  }
  if (closingTimers) await condition(() => false, '180 days');
  return received;
}
