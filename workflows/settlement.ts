import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  setHandler,
  setWorkflowOptions,
} from '@temporalio/workflow';
import type { ClaimOpened } from '../activities/settlement';
import { SYSTEM_ACTOR, type Actor } from '../domain/actor';
import { claimMay, type ClaimStatus } from '../domain/claim';
import { durationMs } from '../domain/duration';
import { claimOnRevocation } from '../domain/revocation';
import { activities, waitedSteps } from './activities';
import { tagProcess, tagStatus } from './kit/search-attributes';
import { after, Exclusive, versioningBehavior, waitWithDeadlines } from './kit/steps';
import { refuse } from './refusal';

// ---------------------------------------------------------------------------------------------
// Messages

export interface SettlementInput {
  bookingId: string;
  programmeId: string;
  providerId: string;
  /** the co-payment was never recorded: the claim goes to an administrator without it */
  copaymentMissing: boolean;
  reviewReminderAfter: string;
  reviewEscalateAfter: string;
}

export interface SettlementResult {
  claimId: string;
  status: ClaimStatus;
  amountFen: number;
  autoApproved: boolean;
}

interface Caller {
  actor: Actor;
  requestId: string | null;
}

type Decision = Caller & ({ decision: 'APPROVE'; note?: string } | { decision: 'REJECT'; reason: string });

export const decideClaimUpdate = defineUpdate<SettlementResult, [Decision]>('decideClaim');
/** The booking's voucher was revoked: a claim not yet approved is rejected. */
export const settlementRevokedSignal = defineSignal<[Caller & { reason: string }]>('voucherRevoked');
export const settlementStateQuery = defineQuery<SettlementResult | null>('state');

// ---------------------------------------------------------------------------------------------
// The process (docs/processes.md, "Settlement")

/**
 * The provider's claim for the subsidy of one accepted booking: created with the contract, report
 * hash and co-payment reference, checked for risks, approved automatically when small and clean,
 * otherwise decided by an administrator (reminded, then escalated, on the review deadlines).
 * Approved claims wait for the payout; a revocation before approval rejects the claim.
 */
export async function settlement(input: SettlementInput): Promise<SettlementResult> {
  const exclusive = new Exclusive();
  let result: SettlementResult | null = null;
  let revocation: (Caller & { reason: string }) | null = null;

  setHandler(settlementStateQuery, () => result);
  tagProcess({ programmeId: input.programmeId, providerId: input.providerId });
  setHandler(settlementRevokedSignal, (revoked) => {
    revocation ??= revoked;
  });
  setHandler(
    decideClaimUpdate,
    async (decision) => {
      // a decision may come as soon as the claim is in the database, before this process has read it back
      await condition(() => result !== null);
      await exclusive.run(async () => {
        if (!claimMay(decision.decision === 'APPROVE' ? 'approve' : 'reject', result!.status)) {
          refuse('CONFLICT', 'CLAIM_ALREADY_DECIDED', `the claim is ${result!.status}`, {
            status: result!.status,
          });
        }
        const { actor, requestId } = decision;
        const steps = waitedSteps();
        const decided =
          decision.decision === 'APPROVE'
            ? await steps.approveClaim({
                claimId: result!.claimId,
                automatic: false,
                note: decision.note ?? null,
                actor,
                requestId,
              })
            : await steps.rejectClaim({
                claimId: result!.claimId,
                reason: decision.reason,
                actor,
                requestId,
              });
        result = { ...result!, status: decided.status };
        tagStatus('ClaimStatus', decided.status);
      });
      return result!;
    },
    {
      validator: (decision: Decision) => {
        if (result && !claimMay(decision.decision === 'APPROVE' ? 'approve' : 'reject', result.status)) {
          refuse('CONFLICT', 'CLAIM_ALREADY_DECIDED', `the claim is ${result.status}`, {
            status: result.status,
          });
        }
      },
    },
  );

  const reviewBy = () => new Date(Date.now() + durationMs(input.reviewEscalateAfter)).toISOString();
  const claim: ClaimOpened = await activities.openClaim({
    bookingId: input.bookingId,
    copaymentMissing: input.copaymentMissing,
    reviewBy: reviewBy(),
  });
  result = { claimId: claim.claimId, status: claim.status, amountFen: claim.amountFen, autoApproved: false };
  tagStatus('ClaimStatus', claim.status);
  const mail = {
    claimId: claim.claimId,
    bookingId: input.bookingId,
    providerName: claim.providerName,
    enterpriseName: claim.enterpriseName,
    amountFen: claim.amountFen,
  };

  const rejectForRevocation = () =>
    exclusive.run(async () => {
      if (claimOnRevocation(result!.status) !== 'REJECT') return;
      const { reason, actor, requestId } = revocation!;
      const decided = await activities.rejectClaim({
        claimId: claim.claimId,
        reason: `voucher revoked: ${reason}`,
        actor,
        requestId,
      });
      result = { ...result!, status: decided.status };
      tagStatus('ClaimStatus', decided.status);
    });

  if (claim.status === 'PENDING_REVIEW' && revocation === null && claim.autoApprovable) {
    await exclusive.run(async () => {
      const decided = await activities.approveClaim({
        claimId: claim.claimId,
        automatic: true,
        note: null,
        ...{ actor: SYSTEM_ACTOR, requestId: null },
      });
      result = { ...result!, status: decided.status, autoApproved: true };
      tagStatus('ClaimStatus', decided.status);
    });
  } else if (claim.status === 'PENDING_REVIEW') {
    if (revocation === null) {
      await activities.sendNotification({
        eventKey: `claim/${claim.claimId}/review-requested`,
        template: 'claimNeedsReview',
        data: { ...mail, flags: claim.riskFlags.map((f) => f.message) },
        to: [{ role: 'ADMIN' }],
      });
    }
    const since = Date.now();
    const overdue = (kind: 'reminder' | 'escalation') => ({
      key: kind,
      at: after(
        since,
        durationMs(kind === 'reminder' ? input.reviewReminderAfter : input.reviewEscalateAfter),
      ),
      run: async () => {
        await activities.recordClaimEvent({
          claimId: claim.claimId,
          action: kind === 'reminder' ? 'CLAIM_REVIEW_REMINDER_SENT' : 'CLAIM_REVIEW_ESCALATED',
          note: `waiting for a decision since ${new Date(since).toISOString()}`,
        });
        await activities.sendNotification({
          eventKey: `claim/${claim.claimId}/review-${kind}`,
          template: kind === 'reminder' ? 'claimReviewReminder' : 'claimReviewEscalation',
          data: { ...mail, waitingSince: new Date(since).toISOString() },
          to: [kind === 'reminder' ? { role: 'ADMIN' } : { escalation: true }],
        });
      },
    });
    await waitWithDeadlines(
      () => revocation !== null || result!.status !== 'PENDING_REVIEW',
      [overdue('reminder'), overdue('escalation')],
      exclusive,
      new Set(),
    );
    if (revocation !== null) await rejectForRevocation();
  }

  await condition(() => allHandlersFinished() && !exclusive.busy);
  const decision = await activities.claimDecision({ claimId: claim.claimId });
  await activities.sendNotification({
    eventKey: `claim/${claim.claimId}/decided`,
    template: 'claimDecided',
    data: { ...mail, status: decision.status, reason: decision.reason ?? '', automatic: result.autoApproved },
    to: [{ providerId: input.providerId }],
  });
  return result;
}

// long: a claim may wait weeks for an administrator
setWorkflowOptions(versioningBehavior('AUTO_UPGRADE'), settlement);
