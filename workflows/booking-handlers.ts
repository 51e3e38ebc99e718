import { condition, setHandler, uuid4 } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { BookingStep, BookingSummary } from '../activities/bookings';
import type { BookingStatus } from '../domain/booking';
import { activities } from './activities';
import {
  acceptUpdate,
  bookingStateQuery,
  cancelUpdate,
  confirmUpdate,
  copaymentUpdate,
  declineUpdate,
  disputeUpdate,
  reportUpdate,
  resolveDisputeUpdate,
  sampleReceivedUpdate,
  voucherRevokedSignal,
  type BookingState,
} from './booking-messages';
import { dueFromNow, exclusively, track, type BookingRun } from './booking-run';
import { refuse } from './refusal';

const outcome = (result: BookingStep): BookingSummary => {
  if (!result.ok) refuse('BUSINESS_RULE', result.code, result.message);
  return result.booking;
};

/** The booking's actions: who may take them in which status, one at a time. */
export function registerBookingHandlers(run: BookingRun): void {
  const { state, bookingId } = run;

  /**
   * An action on the booking: allowed in the given statuses, one at a time (the validator refuses
   * anything else meanwhile), answered with the booking's state once carried out.
   */
  function on<Args extends unknown[]>(
    update: UpdateDefinition<BookingState, Args>,
    statuses: BookingStatus[],
    step: (...args: Args) => Promise<void>,
    check?: (...args: Args) => void,
  ): void {
    setHandler(
      update,
      async (...args: Args) => {
        await exclusively(run, () => step(...args));
        return state;
      },
      {
        validator: (...args: Args) => {
          if (run.busy) refuse('CONFLICT', 'BOOKING_BUSY', 'the booking is being updated; try again shortly');
          if (!statuses.includes(state.status)) {
            refuse(
              'CONFLICT',
              'WRONG_BOOKING_STATUS',
              `the booking is ${state.status}; this needs it to be ${statuses.join(' or ')}`,
              {
                status: state.status,
              },
            );
          }
          check?.(...args);
        },
      },
    );
  }

  setHandler(bookingStateQuery, () => state);
  on(confirmUpdate, ['REQUESTED'], async ({ quotedPriceFen, startDate, actor, requestId }) => {
    track(
      run,
      outcome(await activities.confirmBooking({ bookingId, quotedPriceFen, startDate, actor, requestId })),
    );
  });
  on(declineUpdate, ['REQUESTED'], async ({ reason, actor, requestId }) => {
    run.declineReason = reason;
    track(run, await activities.releaseBooking({ bookingId, status: 'DECLINED', reason, actor, requestId }));
  });
  on(cancelUpdate, ['REQUESTED', 'CONFIRMED'], async ({ reason, actor, requestId }) => {
    track(run, await activities.releaseBooking({ bookingId, status: 'CANCELLED', reason, actor, requestId }));
  });
  on(sampleReceivedUpdate, ['CONFIRMED'], async ({ actor, requestId }) => {
    state.reportDueAt = dueFromNow(run);
    track(
      run,
      await activities.markSampleReceived({ bookingId, reportDueAt: state.reportDueAt, actor, requestId }),
    );
  });
  on(reportUpdate, ['SAMPLE_RECEIVED'], async ({ reportId, sha256, conclusion, actor, requestId }) => {
    track(run, await activities.recordReport({ bookingId, reportId, sha256, conclusion, actor, requestId }));
  });
  on(acceptUpdate, ['REPORTED'], async ({ actor, requestId }) => {
    track(run, await activities.acceptReport({ bookingId, automatic: false, actor, requestId }));
  });
  on(disputeUpdate, ['REPORTED'], async ({ reason, actor, requestId }) => {
    state.disputeId = uuid4();
    track(
      run,
      await activities.openDispute({ bookingId, disputeId: state.disputeId, reason, actor, requestId }),
    );
  });
  on(resolveDisputeUpdate, ['DISPUTED'], async ({ resolution, note, actor, requestId }) => {
    await activities.closeDispute({ disputeId: state.disputeId!, resolution, note, actor, requestId });
    run.resolution = { resolution, note, caller: { actor, requestId } };
    // carried out by the main flow; answer once it is
    await condition(() => run.resolution === null);
  });
  on(
    copaymentUpdate,
    ['REQUESTED', 'CONFIRMED', 'SAMPLE_RECEIVED', 'REPORTED', 'DISPUTED', 'ACCEPTED'],
    async ({ reference, paidAt, actor, requestId }) => {
      track(run, await activities.recordCopayment({ bookingId, reference, paidAt, actor, requestId }));
    },
    (_payment) => {
      if (state.copaymentRecorded) {
        refuse(
          'CONFLICT',
          'COPAYMENT_ALREADY_RECORDED',
          'the co-payment is already recorded for this booking',
        );
      }
    },
  );
  setHandler(voucherRevokedSignal, ({ reason }) => {
    run.revocation = reason;
  });
}
