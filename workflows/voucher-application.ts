import { allHandlersFinished, condition } from '@temporalio/workflow';
import { activities } from './activities';
import { registerApplicationHandlers } from './application-handlers';
import type { ApplicationWorkflowState, VoucherApplicationInput } from './application-messages';
import { reviewUntilDecided } from './application-review';
import { drainNotices, newRun } from './application-run';
import { registerBookingHandler, voucherLife } from './voucher-life';

export * from './application-messages';

/**
 * One application's whole life (SPEC §4): submission, automatic eligibility, review with reminder
 * and escalation, approval into a voucher, bookings as child workflows, expiry warnings, expiry or
 * revocation. Its parts share one run: application-handlers (the review's updates),
 * application-review (eligibility and the SLA), voucher-life (bookings and the voucher's validity).
 */
export async function voucherApplication(input: VoucherApplicationInput): Promise<ApplicationWorkflowState> {
  const run = newRun(input);
  registerApplicationHandlers(run);
  registerBookingHandler(run);

  const submitted = await activities.submitApplication({
    ...input.application,
    actor: input.actor,
    requestId: input.requestId,
  });
  run.summary = submitted.summary;
  run.timings = submitted.timings;

  await reviewUntilDecided(run);
  if (run.state.voucher) await voucherLife(run);

  await condition(allHandlersFinished);
  await drainNotices(run);
  return run.state;
}
