import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { ActivityDeps } from '../activities/deps';
import { refusePermanentFailures } from './refuse-permanent-failures';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** path of a bundle made by `bundleWorkflowCode`; without it the worker bundles at start */
  workflowBundlePath?: string;
  maxConcurrentActivityTaskExecutions?: number;
}

export async function createWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath }),
    activities: createActivities(options.deps),
    // a failure that cannot pass (a constraint, a bad value) fails its step at once, with the reason
    interceptors: { activity: [refusePermanentFailures] },
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 50,
  });
}
