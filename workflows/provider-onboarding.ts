import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  getExternalWorkflowHandle,
  setHandler,
  setWorkflowOptions,
  workflowInfo,
} from '@temporalio/workflow';
import type { Caller, ProviderProcessState } from '../activities/providers';
import { bookingWorkflowId } from '../domain/booking';
import { durationMs } from '../domain/duration';
import type { ProviderSubmission, ProviderTimings } from '../domain/provider';
import { activities, waitedSteps } from './activities';
import { providerDelistedSignal } from './booking';
import { providerMail } from './provider-mail';
import { tagProcess } from './kit/search-attributes';
import { Exclusive, versioningBehavior } from './kit/steps';
import { refuse } from './refusal';

export interface ProviderOnboardingInput {
  providerId: string;
  timings: ProviderTimings;
  /** event keys of reminders, escalations and warnings already sent, carried over a continue-as-new */
  sent?: string[];
}

export type SubmissionInput = Caller & { submission: ProviderSubmission };

export type VerificationInput = Caller &
  (
    | { decision: 'APPROVE'; submissionId?: string }
    | { decision: 'REJECT'; reason: string; submissionId?: string }
  );

/** Submitted accreditations (a renewal, or a corrected registration) go up for verification. */
export const submitAccreditationsUpdate = defineUpdate<ProviderProcessState, [SubmissionInput]>(
  'submitAccreditations',
);
/** The administrator's verification: approve lists the provider, reject says why. */
export const verifyUpdate = defineUpdate<ProviderProcessState, [VerificationInput]>('verify');
export const providerStateQuery = defineQuery<ProviderProcessState | null>('state');

type Notice =
  | { kind: 'listed'; renewal: boolean; narrowedServices: number; submissionId: string }
  | { kind: 'rejected'; renewal: boolean; reason: string; submissionId: string };

/**
 * A provider's life on the register (docs/processes.md, "Provider onboarding"): verification of what it
 * submits, with reminder and escalation on the review SLA; listing; a warning before an
 * accreditation lapses and delisting when it does; renewal and listing again. Starts from what
 * the database says, so it can be started for any provider at any point (demo data, a lost start).
 */
