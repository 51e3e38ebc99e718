import { durationMs } from '../../../../domain/duration';
import { programmeOf } from '../state';
import type { World } from '../world';

/** How late a deadline's consequence may be seen on a loaded machine before the model calls it missed. */
const SLACK_MS = 15_000;

/** What falls due happened: unconfirmed bookings expired, silent SMEs accepted, samples lapsed, vouchers ended, lapsed labs delisted. */
export function checkDeadlines(w: World): void {
  const now = Date.now();
  const late = (at: number | null, within: string | undefined) =>
    at !== null && within !== undefined && now > at + durationMs(within) + SLACK_MS;
  for (const b of w.model.bookings) {
    const { policy } = programmeOf(w.model, b.programmeKey);
    if (b.status === 'REQUESTED' && late(b.createdAt, policy.providerConfirmWithin)) {
      w.record(
        'confirmation-not-expired',
        `booking ${b.id} is REQUESTED ${Math.round((now - b.createdAt) / 1000)} s after it was made; the lab had ${policy.providerConfirmWithin}`,
      );
    }
    if (b.status === 'REPORTED' && late(b.reportedAt, policy.acceptanceWithin)) {
      w.record(
        'report-not-auto-accepted',
        `booking ${b.id} is REPORTED ${Math.round((now - b.reportedAt!) / 1000)} s after the report; the SME had ${policy.acceptanceWithin}`,
      );
    }
    if (b.status === 'CONFIRMED' && late(b.confirmedAt, policy.samplesWithin)) {
      w.record(
        'samples-not-lapsed',
        `booking ${b.id} is CONFIRMED ${Math.round((now - b.confirmedAt!) / 1000)} s after confirmation; samples were due within ${policy.samplesWithin}`,
      );
    }
  }
  for (const v of w.model.vouchers) {
    if (v.status === 'ACTIVE' && now > v.validUntil + SLACK_MS) {
      w.record(
        'voucher-not-expired',
        `voucher ${v.id} is ACTIVE ${Math.round((now - v.validUntil) / 1000)} s after its validity ended`,
      );
    }
  }
  for (const l of w.model.labs) {
    if (l.onboarded && l.status === 'LISTED' && now > l.lapseAt + SLACK_MS) {
      w.record(
        'provider-not-delisted',
        `${l.key} (${l.providerId}) is LISTED ${Math.round((now - l.lapseAt) / 1000)} s after its accreditation lapsed`,
      );
    }
  }
}
