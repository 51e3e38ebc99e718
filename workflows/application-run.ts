import type { ChildWorkflowHandle } from '@temporalio/workflow';
import type { ApplicationSummary, VoucherSummary } from '../activities/application-state';
import type { ReviewTimings } from '../activities/applications';
import { activities } from './activities';
import type { booking } from './booking';
import type { ApplicationWorkflowState, Caller, VoucherApplicationInput } from './application-messages';

/** Something that happened in an update handler; the main flow mails about it. */
export type Notice =
  | { kind: 'approved'; voucher: VoucherSummary }
  | { kind: 'rejected'; reason: string }
  | { kind: 'infoRequested'; message: string; revision: number }
  | { kind: 'revoked'; reason: string; releasedFen: number };

/** What the parts of one application's workflow share: its state and what is under way. */
export interface ApplicationRun {
  input: VoucherApplicationInput;
  applicationId: string;
  state: ApplicationWorkflowState;
  /** a decision or revocation being carried out: others wait for its outcome */
  busy: boolean;
  /** a used-up voucher being closed: revocation waits for it */
  closing: boolean;
  /** the current revision passed the eligibility check (or failed it) */
  checked: boolean;
  notices: Notice[];
  /** bookings under way: the workflow stays open until each has finished */
  openBookings: Map<string, ChildWorkflowHandle<typeof booking>>;
  bookingFinished: boolean;
  /** set once the submission is recorded */
  summary: ApplicationSummary;
  timings: ReviewTimings;
}

export function newRun(input: VoucherApplicationInput): ApplicationRun {
  return {
    input,
    applicationId: input.application.id,
    state: {
      applicationId: input.application.id,
      status: 'SUBMITTED',
      revision: 1,
      eligibilityIssues: [],
      voucher: null,
    },
    busy: false,
    closing: false,
    checked: false,
    notices: [],
    openBookings: new Map(),
    bookingFinished: false,
    // filled in by the first step, before any handler can need them
    summary: undefined as unknown as ApplicationSummary,
    timings: undefined as unknown as ReviewTimings,
  };
}

export function caller(input: Caller): Caller {
  return { actor: input.actor, requestId: input.requestId };
}

export const notify = activities.sendNotification;

export function sme(run: ApplicationRun) {
  return { enterpriseId: run.summary.enterpriseId };
}

export function applicationMail(run: ApplicationRun) {
  return {
    applicationId: run.applicationId,
    programmeName: run.summary.programmeName,
    enterpriseName: run.summary.enterpriseName,
    requestedAmountFen: run.summary.requestedAmountFen,
  };
}

export function voucherMail(run: ApplicationRun, voucher: VoucherSummary) {
  return {
    voucherId: voucher.voucherId,
    code: voucher.code,
    programmeName: run.summary.programmeName,
    enterpriseName: run.summary.enterpriseName,
  };
}

/** Sends the mail about each thing the update handlers did, in order. */
export async function drainNotices(run: ApplicationRun): Promise<void> {
  while (run.notices.length) {
    const notice = run.notices.shift()!;
    if (notice.kind === 'approved') {
      await notify({
        eventKey: `voucher/${notice.voucher.voucherId}/issued`,
        template: 'voucherIssued',
        data: {
          ...voucherMail(run, notice.voucher),
          faceValueFen: notice.voucher.faceValueFen,
          validUntil: notice.voucher.validUntil,
        },
        to: [sme(run)],
      });
    } else if (notice.kind === 'rejected') {
      await notify({
        eventKey: `application/${run.applicationId}/rejected`,
        template: 'applicationRejected',
        data: { ...applicationMail(run), reason: notice.reason },
        to: [sme(run)],
      });
    } else if (notice.kind === 'infoRequested') {
      await notify({
        eventKey: `application/${run.applicationId}/r${notice.revision}/information-requested`,
        template: 'informationRequested',
        data: { ...applicationMail(run), message: notice.message },
        to: [sme(run)],
      });
    } else {
      await notify({
        eventKey: `voucher/${run.state.voucher!.voucherId}/revoked`,
        template: 'voucherRevoked',
        data: {
          ...voucherMail(run, run.state.voucher!),
          reason: notice.reason,
          releasedFen: notice.releasedFen,
        },
        to: [sme(run)],
      });
    }
  }
}
