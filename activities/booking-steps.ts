import type { Actor, JsonValue } from '../domain/audit';
import {
  BOOKING_STEPS,
  expectBookingStep,
  type BookingRecord,
  type BookingStatus,
  type BookingStepName,
} from '../domain/booking';
import type { Fen } from '../domain/money';
import {
  bookingNames,
  lockBookingWithNames,
  updateBooking,
  type BookingChanges,
  type BookingNames,
} from '../db/repositories/bookings';
import { inTransaction, type Tx } from '../db/tx';
import { recordChange } from './context';
import type { ActivityDeps } from './deps';
import { checkingStatus } from './refusal';

/** What the booking process and its e-mails need after each step. */
export interface BookingSummary {
  bookingId: string;
  status: BookingStatus;
  voucherId: string;
  voucherCode: string;
  programmeId: string;
  enterpriseId: string;
  enterpriseName: string;
  providerId: string;
  providerName: string;
  standards: string[];
  sampleCount: number;
  scheduledDate: string;
  quotedPriceFen: Fen;
  subsidyFen: Fen;
  copaymentFen: Fen;
  copaymentRecorded: boolean;
}

export function snapshot(booking: BookingRecord): JsonValue {
  return {
    status: booking.status,
    quotedPriceFen: booking.quotedPriceFen,
    subsidyFen: booking.subsidyFen,
    copaymentFen: booking.copaymentFen,
    scheduledDate: booking.scheduledDate,
  };
}

export interface StepCall {
  bookingId: string;
  actor: Actor;
  requestId: string | null;
}

/** The steps all booking activities share: the summary they answer with, and one audited change. */
export function bookingSteps({ db }: Pick<ActivityDeps, 'db'>) {
  /** `known`: the booking's names when the step has them already (a step's names never change) */
  async function summaryOf(tx: Tx, booking: BookingRecord, known?: BookingNames): Promise<BookingSummary> {
    const names = known ?? (await bookingNames(tx, booking));
    return {
      bookingId: booking.id,
      status: booking.status,
      voucherId: booking.voucherId,
      voucherCode: names.voucherCode,
      programmeId: booking.programmeId,
      enterpriseId: booking.enterpriseId,
      enterpriseName: names.enterpriseName,
      providerId: booking.providerId,
      providerName: names.providerName,
      standards: booking.standards,
      sampleCount: booking.sampleCount,
      scheduledDate: booking.scheduledDate,
      quotedPriceFen: booking.quotedPriceFen,
      subsidyFen: booking.subsidyFen,
      copaymentFen: booking.copaymentFen,
      copaymentRecorded: booking.copaymentReference !== null,
    };
  }

  /**
   * One step of a booking, in one transaction: lock it; answer at once when the step is already
   * done (a retried activity); refuse when its status does not allow the step (the transition
   * table in domain/booking.ts); change it to the step's status; audit it.
   */
  async function step(
    call: StepCall,
    name: BookingStepName,
    action: string,
    spec: {
      done: (booking: BookingRecord) => boolean;
      change: (tx: Tx, booking: BookingRecord) => Promise<BookingChanges> | BookingChanges;
      /** more of what happened, for the audit entry */
      detail?: Record<string, JsonValue>;
    },
  ): Promise<BookingSummary> {
    return checkingStatus(() =>
      inTransaction(db, async (tx) => {
        const { booking, names } = await lockBookingWithNames(tx, call.bookingId);
        if (spec.done(booking)) return summaryOf(tx, booking, names);
        expectBookingStep(name, booking.status);
        const to = BOOKING_STEPS[name].to;
        const changes = { ...(to ? { status: to } : {}), ...(await spec.change(tx, booking)) };
        const updated = await updateBooking(tx, booking.id, changes);
        const summary = await summaryOf(tx, updated, names);
        // the audit chain's head last: it is held until the commit (db/tx.ts)
        await recordChange(tx, {
          actor: call.actor,
          requestId: call.requestId,
          action,
          entityType: 'booking',
          entityId: booking.id,
          before: snapshot(booking),
          after: {
            ...(snapshot(updated) as object),
            ...(changes.statusReason ? { reason: changes.statusReason } : {}),
            ...spec.detail,
          },
        });
        return summary;
      }),
    );
  }

  return { summaryOf, step };
}
