import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR, type Actor } from '../domain/actor';
import { localDate, yearOf } from '../domain/calendar';
import type { ClaimRecord, ClaimStatus, ContractData } from '../domain/claim';
import { needsSecondApproval } from '../domain/approval';
import { settlementWorkflowId } from '../domain/booking';
import { durationMs } from '../domain/duration';
import type { Fen } from '../domain/money';
import { nextPayoutTimes, payoutScheduleOf } from '../domain/payout-schedule';
import type { Policy } from '../domain/policy';
import { autoApprovable, claimRiskFlags, type RiskFlag } from '../domain/risk';
import { closeApproval, insertApproval, lockPendingApproval } from '../db/repositories/approvals';
import { lockBooking } from '../db/repositories/bookings';
import {
  claimedForEnterprise,
  claimsWithReport,
  insertClaim,
  lockClaim,
  updateClaim,
} from '../db/repositories/claims';
import { move } from '../db/repositories/ledger';
import { findProgramme } from '../db/repositories/programmes';
import { adjustVoucherBalance, lockVoucher } from '../db/repositories/vouchers';
import { inTransaction, type Tx } from '../db/tx';
import { recordChange } from './context';
import type { ActivityDeps } from './deps';
import { refused } from './refusal';

export interface ClaimOpened {
  claimId: string;
  status: ClaimStatus;
  amountFen: Fen;
  riskFlags: RiskFlag[];
  autoApprovable: boolean;
  providerName: string;
  enterpriseName: string;
}

/**
 * Rejects a claim under review inside the caller's transaction: the subsidy goes back to the
 * voucher while it is live, to the programme once it ended.
 */
export async function rejectClaimIn(
  tx: Tx,
  claim: ClaimRecord,
  reason: string,
  caller: { actor: Actor; requestId: string | null },
  now: Date,
): Promise<ClaimRecord> {
  const booking = await lockBooking(tx, claim.bookingId);
  const voucher = await lockVoucher(tx, booking.voucherId);
  if (claim.amountFen > 0) {
    const live = voucher.status === 'ACTIVE';
    await move(tx, {
      programmeId: claim.programmeId,
      movement: live ? 'UNCOMMIT' : 'UNCOMMIT_TO_AVAILABLE',
      amountFen: claim.amountFen,
      idempotencyKey: `claim/${claim.id}/reject`,
      memo: `claim ${claim.id} rejected: subsidy back to the ${live ? 'voucher' : 'programme'}`,
      voucherId: voucher.id,
      bookingId: booking.id,
      claimId: claim.id,
    });
    await adjustVoucherBalance(tx, voucher, claim.amountFen);
  }
  // a first approval awaiting its second falls with the claim
  const first = await lockPendingApproval(tx, 'CLAIM_APPROVAL', claim.id);
  if (first) {
    await closeApproval(tx, first.id, {
      status: 'REJECTED',
      decidedBy: caller.actor.userId,
      decidedAt: now,
      reason,
    });
  }
  const rejected = await updateClaim(tx, claim.id, {
    status: 'REJECTED',
    decisionReason: reason,
    decidedBy: caller.actor.userId,
    decidedAt: now,
    dueAt: null,
  });
  await recordChange(tx, {
    actor: caller.actor,
    requestId: caller.requestId,
    action: 'CLAIM_REJECTED',
    entityType: 'claim',
    entityId: claim.id,
    before: { status: claim.status },
    after: { status: rejected.status, reason },
  });
  return rejected;
}