export async function providerOnboarding(input: ProviderOnboardingInput): Promise<ProviderProcessState> {
  const { providerId, timings } = input;
  let state: ProviderProcessState | null = null;
  // one step at a time changes the provider: handlers and timers queue for it
  const exclusive = new Exclusive();
  // bumped by each handler that changes the state, so the main loop re-plans its timers
  let version = 0;
  const notices: Notice[] = [];
  const sent = new Set(input.sent ?? []);

  async function exclusively<T>(step: () => Promise<T>): Promise<T> {
    // the first step reads the provider; nothing else runs before it
    await condition(() => state !== null);
    return exclusive.run(step);
  }

  setHandler(providerStateQuery, () => state);
  tagProcess({ providerId });

  setHandler(submitAccreditationsUpdate, ({ submission, actor, requestId }) =>
    exclusively(async () => {
      state = await waitedSteps().recordAccreditationSubmission({ providerId, submission, actor, requestId });
      version += 1;
      return state;
    }),
  );

  setHandler(
    verifyUpdate,
    (verification) =>
      exclusively(async () => {
        // checked again here: the validator may have run before the state was read, or before a step ahead of this one
        const pending = state!.pending;
        if (!pending)
          refuse('CONFLICT', 'NOTHING_TO_VERIFY', 'no submitted accreditations wait for verification');
        if (verification.submissionId && verification.submissionId !== pending.submissionId) {
          refuse(
            'CONFLICT',
            'SUBMISSION_CHANGED',
            'the provider submitted again; verify the latest submission',
          );
        }
        const result = await waitedSteps().decideProviderVerification({
          providerId,
          submissionId: pending.submissionId,
          decision: verification.decision,
          reason: verification.decision === 'REJECT' ? verification.reason : null,
          actor: verification.actor,
          requestId: verification.requestId,
        });
        if (!result.ok) refuse('BUSINESS_RULE', result.code, result.message);
        state = result.state;
        notices.push(
          verification.decision === 'APPROVE'
            ? {
                kind: 'listed',
                renewal: pending.renewal,
                narrowedServices: result.narrowedServices,
                submissionId: pending.submissionId,
              }
            : {
                kind: 'rejected',
                renewal: pending.renewal,
                reason: verification.reason,
                submissionId: pending.submissionId,
              },
        );
        version += 1;
        return state;
      }),
    {
      validator: (verification: VerificationInput) => {
        if (!state) return;
        if (!state.pending) {
          refuse('CONFLICT', 'NOTHING_TO_VERIFY', 'no submitted accreditations wait for verification');
        }
        if (verification.submissionId && verification.submissionId !== state.pending.submissionId) {
          refuse(
            'CONFLICT',
            'SUBMISSION_CHANGED',
            'the provider submitted again; verify the latest submission',
          );
        }
      },
    },
  );

  state = await activities.providerProcessState({ providerId });
  const mail = providerMail(providerId, () => state!.providerName);

  async function drainNotices(): Promise<void> {
    while (notices.length) {
      const notice = notices.shift()!;
      if (notice.kind === 'listed') {
        await mail.listed(notice.submissionId, {
          renewal: notice.renewal,
          firstExpiry: state!.firstLapse?.expiresOn ?? null,
          servicesTakenOutOfScope: notice.narrowedServices,
        });
      } else {
        await mail.rejected(notice.submissionId, { renewal: notice.renewal, reason: notice.reason });
      }
    }
  }

  /** Runs a reminder-like step once per key, across retries and continue-as-new, and records it. */
  async function once(
    key: string,
    send: () => Promise<unknown>,
    action: string,
    note: string,
  ): Promise<void> {
    if (sent.has(key)) return;
    await send();
    await activities.recordProviderEvent({ providerId, action, note });
    sent.add(key);
  }

  async function announce(pending: NonNullable<ProviderProcessState['pending']>): Promise<void> {
    const key = `submission/${pending.submissionId}/announced`;
    if (sent.has(key)) return;
    await mail.verificationRequested(pending);
    sent.add(key);
  }

  interface Timer {
    at: number;
    run: () => Promise<void>;
  }

  /** What the process waits for next, from the state it is in. */
  function timers(s: ProviderProcessState): Timer[] {
    const due: Timer[] = [];
    const pending = s.pending;
    if (pending) {
      const since = Date.parse(pending.submittedAt);
      const key = `submission/${pending.submissionId}`;
      const waiting = `waiting for verification since ${pending.submittedAt}`;
      if (!sent.has(`${key}/review-reminder`)) {
        due.push({
          at: since + durationMs(timings.reviewReminderAfter),
          run: () =>
            once(
              `${key}/review-reminder`,
              () => mail.reviewReminder(pending),
              'REVIEW_REMINDER_SENT',
              waiting,
            ),
        });
      } else if (!sent.has(`${key}/review-escalation`)) {
        due.push({
          at: since + durationMs(timings.reviewEscalateAfter),
          run: () =>
            once(
              `${key}/review-escalation`,
              () => mail.reviewEscalation(pending),
              'REVIEW_ESCALATED',
              waiting,
            ),
        });
      }
    }
    const lapse = s.firstLapse;
    if (s.status === 'LISTED' && lapse) {
      const lapseAt = Date.parse(lapse.at);
      const warningKey = `lapse/${lapse.at}/warning`;
      if (!sent.has(warningKey) && lapseAt > Date.now()) {
        due.push({
          at: lapseAt - durationMs(timings.expiryWarningBefore),
          run: () =>
            once(
              warningKey,
              () => mail.expiryWarning(lapse),
              'EXPIRY_WARNING_SENT',
              `${lapse.accreditation} expires on ${lapse.expiresOn}`,
            ),
        });
      }
      due.push({ at: lapseAt, run: delist });
    }
    if (s.status === 'LISTED' || s.pending) {
      // the accreditations may change outside this process (data fixes): look again now and then
      due.push({
        at: Date.now() + durationMs(timings.expiryCheckEvery),
        run: async () => {
          state = await activities.providerProcessState({ providerId });
        },
      });
    }
    return due.sort((a, b) => a.at - b.at);
  }

  async function delist(): Promise<void> {
    const result = await activities.delistLapsedProvider({ providerId });
    state = result.state;
    if (!result.delisted) return;
    // each open booking decides for itself: work not begun is withdrawn, work under way goes on
    for (const { bookingId } of result.delisted.affectedBookings) {
      try {
        await getExternalWorkflowHandle(bookingWorkflowId(bookingId)).signal(providerDelistedSignal, {
          reason: result.delisted.reason,
        });
      } catch {
        // the booking's process ended meanwhile
      }
    }
    await mail.delisted(
      state.firstLapse?.at ?? 'none',
      result.delisted.reason,
      result.delisted.affectedBookings,
    );
  }

  for (;;) {
    await drainNotices();
    if (state.pending) await announce(state.pending);
    const [next] = timers(state);
    if (!next) {
      // nothing left to watch (rejected, or delisted without a renewal): unless a step is still
      // under way, the process ends, and a new submission starts it again
      await condition(() => allHandlersFinished() && !exclusive.busy);
      if (notices.length || timers(state).length) continue;
      break;
    }
    const seen = version;
    const changed = await condition(
      () => version !== seen || notices.length > 0,
      Math.max(1, next.at - Date.now()),
    );
    if (changed) continue;
    await exclusively(next.run);
    if (workflowInfo().continueAsNewSuggested) {
      await condition(() => allHandlersFinished() && !exclusive.busy);
      await drainNotices();
      await continueAsNew<typeof providerOnboarding>({ providerId, timings, sent: [...sent] });
    }
  }
  await drainNotices();
  return state;
}

// long: a provider stays on the register for years (continuing as new), moving to each current build
setWorkflowOptions(versioningBehavior('AUTO_UPGRADE'), providerOnboarding);
