import { bookingMay, type BookingStatus } from './booking';
import type { ClaimStatus } from './claim';

/**
 * What revoking a voucher does to one of its bookings (docs/processes.md, "Revocation"): everything short
 * of an approved claim stops and its subsidy goes back to the programme; an approved or paid claim stands.
 */
export const REVOCATION_EFFECTS = ['CANCEL', 'REJECT_CLAIM_AND_CANCEL', 'CLAIM_STANDS', 'NONE'] as const;
export type RevocationEffect = (typeof REVOCATION_EFFECTS)[number];

/** What a revocation does to a claim: one under review is rejected, one approved or paid stands. */
export function claimOnRevocation(claim: ClaimStatus): 'REJECT' | 'STANDS' | 'NONE' {
  if (claim === 'PENDING_REVIEW') return 'REJECT';
  if (claim === 'APPROVED' || claim === 'PAID') return 'STANDS';
  return 'NONE';
}

/**
 * The booking workflow applies this when the revocation reaches it, and the revocation preview shows it
 * beforehand. `claim` is null while the booking has no claim yet.
 */
export function revocationEffect(booking: BookingStatus, claim: ClaimStatus | null): RevocationEffect {
  if (claim !== null) {
    const onClaim = claimOnRevocation(claim);
    if (onClaim === 'REJECT') return 'REJECT_CLAIM_AND_CANCEL';
    if (onClaim === 'STANDS') return 'CLAIM_STANDS';
    // a rejected claim gave its subsidy back already: the booking is over
    return 'NONE';
  }
  return bookingMay('stop', booking) ? 'CANCEL' : 'NONE';
}
