import type { Actor } from '../domain/audit';
import type { ReportConclusion } from '../domain/booking';
import { lockBooking } from '../db/repositories/bookings';
import { inTransaction } from '../db/tx';
import { bookingSteps, type BookingSummary } from './booking-steps';
import { recordChange } from './context';
import type { ActivityDeps } from './deps';

/** The booking after its confirmation: samples, report, acceptance or dispute, co-payment. */
export function createBookingResultActivities({ db, clock }: ActivityDeps) {
  const { summaryOf, step, expectStatus } = bookingSteps({ db });
  return {
    async markSampleReceived(input: {
      bookingId: string;
      reportDueAt: string;
      actor: Actor;
      requestId: string | null;
    }) {
      return step(input.bookingId, input.actor, input.requestId, 'SAMPLE_RECEIVED', async (_tx, booking) => {
        if (booking.status === 'SAMPLE_RECEIVED' && booking.reportSha256 === null) return null;
        expectStatus(booking, ['CONFIRMED', 'DISPUTED']);
        return {
          status: 'SAMPLE_RECEIVED',
          sampleReceivedAt: booking.sampleReceivedAt ?? clock.now(),
          reportDueAt: new Date(input.reportDueAt),
          reportSha256: null,
          reportConclusion: null,
          reportUploadedAt: null,
          reportedLate: null,
        };
      });
    },

    /** The report the API stored is now the booking's; the provider's on-time record is kept. */
    async recordReport(input: {
      bookingId: string;
      reportId: string;
      sha256: string;
      conclusion: ReportConclusion;
      actor: Actor;
      requestId: string | null;
    }) {
      return step(input.bookingId, input.actor, input.requestId, 'REPORT_UPLOADED', async (tx, booking) => {
        if (booking.status === 'REPORTED' && booking.reportSha256 === input.sha256) return null;
        expectStatus(booking, ['SAMPLE_RECEIVED']);
        const now = clock.now();
        const late = booking.reportDueAt !== null && now > booking.reportDueAt;
        await tx.provider.update({
          where: { id: booking.providerId },
          data: late ? { lateCount: { increment: 1 } } : { onTimeCount: { increment: 1 } },
        });
        return {
          status: 'REPORTED',
          reportSha256: input.sha256,
          reportConclusion: input.conclusion,
          reportUploadedAt: now,
          reportedLate: late,
        };
      });
    },

    async acceptReport(input: {
      bookingId: string;
      automatic: boolean;
      actor: Actor;
      requestId: string | null;
    }) {
      return step(
        input.bookingId,
        input.actor,
        input.requestId,
        input.automatic ? 'REPORT_AUTO_ACCEPTED' : 'REPORT_ACCEPTED',
        async (tx, booking) => {
          if (booking.status === 'ACCEPTED') return null;
          expectStatus(booking, ['REPORTED', 'DISPUTED']);
          await tx.provider.update({
            where: { id: booking.providerId },
            data: { completedCount: { increment: 1 } },
          });
          return { status: 'ACCEPTED', acceptedAt: clock.now() };
        },
      );
    },

    async openDispute(input: {
      bookingId: string;
      disputeId: string;
      reason: string;
      actor: Actor;
      requestId: string | null;
    }) {
      return step(input.bookingId, input.actor, input.requestId, 'REPORT_DISPUTED', async (tx, booking) => {
        if (booking.status === 'DISPUTED') return null;
        expectStatus(booking, ['REPORTED']);
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
        return { status: 'DISPUTED', statusReason: input.reason };
      });
    },

    /** Records the administrator's resolution; the booking process then carries it out. */
    async closeDispute(input: {
      disputeId: string;
      resolution: 'UPHOLD' | 'RETEST' | 'CANCEL_REFUND';
      note: string;
      actor: Actor;
      requestId: string | null;
    }): Promise<void> {
      await inTransaction(db, async (tx) => {
        const dispute = await tx.dispute.findUniqueOrThrow({ where: { id: input.disputeId } });
        if (dispute.status === 'RESOLVED') return;
        await tx.dispute.update({
          where: { id: dispute.id },
          data: {
            status: 'RESOLVED',
            resolution: input.resolution,
            note: input.note,
            resolvedBy: input.actor.userId,
            resolvedAt: clock.now(),
          },
        });
        await recordChange(tx, {
          actor: input.actor,
          requestId: input.requestId,
          action: 'DISPUTE_RESOLVED',
          entityType: 'booking',
          entityId: dispute.bookingId,
          after: { disputeId: dispute.id, resolution: input.resolution, note: input.note },
        });
      });
    },

    async recordCopayment(input: {
      bookingId: string;
      reference: string;
      paidAt: string;
      actor: Actor;
      requestId: string | null;
    }) {
      return step(
        input.bookingId,
        input.actor,
        input.requestId,
        'COPAYMENT_RECORDED',
        async (_tx, booking) => {
          if (booking.copaymentReference === input.reference) return null;
          return {
            copaymentReference: input.reference,
            copaymentPaidAt: new Date(input.paidAt),
            copaymentRecordedBy: input.actor.userId ?? undefined,
          };
        },
      );
    },

    /** A reminder or escalation was sent: the timeline says so. */
    async recordBookingEvent(input: { bookingId: string; action: string; note: string }): Promise<void> {
      await inTransaction(db, (tx) =>
        recordChange(tx, {
          actor: { userId: null, role: 'SYSTEM', organisationId: null },
          action: input.action,
          entityType: 'booking',
          entityId: input.bookingId,
          after: { note: input.note },
        }),
      );
    },

    async bookingSummary(input: { bookingId: string }): Promise<BookingSummary> {
      return inTransaction(db, async (tx) => summaryOf(tx, await lockBooking(tx, input.bookingId)));
    },
  };
}
