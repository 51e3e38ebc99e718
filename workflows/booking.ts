import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  setHandler,
  setWorkflowOptions,
  startChild,
  uuid4,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { BookingSummary } from '../activities/booking-steps';
import { SYSTEM_ACTOR, type Actor } from '../domain/actor';
import {
  bookingMay,
  settlementWorkflowId,
  TERMINAL_BOOKING_STATUSES,
  type BookingStatus,
  type BookingStepName,
  type DisputeResolution,
  type ReleaseStep,
  type ReportConclusion,
} from '../domain/booking';
import type { Demand } from '../domain/demand';
import type { Audience } from '../activities/notifications';
import type { TemplateData, TemplateName } from '../notifications/templates';
import { durationMs } from '../domain/duration';
import { revocationEffect } from '../domain/revocation';
import { activities, waitedSteps } from './activities';
import { processSearchAttributes, tagProcess, tagStatus } from './kit/search-attributes';
import {
  after,
  type Deadline,
  describeFailure,
  Exclusive,
  versioningBehavior,
  waitWithDeadlines,
} from './kit/steps';
import { refuse } from './refusal';
import { settlement, settlementRevokedSignal, type SettlementResult } from './settlement';

// ---------------------------------------------------------------------------------------------
// Messages

/** The programme's deadlines for one booking, as they stood when it was made. */
export interface BookingTimings {
  providerConfirmWithin: string;
  samplesWithin: string;
  reportGrace: string;
  acceptanceWithin: string;
  copaymentWithin: string;
  copaymentGrace: string;
  reviewReminderAfter: string;
  reviewEscalateAfter: string;
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
/** The voucher was revoked: everything short of an approved claim stops, the subsidy returns to the programme. */
export const voucherRevokedSignal = defineSignal<[Caller & { reason: string }]>('voucherRevoked');
/** The provider was delisted: work not begun is withdrawn and the SME offered others. */
export const providerDelistedSignal = defineSignal<[{ reason: string }]>('providerDelisted');
export const bookingStateQuery = defineQuery<BookingState>('state');

type Event = { kind: 'revoked'; reason: string; caller: Caller } | { kind: 'delisted'; reason: string };

/** A status reached, and how: the mails about it go out from the main flow, in order. */
interface Entered {
  status: BookingStatus;
  step: BookingStepName;
  reason: string;
  round: number;
}

/** What every booking mail shows. */
interface BookingFacts {
  bookingId: string;
  enterpriseName: string;
  providerName: string;
  standards: string;
  sampleCount: number;
  scheduledDate: string;
  quotedPriceFen: number;
  subsidyFen: number;
  copaymentFen: number;
}

// ---------------------------------------------------------------------------------------------
// The process (docs/processes.md, "Booking")

/**
 * One voucher-funded job at one provider, a child of its voucher's process. Each status waits for
 * one party with a deadline: the provider confirms, the samples arrive, the report comes, the SME
 * accepts or disputes, an administrator resolves a dispute, the co-payment is recorded; then the
 * settlement runs as a child. A revoked voucher or a delisted provider stops it wherever it is.
 */
export async function booking(input: BookingInput): Promise<BookingState> {
  const { timings } = input;
  const bookingId = input.booking.bookingId;
  const exclusive = new Exclusive();
  const met = new Set<string>();
  const events: Event[] = [];
  const entered: Entered[] = [];
  let summary = input.booking;
  /** when the current status began */
  let since = Date.now();
  /** report rounds: a retest starts another */
  let round = 1;
  /** the co-payment is no longer awaited: recorded, not due, or escalated to the administrators */
  let copaymentSettled = input.booking.copaymentFen === 0 || input.booking.copaymentRecorded;
  let settling = false;
  const state: BookingState = {
    bookingId,
    status: summary.status,
    copaymentRecorded: summary.copaymentRecorded,
    disputeId: null,
    reportDueAt: null,
    claim: null,
  };

  const sme = () => ({ enterpriseId: summary.enterpriseId });
  const provider = () => ({ providerId: summary.providerId });
  const facts = (): BookingFacts => ({
    bookingId,
    enterpriseName: summary.enterpriseName,
    providerName: summary.providerName,
    standards: summary.standards.join(', '),
    sampleCount: summary.sampleCount,
    scheduledDate: summary.scheduledDate,
    quotedPriceFen: summary.quotedPriceFen,
    subsidyFen: summary.subsidyFen,
    copaymentFen: summary.copaymentFen,
  });
  /** A mail about this booking, once per event key. */
  const mail = <Name extends TemplateName>(
    key: string,
    template: Name,
    data: Omit<TemplateData<Name>, keyof BookingFacts>,
    to: Audience[],
  ) =>
    notify({
      eventKey: `booking/${bookingId}/${key}`,
      template,
      data: { ...facts(), ...data } as TemplateData<Name>,
      to,
    });
  const reportDue = () => new Date(Date.now() + timings.turnaroundDays * durationMs(timings.dayLength));
  const dueIn = (duration: string) => new Date(Date.now() + durationMs(duration)).toISOString();

  /** The booking as the last step left it. */
  function track(next: BookingSummary, step: BookingStepName, reason = ''): void {
    if (next.status !== state.status) {
      since = Date.now();
      entered.push({ status: next.status, step, reason, round });
    }
    summary = next;
    state.status = next.status;
    tagStatus('BookingStatus', next.status);
    state.copaymentRecorded = next.copaymentRecorded;
    if (next.copaymentRecorded) copaymentSettled = true;
  }

  /** `via`: the activities of a step a caller waits for (`waitedSteps()`), or the plain ones */
  const release = async (step: ReleaseStep, reason: string, caller: Caller, via = activities) =>
    track(await via.releaseBooking({ bookingId, step, reason, ...caller }), step, reason);

  // ---- the parties' actions: each allowed in the statuses of its step, one at a time

  function on<Args extends [Caller]>(
    update: UpdateDefinition<BookingState, Args>,
    step: BookingStepName,
    carryOut: (...args: Args) => Promise<void>,
    check?: (...args: Args) => void,
  ): void {
    const refuseUnlessAllowed = () => {
      if (!bookingMay(step, state.status)) {
        refuse(
          'CONFLICT',
          'WRONG_BOOKING_STATUS',
          `the booking is ${state.status}; this step is not open now`,
          {
            status: state.status,
          },
        );
      }
    };
    setHandler(
      update,
      async (...args: Args) => {
        await exclusive.run(async () => {
          // another step may have been taken while this one waited for its turn
          refuseUnlessAllowed();
          check?.(...args);
          await carryOut(...args);
        });
        return state;
      },
      {
        validator: (...args: Args) => {
          refuseUnlessAllowed();
          check?.(...args);
        },
      },
    );
  }

  setHandler(bookingStateQuery, () => state);
  tagProcess({
    programmeId: summary.programmeId,
    enterpriseId: summary.enterpriseId,
    providerId: summary.providerId,
  });
  tagStatus('BookingStatus', state.status);

  on(confirmUpdate, 'confirm', async ({ quotedPriceFen, startDate, ...caller }) => {
    const next = await waitedSteps().confirmBooking({
      bookingId,
      quotedPriceFen,
      startDate,
      samplesDueAt: dueIn(timings.samplesWithin),
      ...caller,
    });
    track(next, 'confirm');
    copaymentSettled = next.copaymentFen === 0 || next.copaymentRecorded;
  });
  on(declineUpdate, 'decline', ({ reason, ...caller }) => release('decline', reason, caller, waitedSteps()));
  on(cancelUpdate, 'cancel', ({ reason, ...caller }) => release('cancel', reason, caller, waitedSteps()));
  on(sampleReceivedUpdate, 'receiveSamples', async (caller) => {
    state.reportDueAt = reportDue().toISOString();
    track(
      await waitedSteps().markSampleReceived({ bookingId, reportDueAt: state.reportDueAt, ...caller }),
      'receiveSamples',
    );
  });
  on(reportUpdate, 'report', async ({ reportId, sha256, conclusion, ...caller }) => {
    const acceptBy = dueIn(timings.acceptanceWithin);
    track(
      await waitedSteps().recordReport({ bookingId, reportId, sha256, conclusion, acceptBy, ...caller }),
      'report',
    );
  });
  on(acceptUpdate, 'accept', async (caller) => {
    track(
      await waitedSteps().acceptReport({ bookingId, automatic: false, ...acceptance(), ...caller }),
      'accept',
    );
  });
  on(disputeUpdate, 'dispute', async ({ reason, ...caller }) => {
    state.disputeId = uuid4();
    track(
      await waitedSteps().openDispute({
        bookingId,
        disputeId: state.disputeId,
        reason,
        resolveBy: dueIn(timings.reviewEscalateAfter),
        ...caller,
      }),
      'dispute',
    );
  });
  on(resolveDisputeUpdate, 'resolveDispute', async ({ resolution, note, ...caller }) => {
    const retestDue = resolution === 'RETEST' ? reportDue().toISOString() : null;
    const step = ({ UPHOLD: 'uphold', RETEST: 'retest', CANCEL_REFUND: 'refund' } as const)[resolution];
    track(
      await waitedSteps().resolveDispute({
        bookingId,
        disputeId: state.disputeId!,
        resolution,
        note,
        reportDueAt: retestDue,
        ...acceptance(),
        ...caller,
      }),
      step,
      note,
    );
    if (retestDue) {
      // another round of testing: its reminders are its own
      round += 1;
      state.reportDueAt = retestDue;
    }
  });
  on(
    copaymentUpdate,
    'recordCopayment',
    async ({ reference, paidAt, ...caller }) => {
      track(
        await waitedSteps().recordCopayment({ bookingId, reference, paidAt, ...caller }),
        'recordCopayment',
      );
    },
    () => {
      if (state.copaymentRecorded) {
        refuse(
          'CONFLICT',
          'COPAYMENT_ALREADY_RECORDED',
          'the co-payment is already recorded for this booking',
        );
      }
      if (settling) {
        refuse(
          'CONFLICT',
          'CLAIM_OPENED',
          'the claim is open; the administrators decide it without the co-payment',
        );
      }
    },
  );
  setHandler(voucherRevokedSignal, ({ reason, ...caller }) => {
    events.push({ kind: 'revoked', reason, caller });
  });
  setHandler(providerDelistedSignal, ({ reason }) => {
    events.push({ kind: 'delisted', reason });
  });

  /** When the co-payment falls due after an acceptance, for the read model. */
  function acceptance() {
    return { copaymentDueAt: copaymentSettled ? null : dueIn(timings.copaymentWithin) };
  }

  // ---- the deadlines of each status: what the process does if nobody acts

  function deadlines(status: BookingStatus): Deadline[] {
    const r = `r${round}`;
    const record = (action: string, note: string) =>
      activities.recordBookingEvent({ bookingId, action, note });
    switch (status) {
      case 'REQUESTED':
        return [
          {
            key: 'confirmation',
            at: after(since, durationMs(timings.providerConfirmWithin)),
            run: () =>
              release('expireConfirmation', `not confirmed within ${timings.providerConfirmWithin}`, {
                actor: SYSTEM_ACTOR,
                requestId: null,
              }),
          },
        ];
      case 'CONFIRMED':
        return [
          {
            key: 'samples',
            at: after(since, durationMs(timings.samplesWithin)),
            run: () =>
              release('lapse', `samples not received within ${timings.samplesWithin} of confirmation`, {
                actor: SYSTEM_ACTOR,
                requestId: null,
              }),
          },
        ];
      case 'SAMPLE_RECEIVED': {
        const due = Date.parse(state.reportDueAt ?? new Date(since).toISOString());
        const note = `report due ${new Date(due).toISOString()}`;
        return [
          {
            key: `${r}/report-reminder`,
            at: due,
            run: async () => {
              await record('REPORT_REMINDER_SENT', note);
              await mail(`${r}/report-reminder`, 'reportReminder', { dueAt: new Date(due).toISOString() }, [
                provider(),
              ]);
            },
          },
          {
            key: `${r}/report-escalation`,
            at: due + durationMs(timings.reportGrace),
            run: async () => {
              await record('REPORT_OVERDUE_ESCALATED', note);
              await mail(
                `${r}/report-escalation`,
                'reportEscalation',
                { dueAt: new Date(due).toISOString() },
                [provider(), { escalation: true }],
              );
            },
          },
        ];
      }
      case 'REPORTED':
        return [
          {
            key: `${r}/auto-accept`,
            at: after(since, durationMs(timings.acceptanceWithin)),
            run: async () =>
              track(
                await activities.acceptReport({
                  bookingId,
                  automatic: true,
                  ...acceptance(),
                  actor: SYSTEM_ACTOR,
                  requestId: null,
                }),
                'accept',
                'automatic',
              ),
          },
        ];
      case 'DISPUTED': {
        const note = `dispute waiting for a resolution since ${new Date(since).toISOString()}`;
        const overdue = (kind: 'reminder' | 'escalation'): Deadline => ({
          key: `${r}/dispute-${kind}`,
          at: after(
            since,
            durationMs(kind === 'reminder' ? timings.reviewReminderAfter : timings.reviewEscalateAfter),
          ),
          run: async () => {
            await record(kind === 'reminder' ? 'DISPUTE_REMINDER_SENT' : 'DISPUTE_ESCALATED', note);
            await mail(
              `${r}/dispute-${kind}`,
              kind === 'reminder' ? 'disputeReminder' : 'disputeEscalation',
              { disputeId: state.disputeId!, waitingSince: new Date(since).toISOString() },
              [kind === 'reminder' ? { role: 'ADMIN' } : { escalation: true }],
            );
          },
        });
        return [overdue('reminder'), overdue('escalation')];
      }
      case 'ACCEPTED': {
        if (copaymentSettled) return [];
        const dueAt = after(since, durationMs(timings.copaymentWithin));
        return [
          {
            key: 'copayment-reminder',
            at: dueAt,
            run: async () => {
              await record('COPAYMENT_REMINDER_SENT', `co-payment due ${new Date(dueAt).toISOString()}`);
              await mail(
                'copayment-reminder',
                'copaymentReminder',
                { dueAt: new Date(dueAt).toISOString() },
                [sme(), provider()],
              );
            },
          },
          {
            key: 'copayment-escalation',
            at: dueAt + durationMs(timings.copaymentGrace),
            run: async () => {
              await record(
                'COPAYMENT_ESCALATED',
                'co-payment not recorded; the claim goes to the administrators without it',
              );
              await mail(
                'copayment-escalation',
                'copaymentEscalation',
                { dueAt: new Date(dueAt).toISOString() },
                [sme(), provider(), { escalation: true }],
              );
              copaymentSettled = true;
            },
          },
        ];
      }
      default:
        return [];
    }
  }

  // ---- what the parties hear when the booking reaches a status

  async function announce(): Promise<void> {
    while (entered.length) {
      const { status, step, reason, round: r } = entered.shift()!;
      const send = <Name extends TemplateName>(
        template: Name,
        data: Omit<TemplateData<Name>, keyof BookingFacts>,
        to: Audience[],
      ) => mail(`r${r}/${step}/${template}`, template, data, to);
      if (step === 'confirm') await send('bookingConfirmed', {}, [sme()]);
      else if (step === 'decline') await offerOthers('bookingDeclined', reason);
      else if (step === 'expireConfirmation') {
        await send('bookingMissed', {}, [provider()]);
        await offerOthers('bookingConfirmationExpired', reason);
      } else if (step === 'cancel') await send('bookingCancelled', { reason }, [provider()]);
      else if (step === 'stop') await send('bookingCancelled', { reason }, [provider(), sme()]);
      else if (step === 'withdraw') await offerOthers('bookingWithdrawn', reason);
      else if (step === 'lapse') await send('bookingLapsed', { reason }, [sme(), provider()]);
      else if (step === 'report')
        await send('reportReady', { acceptWithin: timings.acceptanceWithin }, [sme()]);
      else if (step === 'dispute')
        await send('disputeRaised', { disputeId: state.disputeId! }, [{ role: 'ADMIN' }, provider()]);
      else if (step === 'uphold' || step === 'retest' || step === 'refund') {
        const resolution = ({ uphold: 'UPHOLD', retest: 'RETEST', refund: 'CANCEL_REFUND' } as const)[step];
        await send('disputeResolved', { resolution, note: reason }, [sme(), provider()]);
      } else if (step === 'accept' && reason === 'automatic') {
        await send('reportAutoAccepted', { acceptWithin: timings.acceptanceWithin }, [sme(), provider()]);
      }
      if (status === 'ACCEPTED' && !copaymentSettled) await send('copaymentDue', {}, [sme(), provider()]);
    }
  }

  async function offerOthers(
    template: 'bookingDeclined' | 'bookingConfirmationExpired' | 'bookingWithdrawn',
    reason: string,
  ): Promise<void> {
    const candidates = await activities.nextCandidates({
      bookingId,
      voucherId: summary.voucherId,
      demand: input.demand,
      excludeProviderId: summary.providerId,
    });
    await mail(template, template, { reason, candidates }, [sme()]);
  }

  // ---- what happens to the booking when its voucher or provider changes

  async function handleEvents(): Promise<void> {
    while (events.length) {
      const event = events.shift()!;
      await exclusive.run(async () => {
        if (event.kind === 'revoked' && revocationEffect(state.status, null) === 'CANCEL') {
          await release('stop', `voucher revoked: ${event.reason}`, event.caller);
        } else if (event.kind === 'delisted' && bookingMay('withdraw', state.status)) {
          await release('withdraw', `provider delisted: ${event.reason}`, {
            actor: SYSTEM_ACTOR,
            requestId: null,
          });
        } else if (event.kind === 'delisted' && !TERMINAL_BOOKING_STATUSES.includes(state.status)) {
          await activities.recordBookingEvent({
            bookingId,
            action: 'PROVIDER_DELISTED_DURING_WORK',
            note: `provider delisted (${event.reason}); the work under way goes on`,
          });
        }
      });
    }
  }

  // ---- the claim

  /**
   * The claim, as a child process. A revocation meanwhile is passed on: a claim not yet approved is
   * rejected and the booking stops. A settlement that fails is handled here: the booking is
   * abandoned with its money made consistent, and the operators are told.
   */
  async function settle(): Promise<void> {
    settling = true;
    const revocations: Event[] = [];
    let outcome: { result: SettlementResult } | { failure: unknown } | undefined;
    let child: ChildWorkflowHandle<typeof settlement> | undefined;
    try {
      child = await startChild(settlement, {
        workflowId: settlementWorkflowId(bookingId),
        typedSearchAttributes: processSearchAttributes({
          programmeId: summary.programmeId,
          enterpriseId: summary.enterpriseId,
          providerId: summary.providerId,
        }),
        args: [
          {
            bookingId,
            programmeId: summary.programmeId,
            providerId: summary.providerId,
            copaymentMissing: summary.copaymentFen > 0 && !state.copaymentRecorded,
            reviewReminderAfter: timings.reviewReminderAfter,
            reviewEscalateAfter: timings.reviewEscalateAfter,
          },
        ],
      });
      child.result().then(
        (result) => (outcome = { result }),
        (failure: unknown) => (outcome = { failure }),
      );
    } catch (failure) {
      outcome = { failure };
    }
    while (!outcome) {
      await condition(() => outcome !== undefined || events.length > 0);
      const event = events.shift();
      if (event?.kind !== 'revoked') continue;
      revocations.push(event);
      try {
        await child!.signal(settlementRevokedSignal, { reason: event.reason, ...event.caller });
      } catch {
        // the settlement has just finished: its outcome decides below
      }
    }
    if ('failure' in outcome) {
      const failure = describeFailure(outcome.failure);
      await exclusive.run(async () =>
        track(await activities.abandonBooking({ bookingId, failure }), 'stop', 'settlement failed'),
      );
      await notify({
        eventKey: `settlement/${bookingId}/process-failed`,
        template: 'processFailed',
        data: {
          workflowId: settlementWorkflowId(bookingId),
          entity: `claim of booking ${bookingId}`,
          failure,
          outcome: `the booking is ${state.status}; money not claimed was released`,
        },
        to: [{ operators: true }],
      });
      return;
    }
    state.claim = outcome.result;
    const revoked = revocations[0];
    // the claim rejected for the revocation: the booking stops as one that never had a claim would
    if (revoked?.kind === 'revoked' && outcome.result.status === 'REJECTED') {
      await exclusive.run(() => release('stop', `voucher revoked: ${revoked.reason}`, revoked.caller));
    }
  }

  // ---- the main flow: wait in each status until a party acts, a deadline passes, or an event arrives

  await mail('requested', 'bookingRequested', { confirmWithin: timings.providerConfirmWithin }, [provider()]);
  for (;;) {
    await handleEvents();
    await announce();
    const status = state.status;
    if (TERMINAL_BOOKING_STATUSES.includes(status)) break;
    if (status === 'ACCEPTED' && copaymentSettled) {
      await settle();
      break;
    }
    // a step taken while the last mails went out has its own to send: that wakes the loop too
    await waitWithDeadlines(
      () =>
        state.status !== status ||
        entered.length > 0 ||
        events.length > 0 ||
        (status === 'ACCEPTED' && copaymentSettled),
      deadlines(status),
      exclusive,
      met,
    );
  }
  await condition(() => allHandlersFinished() && !exclusive.busy);
  await handleEvents();
  await announce();
  return state;
}

const notify = activities.sendNotification;

// long: a booking runs for weeks, so each run moves to the current build at its next step
setWorkflowOptions(versioningBehavior('AUTO_UPGRADE'), booking);
