import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationActivities } from '../activities/notifications';
import { selfTest } from '../workflows/self-test';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let h: TestWorkerHarness;

beforeAll(async () => {
  h = await startTestWorker({ taskQueue: uniqueTaskQueue(import.meta.url) });
});
afterAll(async () => {
  await h?.stop();
});

describe('a workflow through the real Temporal server, PostgreSQL and SMTP', () => {
  it('runs activities that write the database and send a mail the catcher receives', async () => {
    const runId = randomUUID();
    const recipient = `ops-${runId.slice(0, 8)}@vouchers.test`;

    const result = await h.client.workflow.execute(selfTest, {
      taskQueue: h.taskQueue,
      workflowId: `self-test/${runId}`,
      args: [{ runId, recipient }],
    });

    const row = await h.db.selfTestRun.findUniqueOrThrow({ where: { id: runId } });
    expect(row.recipient).toBe(recipient);
    expect(row.mailedAt?.toISOString()).toBe(result.mailedAt);

    const [mail] = await h.mail.waitFor((m) => m.to.includes(recipient));
    expect(mail!.subject).toContain(runId);
    expect(mail!.text).toContain('工作流、数据库和邮件服务均已连通');
    expect(mail!.html).toContain('<html lang="zh-CN">');
    expect(mail!.html).toContain('http://vouchers.test/readyz');

    const outbox = await h.db.notification.findMany({ where: { recipient } });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.status).toBe('SENT');
  });

  it('sends one mail per event and recipient, however often the activity is retried', async () => {
    const { sendNotification } = createNotificationActivities(h.deps);
    const recipient = `retry-${randomUUID().slice(0, 8)}@vouchers.test`;
    const request = {
      eventKey: `self-test/${randomUUID()}`,
      template: 'selfTest' as const,
      data: { runId: 'retry', startedAt: new Date().toISOString() },
      to: [
        {
          recipients: [
            { email: recipient, locale: 'en' as const },
            { email: recipient.toUpperCase(), locale: 'en' as const },
          ],
        },
      ],
    };

    expect(await sendNotification(request)).toEqual({ sent: 1, alreadySent: 0 });
    expect(await sendNotification(request)).toEqual({ sent: 0, alreadySent: 1 });

    const mails = await h.mail.waitFor((m) => m.to.includes(recipient));
    await new Promise((r) => setTimeout(r, 500));
    expect(await h.mail.to(recipient)).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/^\[self-test\]/);
    expect(mails[0]!.text).toContain('workflows, database and mail are connected');
  });
});
