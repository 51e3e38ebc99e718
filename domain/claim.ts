import type { BookingLine } from './booking';
import type { Fen } from './money';
import type { RiskFlag } from './risk';

export const CLAIM_STATUSES = ['PENDING_REVIEW', 'APPROVED', 'REJECTED', 'PAID'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

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
  workflowId: string;
  createdAt: Date;
}
