import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVersionCurrent } from '../infra/worker-deployment';
import { buildIdOf, packageVersion } from '../worker/versioning';
import type { longProcess, shortProcess } from './fixtures/versioning-v1';
import { bundleFixture } from './support/fixtures';
import { until } from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

/**
 * Two builds of one Worker Deployment on the real dev server: a PINNED run finishes on the build
 * that started it, an AUTO_UPGRADE run moves to the build made current while it waits.
 */
const taskQueue = uniqueTaskQueue(import.meta.url);
const deploymentName = `fixtures-${randomUUID().slice(0, 8)}`;
const workers: TestWorkerHarness[] = [];
const dirs: string[] = [];

async function startBuild(
  file: string,
  options: { maxCachedWorkflows?: number } = {},
): Promise<{ worker: TestWorkerHarness; buildId: string }> {
  const bundle = await bundleFixture(file);
  dirs.push(path.dirname(bundle.path));
  const worker = await startTestWorker({
    taskQueue,
    workflowBundlePath: bundle.path,
    // no build id given: the worker derives it from the package version and the bundle
    versioning: { deploymentName, enabled: true },
    ...options,
  });
  workers.push(worker);
  return { worker, buildId: buildIdOf(await packageVersion(), bundle.code) };
}

async function versionOf(client: Client, handle: WorkflowHandle) {
  const { raw } = await client.workflow.getHandle(handle.workflowId).describe();
  const info = raw.workflowExecutionInfo?.versioningInfo;
  return { buildId: info?.deploymentVersion?.buildId ?? null, behavior: info?.behavior ?? 0 };
}

let client: Client;
let v1: string;

beforeAll(async () => {
  // Build 1 keeps no run in memory between steps. Otherwise the step after the switch can reach build 1
  // through its sticky queue in the moment before the server moves the AUTO_UPGRADE run: Temporal then
  // finishes it on build 1, which is allowed (both builds replay it) but is not what this test shows.
  const first = await startBuild('versioning-v1.ts', { maxCachedWorkflows: 0 });
  client = first.worker.client;
  v1 = first.buildId;
  await makeVersionCurrent(client, { deploymentName, buildId: v1 }, 'versioning test');
});
afterAll(async () => {
  for (const worker of workers) await worker.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('Worker Deployment versioning', () => {
  it('keeps a PINNED run on the build it started on and moves an AUTO_UPGRADE run to the new current build', async () => {
    const start = (type: 'shortProcess' | 'longProcess') =>
      client.workflow.start<typeof shortProcess | typeof longProcess>(type, {
        taskQueue,
        workflowId: `${type}/${randomUUID()}`,
      });
    const pinned = await start('shortProcess');
    const upgrading = await start('longProcess');
    for (const handle of [pinned, upgrading]) {
      await until('the first step on build 1', async () => (await versionOf(client, handle)).buildId === v1);
    }

    // how an operator finds the runs still on a build before retiring its workers
    const onV1 = `TemporalWorkerDeploymentVersion="${deploymentName}:${v1}" AND ExecutionStatus="Running"`;
    await until('the runs of build 1 found by their version', async () => {
      const ids: string[] = [];
      for await (const run of client.workflow.list({ query: onV1 })) ids.push(run.workflowId);
      return ids.includes(pinned.workflowId) && ids.includes(upgrading.workflowId);
    });

    const { buildId: v2 } = await startBuild('versioning-v2.ts');
    expect(v2).not.toBe(v1);
    expect(v1).toMatch(new RegExp(`^${(await packageVersion()).replaceAll('.', '\\.')}-[0-9a-f]{12}$`));
    expect(await makeVersionCurrent(client, { deploymentName, buildId: v2 }, 'versioning test')).toBe(v1);

    for (const handle of [pinned, upgrading]) await handle.signal('proceed');
    expect(await pinned.result()).toBe('v1');
    expect(await upgrading.result()).toBe('v2');
    expect((await versionOf(client, pinned)).buildId).toBe(v1);
    expect((await versionOf(client, upgrading)).buildId).toBe(v2);

    // a run started now begins on the new build
    const fresh = await start('shortProcess');
    await fresh.signal('proceed');
    expect(await fresh.result()).toBe('v2');
  });
});
