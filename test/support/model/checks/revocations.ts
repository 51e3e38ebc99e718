import { claimStands, RELEASED_BOOKING_STATUSES } from '../state';
import type { World } from '../world';

/**
 * Revocation stopped every booking that had not reached an approved claim, naming the revocation
 * (one that ended by itself as the revocation came, declined or expired, is over too).
 */
export function checkRevocations(w: World): void {
  for (const v of w.model.vouchers) {
    for (const id of v.openAtRevocation ?? []) {
      const b = w.model.bookings.find((x) => x.id === id)!;
      if (claimStands(b)) continue;
      if (RELEASED_BOOKING_STATUSES.includes(b.status) && b.status !== 'CANCELLED') continue;
      if (b.status !== 'CANCELLED') {
        w.record(
          'revocation-left-booking-open',
          `booking ${b.id} of revoked voucher ${v.id} is ${b.status}${b.claimStatus ? ` with its claim ${b.claimStatus}` : ''}`,
        );
      } else if (!b.statusReason?.startsWith('voucher revoked')) {
        w.record(
          'revocation-reason',
          `booking ${b.id} of revoked voucher ${v.id} is CANCELLED for "${b.statusReason}"`,
        );
      }
    }
  }
}
