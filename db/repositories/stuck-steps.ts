import { randomUUID } from 'node:crypto';
import type { Db } from '../client';
import { afterCursor, newestFirst, toPage, type Page, type PageRequest } from './page';

/** Which step of which run: an activity is retried under the same id. */
export interface StepKey {
  workflowId: string;
  runId: string;
  activityId: string;
}

export interface StuckStepFailure extends StepKey {
  workflowType: string;
  activityType: string;
  taskQueue: string;
  attempt: number;
  firstScheduledAt: Date;
  lastFailure: string;
  lastFailedAt: Date;
}

export interface StuckStep extends StuckStepFailure {
  id: string;
  createdAt: Date;
}

const columns = {
  id: true,
  workflowId: true,
  runId: true,
  activityId: true,
  workflowType: true,
  activityType: true,
  taskQueue: true,
  attempt: true,
  firstScheduledAt: true,
  lastFailure: true,
  lastFailedAt: true,
  createdAt: true,
} as const;

/** Steps that keep failing, as the worker reports them; the processes view reads them. */
export function createStuckStepRepository(db: Db) {
  return {
    /** One statement: the first report makes the row, later ones bring its attempt and failure up to date. */
    async record(step: StuckStepFailure): Promise<void> {
      await db.$executeRaw`
        INSERT INTO stuck_steps (id, workflow_id, run_id, activity_id, workflow_type, activity_type, task_queue,
                                 attempt, first_scheduled_at, last_failure, last_failed_at)
        VALUES (${randomUUID()}::uuid, ${step.workflowId}, ${step.runId}, ${step.activityId}, ${step.workflowType},
                ${step.activityType}, ${step.taskQueue}, ${step.attempt}, ${step.firstScheduledAt},
                ${step.lastFailure}, ${step.lastFailedAt})
        ON CONFLICT (workflow_id, run_id, activity_id) DO UPDATE
          SET attempt = GREATEST(stuck_steps.attempt, EXCLUDED.attempt),
              last_failure = EXCLUDED.last_failure,
              last_failed_at = EXCLUDED.last_failed_at`;
    },

    async clear(key: StepKey): Promise<void> {
      await db.stuckStep.deleteMany({ where: key });
    },

    /** Rows of runs that have ended since: their step is no longer retrying. */
    async clearRuns(runs: { workflowId: string; runId: string }[]): Promise<void> {
      if (!runs.length) return;
      await db.stuckStep.deleteMany({ where: { OR: runs } });
    },

    async list(taskQueue: string, page: PageRequest): Promise<Page<StuckStep>> {
      const rows = await db.stuckStep.findMany({
        where: { taskQueue, ...afterCursor(page.after) },
        orderBy: newestFirst,
        take: page.limit + 1,
        select: columns,
      });
      return toPage(rows, page.limit, (row) => row);
    },
  };
}

export type StuckStepRepository = ReturnType<typeof createStuckStepRepository>;
