import { budgetChangeRefusal, type ApprovalRecord, type BudgetChangePayload } from '../domain/approval';
import { ApprovalRefused, applyBudgetChange, lockBudget, type Caller } from '../db/repositories/approvals';
import { appendAudit } from '../db/repositories/audit';
import type { Tx } from '../db/tx';
import { temporalPayoutSchedules } from '../infra/payout-schedules';
import type { ApiDeps } from './deps';
import { intoWorkflow } from './http/workflows';

/**
 * What an approved proposal does, inside the transaction that records the approval (docs/policy.md,
 * "Four eyes"): should it fail or be refused, the proposal stays pending and nothing changed.
 */
export function approvalEffect(deps: ApiDeps, caller: Caller) {
  return async (tx: Tx, approval: ApprovalRecord): Promise<void> => {
    if (approval.kind === 'PAYOUT_RUN') {
      // the schedule's own trigger: the batch runs as a scheduled one would, in the background; a
      // Temporal that does not answer is a 503 and the proposal stays pending
      await intoWorkflow(
        deps,
        () =>
          temporalPayoutSchedules(deps.temporal, deps.env.TEMPORAL_TASK_QUEUE).trigger(approval.programmeId),
        'the payout run',
        `/api/v1/approvals/${approval.id}`,
      );
      return;
    }
    if (approval.kind === 'BUDGET_CHANGE') {
      const change = approval.payload as unknown as BudgetChangePayload;
      const budget = await lockBudget(tx, approval.programmeId);
      if (!budget) throw new Error(`programme ${approval.programmeId} is gone`);
      // checked again now, under the lock reservations take: AVAILABLE may have fallen since the proposal
      const refusal = budgetChangeRefusal(change.deltaFen, budget.availableFen, budget.budgetFen);
      if (refusal) throw new ApprovalRefused('CONFLICT', refusal);
      await applyBudgetChange(tx, approval.programmeId, change.deltaFen);
      await appendAudit(tx, {
        actor: caller.actor,
        requestId: caller.requestId,
        action: 'PROGRAMME_BUDGET_CHANGED',
        entityType: 'programme',
        entityId: approval.programmeId,
        before: { budgetFen: budget.budgetFen, availableFen: budget.availableFen },
        after: {
          budgetFen: budget.budgetFen + change.deltaFen,
          availableFen: budget.availableFen + change.deltaFen,
          approvalId: approval.id,
          proposedBy: approval.proposedBy,
          reason: change.reason,
        },
      });
      return;
    }
    throw new Error(`a ${approval.kind} is decided through its claim`);
  };
}
