import type { ActivityDeps } from './deps';

/** The operator's end-to-end check: a workflow writes the database and sends a mail. */
export function createSelfTestActivities({ db, clock }: ActivityDeps) {
  return {
    async recordSelfTest(input: { runId: string; recipient: string }): Promise<{ startedAt: string }> {
      const row = await db.selfTestRun.upsert({
        where: { id: input.runId },
        create: { id: input.runId, recipient: input.recipient, startedAt: clock.now() },
        update: {},
      });
      return { startedAt: row.startedAt.toISOString() };
    },
    async markSelfTestMailed(input: { runId: string }): Promise<{ mailedAt: string }> {
      const row = await db.selfTestRun.update({
        where: { id: input.runId },
        data: { mailedAt: clock.now() },
      });
      return { mailedAt: row.mailedAt!.toISOString() };
    },
  };
}
