import { condition, executeChild } from '@temporalio/workflow';
import { settlementWorkflowId, type BookingStatus } from '../domain/booking';
import { durationMs } from '../domain/duration';
import { activities } from './activities';
import { registerBookingHandlers } from './booking-handlers';
import type { BookingInput, BookingState } from './booking-messages';
import {
  audiences,
  dueFromNow,
  exclusively,
  facts,
  finish,
  newRun,
  notify,
  settled,
  SYSTEM,
  track,
  waitWhile,
  type BookingRun,
} from './booking-run';
import { settlement } from './settlement';

export * from './booking-messages';

/**
 * One voucher-funded job at one provider (SPEC §4 Booking), a child of the voucher's workflow:
 * confirmation within the SLA, samples, report with reminders, acceptance or dispute, and the
 * settlement that follows. Its actions are in booking-handlers, its shared state in booking-run.
 */
export async function booking(input: BookingInput): Promise<BookingState> {
  const run = newRun(input);
  registerBookingHandlers(run);
  const { sme, provider } = audiences(run);

  await notify({
    eventKey: `booking/${run.bookingId}/requested`,
    template: 'bookingRequested',
    data: { ...facts(run), confirmWithin: input.timings.providerConfirmWithin },
    to: [provider],
  });
  if (!(await confirmation(run))) return finish(run);

  await waitWhile(run, ['CONFIRMED']);
  if (await stopForRevocation(run)) return finish(run);
  if (now(run) === 'CANCELLED') {
    await notifyCancelled(run, 'cancelled by the enterprise');
    return finish(run);
  }
  if (!(await testing(run))) return finish(run);

  // the SME's own payment is the last piece the claim needs
  if (run.summary.copaymentFen > 0 && !run.state.copaymentRecorded) {
    await notify({
      eventKey: `booking/${run.bookingId}/copayment-due`,
      template: 'copaymentDue',
      data: facts(run),
      to: [sme, provider],
    });
    await condition(() => !run.busy && run.state.copaymentRecorded);
  }
  run.state.claim = await executeChild(settlement, {
    workflowId: settlementWorkflowId(run.bookingId),
    args: [
      { bookingId: run.bookingId, programmeId: run.summary.programmeId, providerId: run.summary.providerId },
    ],
  });
  return finish(run);
}

// the status as it is now: handlers change it while the main flow waits
const now = (run: BookingRun): BookingStatus => run.state.status;

/**
 * The provider confirms within the SLA, else the slot is released and the SME offered the next
 * candidates; a decline does the same. False when the booking went no further.
 */
async function confirmation(run: BookingRun): Promise<boolean> {
  const { sme, provider } = audiences(run);
  const window = run.input.timings.providerConfirmWithin;
  const answered = await condition(settled(run, 'REQUESTED'), durationMs(window));
  if (await stopForRevocation(run)) return false;
  if (!answered) {
    await exclusively(run, async () =>
      track(
        run,
        await activities.releaseBooking({
          bookingId: run.bookingId,
          status: 'CONFIRMATION_EXPIRED',
          reason: `not confirmed within ${window}`,
          actor: SYSTEM,
          requestId: null,
        }),
      ),
    );
    await notify({
      eventKey: `booking/${run.bookingId}/missed`,
      template: 'bookingMissed',
      data: facts(run),
      to: [provider],
    });
    await offerOthers(run, 'bookingConfirmationExpired', `not confirmed within ${window}`);
    return false;
  }
  if (now(run) === 'DECLINED') {
    await offerOthers(run, 'bookingDeclined', run.declineReason);
    return false;
  }
  if (now(run) === 'CANCELLED') {
    await notifyCancelled(run, 'cancelled by the enterprise');
    return false;
  }
  await notify({
    eventKey: `booking/${run.bookingId}/confirmed`,
    template: 'bookingConfirmed',
    data: facts(run),
    to: [sme],
  });
  return true;
}

/**
 * Testing until a report is accepted: reminders when it is late, acceptance, dispute or silence;
 * a retest after a dispute comes round again. False when the booking was cancelled on the way.
 */
