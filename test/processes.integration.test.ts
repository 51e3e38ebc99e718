import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMailer, type Mailer } from '../notifications/mailer';
import type { failingProcess, mailingProcess, waitingProcess } from './fixtures/attention-workflows';
import { startTestApi, TEST_METRICS_TOKEN, type TestApi } from './support/api';
import { bundleFixture } from './support/fixtures';
import { until } from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

interface ProcessItem {
  status: 'FAILED' | 'STUCK';
  workflowId: string;
  runId: string;
  workflowType: string;
  programmeId: string | null;
  enterpriseId: string | null;
  reason: string;
  outcome: string | null;
  step: { activityType: string; attempt: number } | null;
  workflowUrl: string;
}
interface ProcessPage {
  items: ProcessItem[];
  nextCursor: string | null;
}

const STUCK_AFTER_MS = 1500;
const taskQueue = uniqueTaskQueue(import.meta.url);
let smtpDown = false;
let bundleDir: string;
let worker: TestWorkerHarness;
let api: TestApi;
let auditor: string;

beforeAll(async () => {
  const bundle = await bundleFixture('attention-workflows.ts');
  bundleDir = path.dirname(bundle.path);
  const smtp = createMailer({ smtpUrl: inject('services').smtpUrl, from: 'fixtures@vouchers.test' });
  // an SMTP outage the test starts and ends
  const mailer: Mailer = {
    async send(mail) {
      if (smtpDown) throw new Error('connect ECONNREFUSED 127.0.0.1:25 (the mail server is down)');
      await smtp.send(mail);
    },
    verify: () => smtp.verify(),
    close: () => smtp.close(),
  };
  worker = await startTestWorker({
    taskQueue,
    workflowBundlePath: bundle.path,
    deps: { mailer },
    stuckAfterMs: STUCK_AFTER_MS,
  });
  api = await startTestApi({ taskQueue });
  auditor = (await api.givenUser('AUDITOR')).token;
});
afterAll(async () => {
  await worker?.stop();
  await api?.stop();
  if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
});

const facts = () => ({ programmeId: randomUUID(), enterpriseId: randomUUID() });

async function list(status: 'FAILED' | 'STUCK', query = ''): Promise<ProcessPage> {
  const res = await api.call<ProcessPage>('GET', `/api/v1/processes?status=${status}${query}`, {
    token: auditor,
  });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function gauge(): Promise<Record<string, number>> {
  const text = await (
    await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } })
  ).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^processes_needing_attention\{([^}]*)\} (\d+)$/gm)) {
    const status = /status="(\w+)"/.exec(match[1]!)?.[1];
    if (status) counts[status] = Number(match[2]);
  }
  return counts;
}

async function fail(workflowId: string, input: ReturnType<typeof facts>) {
  const handle = await worker.client.workflow.start<typeof failingProcess>('failingProcess', {
    taskQueue,
    workflowId,
    args: [{ ...input, fail: true }],
  });
  await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
  return handle;
}

