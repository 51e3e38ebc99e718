import type { Fen } from './money';
import type { Policy } from './policy';

/**
 * Four-eyes control on public money (docs/policy.md, "Four eyes"): each of these acts is proposed
 * by one administrator and approved by a second, different one; until then it does nothing.
 *
 * CLAIM_APPROVAL  the first approval of a claim above the programme's `secondApprovalAboveFen`
 * PAYOUT_RUN      a payout batch run outside the programme's schedule
 * BUDGET_CHANGE   a change of the programme's budget, applied to its AVAILABLE account
 */
export const APPROVAL_KINDS = ['CLAIM_APPROVAL', 'PAYOUT_RUN', 'BUDGET_CHANGE'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/** PENDING until decided, withdrawn by its proposer, or past its deadline (then EXPIRED). */
export const APPROVAL_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'EXPIRED', 'WITHDRAWN'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export interface BudgetChangePayload {
  budgetBeforeFen: Fen;
  newBudgetFen: Fen;
  deltaFen: Fen;
  reason: string;
}

export interface PayoutRunPayload {
  /** approved claims not yet paid when the run was proposed */
  claims: number;
  totalFen: Fen;
}

export interface ClaimApprovalPayload {
  amountFen: Fen;
  thresholdFen: Fen;
  riskFlags: string[];
  note: string | null;
}

export interface ApprovalRecord {
  id: string;
  kind: ApprovalKind;
  programmeId: string;
  subjectId: string;
  payload: Record<string, unknown>;
  proposedBy: string;
  proposedAt: Date;
  expiresAt: Date;
  /** as stored: a PENDING row past its deadline is expired though not yet marked (see `statusAt`) */
  status: ApprovalStatus;
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
}

/** The status at a moment: nothing waits past its deadline. */
export function statusAt(approval: Pick<ApprovalRecord, 'status' | 'expiresAt'>, now: Date): ApprovalStatus {
  return approval.status === 'PENDING' && approval.expiresAt.getTime() <= now.getTime()
    ? 'EXPIRED'
    : approval.status;
}

/** Whether a claim of this amount needs a second administrator's approval under the policy. */
export const needsSecondApproval = (amountFen: Fen, policy: Pick<Policy, 'secondApprovalAboveFen'>) =>
  amountFen > policy.secondApprovalAboveFen;

export type Refusal = { code: string; message: string; details?: Record<string, unknown> };

/**
 * Why `deciderId` may not approve or reject the proposal now, or null when they may. The proposer
 * never decides their own (they withdraw it instead).
 */
export function decisionRefusal(approval: ApprovalRecord, deciderId: string, now: Date): Refusal | null {
  const status = statusAt(approval, now);
  if (status === 'EXPIRED') {
    return {
      code: 'APPROVAL_EXPIRED',
      message: `The proposal expired at ${approval.expiresAt.toISOString()}; propose it again`,
      details: { expiresAt: approval.expiresAt.toISOString() },
    };
  }
  if (status !== 'PENDING') {
    return {
      code: 'APPROVAL_ALREADY_DECIDED',
      message: `The proposal is ${status}; it was decided already`,
      details: { status },
    };
  }
  if (approval.proposedBy === deciderId) {
    return {
      code: 'FOUR_EYES_SAME_ADMIN',
      message: 'You proposed this; another administrator must approve it',
      details: { proposedBy: approval.proposedBy },
    };
  }
  return null;
}

/**
 * Why a budget change cannot be applied to a ledger holding `availableFen`, or null. A decrease
 * takes from AVAILABLE only: money promised to vouchers, bookings and claims stays theirs.
 */
export function budgetChangeRefusal(deltaFen: Fen, availableFen: Fen, budgetFen: Fen): Refusal | null {
  if (deltaFen < 0 && -deltaFen > availableFen) {
    return {
      code: 'BUDGET_DECREASE_EXCEEDS_AVAILABLE',
      message: `The budget cannot fall by ${-deltaFen} fen: only ${availableFen} fen are not yet promised`,
      details: { budgetFen, decreaseFen: -deltaFen, availableFen },
    };
  }
  return null;
}
