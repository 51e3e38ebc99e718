import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  patched,
  setHandler,
  setWorkflowOptions,
  startChild,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { ApplicationSummary, ProcessTimings, VoucherSummary } from '../activities/application-state';
import type { BookingSummary } from '../activities/booking-steps';
import type { Actor } from '../domain/actor';
import {
  applicationMay,
  voucherMay,
  type ApplicationStatus,
  type ApplicationStepName,
  type NewApplication,
  type VoucherStatus,
} from '../domain/application';
import { bookingWorkflowId, turnaroundOf, type BookingLine } from '../domain/booking';
import type { Demand } from '../domain/demand';
import { durationMs } from '../domain/duration';
import type { EligibilityIssue } from '../domain/eligibility';
import { activities, waitedSteps } from './activities';
import { booking, voucherRevokedSignal } from './booking';
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

// ---------------------------------------------------------------------------------------------
// Messages

export interface VoucherApplicationInput {
  application: NewApplication;
  actor: Actor;
  requestId: string | null;
}

export interface Caller {
  actor: Actor;
  requestId: string | null;
}

export type DecisionInput = Caller &
  (
    | { decision: 'APPROVE'; amountFen?: number; note?: string }
    | { decision: 'REJECT'; reason: string }
    | { decision: 'REQUEST_INFO'; message: string }
  );

export type ResubmissionInput = Caller & {
  note: string;
  requestedAmountFen?: number;
  purpose?: string;
  demand?: Demand;
};

export interface BookingRequest extends Caller {
  bookingId: string;
  providerId: string;
  lines: BookingLine[];
  sampleCount: number;
  standards: string[];
  demand: Demand;
}

export interface ApplicationWorkflowState {
  applicationId: string;
  status: ApplicationStatus;
  revision: number;
  eligibilityIssues: EligibilityIssue[];
  voucher: (VoucherSummary & { status: VoucherStatus }) | null;
}

/** Waits for the automatic eligibility check, so that the submitter hears the outcome at once. */
export const submissionUpdate = defineUpdate<ApplicationWorkflowState>('submission');
export const decideUpdate = defineUpdate<ApplicationWorkflowState, [DecisionInput]>('decide');
export const resubmitUpdate = defineUpdate<ApplicationWorkflowState, [ResubmissionInput]>('resubmit');
export const revokeUpdate = defineUpdate<ApplicationWorkflowState, [Caller & { reason: string }]>('revoke');
/** A booking funded by this voucher: capacity held and subsidy committed, then its own child workflow. */
export const bookUpdate = defineUpdate<BookingSummary, [BookingRequest]>('book');
export const stateQuery = defineQuery<ApplicationWorkflowState>('state');

/** Something that happened; the main flow mails about it, in order. */
type Notice =
  | { kind: 'approved'; voucher: VoucherSummary }
  | { kind: 'rejected'; reason: string }
  | { kind: 'infoRequested'; message: string; revision: number }
  | { kind: 'lapsed'; revision: number }
  | { kind: 'revoked'; reason: string; releasedFen: number }
  | { kind: 'expired'; releasedFen: number };

/**
 * The patch (README, "Changing a workflow safely") under which a booking is answered once it is in the
 * database and its process is being started, not once the process has started: a workflow task less.
 */
export const ANSWER_BEFORE_BOOKING_STARTS = 'answer-before-booking-starts';

/**
 * The patch under which the submission and the first eligibility check are one step (one transaction,
 * one local activity), so that the submitter waits for one step instead of two.
 */
export const CHECK_WITH_SUBMISSION = 'check-with-submission';

type EligibilityCheck = { summary: ApplicationSummary; issues: EligibilityIssue[] };

const DECISION_STEPS = { APPROVE: 'approve', REJECT: 'reject', REQUEST_INFO: 'requestInformation' } as const;

// ---------------------------------------------------------------------------------------------
// The process (docs/processes.md, "Application and voucher")

/**
 * One application's whole life: submission, automatic eligibility, review with reminder and
 * escalation (and a deadline for answers to requests for information), approval into a voucher,
 * bookings as child workflows, expiry warnings, expiry or revocation. It ends once the voucher is
 * over and its last booking has ended.
 */
