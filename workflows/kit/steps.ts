import { ActivityFailure, ApplicationFailure, condition, workflowInfo } from '@temporalio/workflow';
import { REFUSAL_TYPE } from '../refusal';

/**
 * What every process does: one step at a time, deadlines that act when nobody does, and refusals
 * that reach the caller in the service's own words.
 */

/**
 * One step at a time changes a process's item. Update handlers and the steps a process takes on
 * its own (a deadline passed) queue here, and each checks again, once it is its turn, that its
 * step is still allowed: an action never meets "busy", only the state the one before it left.
 */
export class Exclusive {
  busy = false;

  async run<T>(step: () => Promise<T>): Promise<T> {
    // several waiters are released by the same activation: each looks again before it takes its turn
    do await condition(() => !this.busy);
    while (this.busy);
    this.busy = true;
    try {
      return await refusalsAsOwn(step);
    } finally {
      this.busy = false;
    }
  }
}

/**
 * An activity that refused (a rule, a status, a value the database cannot take) fails with an
 * `ActivityFailure` around the refusal; rethrown as the refusal itself, it fails the update (not
 * the workflow) and the API answers with its code and words.
 */
export async function refusalsAsOwn<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (
      error instanceof ActivityFailure &&
      error.cause instanceof ApplicationFailure &&
      error.cause.type === REFUSAL_TYPE
    ) {
      throw error.cause;
    }
    throw error;
  }
}

/** Something the process does at a moment unless what it waits for happens first. */
export interface Deadline {
  /** unique within the process: a deadline already met is never run again */
  key: string;
  at: number;
  run: () => Promise<void>;
}

/**
 * Waits until `done()` holds, running each deadline's step (exclusively) as it falls due, in
 * order. `met` remembers the deadlines already run, so that waiting again for the same stage
 * (after an event that changed nothing) does not repeat a reminder.
 */
export async function waitWithDeadlines(
  done: () => boolean,
  deadlines: Deadline[],
  exclusive: Exclusive,
  met: Set<string>,
): Promise<void> {
  const pending = deadlines.filter((d) => !met.has(d.key)).sort((a, b) => a.at - b.at);
  for (;;) {
    const next = pending[0];
    if (next === undefined) {
      await condition(done);
      return;
    }
    if (await condition(done, Math.max(1, next.at - Date.now()))) return;
    pending.shift();
    await exclusive.run(async () => {
      // an action may have been carried out while the deadline waited for its turn
      if (done()) return;
      await next.run();
      met.add(next.key);
    });
    if (done()) return;
  }
}

/** A moment `duration` after an ISO instant or epoch milliseconds. */
export function after(since: string | number, durationMs: number): number {
  return (typeof since === 'number' ? since : Date.parse(since)) + durationMs;
}

/** A failure in words, with its cause: what the operators read. */
export function describeFailure(failure: unknown): string {
  if (failure instanceof Error) {
    const cause = failure.cause instanceof Error ? `: ${failure.cause.message}` : '';
    return `${failure.message}${cause}`;
  }
  return String(failure);
}

/**
 * A process's versioning behaviour (README, "Changing a workflow safely"): PINNED runs finish on
 * the build they started on, AUTO_UPGRADE runs move to the current build at their next step. Only
 * a versioned worker may be told one; an unversioned worker (tests, a plain deployment) gets none.
 */
export const versioningBehavior =
  (behavior: 'PINNED' | 'AUTO_UPGRADE') => (): { versioningBehavior?: 'PINNED' | 'AUTO_UPGRADE' } =>
    workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior: behavior } : {};
