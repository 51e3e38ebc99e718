import { condition, setHandler, startChild } from '@temporalio/workflow';
import { bookingWorkflowId, turnaroundOf } from '../domain/booking';
import { durationMs } from '../domain/duration';
import { activities } from './activities';
import { bookUpdate, type BookingRequest } from './application-messages';
import { drainNotices, notify, sme, voucherMail, type ApplicationRun } from './application-run';
import { booking } from './booking';
import { refuse } from './refusal';

/** Bookings funded by the voucher: each one's capacity and subsidy taken, then its own child workflow. */
export function registerBookingHandler(run: ApplicationRun): void {
  const { state, input } = run;
  setHandler(
    bookUpdate,
    async (request) => {
      const created = await activities.createBooking({
        id: request.bookingId,
        voucherId: state.voucher!.voucherId,
        programmeId: input.application.programmeId,
        enterpriseId: input.application.enterpriseId,
        providerId: request.providerId,
        lines: request.lines,
        sampleCount: request.sampleCount,
        standards: request.standards,
        scheduledDate: request.lines.reduce(
          (min, l) => (l.startDate < min ? l.startDate : min),
          request.lines[0]!.startDate,
        ),
        confirmBy: new Date(Date.now() + durationMs(run.timings.providerConfirmWithin)),
        workflowId: bookingWorkflowId(request.bookingId),
        createdBy: request.actor.userId ?? input.application.submittedBy,
        actor: request.actor,
        requestId: request.requestId,
      });
      if (!created.ok) refuse('BUSINESS_RULE', created.code, created.message);
      const child = await startChild(booking, {
        workflowId: bookingWorkflowId(request.bookingId),
        args: [
          {
            booking: created.booking,
            demand: request.demand,
            timings: {
              providerConfirmWithin: run.timings.providerConfirmWithin,
              reportGrace: run.timings.reportGrace,
              acceptanceWithin: run.timings.acceptanceWithin,
              dayLength: run.timings.dayLength,
              turnaroundDays: turnaroundOf(request.lines),
            },
          },
        ],
      });
      run.openBookings.set(request.bookingId, child);
      void child.result().finally(() => {
        run.openBookings.delete(request.bookingId);
        run.bookingFinished = true;
      });
      return created.booking;
    },
    {
      validator: (request: BookingRequest) => {
        if (run.busy)
          refuse('CONFLICT', 'DECISION_IN_PROGRESS', 'the voucher is being updated; try again shortly');
        if (state.voucher?.status !== 'ACTIVE') {
          refuse(
            'CONFLICT',
            'VOUCHER_NOT_ACTIVE',
            `the voucher is ${state.voucher?.status ?? 'not issued yet'}; only an active voucher funds bookings`,
          );
        }
        if (run.openBookings.has(request.bookingId))
          refuse('CONFLICT', 'ALREADY_EXISTS', 'this booking exists');
        if (!request.lines.length) refuse('INVALID', 'NO_SERVICES', 'a booking needs at least one service');
      },
    },
  );
}

/**
 * The voucher is live until its validity ends, it is revoked, or its face value is used up; the SME
 * is warned before expiry. Bookings under way finish normally after the voucher ends.
 */
export async function voucherLife(run: ApplicationRun): Promise<void> {
  const { state } = run;
  const voucher = state.voucher!;
  const validUntil = Date.parse(voucher.validUntil);
  const live = () => state.voucher!.status === 'ACTIVE';

  /** All of the face value went into bookings that are over: nothing more can happen to it. */
  async function closeIfUsedUp(): Promise<void> {
    // not `busy`: a booking asked for meanwhile meets the voucher's state in the database
    run.closing = true;
    try {
      const closure = await activities.closeUsedVoucher({ voucherId: voucher.voucherId });
      state.voucher = { ...state.voucher!, status: closure.status };
    } finally {
      run.closing = false;
    }
  }

  const waitUntil = async (at: number) => {
    while (live()) {
      await drainNotices(run);
      const ended = await condition(
        () => run.notices.length > 0 || !live() || run.bookingFinished,
        Math.max(1, at - Date.now()),
      );
      if (run.bookingFinished) {
        run.bookingFinished = false;
        if (run.openBookings.size === 0 && !run.busy && !run.closing) await closeIfUsedUp();
        continue;
      }
      if (!ended) return;
    }
    await drainNotices(run);
  };

  const warnings = run.timings.expiryWarnings
    .map((w) => ({ w, at: validUntil - durationMs(w) }))
    .sort((a, b) => a.at - b.at);
  for (const [i, { w, at }] of warnings.entries()) {
    // a warning due while the service was down still goes out late, unless a later one is due too
    const next = warnings[i + 1]?.at ?? validUntil;
    if (next <= Date.now()) continue;
    await waitUntil(at);
    if (!live()) break;
    const { balanceFen } = await activities.voucherBalance({ voucherId: voucher.voucherId });
    await notify({
      eventKey: `voucher/${voucher.voucherId}/expiry-warning/${w}`,
      template: 'voucherExpiryWarning',
      data: { ...voucherMail(run, voucher), balanceFen, validUntil: voucher.validUntil, warning: w },
      to: [sme(run)],
    });
    await activities.recordVoucherEvent({
      voucherId: voucher.voucherId,
      action: 'EXPIRY_WARNING_SENT',
      note: `${w} before expiry`,
    });
  }
  await waitUntil(validUntil);
  if (live()) {
    run.busy = true;
    const closure = await activities.expireVoucher({ voucherId: voucher.voucherId });
    state.voucher = { ...state.voucher!, status: closure.status };
    run.busy = false;
    await notify({
      eventKey: `voucher/${voucher.voucherId}/expired`,
      template: 'voucherExpired',
      data: { ...voucherMail(run, voucher), releasedFen: closure.releasedFen },
      to: [sme(run)],
    });
  }
  await condition(() => run.openBookings.size === 0);
  await drainNotices(run);
}
