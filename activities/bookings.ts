import { ApplicationFailure } from '@temporalio/activity';
import type { Actor } from '../domain/audit';
import {
  catalogPrice,
  holdIdOf,
  type BookingLine,
  type BookingRecord,
  type BookingStatus,
} from '../domain/booking';
import { addDays } from '../domain/calendar';
import type { Fen } from '../domain/money';
import { subsidySplit } from '../domain/subsidy';
import { confirmHold, holdCapacity, releaseBookingHolds } from '../db/repositories/capacity';
import { insertBooking, lockBooking, type NewBooking } from '../db/repositories/bookings';
import { move } from '../db/repositories/ledger';
import { findProgramme } from '../db/repositories/programmes';
import { adjustVoucherBalance, lockVoucher } from '../db/repositories/vouchers';
import { inTransaction, type Tx } from '../db/tx';
import {
  bookingSteps,
  Refusal,
  refusing,
  snapshot,
  type BookingStep,
  type BookingSummary,
} from './booking-steps';
import { recordChange } from './context';
import type { ActivityDeps } from './deps';

export type { BookingRefusal, BookingStep, BookingSummary } from './booking-steps';

const yuan = (fen: Fen) => `${(fen / 100).toFixed(2)} CNY`;

/** Where a booking holds capacity and moves money: its creation, the quote, and its release. */
export function createBookingActivities({ db, clock }: ActivityDeps) {
  const { summaryOf, step, expectStatus } = bookingSteps({ db });

  async function ratioOf(tx: Tx, programmeId: string): Promise<number> {
    const programme = await findProgramme(tx, programmeId);
    if (!programme) throw ApplicationFailure.nonRetryable(`programme ${programmeId} vanished`, 'NotFound');
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
      if (!held.ok) throw new Refusal(held.code, `${line.serviceName}: ${held.reason}`);
    }
  }

  /**
   * Gives a booking's subsidy back: to its voucher while the voucher is live, otherwise (or when
   * the subsidy is refunded after a dispute) to the programme.
   */
  async function returnSubsidy(
    tx: Tx,
    booking: BookingRecord,
    toProgramme: boolean,
    key: string,
  ): Promise<void> {
    if (booking.subsidyFen === 0) return;
    const voucher = await lockVoucher(tx, booking.voucherId);
    const backToProgramme = toProgramme || voucher.status !== 'ACTIVE';
    await move(tx, {
      programmeId: booking.programmeId,
      movement: backToProgramme ? 'UNCOMMIT_TO_AVAILABLE' : 'UNCOMMIT',
      amountFen: booking.subsidyFen,
      idempotencyKey: key,
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
      await adjustVoucherBalance(tx, voucher.id, booking.subsidyFen);
    }
  }

  return {
    /**
     * Holds the capacity and commits the subsidy, in one transaction: either the booking exists
     * with both, or nothing happened and the SME hears why.
     */
    async createBooking(
      input: Omit<NewBooking, 'subsidyFen' | 'catalogPriceFen'> & { actor: Actor; requestId: string | null },
    ): Promise<BookingStep> {
      return refusing(() =>
        inTransaction(db, async (tx) => {
          const existing = await tx.booking.findUnique({ where: { id: input.id } });
          if (existing) return summaryOf(tx, await lockBooking(tx, input.id));
          const voucher = await lockVoucher(tx, input.voucherId);
          if (voucher.status !== 'ACTIVE')
            throw new Refusal('VOUCHER_NOT_ACTIVE', `the voucher is ${voucher.status}`);
          const price = catalogPrice(input.lines, input.sampleCount);
          const { subsidyFen } = subsidySplit(
            price,
            await ratioOf(tx, voucher.programmeId),
            voucher.balanceFen,
          );
          if (subsidyFen === 0) {
            throw new Refusal('VOUCHER_EXHAUSTED', 'the voucher has no balance left to fund a booking');
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
          await adjustVoucherBalance(tx, voucher.id, -subsidyFen);
          const { actor, requestId, ...booking } = input;
          const created = await insertBooking(tx, { ...booking, catalogPriceFen: price, subsidyFen });
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
          return summaryOf(tx, created);
        }),
      );
    },

    /**
     * The provider confirms with its quote and, possibly, another start date. The subsidy follows
     * the quote: more is committed from the voucher, or the difference goes back to it.
     */
    async confirmBooking(input: {
      bookingId: string;
      quotedPriceFen: Fen;
      startDate?: string;
      actor: Actor;
      requestId: string | null;
    }): Promise<BookingStep> {
      return refusing(() =>
        step(input.bookingId, input.actor, input.requestId, 'BOOKING_CONFIRMED', async (tx, booking) => {
          if (booking.status === 'CONFIRMED') return null;
          expectStatus(booking, ['REQUESTED']);
          let lines = booking.lines;
          if (input.startDate && input.startDate !== booking.scheduledDate) {
            await releaseBookingHolds(tx, booking.id);
            const shift = (date: string) =>
              addDays(
                input.startDate!,
                Math.round((Date.parse(date) - Date.parse(booking.scheduledDate)) / 86_400_000),
              );
            lines = booking.lines.map((line) => ({
              ...line,
              startDate: shift(line.startDate),
              completionDate: shift(line.completionDate),
            }));
            await holdLines(tx, booking.id, lines, booking.sampleCount);
          }
          for (const line of lines)
            await confirmHold(tx, holdIdOf(booking.id, line.serviceId, line.startDate));

          const voucher = await lockVoucher(tx, booking.voucherId);
          const room =
            voucher.status === 'ACTIVE' ? voucher.balanceFen + booking.subsidyFen : booking.subsidyFen;
          const { subsidyFen, copaymentFen } = subsidySplit(
            input.quotedPriceFen,
            await ratioOf(tx, booking.programmeId),
            room,
          );
          const delta = subsidyFen - booking.subsidyFen;
          if (delta > 0) {
            await move(tx, {
              programmeId: booking.programmeId,
              movement: 'COMMIT',
              amountFen: delta,
              idempotencyKey: `booking/${booking.id}/confirm-commit`,
              memo: `booking ${booking.id}: quote ${yuan(input.quotedPriceFen)} raises the subsidy`,
              voucherId: booking.voucherId,
              bookingId: booking.id,
            });
            await adjustVoucherBalance(tx, voucher.id, -delta);
          } else if (delta < 0) {
            await move(tx, {
              programmeId: booking.programmeId,
              movement: voucher.status === 'ACTIVE' ? 'UNCOMMIT' : 'UNCOMMIT_TO_AVAILABLE',
              amountFen: -delta,
              idempotencyKey: `booking/${booking.id}/confirm-uncommit`,
              memo: `booking ${booking.id}: quote ${yuan(input.quotedPriceFen)} lowers the subsidy`,
              voucherId: booking.voucherId,
              bookingId: booking.id,
            });
            await adjustVoucherBalance(tx, voucher.id, -delta);
          }
          return {
            status: 'CONFIRMED',
            lines,
            scheduledDate: lines.reduce(
              (min, l) => (l.startDate < min ? l.startDate : min),
              lines[0]!.startDate,
            ),
            quotedPriceFen: input.quotedPriceFen,
            subsidyFen,
            copaymentFen,
            confirmedAt: clock.now(),
          };
        }),
      );
    },

    /** Declined, not confirmed in time, cancelled, or refunded after a dispute: everything goes back. */
    async releaseBooking(input: {
      bookingId: string;
      status: Extract<BookingStatus, 'DECLINED' | 'CONFIRMATION_EXPIRED' | 'CANCELLED'>;
      reason: string;
      refundToProgramme?: boolean;
      actor: Actor;
      requestId: string | null;
    }): Promise<BookingSummary> {
      const action = {
        DECLINED: 'BOOKING_DECLINED',
        CONFIRMATION_EXPIRED: 'BOOKING_CONFIRMATION_EXPIRED',
        CANCELLED: 'BOOKING_CANCELLED',
      }[input.status];
      return step(input.bookingId, input.actor, input.requestId, action, async (tx, booking) => {
        if (booking.status === input.status) return null;
        expectStatus(booking, input.refundToProgramme ? ['DISPUTED'] : ['REQUESTED', 'CONFIRMED']);
        await releaseBookingHolds(tx, booking.id);
        await returnSubsidy(tx, booking, input.refundToProgramme ?? false, `booking/${booking.id}/release`);
        return { status: input.status, statusReason: input.reason };
      });
    },
  };
}
