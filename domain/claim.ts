import type { BookingLine } from './booking';
import type { Fen } from './money';
import { may, type TransitionTable, type Wait } from './process';
import type { RiskFlag } from './risk';

export const CLAIM_STATUSES = ['PENDING_REVIEW', 'APPROVED', 'REJECTED', 'PAID'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Every step of a claim (docs/processes.md, "Settlement"). */
export const CLAIM_STEPS = {
  approve: { from: ['PENDING_REVIEW'], to: 'APPROVED' },
  reject: { from: ['PENDING_REVIEW'], to: 'REJECTED' },
  pay: { from: ['APPROVED'], to: 'PAID' },
} as const satisfies TransitionTable<string, ClaimStatus>;

export const claimMay = (step: keyof typeof CLAIM_STEPS, status: ClaimStatus) =>
  may(CLAIM_STEPS, step, status);

export const CLAIM_WAITS = {
  PENDING_REVIEW: { party: 'ADMIN', action: 'DECIDE_CLAIM', afterDue: 'ESCALATED' },
  APPROVED: { party: 'SYSTEM', action: 'PAY_OUT_CLAIM', afterDue: null },
} as const satisfies Partial<Record<ClaimStatus, Wait>>;

/** What the provider contracted to do, as the claim records it. */
export interface ContractData {
  bookingId: string;
  voucherCode: string;
  enterpriseName: string;
  enterpriseCreditCode: string;
  providerName: string;
  providerCreditCode: string;
  lines: BookingLine[];
  sampleCount: number;
  quotedPriceFen: Fen;
  catalogPriceFen: Fen;
  subsidyFen: Fen;
  copaymentFen: Fen;
  sampleReceivedAt: string;
  reportedAt: string;
  acceptedAt: string;
}

export interface ClaimRecord {
  id: string;
  bookingId: string;
  programmeId: string;
  providerId: string;
  amountFen: Fen;
  contract: ContractData;
  reportSha256: string;
  paymentReference: string;
  riskFlags: RiskFlag[];
  autoApproved: boolean;
  status: ClaimStatus;
  decisionReason: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  transferId: string | null;
  paidAt: Date | null;
  /** when the process acts on its own if the party the status waits for does not */
  dueAt: Date | null;
  workflowId: string;
  createdAt: Date;
}
