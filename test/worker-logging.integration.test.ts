import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mailer } from '../notifications/mailer';
import { selfTest } from '../workflows/self-test';
import { workerLog } from './support/setup-runtime';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

// an SMTP server that refuses the first attempt of every mail, then accepts
const refusedOnce = new Set<string>();
let h: TestWorkerHarness;

beforeAll(async () => {
  const flakyMailer: Mailer = {
    async send(mail) {
      if (!refusedOnce.has(mail.messageId)) {
        refusedOnce.add(mail.messageId);
        throw new Error('421 4.3.2 Service not available, closing transmission channel');
      }
    },
    async verify() {},
    close() {},
  };
  h = await startTestWorker({ taskQueue: uniqueTaskQueue(import.meta.url), deps: { mailer: flakyMailer } });
});
afterAll(async () => {
  await h?.stop();
});

describe('the worker’s structured log', () => {
  it('records an activity failure with the workflow id, run id and activity id, and the retry succeeds', async () => {
    const runId = randomUUID();
    const handle = await h.client.workflow.start(selfTest, {
      taskQueue: h.taskQueue,
      workflowId: `self-test/${runId}`,
      args: [{ runId, recipient: 'ops@vouchers.test' }],
    });
    await handle.result();

    const failure = workerLog.find(
      (e) => e.workflowId === handle.workflowId && /activity.*fail/i.test(String(e.msg)),
    );
    expect(failure, JSON.stringify(workerLog.slice(-5))).toBeDefined();
    expect(failure).toMatchObject({
      workflowId: handle.workflowId,
      workflowRunId: handle.firstExecutionRunId,
      activityType: 'sendNotification',
      level: 40,
    });
    expect(failure!.activityId).toBeTruthy();
    expect(failure).not.toHaveProperty('taskToken');
    expect(JSON.stringify(failure!.err)).toContain('421 4.3.2');
  });

  it('records a workflow that cannot run, with its run id and the reason', async () => {
    // a client ahead of the deployed workers: the workflow type is not in this worker's bundle
    const handle = await h.client.workflow.start('noSuchWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: `missing/${randomUUID()}`,
      workflowExecutionTimeout: '3 seconds',
    });
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const entry = workerLog.find((e) => e.runId === handle.firstExecutionRunId && e.level === 50);
    expect(entry, 'no error line names the failed run').toBeDefined();
    expect(JSON.stringify(entry!.err)).toContain("workflow of type 'noSuchWorkflow'");
  });
});
