import type { EligibilityIssue } from './eligibility';
import type { Demand } from './demand';
import type { Fen } from './money';
import { awaitingIn, expectTransition, may, type Awaiting, type TransitionTable, type Wait } from './process';

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

/** Every step of an application (docs/processes.md, "Application and voucher"). */
export const APPLICATION_STEPS = {
  passEligibility: { from: ['SUBMITTED'], to: 'UNDER_REVIEW' },
  failEligibility: { from: ['SUBMITTED'], to: 'REJECTED' },
  approve: { from: ['UNDER_REVIEW'], to: 'APPROVED' },
  reject: { from: ['UNDER_REVIEW', 'INFO_REQUESTED'], to: 'REJECTED' },
  requestInformation: { from: ['UNDER_REVIEW'], to: 'INFO_REQUESTED' },
  resubmit: { from: ['INFO_REQUESTED'], to: 'SUBMITTED' },
  /** the applicant did not answer the request for information in time */
  lapse: { from: ['INFO_REQUESTED'], to: 'REJECTED' },
} as const satisfies TransitionTable<string, ApplicationStatus>;
export type ApplicationStepName = keyof typeof APPLICATION_STEPS;

export const applicationMay = (step: ApplicationStepName, status: ApplicationStatus) =>
  may(APPLICATION_STEPS, step, status);

export function expectApplicationStep(step: ApplicationStepName, status: ApplicationStatus): void {
  expectTransition(APPLICATION_STEPS, step, status, {
    code: 'WRONG_APPLICATION_STATUS',
    what: 'application',
  });
}

/** A voucher's steps: it funds bookings while active, and ends once. */
export const VOUCHER_STEPS = {
  book: { from: ['ACTIVE'], to: null },
  revoke: { from: ['ACTIVE'], to: 'REVOKED' },
  expire: { from: ['ACTIVE'], to: 'EXPIRED' },
  useUp: { from: ['ACTIVE'], to: 'USED' },
} as const satisfies TransitionTable<string, VoucherStatus>;

export const voucherMay = (step: keyof typeof VOUCHER_STEPS, status: VoucherStatus) =>
  may(VOUCHER_STEPS, step, status);

/** An active voucher waits for its enterprise to use it before it ends. */
export const VOUCHER_WAITS = {
  ACTIVE: { party: 'SME', action: 'BOOK_WITH_VOUCHER', afterDue: 'BALANCE_RELEASED' },
} as const satisfies Partial<Record<VoucherStatus, Wait>>;

/** What an application waits for while it is open (voucher life is the voucher's own). */
export const APPLICATION_WAITS = {
  SUBMITTED: { party: 'SYSTEM', action: 'CHECK_ELIGIBILITY', afterDue: null },
  UNDER_REVIEW: { party: 'ADMIN', action: 'DECIDE_APPLICATION', afterDue: 'ESCALATED' },
  INFO_REQUESTED: { party: 'SME', action: 'RESUBMIT_APPLICATION', afterDue: 'APPLICATION_CLOSES' },
} as const satisfies Partial<Record<ApplicationStatus, Wait>>;

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
  /** when the process acts on its own if the party the status waits for does not */
  dueAt: Date | null;
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

/** What an application waits for now; null once it is decided (an approved one lives on as its voucher). */
export function applicationAwaiting(
  application: Pick<ApplicationRecord, 'status' | 'dueAt' | 'updatedAt'>,
): Awaiting | null {
  // the check runs as soon as the application arrives
  const dueAt = application.status === 'SUBMITTED' ? application.updatedAt : application.dueAt;
  return awaitingIn(APPLICATION_WAITS, application.status, dueAt);
}

/** An active voucher with balance left waits for its enterprise to book with it before it ends. */
export function voucherAwaiting(
  voucher: Pick<VoucherRecord, 'status' | 'validUntil' | 'balanceFen'>,
): Awaiting | null {
  return voucher.balanceFen > 0 ? awaitingIn(VOUCHER_WAITS, voucher.status, voucher.validUntil) : null;
}
