import type { EligibilityIssue } from './eligibility';
import type { Demand } from './demand';
import type { Fen } from './money';

export const APPLICATION_STATUSES = [
  'SUBMITTED',
  'UNDER_REVIEW',
  'INFO_REQUESTED',
  'APPROVED',
  'REJECTED',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const VOUCHER_STATUSES = ['ACTIVE', 'USED', 'EXPIRED', 'REVOKED'] as const;
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number];

export interface ApplicationRecord {
  id: string;
  programmeId: string;
  enterpriseId: string;
  submittedBy: string;
  requestedAmountFen: Fen;
  approvedAmountFen: Fen | null;
  purpose: string;
  demand: Demand;
  status: ApplicationStatus;
  eligibilityIssues: EligibilityIssue[];
  decisionReason: string | null;
  infoRequest: string | null;
  revision: number;
  workflowId: string;
  createdAt: Date;
  updatedAt: Date;
  decidedAt: Date | null;
}

export interface VoucherRecord {
  id: string;
  code: string;
  applicationId: string;
  programmeId: string;
  enterpriseId: string;
  faceValueFen: Fen;
  balanceFen: Fen;
  releasedFen: Fen;
  status: VoucherStatus;
  statusReason: string | null;
  validFrom: Date;
  validUntil: Date;
  workflowId: string;
  issuedAt: Date;
  createdAt: Date;
}

/** What an SME submits, with the ids the service gives it. */
export interface NewApplication {
  id: string;
  programmeId: string;
  enterpriseId: string;
  submittedBy: string;
  requestedAmountFen: Fen;
  purpose: string;
  demand: Demand;
  workflowId: string;
}

export const applicationWorkflowId = (applicationId: string) => `voucher-application/${applicationId}`;
