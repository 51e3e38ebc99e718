import { activities } from './activities';
import { applicationMail, drainNotices, notify, sme, type ApplicationRun } from './application-run';
import { durationMs } from '../domain/duration';
import { waitUntil } from './wait';

/**
 * Submission and review, again after each resubmission, until a decision: the automatic
 * eligibility check, then the reviewers, reminded and escalated on the programme's SLA.
 */
export async function reviewUntilDecided(run: ApplicationRun): Promise<void> {
  const { state, applicationId } = run;
  for (;;) {
    const { summary, issues } = await activities.checkEligibility({ applicationId });
    run.summary = summary;
    state.eligibilityIssues = issues;
    state.status = summary.status;
    run.checked = true;
    if (issues.length) {
      await notify({
        eventKey: `application/${applicationId}/r${state.revision}/ineligible`,
        template: 'applicationIneligible',
        data: { ...applicationMail(run), issues },
        to: [sme(run)],
      });
      return;
    }
    if (state.revision === 1) {
      await notify({
        eventKey: `application/${applicationId}/received`,
        template: 'applicationReceived',
        data: applicationMail(run),
        to: [sme(run)],
      });
    }
    await notify({
      eventKey: `application/${applicationId}/r${state.revision}/review-requested`,
      template: 'reviewRequested',
      data: { ...applicationMail(run), revision: state.revision },
      to: [{ role: 'ADMIN' }],
    });
    await review(run);
    if (state.status !== 'SUBMITTED') return;
  }
}

/** Review of one revision: reminder and escalation if no decision comes within the SLA. */
async function review(run: ApplicationRun): Promise<void> {
  const { state, applicationId, timings } = run;
  const waitingSince = new Date(Date.now()).toISOString();
  const deadlines = [
    { at: Date.now() + durationMs(timings.reviewReminderAfter), kind: 'reminder' as const },
    { at: Date.now() + durationMs(timings.reviewEscalateAfter), kind: 'escalation' as const },
  ];
  const reviewing = () => run.busy || state.status === 'UNDER_REVIEW' || state.status === 'INFO_REQUESTED';
  while (reviewing()) {
    await drainNotices(run);
    // the SLA clock runs only while the application is with the reviewer
    const next = state.status === 'UNDER_REVIEW' && !run.busy ? deadlines[0] : undefined;
    const woken = await waitUntil(
      () => run.notices.length > 0 || !reviewing(),
      next ? Math.max(1, next.at - Date.now()) : undefined,
    );
    if (woken || !next || run.busy || state.status !== 'UNDER_REVIEW') continue;
    deadlines.shift();
    const data = { ...applicationMail(run), waitingSince };
    if (next.kind === 'reminder') {
      await notify({
        eventKey: `application/${applicationId}/r${state.revision}/review-reminder`,
        template: 'reviewReminder',
        data,
        to: [{ role: 'ADMIN' }],
      });
    } else {
      await notify({
        eventKey: `application/${applicationId}/r${state.revision}/review-escalation`,
        template: 'reviewEscalation',
        data,
        to: [{ escalation: true }],
      });
    }
    await activities.recordApplicationEvent({
      applicationId,
      action: next.kind === 'reminder' ? 'REVIEW_REMINDER_SENT' : 'REVIEW_ESCALATED',
      note: `waiting for a decision since ${waitingSince}`,
    });
  }
  await drainNotices(run);
}