export async function voucherApplication(input: VoucherApplicationInput): Promise<ApplicationWorkflowState> {
  const applicationId = input.application.id;
  const exclusive = new Exclusive();
  const met = new Set<string>();
  const notices: Notice[] = [];
  const state: ApplicationWorkflowState = {
    applicationId,
    status: 'SUBMITTED',
    revision: 1,
    eligibilityIssues: [],
    voucher: null,
  };
  // filled in by the first step, before any handler can need them (their validators wait for `checked`)
  let summary = undefined as unknown as ApplicationSummary;
  let timings = undefined as unknown as ProcessTimings;
  /** the current revision went through the eligibility check */
  let checked = false;
  /** when the current status began */
  let since = Date.now();
  /** bookings under way, each its process once started; `booked` keeps every booking this voucher ever funded */
  const bookings = new Map<string, Promise<ChildWorkflowHandle<typeof booking>>>();
  const booked = new Set<string>();
  const bookingFailures: { bookingId: string; failure: string }[] = [];
  let bookingEnded = false;

  const sme = () => ({ enterpriseId: summary.enterpriseId });
  const applicationMail = () => ({
    applicationId,
    programmeName: summary.programmeName,
    enterpriseName: summary.enterpriseName,
    requestedAmountFen: summary.requestedAmountFen,
  });
  const voucherMail = (voucher: VoucherSummary) => ({
    voucherId: voucher.voucherId,
    code: voucher.code,
    programmeName: summary.programmeName,
    enterpriseName: summary.enterpriseName,
  });
  const dueIn = (duration: string) => new Date(Date.now() + durationMs(duration)).toISOString();
  const live = () => state.voucher !== null && voucherMay('book', state.voucher.status);

  function setVoucher(voucher: NonNullable<ApplicationWorkflowState['voucher']>): void {
    state.voucher = voucher;
    tagStatus('VoucherStatus', voucher.status);
  }

  function moved(status: ApplicationStatus): void {
    if (status !== state.status) since = Date.now();
    state.status = status;
  }

  // ---- the review: the administrators' decisions and the applicant's resubmission

  const refuseUnless = (step: ApplicationStepName) => {
    if (!applicationMay(step, state.status)) {
      refuse(
        'CONFLICT',
        'NOT_UNDER_REVIEW',
        `the application is ${state.status}; it can no longer be decided this way`,
        {
          status: state.status,
        },
      );
    }
  };

  setHandler(stateQuery, () => state);
  tagProcess({ programmeId: input.application.programmeId, enterpriseId: input.application.enterpriseId });
  setHandler(submissionUpdate, async () => {
    await condition(() => checked);
    return state;
  });

  setHandler(
    decideUpdate,
    async (decision) => {
      await exclusive.run(async () => {
        refuseUnless(DECISION_STEPS[decision.decision]);
        const caller = { actor: decision.actor, requestId: decision.requestId };
        if (decision.decision === 'APPROVE') {
          const result = await waitedSteps().approveApplication({
            applicationId,
            amountFen: decision.amountFen ?? summary.requestedAmountFen,
            note: decision.note ?? null,
            ...caller,
          });
          if (!result.ok) refuse('BUSINESS_RULE', result.code, result.message, result.details);
          setVoucher({ ...result.voucher, status: 'ACTIVE' });
          moved('APPROVED');
          notices.push({ kind: 'approved', voucher: result.voucher });
        } else if (decision.decision === 'REJECT') {
          await waitedSteps().rejectApplication({ applicationId, reason: decision.reason, ...caller });
          moved('REJECTED');
          notices.push({ kind: 'rejected', reason: decision.reason });
        } else {
          await waitedSteps().requestInformation({
            applicationId,
            message: decision.message,
            answerBy: dueIn(timings.infoResponseWithin),
            ...caller,
          });
          moved('INFO_REQUESTED');
          notices.push({ kind: 'infoRequested', message: decision.message, revision: state.revision });
        }
      });
      return state;
    },
    {
      validator: (decision: DecisionInput) => {
        if (!checked) {
          refuse(
            'CONFLICT',
            'ELIGIBILITY_CHECK_IN_PROGRESS',
            'the application is being checked; decide once it is under review',
          );
        }
        refuseUnless(DECISION_STEPS[decision.decision]);
        if (
          decision.decision === 'APPROVE' &&
          decision.amountFen !== undefined &&
          decision.amountFen > summary.requestedAmountFen
        ) {
          refuse(
            'BUSINESS_RULE',
            'AMOUNT_ABOVE_REQUEST',
            'an administrator may approve the requested amount or less',
            {
              requestedAmountFen: summary.requestedAmountFen,
              amountFen: decision.amountFen,
            },
          );
        }
      },
    },
  );

  const refuseUnlessAsked = () => {
    if (!applicationMay('resubmit', state.status)) {
      refuse(
        'CONFLICT',
        'NO_INFORMATION_REQUESTED',
        `the application is ${state.status}; nothing was asked of the applicant`,
        {
          status: state.status,
        },
      );
    }
  };
  setHandler(
    resubmitUpdate,
    async ({ actor, requestId, ...changes }) => {
      await exclusive.run(async () => {
        refuseUnlessAsked();
        summary = await waitedSteps().resubmitApplication({
          applicationId,
          revision: state.revision + 1,
          ...changes,
          actor,
          requestId,
        });
        state.revision = summary.revision;
        moved('SUBMITTED');
        checked = false;
      });
      // answer with the outcome of the new eligibility check
      await condition(() => checked);
      return state;
    },
    {
      validator: (_resubmission) => refuseUnlessAsked(),
    },
  );

  // ---- the voucher: bookings funded by it, and its revocation

  const refuseUnlessLive = (what: string) => {
    if (!live()) {
      refuse(
        'CONFLICT',
        'VOUCHER_NOT_ACTIVE',
        `the voucher is ${state.voucher?.status ?? 'not issued yet'}; ${what}`,
      );
    }
  };

  setHandler(
    revokeUpdate,
    async ({ reason, actor, requestId }) => {
      await exclusive.run(async () => {
        refuseUnlessLive('only an active voucher can be revoked');
        // the voucher ends first, so that the bookings' money goes back to the programme, not to it
        const closure = await waitedSteps().revokeVoucher({
          voucherId: state.voucher!.voucherId,
          reason,
          actor,
          requestId,
        });
        setVoucher({ ...state.voucher!, status: closure.status });
        for (const started of bookings.values()) {
          try {
            await (await started).signal(voucherRevokedSignal, { reason, actor, requestId });
          } catch {
            // the booking ended meanwhile: nothing of it is left to stop
          }
        }
        notices.push({ kind: 'revoked', reason, releasedFen: closure.releasedFen });
      });
      return state;
    },
    { validator: (_revocation) => refuseUnlessLive('only an active voucher can be revoked') },
  );

  setHandler(
    bookUpdate,
    async (request) => {
      return exclusive.run(async () => {
        // the same request again (a retry with its Idempotency-Key): the booking made the first time
        const again = booked.has(request.bookingId);
        if (!again) refuseUnlessLive('only an active voucher funds bookings');
        const created = await waitedSteps().createBooking({
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
          confirmBy: new Date(Date.now() + durationMs(timings.providerConfirmWithin)),
          workflowId: bookingWorkflowId(request.bookingId),
          createdBy: request.actor.userId ?? input.application.submittedBy,
          actor: request.actor,
          requestId: request.requestId,
        });
        if (again) return created;
        booked.add(request.bookingId);
        const started = startChild(booking, {
          workflowId: bookingWorkflowId(request.bookingId),
          typedSearchAttributes: processSearchAttributes(
            {
              programmeId: input.application.programmeId,
              enterpriseId: input.application.enterpriseId,
              providerId: request.providerId,
            },
            { BookingStatus: created.status },
          ),
          args: [
            {
              booking: created,
              demand: request.demand,
              timings: { ...timings, turnaroundDays: turnaroundOf(request.lines) },
            },
          ],
        });
        if (!patched(ANSWER_BEFORE_BOOKING_STARTS)) {
          // runs that booked before the patch waited here for the booking's process to start
          follow(request.bookingId, Promise.resolve(await started));
          return created;
        }
        follow(request.bookingId, started);
        return created;
      });
    },
    {
      validator: (request: BookingRequest) => {
        if (!booked.has(request.bookingId)) refuseUnlessLive('only an active voucher funds bookings');
        if (!request.lines.length) refuse('INVALID', 'NO_SERVICES', 'a booking needs at least one service');
      },
    },
  );

  /**
   * A booking's process from its start to its end. A start that fails (the booking is in the database
   * and its money committed) is handled as the process failing: the booking is abandoned.
   */
  function follow(bookingId: string, started: Promise<ChildWorkflowHandle<typeof booking>>): void {
    bookings.set(bookingId, started);
    started
      .then((child) => child.result())
      .then(
        () => {
          bookings.delete(bookingId);
          bookingEnded = true;
        },
        (failure: unknown) => {
          bookings.delete(bookingId);
          bookingFailures.push({ bookingId, failure: describeFailure(failure) });
        },
      );
  }

  // ---- the mails about what happened

  async function announce(): Promise<void> {
    while (notices.length) {
      const notice = notices.shift()!;
      if (notice.kind === 'approved') {
        await notify({
          eventKey: `voucher/${notice.voucher.voucherId}/issued`,
          template: 'voucherIssued',
          data: {
            ...voucherMail(notice.voucher),
            faceValueFen: notice.voucher.faceValueFen,
            validUntil: notice.voucher.validUntil,
          },
          to: [sme()],
        });
      } else if (notice.kind === 'rejected') {
        await notify({
          eventKey: `application/${applicationId}/rejected`,
          template: 'applicationRejected',
          data: { ...applicationMail(), reason: notice.reason },
          to: [sme()],
        });
      } else if (notice.kind === 'infoRequested') {
        await notify({
          eventKey: `application/${applicationId}/r${notice.revision}/information-requested`,
          template: 'informationRequested',
          data: { ...applicationMail(), message: notice.message, answerWithin: timings.infoResponseWithin },
          to: [sme()],
        });
      } else if (notice.kind === 'lapsed') {
        await notify({
          eventKey: `application/${applicationId}/r${notice.revision}/lapsed`,
          template: 'applicationLapsed',
          data: { ...applicationMail(), answerWithin: timings.infoResponseWithin },
          to: [sme()],
        });
      } else if (notice.kind === 'revoked') {
        await notify({
          eventKey: `voucher/${state.voucher!.voucherId}/revoked`,
          template: 'voucherRevoked',
          data: { ...voucherMail(state.voucher!), reason: notice.reason, releasedFen: notice.releasedFen },
          to: [sme()],
        });
      } else {
        await notify({
          eventKey: `voucher/${state.voucher!.voucherId}/expired`,
          template: 'voucherExpired',
          data: { ...voucherMail(state.voucher!), releasedFen: notice.releasedFen },
          to: [sme()],
        });
      }
    }
  }

  // ---- review: eligibility, then the administrators, again after each resubmission

  function reviewDeadlines(status: ApplicationStatus): Deadline[] {
    const r = `r${state.revision}`;
    const waitingSince = new Date(since).toISOString();
    if (status === 'INFO_REQUESTED') {
      return [
        {
          key: `${r}/information-lapse`,
          at: after(since, durationMs(timings.infoResponseWithin)),
          run: async () => {
            await activities.lapseApplication({
              applicationId,
              reason: `no answer to the request for information within ${timings.infoResponseWithin}`,
            });
            moved('REJECTED');
            notices.push({ kind: 'lapsed', revision: state.revision });
          },
        },
      ];
    }
    const overdue = (kind: 'reminder' | 'escalation'): Deadline => ({
      key: `${r}/review-${kind}`,
      at: after(
        since,
        durationMs(kind === 'reminder' ? timings.reviewReminderAfter : timings.reviewEscalateAfter),
      ),
      run: async () => {
        await notify({
          eventKey: `application/${applicationId}/${r}/review-${kind}`,
          template: kind === 'reminder' ? 'reviewReminder' : 'reviewEscalation',
          data: { ...applicationMail(), waitingSince },
          to: [kind === 'reminder' ? { role: 'ADMIN' } : { escalation: true }],
        });
        await activities.recordApplicationEvent({
          applicationId,
          action: kind === 'reminder' ? 'REVIEW_REMINDER_SENT' : 'REVIEW_ESCALATED',
          note: `waiting for a decision since ${waitingSince}`,
        });
      },
    });
    return [overdue('reminder'), overdue('escalation')];
  }

  /** `firstCheck`: the first revision's check, when the submission step took it */
  async function reviewUntilDecided(firstCheck?: EligibilityCheck): Promise<void> {
    for (let check = firstCheck; ; check = undefined) {
      const { summary: checkedSummary, issues } =
        check ??
        (await waitedSteps().checkEligibility({
          applicationId,
          decideBy: dueIn(timings.reviewEscalateAfter),
        }));
      summary = checkedSummary;
      state.eligibilityIssues = issues;
      moved(summary.status);
      checked = true;
      if (issues.length) {
        await notify({
          eventKey: `application/${applicationId}/r${state.revision}/ineligible`,
          template: 'applicationIneligible',
          data: { ...applicationMail(), issues },
          to: [sme()],
        });
        return;
      }
      if (state.revision === 1) {
        await notify({
          eventKey: `application/${applicationId}/received`,
          template: 'applicationReceived',
          data: applicationMail(),
          to: [sme()],
        });
      }
      await notify({
        eventKey: `application/${applicationId}/r${state.revision}/review-requested`,
        template: 'reviewRequested',
        data: { ...applicationMail(), revision: state.revision },
        to: [{ role: 'ADMIN' }],
      });
      for (;;) {
        await announce();
        const status = state.status;
        if (status !== 'UNDER_REVIEW' && status !== 'INFO_REQUESTED') break;
        // a decision taken while the last mails went out has its own to send: that wakes the loop too
        await waitWithDeadlines(
          () => state.status !== status || notices.length > 0,
          reviewDeadlines(status),
          exclusive,
          met,
        );
      }
      await announce();
      if (state.status !== 'SUBMITTED') return;
    }
  }

  // ---- the voucher's life: warnings, expiry, bookings ending

  async function voucherLife(): Promise<void> {
    const voucher = state.voucher!;
    const validUntil = Date.parse(voucher.validUntil);
    const warnings = timings.expiryWarnings
      .map((w) => ({ w, at: validUntil - durationMs(w) }))
      .sort((a, b) => a.at - b.at);
    const deadlines: Deadline[] = [];
    for (const [i, { w, at }] of warnings.entries()) {
      // a warning due while the service was down still goes out late, unless a later one is due too
      if ((warnings[i + 1]?.at ?? validUntil) <= Date.now()) continue;
      deadlines.push({
        key: `expiry-warning/${w}`,
        at,
        run: async () => {
          const { balanceFen } = await activities.voucherBalance({ voucherId: voucher.voucherId });
          await notify({
            eventKey: `voucher/${voucher.voucherId}/expiry-warning/${w}`,
            template: 'voucherExpiryWarning',
            data: { ...voucherMail(voucher), balanceFen, validUntil: voucher.validUntil, warning: w },
            to: [sme()],
          });
          await activities.recordVoucherEvent({
            voucherId: voucher.voucherId,
            action: 'EXPIRY_WARNING_SENT',
            note: `${w} before expiry`,
          });
        },
      });
    }
    deadlines.push({
      key: 'expiry',
      at: validUntil,
      run: async () => {
        const closure = await activities.expireVoucher({ voucherId: voucher.voucherId });
        setVoucher({ ...state.voucher!, status: closure.status });
        notices.push({ kind: 'expired', releasedFen: closure.releasedFen });
      },
    });

    const interrupted = () => !live() || bookingEnded || bookingFailures.length > 0 || notices.length > 0;
    while (live()) {
      await waitWithDeadlines(interrupted, deadlines, exclusive, met);
      await announce();
      await abandonFailedBookings();
      if (bookingEnded) {
        bookingEnded = false;
        // all of the face value went into bookings that are over: nothing more can happen to it
        if (bookings.size === 0 && live()) {
          await exclusive.run(async () => {
            if (!live()) return;
            const closure = await activities.closeUsedVoucher({ voucherId: voucher.voucherId });
            setVoucher({ ...state.voucher!, status: closure.status });
          });
        }
      }
    }
    await announce();
    // the voucher is over; bookings under way finish (each one waits only with deadlines)
    while (bookings.size > 0 || bookingFailures.length > 0) {
      await condition(() => bookings.size === 0 || bookingFailures.length > 0);
      await abandonFailedBookings();
    }
  }

  /**
   * A booking whose process failed: its money is made consistent (released unless its claim was
   * approved), the failure recorded, and the operators told; the voucher's process goes on.
   */
  async function abandonFailedBookings(): Promise<void> {
    while (bookingFailures.length) {
      const { bookingId, failure } = bookingFailures.shift()!;
      const abandoned = await exclusive.run(() => activities.abandonBooking({ bookingId, failure }));
      await notify({
        eventKey: `booking/${bookingId}/process-failed`,
        template: 'processFailed',
        data: {
          workflowId: bookingWorkflowId(bookingId),
          entity: `booking ${bookingId}`,
          failure,
          outcome: `the booking is ${abandoned.status}; money not claimed was released`,
        },
        to: [{ operators: true }],
      });
    }
  }

  // ---- the main flow

  const submission = { ...input.application, actor: input.actor, requestId: input.requestId };
  if (patched(CHECK_WITH_SUBMISSION)) {
    const submitted = await waitedSteps().submitAndCheckApplication({
      ...submission,
      submittedAt: new Date().toISOString(),
    });
    timings = submitted.timings;
    await reviewUntilDecided(submitted);
  } else {
    const submitted = await waitedSteps().submitApplication(submission);
    summary = submitted.summary;
    timings = submitted.timings;
    await reviewUntilDecided();
  }
  if (state.voucher) await voucherLife();

  await condition(() => allHandlersFinished() && !exclusive.busy);
  await announce();
  return state;
}

const notify = activities.sendNotification;

// long: a voucher lives 180 days, so each run moves to the current build at its next step
setWorkflowOptions(versioningBehavior('AUTO_UPGRADE'), voucherApplication);
