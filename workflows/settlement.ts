import { allHandlersFinished, condition, defineQuery, defineUpdate, setHandler } from '@temporalio/workflow';
import type { ClaimOpened } from '../activities/settlement';
import type { Actor } from '../domain/audit';
import type { ClaimStatus } from '../domain/claim';
import { activities } from './activities';
import { refuse } from './refusal';

export interface SettlementInput {
  bookingId: string;
  programmeId: string;
  providerId: string;
}

export interface SettlementResult {
  claimId: string;
  status: ClaimStatus;
  amountFen: number;
  autoApproved: boolean;
}

type Decision = { actor: Actor; requestId: string | null } & (
  { decision: 'APPROVE'; note?: string } | { decision: 'REJECT'; reason: string }
);

export const decideClaimUpdate = defineUpdate<SettlementResult, [Decision]>('decideClaim');
export const settlementStateQuery = defineQuery<SettlementResult | null>('state');

const SYSTEM: Actor = { userId: null, role: 'SYSTEM', organisationId: null };

/**
 * The provider's claim for the subsidy of one accepted booking (SPEC §4 Settlement): created with
 * the contract, report hash and co-payment reference, checked for risks, approved automatically
 * when small and clean, otherwise decided by an administrator. Approved claims wait for the payout.
 */
export async function settlement(input: SettlementInput): Promise<SettlementResult> {
  let result: SettlementResult | null = null;
  let busy = false;
  setHandler(settlementStateQuery, () => result);

  setHandler(
    decideClaimUpdate,
    async (decision) => {
      busy = true;
      try {
        const claimId = result!.claimId;
        const decided =
          decision.decision === 'APPROVE'
            ? await activities.approveClaim({
                claimId,
                automatic: false,
                note: decision.note ?? null,
                actor: decision.actor,
                requestId: decision.requestId,
              })
            : await activities.rejectClaim({
                claimId,
                reason: decision.reason,
                actor: decision.actor,
                requestId: decision.requestId,
              });
        result = { ...result!, status: decided.status };
        return result;
      } finally {
        busy = false;
      }
    },
    {
      validator: (_decision) => {
        if (!result) refuse('CONFLICT', 'CLAIM_NOT_READY', 'the claim is still being created');
        if (busy)
          refuse('CONFLICT', 'DECISION_IN_PROGRESS', 'another decision on this claim is being recorded');
        if (result.status !== 'PENDING_REVIEW') {
          refuse('CONFLICT', 'CLAIM_ALREADY_DECIDED', `the claim is ${result.status}`, {
            status: result.status,
          });
        }
      },
    },
  );

  const claim: ClaimOpened = await activities.openClaim({ bookingId: input.bookingId });
  result = { claimId: claim.claimId, status: claim.status, amountFen: claim.amountFen, autoApproved: false };
  const mail = {
    claimId: claim.claimId,
    bookingId: input.bookingId,
    providerName: claim.providerName,
    enterpriseName: claim.enterpriseName,
    amountFen: claim.amountFen,
  };

  if (claim.status === 'PENDING_REVIEW' && claim.autoApprovable) {
    const decided = await activities.approveClaim({
      claimId: claim.claimId,
      automatic: true,
      note: null,
      actor: SYSTEM,
      requestId: null,
    });
    result = { ...result, status: decided.status, autoApproved: true };
  } else if (claim.status === 'PENDING_REVIEW') {
    await activities.sendNotification({
      eventKey: `claim/${claim.claimId}/review-requested`,
      template: 'claimNeedsReview',
      data: { ...mail, flags: claim.riskFlags.map((f) => f.message) },
      to: [{ role: 'ADMIN' }],
    });
    await condition(() => !busy && result!.status !== 'PENDING_REVIEW');
  }

  const decision = await activities.claimDecision({ claimId: claim.claimId });
  await activities.sendNotification({
    eventKey: `claim/${claim.claimId}/decided`,
    template: 'claimDecided',
    data: { ...mail, status: decision.status, reason: decision.reason ?? '', automatic: result.autoApproved },
    to: [{ providerId: input.providerId }],
  });
  await condition(allHandlersFinished);
  return result;
}
