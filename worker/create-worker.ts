import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
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
    activities: createActivities(deps),
    // the stuck-step record sees each failure as classified: a failure that cannot pass (a constraint,
    // a bad value) fails its step at once, with the reason
    interceptors: { activity: [recordStuckSteps(deps, options.stuckAfterMs), refusePermanentFailures] },
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 50,
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
  });
}
