import type { IsoDate } from './calendar';
import type { ServiceCategory } from './catalog';
import type { Fen } from './money';
import { awaitingIn, expectTransition, may, type Awaiting, type TransitionTable, type Wait } from './process';
import { CLAIM_WAITS, type ClaimStatus } from './claim';

export const BOOKING_STATUSES = [
  'REQUESTED',
  'CONFIRMED',
  'DECLINED',
  'CONFIRMATION_EXPIRED',
  'CANCELLED',
  'LAPSED',
  'SAMPLE_RECEIVED',
  'REPORTED',
  'DISPUTED',
  'ACCEPTED',
  'SETTLED',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Before the report is accepted: the booking can still stop and give its money back. */
const UNDER_WAY = ['REQUESTED', 'CONFIRMED', 'SAMPLE_RECEIVED', 'REPORTED', 'DISPUTED'] as const;

/**
 * Every step of a booking and the statuses it may be taken in (docs/processes.md, "Booking").
 * The booking workflow's validators and the activities that record each step both check this table.
 */
export const BOOKING_STEPS = {
  confirm: { from: ['REQUESTED'], to: 'CONFIRMED' },
  decline: { from: ['REQUESTED'], to: 'DECLINED' },
  expireConfirmation: { from: ['REQUESTED'], to: 'CONFIRMATION_EXPIRED' },
  /** by the SME, until the samples are with the provider */
  cancel: { from: ['REQUESTED', 'CONFIRMED'], to: 'CANCELLED' },
  /** the samples did not arrive in time */
  lapse: { from: ['CONFIRMED'], to: 'LAPSED' },
  receiveSamples: { from: ['CONFIRMED'], to: 'SAMPLE_RECEIVED' },
  report: { from: ['SAMPLE_RECEIVED'], to: 'REPORTED' },
  accept: { from: ['REPORTED'], to: 'ACCEPTED' },
  dispute: { from: ['REPORTED'], to: 'DISPUTED' },
  resolveDispute: { from: ['DISPUTED'], to: null },
  uphold: { from: ['DISPUTED'], to: 'ACCEPTED' },
  retest: { from: ['DISPUTED'], to: 'SAMPLE_RECEIVED' },
  refund: { from: ['DISPUTED'], to: 'CANCELLED' },
  /** the provider was delisted before the work began */
  withdraw: { from: ['REQUESTED', 'CONFIRMED'], to: 'CANCELLED' },
  /** the voucher was revoked, or the process failed: everything short of an approved claim stops */
  stop: { from: [...UNDER_WAY, 'ACCEPTED'], to: 'CANCELLED' },
  recordCopayment: { from: [...UNDER_WAY, 'ACCEPTED'], to: null },
  /** the payout paid the booking's claim */
  settle: { from: ['ACCEPTED'], to: 'SETTLED' },
} as const satisfies TransitionTable<string, BookingStatus>;
export type BookingStepName = keyof typeof BOOKING_STEPS;

/** Steps that end a booking and give its capacity and subsidy back. */
export type ReleaseStep =
  'decline' | 'expireConfirmation' | 'cancel' | 'lapse' | 'refund' | 'withdraw' | 'stop';

export const bookingMay = (step: BookingStepName, status: BookingStatus) => may(BOOKING_STEPS, step, status);

/** Throws `WrongStatus` (code `WRONG_BOOKING_STATUS`) unless the step may be taken now. */
export function expectBookingStep(step: BookingStepName, status: BookingStatus): void {
  expectTransition(BOOKING_STEPS, step, status, { code: 'WRONG_BOOKING_STATUS', what: 'booking' });
}

export const TERMINAL_BOOKING_STATUSES: readonly BookingStatus[] = [
  'DECLINED',
  'CONFIRMATION_EXPIRED',
  'CANCELLED',
  'LAPSED',
  'SETTLED',
];

/** What a booking waits for in each open status, and from whom (the deadline comes from the policy). */
export const BOOKING_WAITS = {
  REQUESTED: { party: 'PROVIDER', action: 'CONFIRM_BOOKING', afterDue: 'SLOT_RELEASED' },
  CONFIRMED: { party: 'SME', action: 'SEND_SAMPLES', afterDue: 'BOOKING_LAPSES' },
  SAMPLE_RECEIVED: { party: 'PROVIDER', action: 'UPLOAD_REPORT', afterDue: 'ESCALATED' },
  REPORTED: { party: 'SME', action: 'ACCEPT_OR_DISPUTE_REPORT', afterDue: 'ACCEPTED_AUTOMATICALLY' },
  DISPUTED: { party: 'ADMIN', action: 'RESOLVE_DISPUTE', afterDue: 'ESCALATED' },
  ACCEPTED: { party: 'SME', action: 'RECORD_COPAYMENT', afterDue: 'DECIDED_WITHOUT_COPAYMENT' },
} as const satisfies Partial<Record<BookingStatus, Wait>>;

export const REPORT_CONCLUSIONS = ['PASS', 'FAIL', 'INFO'] as const;
export type ReportConclusion = (typeof REPORT_CONCLUSIONS)[number];

export const DISPUTE_RESOLUTIONS = ['UPHOLD', 'RETEST', 'CANCEL_REFUND'] as const;
export type DisputeResolution = (typeof DISPUTE_RESOLUTIONS)[number];

/** One service of the provider a booking uses, with the catalog terms at booking time. */
export interface BookingLine {
  serviceId: string;
  serviceName: string;
  category: ServiceCategory;
  standards: string[];
  unitPriceFen: Fen;
  turnaroundDays: number;
  /** the day this service takes the samples (its capacity is held on that day) */
  startDate: IsoDate;
  completionDate: IsoDate;
}

export interface BookingRecord {
  id: string;
  voucherId: string;
  programmeId: string;
  enterpriseId: string;
  providerId: string;
  lines: BookingLine[];
  sampleCount: number;
  standards: string[];
  catalogPriceFen: Fen;
  quotedPriceFen: Fen;
  subsidyFen: Fen;
  copaymentFen: Fen;
  scheduledDate: IsoDate;
  status: BookingStatus;
  statusReason: string | null;
  confirmBy: Date | null;
  reportDueAt: Date | null;
  /** when the process acts on its own if the party the status waits for does not */
  dueAt: Date | null;
  reportedLate: boolean | null;
  reportSha256: string | null;
  reportConclusion: ReportConclusion | null;
  reportUploadedAt: Date | null;
  copaymentReference: string | null;
  copaymentPaidAt: Date | null;
  workflowId: string;
  createdBy: string;
  createdAt: Date;
  confirmedAt: Date | null;
  sampleReceivedAt: Date | null;
  acceptedAt: Date | null;
}

export const bookingWorkflowId = (bookingId: string) => `booking/${bookingId}`;
export const settlementWorkflowId = (bookingId: string) => `settlement/${bookingId}`;

/** The holds of a booking, one per service, named so that a retried step finds its own. */
export const holdIdOf = (bookingId: string, serviceId: string, startDate: IsoDate) =>
  `${bookingId}/${serviceId}/${startDate}`;

/** Catalog price of a job: each line's unit price for every sample. */
export function catalogPrice(lines: Pick<BookingLine, 'unitPriceFen'>[], sampleCount: number): Fen {
  return lines.reduce((sum, line) => sum + line.unitPriceFen * sampleCount, 0);
}

/** The longest turnaround of the lines: the report is due that many days after the samples arrive. */
export function turnaroundOf(lines: Pick<BookingLine, 'turnaroundDays'>[]): number {
  return lines.reduce((max, line) => Math.max(max, line.turnaroundDays), 0);
}

/**
 * What a booking waits for now, and from whom: its status's party until acceptance, then the
 * co-payment, then its claim's (an administrator's decision, the payout). Null once nothing more
 * will happen to it.
 */
export function bookingAwaiting(
  booking: Pick<BookingRecord, 'status' | 'dueAt' | 'copaymentFen' | 'copaymentReference' | 'acceptedAt'>,
  claim: { status: ClaimStatus; dueAt: Date | null } | null,
): Awaiting | null {
  if (claim) return booking.status === 'ACCEPTED' ? awaitingIn(CLAIM_WAITS, claim.status, claim.dueAt) : null;
  if (booking.status !== 'ACCEPTED') return awaitingIn(BOOKING_WAITS, booking.status, booking.dueAt);
  if (booking.copaymentFen > 0 && booking.copaymentReference === null && booking.dueAt) {
    return awaitingIn(BOOKING_WAITS, 'ACCEPTED', booking.dueAt);
  }
  // the claim is being opened
  return {
    party: 'SYSTEM',
    action: 'CREATE_CLAIM',
    afterDue: null,
    dueAt: (booking.dueAt ?? booking.acceptedAt ?? new Date()).toISOString(),
  };
}
