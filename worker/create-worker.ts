import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Context } from '@temporalio/activity';
import {
  bundleWorkflowCode,
  Worker,
  type NativeConnection,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import { createActivities } from '../activities';
import type { ActivityDeps } from '../activities/deps';
import { refusePermanentFailures } from './refuse-permanent-failures';
import { recordStuckSteps } from './stuck-steps';
import { buildIdOf, deploymentOptions, packageVersion, type WorkerVersioning } from './versioning';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /**
   * The dependencies of the steps callers wait for, run as local activities: their own database
   * connections, as many as the local activities the worker runs at once. Without them local
   * activities share `deps`.
   */
  waitedSteps?: { deps: ActivityDeps; concurrency: number };
  /** path of a bundle made by `bundleWorkflowCode`; without it the worker bundles at start */
  workflowBundlePath?: string;
  maxConcurrentActivityTaskExecutions?: number;
  /** the worker's version of the deployment; without it the worker is unversioned */
  versioning?: WorkerVersioning;
  /** an activity failing for longer than this is recorded as stuck (STUCK_AFTER) */
  stuckAfterMs?: number;
  /** runs kept in memory between their steps (Temporal's sticky cache); 0 sends every step through the task queue */
  maxCachedWorkflows?: number;
}

/** The workflow code, and the build id it makes when versioning names none. */
async function workflowCode(
  options: WorkerOptions,
): Promise<{ bundle?: WorkflowBundleOption; buildId?: string }> {
  const { versioning, workflowBundlePath } = options;
  if (!versioning) {
    return { bundle: workflowBundlePath ? { codePath: workflowBundlePath } : undefined };
  }
  const code = workflowBundlePath
    ? await readFile(workflowBundlePath, 'utf8')
    : (await bundleWorkflowCode({ workflowsPath })).code;
  return { bundle: { code }, buildId: versioning.buildId ?? buildIdOf(await packageVersion(), code) };
}

type ActivityFunctions = Record<string, (...args: never[]) => Promise<unknown>>;

/**
 * The activities, each running with `local`'s dependencies when it runs as a local activity and with
 * `remote`'s otherwise. A local activity holds its workflow's task while it runs; with connections of
 * its own it never waits for one behind background steps (mail, settlement, reminders), so a burst of
 * those does not keep a caller waiting or let the task time out.
 */
export function activitiesByPlace<A extends ActivityFunctions>(remote: A, local: A): A {
  return Object.fromEntries(
    Object.keys(remote).map((name) => [
      name,
      (...args: never[]) => (Context.current().info.isLocal ? local : remote)[name]!(...args),
    ]),
  ) as A;
}

export async function createWorker(options: WorkerOptions): Promise<Worker> {
  const { bundle, buildId } = await workflowCode(options);
  const { deps } = options;
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(bundle ? { workflowBundle: bundle } : { workflowsPath }),
    ...(options.versioning && buildId
      ? { workerDeploymentOptions: deploymentOptions(options.versioning, buildId) }
      : {}),
    activities: options.waitedSteps
      ? activitiesByPlace(createActivities(deps), createActivities(options.waitedSteps.deps))
      : createActivities(deps),
    ...(options.waitedSteps ? { maxConcurrentLocalActivityExecutions: options.waitedSteps.concurrency } : {}),
    // the stuck-step record sees each failure as classified: a failure that cannot pass (a constraint,
    // a bad value) fails its step at once, with the reason
    interceptors: { activity: [recordStuckSteps(deps, options.stuckAfterMs), refusePermanentFailures] },
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 50,
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
  });
}
