import { SYSTEM_ACTOR as SYSTEM, type Actor } from '../domain/actor';
import {
  BOOKING_STEPS,
  catalogPrice,
  holdIdOf,
  TERMINAL_BOOKING_STATUSES,
  type BookingLine,
  type BookingRecord,
  type ReleaseStep,
} from '../domain/booking';
import { addDays, daysBetween } from '../domain/calendar';
import { formatYuan, type Fen } from '../domain/money';
import { subsidyRoom, subsidySplit } from '../domain/subsidy';
import { confirmHold, holdCapacity, releaseBookingHolds } from '../db/repositories/capacity';
import {
  insertBooking,
  lockBookingWithNames,
  updateBooking,
  type NewBooking,
} from '../db/repositories/bookings';
import { findClaimOfBooking } from '../db/repositories/claims';
import { move } from '../db/repositories/ledger';
import { findProgramme } from '../db/repositories/programmes';
import { adjustVoucherBalance, lockVoucher } from '../db/repositories/vouchers';
import { inTransaction, type Tx } from '../db/tx';
import { bookingSteps, snapshot, type BookingSummary, type StepCall } from './booking-steps';
import { recordChange } from './context';
import type { ActivityDeps } from './deps';
import { refused } from './refusal';
import { rejectClaimIn } from './settlement';

export type { BookingSummary } from './booking-steps';

const RELEASE_ACTIONS: Record<ReleaseStep, string> = {
  decline: 'BOOKING_DECLINED',
  expireConfirmation: 'BOOKING_CONFIRMATION_EXPIRED',
  cancel: 'BOOKING_CANCELLED',
  lapse: 'BOOKING_LAPSED',
  refund: 'BOOKING_REFUNDED',
  withdraw: 'BOOKING_WITHDRAWN',
  stop: 'BOOKING_STOPPED',
};

/** Before the samples arrive the booking holds capacity; after, the capacity was used. */
const holdsCapacity = (booking: BookingRecord) =>
  booking.status === 'REQUESTED' || booking.status === 'CONFIRMED';

async function ratioOf(tx: Tx, programmeId: string): Promise<number> {
  const programme = await findProgramme(tx, programmeId);
  if (!programme)
    throw refused('NOT_FOUND', 'PROGRAMME_NOT_FOUND', `programme ${programmeId} does not exist`);
  return programme.policy.subsidyRatioBps;
}

/** Holds each line's capacity, in service order so that two bookings never wait on each other. */
async function holdLines(tx: Tx, bookingId: string, lines: BookingLine[], units: number): Promise<void> {
  for (const line of [...lines].sort((a, b) => a.serviceId.localeCompare(b.serviceId))) {
    const held = await holdCapacity(tx, {
      holdId: holdIdOf(bookingId, line.serviceId, line.startDate),
      bookingId,
      serviceId: line.serviceId,
      day: line.startDate,
      units,
    });
    if (!held.ok) throw refused('BUSINESS_RULE', held.code, `${line.serviceName}: ${held.reason}`);
  }
}

/**
 * Gives a booking's committed subsidy back: to its voucher while the voucher is live, otherwise
 * (or when `toProgramme`, a refund after a dispute) to the programme. Once per booking.
 */
export async function giveBack(tx: Tx, booking: BookingRecord, toProgramme: boolean): Promise<void> {
  if (booking.subsidyFen === 0) return;
  const voucher = await lockVoucher(tx, booking.voucherId);
  const backToProgramme = toProgramme || voucher.status !== 'ACTIVE';
  await move(tx, {
    programmeId: booking.programmeId,
    movement: backToProgramme ? 'UNCOMMIT_TO_AVAILABLE' : 'UNCOMMIT',
    amountFen: booking.subsidyFen,
    idempotencyKey: `booking/${booking.id}/release`,
    memo: `booking ${booking.id}: subsidy back to the ${backToProgramme ? 'programme' : 'voucher'}`,
    voucherId: booking.voucherId,
    bookingId: booking.id,
  });
  if (backToProgramme && voucher.status === 'ACTIVE') {
    await tx.voucher.update({
      where: { id: voucher.id },
      data: { releasedFen: { increment: BigInt(booking.subsidyFen) } },
    });
  } else {
    await adjustVoucherBalance(tx, voucher, booking.subsidyFen);
  }
}

