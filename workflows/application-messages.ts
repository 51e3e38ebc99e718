import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BookingSummary } from '../activities/bookings';
import type { VoucherSummary } from '../activities/application-state';
import type { ApplicationStatus, NewApplication, VoucherStatus } from '../domain/application';
import type { Actor } from '../domain/audit';
import type { BookingLine } from '../domain/booking';
import type { Demand } from '../domain/demand';
import type { EligibilityIssue } from '../domain/eligibility';

export interface VoucherApplicationInput {
  application: NewApplication;
  actor: Actor;
  requestId: string | null;
}

export interface Caller {
  actor: Actor;
  requestId: string | null;
}

export type DecisionInput = Caller &
  (
    | { decision: 'APPROVE'; amountFen?: number; note?: string }
    | { decision: 'REJECT'; reason: string }
    | { decision: 'REQUEST_INFO'; message: string }
  );

export type ResubmissionInput = Caller & {
  note: string;
  requestedAmountFen?: number;
  purpose?: string;
  demand?: Demand;
};

export interface BookingRequest extends Caller {
  bookingId: string;
  providerId: string;
  lines: BookingLine[];
  sampleCount: number;
  standards: string[];
  demand: Demand;
}

export interface ApplicationWorkflowState {
  applicationId: string;
  status: ApplicationStatus;
  revision: number;
  eligibilityIssues: EligibilityIssue[];
  voucher: (VoucherSummary & { status: VoucherStatus }) | null;
}

/** Waits for the automatic eligibility check, so that the submitter hears the outcome at once. */
export const submissionUpdate = defineUpdate<ApplicationWorkflowState>('submission');
export const decideUpdate = defineUpdate<ApplicationWorkflowState, [DecisionInput]>('decide');
export const resubmitUpdate = defineUpdate<ApplicationWorkflowState, [ResubmissionInput]>('resubmit');
export const revokeUpdate = defineUpdate<ApplicationWorkflowState, [Caller & { reason: string }]>('revoke');
/** A booking funded by this voucher: capacity held and subsidy committed, then its own child workflow. */
export const bookUpdate = defineUpdate<BookingSummary, [BookingRequest]>('book');
export const stateQuery = defineQuery<ApplicationWorkflowState>('state');
