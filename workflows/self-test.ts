import { setWorkflowOptions } from '@temporalio/workflow';
import { activities } from './activities';
import { versioningBehavior } from './kit/steps';

export interface SelfTestInput {
  runId: string;
  recipient: string;
}

/** Proves the running stack end to end: Temporal → worker → PostgreSQL → SMTP. */
export async function selfTest(input: SelfTestInput): Promise<{ startedAt: string; mailedAt: string }> {
  const { startedAt } = await activities.recordSelfTest(input);
  await activities.sendNotification({
    eventKey: `self-test/${input.runId}`,
    template: 'selfTest',
    data: { runId: input.runId, startedAt },
    to: [{ recipients: [{ email: input.recipient, locale: 'zh-CN' }] }],
  });
  const { mailedAt } = await activities.markSelfTestMailed({ runId: input.runId });
  return { startedAt, mailedAt };
}

setWorkflowOptions(versioningBehavior('PINNED'), selfTest);
