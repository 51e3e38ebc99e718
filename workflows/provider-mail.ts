import type { ProviderProcessState } from '../activities/providers';
import { activities } from './activities';

type Pending = NonNullable<ProviderProcessState['pending']>;
type Lapse = NonNullable<ProviderProcessState['firstLapse']>;

/**
 * The mails of a provider's onboarding, each keyed by its business event so that a retried or
 * replayed step never mails twice.
 */
export function providerMail(providerId: string, providerName: () => string) {
  const base = () => ({ providerId, providerName: providerName() });
  const toProvider = { providerId };
  const submission = (submissionId: string) => `provider/${providerId}/submission/${submissionId}`;
  const send = activities.sendNotification;

  return {
    async verificationRequested(pending: Pending): Promise<void> {
      await send({
        eventKey: `${submission(pending.submissionId)}/verification-requested`,
        template: 'providerVerificationRequested',
        data: {
          ...base(),
          renewal: pending.renewal,
          submittedAt: pending.submittedAt,
          accreditations: pending.accreditations,
        },
        to: [{ role: 'ADMIN' }],
      });
      await send({
        eventKey: `${submission(pending.submissionId)}/received`,
        template: 'providerSubmissionReceived',
        data: { ...base(), renewal: pending.renewal },
        to: [toProvider],
      });
    },

    reviewReminder: (pending: Pending) =>
      send({
        eventKey: `${submission(pending.submissionId)}/review-reminder`,
        template: 'providerReviewReminder',
        data: { ...base(), waitingSince: pending.submittedAt },
        to: [{ role: 'ADMIN' }],
      }),

    reviewEscalation: (pending: Pending) =>
      send({
        eventKey: `${submission(pending.submissionId)}/review-escalation`,
        template: 'providerReviewEscalation',
        data: { ...base(), waitingSince: pending.submittedAt },
        to: [{ escalation: true }],
      }),

    listed: (
      submissionId: string,
      facts: { renewal: boolean; firstExpiry: string | null; servicesTakenOutOfScope: number },
    ) =>
      send({
        eventKey: `${submission(submissionId)}/listed`,
        template: 'providerListed',
        data: { ...base(), ...facts },
        to: [toProvider],
      }),

    rejected: (submissionId: string, facts: { renewal: boolean; reason: string }) =>
      send({
        eventKey: `${submission(submissionId)}/rejected`,
        template: 'providerRejected',
        data: { ...base(), ...facts },
        to: [toProvider],
      }),

    expiryWarning: (lapse: Lapse) =>
      send({
        eventKey: `provider/${providerId}/lapse/${lapse.at}/warning`,
        template: 'accreditationExpiryWarning',
        data: { ...base(), accreditation: lapse.accreditation, expiresOn: lapse.expiresOn },
        to: [toProvider],
      }),

    /** The provider, and the SME of each booking still under way there. */
    async delisted(
      lapseAt: string,
      reason: string,
      bookings: { bookingId: string; enterpriseId: string }[],
    ): Promise<void> {
      const key = `provider/${providerId}/delisted/${lapseAt}`;
      await send({
        eventKey: key,
        template: 'providerDelisted',
        data: { ...base(), reason },
        to: [toProvider],
      });
      for (const booking of bookings) {
        await send({
          eventKey: `${key}/booking/${booking.bookingId}`,
          template: 'bookingProviderDelisted',
          data: { ...base(), bookingId: booking.bookingId, reason },
          to: [{ enterpriseId: booking.enterpriseId }],
        });
      }
    },
  };
}