async function testing(run: BookingRun): Promise<boolean> {
  const { sme, provider } = audiences(run);
  const { bookingId, state } = run;
  const { acceptanceWithin, reportGrace } = run.input.timings;
  for (let round = 1; ; round += 1) {
    const due = Date.parse(state.reportDueAt!);
    // the timeline records each step before the mail about it goes out
    const overdue = (kind: 'reminder' | 'escalation') => async () => {
      await activities.recordBookingEvent({
        bookingId,
        action: kind === 'reminder' ? 'REPORT_REMINDER_SENT' : 'REPORT_OVERDUE_ESCALATED',
        note: `report due ${state.reportDueAt}`,
      });
      await notify({
        eventKey: `booking/${bookingId}/r${round}/report-${kind}`,
        template: kind === 'reminder' ? 'reportReminder' : 'reportEscalation',
        data: { ...facts(run), dueAt: state.reportDueAt! },
        to: kind === 'reminder' ? [provider] : [provider, { escalation: true }],
      });
    };
    await waitWhile(
      run,
      ['SAMPLE_RECEIVED'],
      [
        { at: due, run: overdue('reminder') },
        { at: due + durationMs(reportGrace), run: overdue('escalation') },
      ],
    );
    if (await stopForRevocation(run)) return false;
    await notify({
      eventKey: `booking/${bookingId}/r${round}/report-ready`,
      template: 'reportReady',
      data: { ...facts(run), acceptWithin: acceptanceWithin },
      to: [sme],
    });

    // the SME accepts or disputes; silence accepts after the SLA
    const answered = await condition(settled(run, 'REPORTED'), durationMs(acceptanceWithin));
    if (await stopForRevocation(run)) return false;
    if (!answered) {
      await exclusively(run, async () =>
        track(
          run,
          await activities.acceptReport({ bookingId, automatic: true, actor: SYSTEM, requestId: null }),
        ),
      );
      await notify({
        eventKey: `booking/${bookingId}/r${round}/auto-accepted`,
        template: 'reportAutoAccepted',
        data: { ...facts(run), acceptWithin: acceptanceWithin },
        to: [sme, provider],
      });
      return true;
    }
    if (now(run) === 'ACCEPTED') return true;

    await notify({
      eventKey: `booking/${bookingId}/r${round}/disputed`,
      template: 'disputeRaised',
      data: { ...facts(run), disputeId: state.disputeId! },
      to: [{ role: 'ADMIN' }, provider],
    });
    await condition(() => run.resolution !== null || run.revocation !== null);
    if (await stopForRevocation(run)) return false;
    const { resolution, note, caller } = run.resolution!;
    if (resolution === 'UPHOLD') {
      track(run, await activities.acceptReport({ bookingId, automatic: false, ...caller }));
    } else if (resolution === 'RETEST') {
      state.reportDueAt = dueFromNow(run);
      track(
        run,
        await activities.markSampleReceived({ bookingId, reportDueAt: state.reportDueAt, ...caller }),
      );
    } else {
      track(
        run,
        await activities.releaseBooking({
          bookingId,
          status: 'CANCELLED',
          reason: `dispute resolved: ${note}`,
          refundToProgramme: true,
          ...caller,
        }),
      );
    }
    run.resolution = null;
    await notify({
      eventKey: `booking/${bookingId}/r${round}/dispute-resolved`,
      template: 'disputeResolved',
      data: { ...facts(run), resolution, note },
      to: [sme, provider],
    });
    if (resolution === 'UPHOLD') return true;
    if (resolution === 'CANCEL_REFUND') return false;
  }
}

/** Revocation of the voucher (fraud): work not yet accepted stops, the subsidy returns to the programme. */
async function stopForRevocation(run: BookingRun): Promise<boolean> {
  if (run.revocation === null || run.state.status === 'ACCEPTED') return false;
  track(
    run,
    await activities.releaseBooking({
      bookingId: run.bookingId,
      status: 'CANCELLED',
      reason: `voucher revoked: ${run.revocation}`,
      refundToProgramme: run.state.status !== 'REQUESTED' && run.state.status !== 'CONFIRMED',
      actor: SYSTEM,
      requestId: null,
    }),
  );
  const { sme, provider } = audiences(run);
  await notify({
    eventKey: `booking/${run.bookingId}/cancelled`,
    template: 'bookingCancelled',
    data: { ...facts(run), reason: run.revocation },
    to: [provider, sme],
  });
  return true;
}

async function notifyCancelled(run: BookingRun, reason: string): Promise<void> {
  await notify({
    eventKey: `booking/${run.bookingId}/cancelled`,
    template: 'bookingCancelled',
    data: { ...facts(run), reason },
    to: [audiences(run).provider],
  });
}

async function offerOthers(
  run: BookingRun,
  template: 'bookingDeclined' | 'bookingConfirmationExpired',
  reason: string,
): Promise<void> {
  const candidates = await activities.nextCandidates({
    bookingId: run.bookingId,
    voucherId: run.summary.voucherId,
    demand: run.input.demand,
    excludeProviderId: run.summary.providerId,
  });
  await notify({
    eventKey: `booking/${run.bookingId}/${template}`,
    template,
    data: { ...facts(run), reason, candidates },
    to: [audiences(run).sme],
  });
}
