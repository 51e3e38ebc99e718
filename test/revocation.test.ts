import { describe, expect, it } from 'vitest';
import { BOOKING_STATUSES, TERMINAL_BOOKING_STATUSES } from '../domain/booking';
import { revocationEffect } from '../domain/revocation';

describe('what revoking a voucher does to each of its bookings', () => {
  it('a booking under way or accepted without a claim is cancelled', () => {
    for (const status of [
      'REQUESTED',
      'CONFIRMED',
      'SAMPLE_RECEIVED',
      'REPORTED',
      'DISPUTED',
      'ACCEPTED',
    ] as const)
      expect(revocationEffect(status, null), status).toBe('CANCEL');
  });

  it('a claim under review is rejected and the booking cancelled', () => {
    expect(revocationEffect('ACCEPTED', 'PENDING_REVIEW')).toBe('REJECT_CLAIM_AND_CANCEL');
  });

  it('an approved or paid claim stands', () => {
    expect(revocationEffect('ACCEPTED', 'APPROVED')).toBe('CLAIM_STANDS');
    expect(revocationEffect('SETTLED', 'PAID')).toBe('CLAIM_STANDS');
  });

  it('a booking that is over, or whose claim was rejected, is left as it is', () => {
    for (const status of TERMINAL_BOOKING_STATUSES)
      expect(revocationEffect(status, null), status).toBe('NONE');
    expect(revocationEffect('ACCEPTED', 'REJECTED')).toBe('NONE');
    expect(BOOKING_STATUSES.filter((s) => revocationEffect(s, null) === 'NONE')).toEqual(
      BOOKING_STATUSES.filter((s) => TERMINAL_BOOKING_STATUSES.includes(s)),
    );
  });
});