export function createSettlementActivities({ db, clock, defaultPayoutSchedule }: ActivityDeps) {
  /**
   * The four-eyes half of a manual approval above the threshold: records the first approval (and
   * says so), or closes it as approved by this second administrator and returns who approved first.
   * A first approval past its deadline has lapsed: this approval is a new first one.
   */
  async function secondApproval(
    tx: Tx,
    claim: ClaimRecord,
    policy: Policy,
    input: { note: string | null; actor: Actor; requestId: string | null },
  ): Promise<'RECORDED' | { approvalId: string; by: string }> {
    const now = clock.now();
    const first = await lockPendingApproval(tx, 'CLAIM_APPROVAL', claim.id);
    if (first && first.expiresAt > now) {
      if (first.proposedBy === input.actor.userId) {
        throw refused(
          'CONFLICT',
          'FOUR_EYES_SAME_ADMIN',
          'You approved this claim first; another administrator must approve it',
          { proposedBy: first.proposedBy, approvalId: first.id },
        );
      }
      await closeApproval(tx, first.id, {
        status: 'APPROVED',
        decidedBy: input.actor.userId,
        decidedAt: now,
        reason: input.note,
      });
      return { approvalId: first.id, by: first.proposedBy };
    }
    if (first) {
      await closeApproval(tx, first.id, { status: 'EXPIRED', decidedBy: null, decidedAt: now });
      await recordChange(tx, {
        actor: SYSTEM_ACTOR,
        action: 'CLAIM_FIRST_APPROVAL_EXPIRED',
        entityType: 'claim',
        entityId: claim.id,
        before: { approvalId: first.id, firstApprovalBy: first.proposedBy },
        after: { expiredAt: first.expiresAt.toISOString() },
      });
    }
    const recorded = await insertApproval(tx, {
      id: randomUUID(),
      kind: 'CLAIM_APPROVAL',
      programmeId: claim.programmeId,
      subjectId: claim.id,
      payload: {
        amountFen: claim.amountFen,
        thresholdFen: policy.secondApprovalAboveFen,
        riskFlags: claim.riskFlags.map((f) => f.code),
        note: input.note,
      },
      proposedBy: input.actor.userId!,
      proposedAt: now,
      expiresAt: new Date(now.getTime() + durationMs(policy.approvalsExpireAfter)),
    });
    // the claim is locked, so no other first approval can have been made meanwhile
    if (!recorded) throw new Error(`claim ${claim.id} has a pending first approval it did not lock`);
    await recordChange(tx, {
      actor: input.actor,
      requestId: input.requestId,
      action: 'CLAIM_FIRST_APPROVAL',
      entityType: 'claim',
      entityId: claim.id,
      before: { status: claim.status },
      after: {
        status: claim.status,
        approvalId: recorded.id,
        amountFen: claim.amountFen,
        thresholdFen: policy.secondApprovalAboveFen,
        expiresAt: recorded.expiresAt.toISOString(),
        awaiting: 'a second administrator',
      },
    });
    return 'RECORDED';
  }

  return {
    /**
     * The claim of an accepted booking: contract data, report hash and co-payment reference taken
     * from the booking, and every risk check (docs/processes.md, "Settlement") run against it.
     */
    async openClaim(input: {
      bookingId: string;
      copaymentMissing: boolean;
      reviewBy: string;
    }): Promise<ClaimOpened> {
      return inTransaction(db, async (tx) => {
        const booking = await lockBooking(tx, input.bookingId);
        if (booking.status !== 'ACCEPTED' && booking.status !== 'SETTLED') {
          throw refused(
            'CONFLICT',
            'WRONG_BOOKING_STATUS',
            `booking ${booking.id} is ${booking.status}, not accepted`,
          );
        }
        // one after the other: a transaction's queries share one connection
        const enterprise = await tx.enterprise.findUniqueOrThrow({ where: { id: booking.enterpriseId } });
        const provider = await tx.provider.findUniqueOrThrow({ where: { id: booking.providerId } });
        const voucher = await tx.voucher.findUniqueOrThrow({ where: { id: booking.voucherId } });
        const programme = await findProgramme(tx, booking.programmeId);
        const now = clock.now();
        const year = yearOf(localDate(now));
        const riskFlags = claimRiskFlags({
          enterprise: {
            creditCode: enterprise.creditCode,
            legalRepresentative: enterprise.legalRepresentative,
            phone: enterprise.contactPhone,
            address: enterprise.address,
          },
          provider: {
            creditCode: provider.creditCode,
            legalRepresentative: provider.legalRepresentative,
            phone: provider.phone,
            address: provider.address,
          },
          quotedPriceFen: booking.quotedPriceFen,
          catalogPriceFen: booking.catalogPriceFen,
          claimAmountFen: booking.subsidyFen,
          claimsWithSameReport: await claimsWithReport(tx, booking.reportSha256!, booking.id),
          serviceFrom: booking.sampleReceivedAt!,
          serviceTo: booking.reportUploadedAt!,
          voucherValidFrom: voucher.validFrom,
          voucherValidUntil: voucher.validUntil,
          enterpriseClaimedThisYearFen: await claimedForEnterprise(tx, {
            enterpriseId: booking.enterpriseId,
            programmeId: booking.programmeId,
            from: new Date(`${year}-01-01T00:00:00+08:00`),
            to: new Date(`${year + 1}-01-01T00:00:00+08:00`),
            exceptBookingId: booking.id,
          }),
          enterpriseAnnualCapFen: programme!.policy.enterpriseAnnualCapFen,
          copaymentMissing: input.copaymentMissing,
          copaymentFen: booking.copaymentFen,
        });
        const contract: ContractData = {
          bookingId: booking.id,
          voucherCode: voucher.code,
          enterpriseName: enterprise.name,
          enterpriseCreditCode: enterprise.creditCode,
          providerName: provider.name,
          providerCreditCode: provider.creditCode,
          lines: booking.lines,
          sampleCount: booking.sampleCount,
          quotedPriceFen: booking.quotedPriceFen,
          catalogPriceFen: booking.catalogPriceFen,
          subsidyFen: booking.subsidyFen,
          copaymentFen: booking.copaymentFen,
          sampleReceivedAt: booking.sampleReceivedAt!.toISOString(),
          reportedAt: booking.reportUploadedAt!.toISOString(),
          acceptedAt: booking.acceptedAt!.toISOString(),
        };
        const { record, created } = await insertClaim(tx, {
          id: randomUUID(),
          bookingId: booking.id,
          programmeId: booking.programmeId,
          providerId: booking.providerId,
          amountFen: booking.subsidyFen,
          contract,
          reportSha256: booking.reportSha256!,
          paymentReference:
            booking.copaymentReference ?? (input.copaymentMissing ? 'NOT_RECORDED' : 'NO_COPAYMENT_DUE'),
          riskFlags,
          dueAt: new Date(input.reviewBy),
          workflowId: settlementWorkflowId(booking.id),
        });
        if (created) {
          await recordChange(tx, {
            actor: SYSTEM_ACTOR,
            action: 'CLAIM_CREATED',
            entityType: 'claim',
            entityId: record.id,
            after: {
              bookingId: booking.id,
              amountFen: record.amountFen,
              riskFlags: riskFlags.map((f) => f.code),
            },
          });
        }
        return {
          claimId: record.id,
          status: record.status,
          amountFen: record.amountFen,
          riskFlags: record.riskFlags,
          // above the second-approval threshold two administrators decide, never the rule alone
          autoApprovable:
            !needsSecondApproval(record.amountFen, programme!.policy) &&
            autoApprovable(record.amountFen, record.riskFlags, programme!.policy.autoApproveClaimsBelowFen),
          providerName: provider.name,
          enterpriseName: enterprise.name,
        };
      });
    },

    /**
     * COMMITTED → PAYABLE: the claim joins the programme's next payout batch. A claim above the
     * programme's `secondApprovalAboveFen` needs two administrators (docs/policy.md, "Four eyes"):
     * the first approval is only recorded and the claim stays PENDING_REVIEW; the approval of a
     * second, different administrator moves the money. The same administrator twice is refused.
     */
    async approveClaim(input: {
      claimId: string;
      automatic: boolean;
      note: string | null;
      actor: Actor;
      requestId: string | null;
    }): Promise<{ status: ClaimStatus }> {
      return inTransaction(db, async (tx) => {
        const claim = await lockClaim(tx, input.claimId);
        if (claim.status !== 'PENDING_REVIEW') return { status: claim.status };
        const programme = (await findProgramme(tx, claim.programmeId))!;
        let firstApproval: { approvalId: string; by: string } | null = null;
        if (!input.automatic && needsSecondApproval(claim.amountFen, programme.policy)) {
          const first = await secondApproval(tx, claim, programme.policy, input);
          if (first === 'RECORDED') return { status: claim.status };
          firstApproval = first;
        }
        if (claim.amountFen > 0) {
          await move(tx, {
            programmeId: claim.programmeId,
            movement: 'APPROVE_CLAIM',
            amountFen: claim.amountFen,
            idempotencyKey: `claim/${claim.id}/approve`,
            memo: `claim ${claim.id} approved${input.automatic ? ' automatically' : ''}`,
            bookingId: claim.bookingId,
            claimId: claim.id,
          });
        }
        const approved = await updateClaim(tx, claim.id, {
          status: 'APPROVED',
          decisionReason:
            input.note ?? (input.automatic ? 'below the automatic approval threshold, no risk flags' : null),
          decidedBy: input.actor.userId,
          decidedAt: clock.now(),
          autoApproved: input.automatic,
          // the programme's next payout batch, as its Schedule will run it
          dueAt: nextPayoutTimes(payoutScheduleOf(programme, defaultPayoutSchedule), clock.now())[0]!,
        });
        await recordChange(tx, {
          actor: input.actor,
          requestId: input.requestId,
          action: input.automatic ? 'CLAIM_AUTO_APPROVED' : 'CLAIM_APPROVED',
          entityType: 'claim',
          entityId: claim.id,
          before: { status: claim.status },
          after: {
            status: approved.status,
            amountFen: approved.amountFen,
            ...(firstApproval
              ? { firstApprovalBy: firstApproval.by, approvalId: firstApproval.approvalId }
              : {}),
          },
        });
        return { status: approved.status };
      });
    },

    /** The subsidy goes back: to the voucher while it is live, to the programme once it ended. */
    async rejectClaim(input: { claimId: string; reason: string; actor: Actor; requestId: string | null }) {
      return inTransaction(db, async (tx) => {
        const claim = await lockClaim(tx, input.claimId);
        if (claim.status !== 'PENDING_REVIEW') return { status: claim.status };
        const rejected = await rejectClaimIn(tx, claim, input.reason, input, clock.now());
        return { status: rejected.status };
      });
    },

    /** A reminder or escalation was sent: the claim's timeline says so. */
    async recordClaimEvent(input: { claimId: string; action: string; note: string }): Promise<void> {
      await inTransaction(db, (tx) =>
        recordChange(tx, {
          actor: SYSTEM_ACTOR,
          action: input.action,
          entityType: 'claim',
          entityId: input.claimId,
          after: { note: input.note },
        }),
      );
    },

    async claimDecision(input: { claimId: string }): Promise<{ status: ClaimStatus; reason: string | null }> {
      const claim = await db.claim.findUniqueOrThrow({
        where: { id: input.claimId },
        select: { status: true, decisionReason: true },
      });
      return { status: claim.status, reason: claim.decisionReason };
    },
  };
}
