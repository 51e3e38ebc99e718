import { allHandlersFinished, condition } from '@temporalio/workflow';
import type { BookingSummary } from '../activities/bookings';
import type { Actor } from '../domain/audit';
import type { BookingStatus, DisputeResolution } from '../domain/booking';
import { durationMs } from '../domain/duration';
import { activities } from './activities';
import type { BookingInput, BookingState, Caller } from './booking-messages';
import { waitUntil } from './wait';

export const SYSTEM: Actor = { userId: null, role: 'SYSTEM', organisationId: null };

export const notify = activities.sendNotification;

/** What the parts of one booking's workflow share. */
export interface BookingRun {
  input: BookingInput;
  bookingId: string;
  summary: BookingSummary;
  state: BookingState;
  /** a step being carried out: the validators refuse others meanwhile */
  busy: boolean;
  /** the voucher was revoked, for this reason */
  revocation: string | null;
  declineReason: string;
  /** a dispute resolution for the main flow to carry out */
  resolution: { resolution: DisputeResolution; note: string; caller: Caller } | null;
  /** how long a turnaround day lasts, in milliseconds */
  dayMs: number;
}

export function newRun(input: BookingInput): BookingRun {
  const summary = input.booking;
  return {
    input,
    bookingId: summary.bookingId,
    summary,
    state: {
      bookingId: summary.bookingId,
      status: summary.status,
      copaymentRecorded: summary.copaymentRecorded,
      disputeId: null,
      reportDueAt: null,
      claim: null,
    },
    busy: false,
    revocation: null,
    declineReason: '',
    resolution: null,
    dayMs: durationMs(input.timings.dayLength),
  };
}

/** The booking as the last activity left it. */
export function track(run: BookingRun, next: BookingSummary): void {
  run.summary = next;
  run.state.status = next.status;
  run.state.copaymentRecorded = next.copaymentRecorded;
}

export const audiences = (run: BookingRun) => ({
  sme: { enterpriseId: run.summary.enterpriseId },
  provider: { providerId: run.summary.providerId },
});

/** What every booking mail shows. */
export function facts(run: BookingRun) {
  const s = run.summary;
  return {
    bookingId: run.bookingId,
    enterpriseName: s.enterpriseName,
    providerName: s.providerName,
    standards: s.standards.join(', '),
    sampleCount: s.sampleCount,
    scheduledDate: s.scheduledDate,
    quotedPriceFen: s.quotedPriceFen,
    subsidyFen: s.subsidyFen,
    copaymentFen: s.copaymentFen,
  };
}

/** The report is due the turnaround after the samples arrive. */
export function dueFromNow(run: BookingRun): string {
  return new Date(Date.now() + run.input.timings.turnaroundDays * run.dayMs).toISOString();
}

/** True once no step is under way and the status left `statuses`, or the voucher was revoked. */
export const settled =
  (run: BookingRun, ...statuses: BookingStatus[]) =>
  () =>
    !run.busy && (!statuses.includes(run.state.status) || run.revocation !== null);

/** Waits until the status leaves `statuses`, running what falls due meanwhile. */
export async function waitWhile(
  run: BookingRun,
  statuses: BookingStatus[],
  deadlines: { at: number; run: () => Promise<void> }[] = [],
): Promise<void> {
  const pending = [...deadlines].sort((a, b) => a.at - b.at);
  for (;;) {
    const next = pending[0];
    const moved = await waitUntil(
      settled(run, ...statuses),
      next ? Math.max(1, next.at - Date.now()) : undefined,
    );
    if (moved) return;
    pending.shift();
    await next!.run();
  }
}

/** A step the main flow takes itself (a timer ran out): updates wait for it. */
export async function exclusively<T>(run: BookingRun, step: () => Promise<T>): Promise<T> {
  run.busy = true;
  try {
    return await step();
  } finally {
    run.busy = false;
  }
}

export async function finish(run: BookingRun): Promise<BookingState> {
  await condition(allHandlersFinished);
  return run.state;
}
