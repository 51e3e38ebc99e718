import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BookingSummary } from '../activities/bookings';
import type { Actor } from '../domain/audit';
import type { BookingStatus, DisputeResolution, ReportConclusion } from '../domain/booking';
import type { Demand } from '../domain/demand';
import type { SettlementResult } from './settlement';

export interface BookingTimings {
  providerConfirmWithin: string;
  reportGrace: string;
  acceptanceWithin: string;
  /** how long a turnaround "day" lasts: a day, or seconds in tests and demos */
  dayLength: string;
  turnaroundDays: number;
}

export interface BookingInput {
  booking: BookingSummary;
  demand: Demand;
  timings: BookingTimings;
}

export interface Caller {
  actor: Actor;
  requestId: string | null;
}

export interface BookingState {
  bookingId: string;
  status: BookingStatus;
  copaymentRecorded: boolean;
  disputeId: string | null;
  reportDueAt: string | null;
  claim: SettlementResult | null;
}

export const confirmUpdate = defineUpdate<
  BookingState,
  [Caller & { quotedPriceFen: number; startDate?: string }]
>('confirm');
export const declineUpdate = defineUpdate<BookingState, [Caller & { reason: string }]>('decline');
export const cancelUpdate = defineUpdate<BookingState, [Caller & { reason: string }]>('cancel');
export const sampleReceivedUpdate = defineUpdate<BookingState, [Caller]>('sampleReceived');
export const reportUpdate = defineUpdate<
  BookingState,
  [Caller & { reportId: string; sha256: string; conclusion: ReportConclusion }]
>('report');
export const acceptUpdate = defineUpdate<BookingState, [Caller]>('accept');
export const disputeUpdate = defineUpdate<BookingState, [Caller & { reason: string }]>('dispute');
export const resolveDisputeUpdate = defineUpdate<
  BookingState,
  [Caller & { resolution: DisputeResolution; note: string }]
>('resolveDispute');
export const copaymentUpdate = defineUpdate<BookingState, [Caller & { reference: string; paidAt: string }]>(
  'copayment',
);
/** The voucher was revoked: open work stops and the subsidy goes back to the programme. */
export const voucherRevokedSignal = defineSignal<[{ reason: string }]>('voucherRevoked');
export const bookingStateQuery = defineQuery<BookingState>('state');
