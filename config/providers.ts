import type { ProviderTimings } from '../domain/provider';
import type { Env } from './env';

/** The onboarding process's durations, from configuration; each process gets them at its start. */
export function providerTimings(env: Env): ProviderTimings {
  return {
    reviewReminderAfter: env.PROVIDER_REVIEW_REMINDER_AFTER,
    reviewEscalateAfter: env.PROVIDER_REVIEW_ESCALATE_AFTER,
    expiryCheckEvery: env.PROVIDER_EXPIRY_CHECK_EVERY,
    expiryWarningBefore: env.PROVIDER_EXPIRY_WARNING_BEFORE,
  };
}
