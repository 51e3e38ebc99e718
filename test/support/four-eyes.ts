import { expect } from 'vitest';
import type { TestApi } from './api';
import type { Caller } from './scenarios';

export interface ApprovalBody {
  id: string;
  kind: 'CLAIM_APPROVAL' | 'PAYOUT_RUN' | 'BUDGET_CHANGE';
  status: string;
  subjectId: string;
  yours: boolean;
  proposedBy: { id: string; name: string };
  decidedBy: { id: string; name: string } | null;
  expiresAt: string;
  payoutRun: { claims: number; totalFen: number; claimIds: string[] } | null;
  budgetChange: {
    budgetBeforeFen: number;
    newBudgetFen: number;
    deltaFen: number;
    availableFen: number;
  } | null;
  claim: { id: string; amountFen: number } | null;
}

/** One administrator proposes, a second approves (docs/policy.md, "Four eyes"). */
export async function proposeAndApprove(
  api: TestApi,
  proposer: Caller,
  approver: Caller,
  path: string,
  body?: object,
): Promise<ApprovalBody> {
  const proposed = await api.call<ApprovalBody>('POST', path, { token: proposer.token, body });
  expect(proposed.status, proposed.text).toBe(202);
  const approved = await api.call<ApprovalBody>('POST', `/api/v1/approvals/${proposed.body.id}/decision`, {
    token: approver.token,
    body: { decision: 'APPROVE' },
  });
  expect(approved.status, approved.text).toBe(200);
  expect(approved.body.status).toBe('APPROVED');
  return approved.body;
}

/** A payout run outside the schedule, proposed by one administrator and approved by another. */
export function runPayout(api: TestApi, proposer: Caller, approver: Caller, programmeId: string) {
  return proposeAndApprove(api, proposer, approver, `/api/v1/programs/${programmeId}/payout-runs`);
}