/** Where a booking holds capacity and moves money: its creation, the quote, its release. */
export function createBookingActivities({ db, clock }: ActivityDeps) {
  const { summaryOf, step } = bookingSteps({ db });

  return {
    /**
     * Holds the capacity and commits the subsidy, in one transaction: either the booking exists
     * with both, or nothing happened and the SME hears why.
     */
    async createBooking(
      input: Omit<NewBooking, 'subsidyFen' | 'catalogPriceFen'> & { actor: Actor; requestId: string | null },
    ): Promise<BookingSummary> {
      return inTransaction(db, async (tx) => {
        const existing = await tx.booking.findUnique({ where: { id: input.id }, select: { id: true } });
        if (existing) {
          const { booking, names } = await lockBookingWithNames(tx, input.id);
          return summaryOf(tx, booking, names);
        }
        const voucher = await lockVoucher(tx, input.voucherId);
        if (voucher.status !== 'ACTIVE') {
          throw refused('CONFLICT', 'VOUCHER_NOT_ACTIVE', `the voucher is ${voucher.status}`);
        }
        const price = catalogPrice(input.lines, input.sampleCount);
        const { subsidyFen } = subsidySplit(
          price,
          await ratioOf(tx, voucher.programmeId),
          voucher.balanceFen,
        );
        if (subsidyFen === 0) {
          throw refused(
            'BUSINESS_RULE',
            'VOUCHER_EXHAUSTED',
            'the voucher has no balance left to fund a booking',
          );
        }
        await holdLines(tx, input.id, input.lines, input.sampleCount);
        await move(tx, {
          programmeId: voucher.programmeId,
          movement: 'COMMIT',
          amountFen: subsidyFen,
          idempotencyKey: `booking/${input.id}/commit`,
          memo: `booking ${input.id}: subsidy committed`,
          voucherId: voucher.id,
          bookingId: input.id,
        });
        await adjustVoucherBalance(tx, voucher, -subsidyFen);
        const { actor, requestId, ...booking } = input;
        const created = await insertBooking(tx, { ...booking, catalogPriceFen: price, subsidyFen });
        const summary = await summaryOf(tx, created);
        // the audit chain's head last: it is held until the commit (db/tx.ts)
        await recordChange(tx, {
          actor,
          requestId,
          action: 'BOOKING_REQUESTED',
          entityType: 'booking',
          entityId: created.id,
          after: {
            ...(snapshot(created) as object),
            providerId: created.providerId,
            voucherId: created.voucherId,
          },
        });
        return summary;
      });
    },

    /**
     * The provider confirms with its quote and, possibly, another start date. The subsidy follows
     * the quote: more is committed from the voucher, or the difference goes back to it.
     */
    async confirmBooking(
      input: StepCall & { quotedPriceFen: Fen; startDate?: string; samplesDueAt: string },
    ): Promise<BookingSummary> {
      return step(input, 'confirm', 'BOOKING_CONFIRMED', {
        done: (booking) => booking.status === 'CONFIRMED',
        change: async (tx, booking) => {
          let lines = booking.lines;
          if (input.startDate && input.startDate !== booking.scheduledDate) {
            await releaseBookingHolds(tx, booking.id);
            const shift = daysBetween(booking.scheduledDate, input.startDate);
            lines = booking.lines.map((line) => ({
              ...line,
              startDate: addDays(line.startDate, shift),
              completionDate: addDays(line.completionDate, shift),
            }));
            await holdLines(tx, booking.id, lines, booking.sampleCount);
          }
          for (const line of lines)
            await confirmHold(tx, holdIdOf(booking.id, line.serviceId, line.startDate));

          const voucher = await lockVoucher(tx, booking.voucherId);
          const room = subsidyRoom(voucher, booking.subsidyFen);
          const { subsidyFen, copaymentFen } = subsidySplit(
            input.quotedPriceFen,
            await ratioOf(tx, booking.programmeId),
            room,
          );
          const delta = subsidyFen - booking.subsidyFen;
          if (delta !== 0) {
            const raise = delta > 0;
            await move(tx, {
              programmeId: booking.programmeId,
              movement: raise ? 'COMMIT' : voucher.status === 'ACTIVE' ? 'UNCOMMIT' : 'UNCOMMIT_TO_AVAILABLE',
              amountFen: Math.abs(delta),
              idempotencyKey: `booking/${booking.id}/${raise ? 'confirm-commit' : 'confirm-uncommit'}`,
              memo: `booking ${booking.id}: quote ${formatYuan(input.quotedPriceFen)} ${raise ? 'raises' : 'lowers'} the subsidy`,
              voucherId: booking.voucherId,
              bookingId: booking.id,
            });
            await adjustVoucherBalance(tx, voucher, -delta);
          }
          return {
            lines,
            scheduledDate: lines.reduce(
              (min, l) => (l.startDate < min ? l.startDate : min),
              lines[0]!.startDate,
            ),
            quotedPriceFen: input.quotedPriceFen,
            subsidyFen,
            copaymentFen,
            confirmedAt: clock.now(),
            dueAt: new Date(input.samplesDueAt),
          };
        },
      });
    },

    /**
     * The booking ends before its report is accepted (declined, not confirmed or not sent in time,
     * cancelled, its provider delisted, its voucher revoked): capacity not yet used and the
     * subsidy go back. A claim already approved stands; one under review is decided first.
     */
    async releaseBooking(input: StepCall & { step: ReleaseStep; reason: string }): Promise<BookingSummary> {
      return step(input, input.step, RELEASE_ACTIONS[input.step], {
        done: (booking) => booking.status === BOOKING_STEPS[input.step].to,
        change: async (tx, booking) => {
          const claim = await findClaimOfBooking(tx, booking.id);
          if (claim && claim.status !== 'REJECTED') {
            throw refused(
              'CONFLICT',
              'CLAIM_STANDS',
              `the booking's claim is ${claim.status}; it is decided on its own`,
              {
                claimStatus: claim.status,
              },
            );
          }
          if (holdsCapacity(booking)) await releaseBookingHolds(tx, booking.id);
          // a rejected claim already gave the subsidy back
          if (!claim) await giveBack(tx, booking, input.step === 'refund');
          return { statusReason: input.reason, dueAt: null };
        },
      });
    },

    /**
     * A booking whose process failed: made consistent, so that no money stays committed to work
     * nobody will carry on. A claim under review is rejected; an approved one stands. The
     * operators are told by the process that calls this.
     */
    async abandonBooking(input: { bookingId: string; failure: string }): Promise<BookingSummary> {
      return inTransaction(db, async (tx) => {
        const { booking, names } = await lockBookingWithNames(tx, input.bookingId);
        const claim = await findClaimOfBooking(tx, booking.id);
        const reason = `process failed: ${input.failure}`.slice(0, 2000);
        const ends =
          !TERMINAL_BOOKING_STATUSES.includes(booking.status) &&
          (!claim || claim.status === 'PENDING_REVIEW' || claim.status === 'REJECTED');
        if (ends) {
          if (claim?.status === 'PENDING_REVIEW') {
            await rejectClaimIn(tx, claim, reason, { actor: SYSTEM, requestId: null }, clock.now());
          } else if (!claim) {
            if (holdsCapacity(booking)) await releaseBookingHolds(tx, booking.id);
            await giveBack(tx, booking, false);
          }
        }
        const updated = ends
          ? await updateBooking(tx, booking.id, { status: 'CANCELLED', statusReason: reason, dueAt: null })
          : booking;
        await recordChange(tx, {
          actor: SYSTEM,
          action: 'BOOKING_PROCESS_FAILED',
          entityType: 'booking',
          entityId: booking.id,
          before: snapshot(booking),
          after: { ...(snapshot(updated) as object), failure: input.failure.slice(0, 2000) },
        });
        return summaryOf(tx, updated, names);
      });
    },
  };
}
