import { Context } from '@temporalio/activity';
import type { Actor, JsonValue } from '../domain/audit';
import { appendAudit } from '../db/repositories/audit';
import type { Tx } from '../db/tx';

/** The workflow and run this activity works for, for the audit log; nulls outside an activity. */
export function workflowIds(): { workflowId: string | null; runId: string | null } {
  try {
    const execution = Context.current().info.workflowExecution;
    return { workflowId: execution?.workflowId ?? null, runId: execution?.runId ?? null };
  } catch {
    return { workflowId: null, runId: null };
  }
}

export interface Change {
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string;
  before?: JsonValue | null;
  after?: JsonValue | null;
  requestId?: string | null;
}

/** Appends the audit entry of a state change, inside the transaction that made the change. */
export function recordChange(tx: Tx, change: Change, at?: Date) {
  return appendAudit(tx, { ...change, ...workflowIds() }, at);
}
