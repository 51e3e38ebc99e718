import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { orderProcess } from './fixtures/patching-v1';
import { bundleFixture } from './support/fixtures';
import { startTestWorker, uniqueTaskQueue } from './support/worker';

/**
 * The change procedure of the README on a test-only workflow: a run recorded on the real dev
 * server from the first release replays under the next release, whose new step is behind
 * `patched()`, and fails to replay when the same step is added without the patch.
 */
const bundles: Record<'v1' | 'v2' | 'unguarded', string> = { v1: '', v2: '', unguarded: '' };
let recorded: temporal.api.history.v1.IHistory;

beforeAll(async () => {
  for (const [name, file] of [
    ['v1', 'patching-v1.ts'],
    ['v2', 'patching-v2.ts'],
    ['unguarded', 'patching-v2-unguarded.ts'],
  ] as const) {
    bundles[name] = (await bundleFixture(file)).path;
  }
  const worker = await startTestWorker({
    taskQueue: uniqueTaskQueue(import.meta.url),
    workflowBundlePath: bundles.v1,
  });
  try {
    const handle = await worker.client.workflow.start<typeof orderProcess>('orderProcess', {
      taskQueue: worker.taskQueue,
      workflowId: `order/${randomUUID()}`,
    });
    expect(await handle.result()).toBe('shipped');
    recorded = await handle.fetchHistory();
  } finally {
    await worker.stop();
  }
});
afterAll(async () => {
  for (const bundle of Object.values(bundles))
    if (bundle) await rm(path.dirname(bundle), { recursive: true, force: true });
});

const replay = (bundle: string) =>
  Worker.runReplayHistory({ workflowBundle: { codePath: bundle } }, recorded, `order-replay-${randomUUID()}`);

describe('a patched change replays the histories of runs recorded before it', () => {
  it('replays a run of the first release under the next release, whose new step is behind patched()', async () => {
    await expect(replay(bundles.v2)).resolves.toBeUndefined();
  });

  it('fails with non-determinism when the same step is added without the patch', async () => {
    await expect(replay(bundles.unguarded)).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
