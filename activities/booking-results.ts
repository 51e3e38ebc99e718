import { SYSTEM_ACTOR } from '../domain/actor';
import type { DisputeResolution, ReportConclusion } from '../domain/booking';
import { releaseBookingHolds } from '../db/repositories/capacity';
import { inTransaction } from '../db/tx';
import { bookingSteps, type BookingSummary, type StepCall } from './booking-steps';
import { giveBack } from './bookings';
import { recordChange } from './context';
import type { ActivityDeps } from './deps';
import { refused } from './refusal';

const at = (iso: string | null) => (iso === null ? null : new Date(iso));

/** The booking after its confirmation: samples, report, acceptance or dispute, co-payment. */
export function createBookingResultActivities({ db, clock }: ActivityDeps) {
  const { step } = bookingSteps({ db });
  return {
    async markSampleReceived(input: StepCall & { reportDueAt: string }): Promise<BookingSummary> {
      return step(input, 'receiveSamples', 'SAMPLE_RECEIVED', {
        done: (booking) => booking.status === 'SAMPLE_RECEIVED',
        change: (_tx, booking) => ({
          sampleReceivedAt: booking.sampleReceivedAt ?? clock.now(),
          reportDueAt: new Date(input.reportDueAt),
          dueAt: new Date(input.reportDueAt),
        }),
      });
    },

    /** The report the API stored is now the booking's; the provider's on-time record is kept. */
    async recordReport(
      input: StepCall & { reportId: string; sha256: string; conclusion: ReportConclusion; acceptBy: string },
    ): Promise<BookingSummary> {
      return step(input, 'report', 'REPORT_UPLOADED', {
        done: (booking) => booking.status === 'REPORTED' && booking.reportSha256 === input.sha256,
        change: async (tx, booking) => {
          const now = clock.now();
          const late = booking.reportDueAt !== null && now > booking.reportDueAt;
          await tx.provider.update({
            where: { id: booking.providerId },
            data: late ? { lateCount: { increment: 1 } } : { onTimeCount: { increment: 1 } },
          });
          return {
            reportSha256: input.sha256,
            reportConclusion: input.conclusion,
            reportUploadedAt: now,
            reportedLate: late,
            dueAt: new Date(input.acceptBy),
          };
        },
      });
    },

    /** Accepted by the SME, or automatically when the acceptance window passed in silence. */
    async acceptReport(
      input: StepCall & { automatic: boolean; copaymentDueAt: string | null },
    ): Promise<BookingSummary> {
      return step(input, 'accept', input.automatic ? 'REPORT_AUTO_ACCEPTED' : 'REPORT_ACCEPTED', {
        done: (booking) => booking.status === 'ACCEPTED',
        change: async (tx, booking) => {
          await tx.provider.update({
            where: { id: booking.providerId },
            data: { completedCount: { increment: 1 } },
          });
          return { acceptedAt: clock.now(), dueAt: at(input.copaymentDueAt) };
        },
      });
    },

    async openDispute(
      input: StepCall & { disputeId: string; reason: string; resolveBy: string },
    ): Promise<BookingSummary> {
      return step(input, 'dispute', 'REPORT_DISPUTED', {
        done: (booking) => booking.status === 'DISPUTED',
        change: async (tx, booking) => {
          await tx.dispute.create({
            data: {
              id: input.disputeId,
              bookingId: booking.id,
              reason: input.reason,
              status: 'OPEN',
              raisedBy: input.actor.userId ?? 'system',
            },
          });
          await tx.provider.update({
            where: { id: booking.providerId },
            data: { disputeCount: { increment: 1 } },
          });
          return { statusReason: input.reason, dueAt: new Date(input.resolveBy) };
        },
      });
    },

    /**
     * The administrator's resolution and what it does to the booking, in one transaction: the
     * report stands (accepted), a retest (samples back with the provider, a new report due), or
     * cancellation with the subsidy refunded to the programme.
     */
    async resolveDispute(
      input: StepCall & {
        disputeId: string;
        resolution: DisputeResolution;
        note: string;
        reportDueAt: string | null;
        copaymentDueAt: string | null;
      },
    ): Promise<BookingSummary> {
      const name = ({ UPHOLD: 'uphold', RETEST: 'retest', CANCEL_REFUND: 'refund' } as const)[
        input.resolution
      ];
      return step(input, name, 'DISPUTE_RESOLVED', {
        detail: { disputeId: input.disputeId, resolution: input.resolution, note: input.note },
        done: (booking) => booking.status !== 'DISPUTED',
        change: async (tx, booking) => {
          const resolved = await tx.dispute.updateMany({
            where: { id: input.disputeId, bookingId: booking.id, status: 'OPEN' },
            data: {
              status: 'RESOLVED',
              resolution: input.resolution,
              note: input.note,
              resolvedBy: input.actor.userId,
              resolvedAt: clock.now(),
            },
          });
          if (resolved.count !== 1) {
            throw refused('CONFLICT', 'DISPUTE_RESOLVED', 'the dispute is not open any more');
          }
          if (input.resolution === 'UPHOLD') {
            await tx.provider.update({
              where: { id: booking.providerId },
              data: { completedCount: { increment: 1 } },
            });
            return { acceptedAt: clock.now(), statusReason: input.note, dueAt: at(input.copaymentDueAt) };
          }
          if (input.resolution === 'RETEST') {
            return {
              statusReason: input.note,
              reportDueAt: at(input.reportDueAt),
              dueAt: at(input.reportDueAt),
              // the report's instant stays until the new report's: the stage medians time testing by it
              reportSha256: null,
              reportConclusion: null,
              reportedLate: null,
            };
          }
          await releaseBookingHolds(tx, booking.id);
          await giveBack(tx, booking, true);
          return { statusReason: `dispute resolved: ${input.note}`, dueAt: null };
        },
      });
    },

    async recordCopayment(input: StepCall & { reference: string; paidAt: string }): Promise<BookingSummary> {
      return step(input, 'recordCopayment', 'COPAYMENT_RECORDED', {
        done: (booking) => booking.copaymentReference === input.reference,
        change: (_tx, booking) => ({
          copaymentReference: input.reference,
          copaymentPaidAt: new Date(input.paidAt),
          copaymentRecordedBy: input.actor.userId ?? undefined,
          // after acceptance the co-payment was what the booking waited for; the claim follows
          ...(booking.status === 'ACCEPTED' ? { dueAt: null } : {}),
        }),
      });
    },

    /** A reminder or escalation was sent, or something happened around the booking: the timeline says so. */
    async recordBookingEvent(input: { bookingId: string; action: string; note: string }): Promise<void> {
      await inTransaction(db, (tx) =>
        recordChange(tx, {
          actor: SYSTEM_ACTOR,
          action: input.action,
          entityType: 'booking',
          entityId: input.bookingId,
          after: { note: input.note },
        }),
      );
    },
  };
}
