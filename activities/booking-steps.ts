import { ApplicationFailure } from '@temporalio/activity';
import type { Actor, JsonValue } from '../domain/audit';
import type { BookingRecord, BookingStatus } from '../domain/booking';
import type { Fen } from '../domain/money';
import { bookingNames, lockBooking, updateBooking, type BookingChanges } from '../db/repositories/bookings';
import { inTransaction, type Tx } from '../db/tx';
import { recordChange } from './context';
import type { ActivityDeps } from './deps';

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

export type BookingRefusal = { ok: false; code: string; message: string };
export type BookingStep = { ok: true; booking: BookingSummary } | BookingRefusal;

/** Thrown inside a transaction to undo it, then turned into a refusal outside. */
export class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function refusing(step: () => Promise<BookingSummary>): Promise<BookingStep> {
  try {
    return { ok: true, booking: await step() };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
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

/** The steps all booking activities share: the summary they answer with, and one audited change. */
export function bookingSteps({ db }: Pick<ActivityDeps, 'db'>) {
  async function summaryOf(tx: Tx, booking: BookingRecord): Promise<BookingSummary> {
    const names = await bookingNames(tx, booking);
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

  /** One step of a booking: lock it, skip when already done (a retried step), change it, audit it. */
  async function step(
    bookingId: string,
    actor: Actor,
    requestId: string | null,
    action: string,
    change: (tx: Tx, booking: BookingRecord) => Promise<BookingChanges | null>,
  ): Promise<BookingSummary> {
    return inTransaction(db, async (tx) => {
      const booking = await lockBooking(tx, bookingId);
      const changes = await change(tx, booking);
      if (!changes) return summaryOf(tx, booking);
      const updated = await updateBooking(tx, bookingId, changes);
      await recordChange(tx, {
        actor,
        requestId,
        action,
        entityType: 'booking',
        entityId: bookingId,
        before: snapshot(booking),
        after: {
          ...(snapshot(updated) as object),
          ...(changes.statusReason ? { reason: changes.statusReason } : {}),
        },
      });
      return summaryOf(tx, updated);
    });
  }

  function expectStatus(booking: BookingRecord, allowed: BookingStatus[]): void {
    if (!allowed.includes(booking.status)) {
      throw ApplicationFailure.nonRetryable(
        `booking ${booking.id} is ${booking.status}, expected ${allowed.join(' or ')}`,
        'Conflict',
      );
    }
  }

  return { summaryOf, step, expectStatus };
}