describe('failed and stuck processes, for operators', () => {
  it('lists a failed run with its business ids, the failure and its history, counts it, and forgets it once started again', async () => {
    const [a, b] = [facts(), facts()];
    const first = await fail(`fixture-failing/${randomUUID()}`, a);
    const second = await fail(`fixture-failing/${randomUUID()}`, b);

    const page = await list('FAILED');
    expect(page.items.map((i) => i.workflowId)).toEqual([second.workflowId, first.workflowId]);
    expect(page.items[1]).toMatchObject({
      status: 'FAILED',
      workflowId: first.workflowId,
      runId: first.firstExecutionRunId,
      workflowType: 'failingProcess',
      programmeId: a.programmeId,
      enterpriseId: a.enterpriseId,
      outcome: 'FAILED',
      step: null,
    });
    expect(page.items[1]!.reason).toContain('the fixture was told to fail');
    expect(page.items[1]!.workflowUrl).toBe(
      `http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(first.workflowId)}/${first.firstExecutionRunId}/history`,
    );
    expect(await gauge()).toMatchObject({ FAILED: 2, STUCK: 0 });

    // one item per page, then the next
    const one = await list('FAILED', '&limit=1');
    expect(one.items.map((i) => i.workflowId)).toEqual([second.workflowId]);
    const two = await list('FAILED', `&limit=1&cursor=${one.nextCursor}`);
    expect(two.items.map((i) => i.workflowId)).toEqual([first.workflowId]);

    // the operator fixed the cause and started the process again: the failed run is history
    await worker.client.workflow.execute<typeof failingProcess>('failingProcess', {
      taskQueue,
      workflowId: first.workflowId,
      args: [{ ...a, fail: false }],
    });
    await worker.client.workflow.execute<typeof failingProcess>('failingProcess', {
      taskQueue,
      workflowId: second.workflowId,
      args: [{ ...b, fail: false }],
    });
    expect((await list('FAILED')).items).toEqual([]);
    expect(await gauge()).toMatchObject({ FAILED: 0, STUCK: 0 });
  });

  it('lists a step that keeps failing past STUCK_AFTER as stuck, counts it, and forgets it once the step succeeds', async () => {
    smtpDown = true;
    const input = { ...facts(), runId: randomUUID(), recipient: 'ops@vouchers.test' };
    const handle = await worker.client.workflow.start<typeof mailingProcess>('mailingProcess', {
      taskQueue,
      workflowId: `fixture-mailing/${input.runId}`,
      args: [input],
    });

    const stuck = await until('the mailing step listed as stuck', async () => (await list('STUCK')).items[0]);
    expect(stuck).toMatchObject({
      status: 'STUCK',
      workflowId: handle.workflowId,
      runId: handle.firstExecutionRunId,
      workflowType: 'mailingProcess',
      programmeId: input.programmeId,
      enterpriseId: input.enterpriseId,
      outcome: null,
      step: { activityType: 'sendNotification' },
    });
    expect(stuck.step!.attempt).toBeGreaterThan(1);
    expect(stuck.reason).toContain('the mail server is down');
    expect(await gauge()).toMatchObject({ FAILED: 0, STUCK: 1 });

    smtpDown = false;
    await handle.result();
    expect((await list('STUCK')).items).toEqual([]);
    expect(await gauge()).toMatchObject({ FAILED: 0, STUCK: 0 });
    expect(await api.db.stuckStep.count({ where: { workflowId: handle.workflowId } })).toBe(0);
  });

  it('moves a stuck run that an operator terminates to the failed list, with the reason given', async () => {
    smtpDown = true;
    const input = { ...facts(), runId: randomUUID(), recipient: 'ops@vouchers.test' };
    const handle = await worker.client.workflow.start<typeof mailingProcess>('mailingProcess', {
      taskQueue,
      workflowId: `fixture-mailing/${input.runId}`,
      args: [input],
    });
    await until('the mailing step listed as stuck', async () => (await list('STUCK')).items[0]);
    await handle.terminate('mail server decommissioned; the notice goes by post');
    smtpDown = false;

    expect((await list('STUCK')).items).toEqual([]);
    expect(await api.db.stuckStep.count({ where: { workflowId: handle.workflowId } })).toBe(0);
    const [terminated] = (await list('FAILED')).items;
    expect(terminated).toMatchObject({ workflowId: handle.workflowId, outcome: 'TERMINATED' });
    expect(terminated!.reason).toContain('mail server decommissioned; the notice goes by post');
    expect(await gauge()).toMatchObject({ FAILED: 1, STUCK: 0 });

    // started again, it runs: nothing needs attention any more
    const again = await worker.client.workflow.start<typeof waitingProcess>('waitingProcess', {
      taskQueue,
      workflowId: handle.workflowId,
      args: [facts()],
    });
    expect((await list('FAILED')).items).toEqual([]);
    await again.terminate('end of test');
  });

  it('refuses a missing status, and a cursor that is not one it gave for that status', async () => {
    const missing = await api.call<{ issues: { field: string }[] }>('GET', '/api/v1/processes', {
      token: auditor,
    });
    expect(missing.status).toBe(400);
    expect(missing.body.issues.map((i) => i.field)).toEqual(['status']);

    const stuckCursor = Buffer.from(
      JSON.stringify(['STUCK', new Date().toISOString(), randomUUID()]),
    ).toString('base64url');
    for (const cursor of [
      stuckCursor,
      'not-a-cursor',
      Buffer.from('["FAILED","AAAA"]').toString('base64url'),
    ]) {
      const res = await api.call<{ code: string; issues: { field: string }[] }>(
        'GET',
        `/api/v1/processes?status=FAILED&cursor=${cursor}`,
        { token: auditor },
      );
      expect(res.status, `${cursor}: ${res.text}`).toBe(400);
      expect(res.body.issues.map((i) => i.field)).toEqual(['cursor']);
    }
  });
});
