import { describe, expect, it } from 'vitest';
import { applicationAwaiting, voucherAwaiting } from '../domain/application';
import {
  BOOKING_STATUSES,
  bookingAwaiting,
  TERMINAL_BOOKING_STATUSES,
  type BookingRecord,
} from '../domain/booking';
import { soonestFirst, type Awaiting } from '../domain/process';

const at = (iso: string) => new Date(iso);
const DUE = '2026-11-25T08:00:00.000Z';

function booking(changes: Partial<BookingRecord>): BookingRecord {
  return {
    id: 'b',
    voucherId: 'v',
    programmeId: 'p',
    enterpriseId: 'e',
    providerId: 'l',
    lines: [],
    sampleCount: 3,
    standards: ['GB/T 2423.1'],
    catalogPriceFen: 90_000,
    quotedPriceFen: 90_000,
    subsidyFen: 45_000,
    copaymentFen: 45_000,
    scheduledDate: '2026-12-01',
    status: 'REQUESTED',
    statusReason: null,
    confirmBy: at(DUE),
    reportDueAt: null,
    dueAt: at(DUE),
    reportedLate: null,
    reportSha256: null,
    reportConclusion: null,
    reportUploadedAt: null,
    copaymentReference: null,
    copaymentPaidAt: null,
    workflowId: 'booking/b',
    createdBy: 'u',
    createdAt: at('2026-11-23T08:00:00Z'),
    confirmedAt: null,
    sampleReceivedAt: null,
    acceptedAt: null,
    ...changes,
  };
}

describe('what a booking waits for, from whom, by when (docs/processes.md)', () => {
  it('names the party of each open status with the deadline the process holds', () => {
    const expected: Record<string, Partial<Awaiting>> = {
      REQUESTED: { party: 'PROVIDER', action: 'CONFIRM_BOOKING', afterDue: 'SLOT_RELEASED' },
      CONFIRMED: { party: 'SME', action: 'SEND_SAMPLES', afterDue: 'BOOKING_LAPSES' },
      SAMPLE_RECEIVED: { party: 'PROVIDER', action: 'UPLOAD_REPORT', afterDue: 'ESCALATED' },
      REPORTED: { party: 'SME', action: 'ACCEPT_OR_DISPUTE_REPORT', afterDue: 'ACCEPTED_AUTOMATICALLY' },
      DISPUTED: { party: 'ADMIN', action: 'RESOLVE_DISPUTE', afterDue: 'ESCALATED' },
      ACCEPTED: { party: 'SME', action: 'RECORD_COPAYMENT', afterDue: 'DECIDED_WITHOUT_COPAYMENT' },
    };
    for (const [status, awaiting] of Object.entries(expected)) {
      expect(bookingAwaiting(booking({ status: status as BookingRecord['status'] }), null)).toEqual({
        ...awaiting,
        dueAt: DUE,
      });
    }
  });

  it('awaits nothing once a booking is over, and something in every other status', () => {
    for (const status of BOOKING_STATUSES) {
      const awaiting = bookingAwaiting(booking({ status }), null);
      if (TERMINAL_BOOKING_STATUSES.includes(status)) expect(awaiting, status).toBeNull();
      else expect(awaiting, status).not.toBeNull();
    }
  });

  it('follows the settlement after acceptance: the claim being made, its decision, the payout, then nothing', () => {
    const paid = booking({
      status: 'ACCEPTED',
      copaymentReference: 'ICBC-1',
      dueAt: null,
      acceptedAt: at(DUE),
    });
    expect(bookingAwaiting(paid, null)).toMatchObject({ party: 'SYSTEM', action: 'CREATE_CLAIM' });
    const free = booking({ status: 'ACCEPTED', copaymentFen: 0, dueAt: null, acceptedAt: at(DUE) });
    expect(bookingAwaiting(free, null)?.action).toBe('CREATE_CLAIM');
    const review = { status: 'PENDING_REVIEW' as const, dueAt: at('2026-11-30T08:00:00Z') };
    expect(bookingAwaiting(paid, review)).toEqual({
      party: 'ADMIN',
      action: 'DECIDE_CLAIM',
      dueAt: '2026-11-30T08:00:00.000Z',
      afterDue: 'ESCALATED',
    });
    expect(bookingAwaiting(paid, { status: 'APPROVED', dueAt: at(DUE) })).toMatchObject({
      party: 'SYSTEM',
      action: 'PAY_OUT_CLAIM',
    });
    expect(bookingAwaiting(paid, { status: 'REJECTED', dueAt: null })).toBeNull();
    expect(bookingAwaiting(booking({ status: 'SETTLED' }), { status: 'PAID', dueAt: null })).toBeNull();
  });
});

describe('applications and vouchers', () => {
  const application = {
    status: 'UNDER_REVIEW' as const,
    dueAt: at(DUE),
    updatedAt: at('2026-11-23T08:00:00Z'),
  };

  it('waits for the administrators while under review, for the applicant after a request, for nobody once decided', () => {
    expect(applicationAwaiting(application)).toMatchObject({ party: 'ADMIN', action: 'DECIDE_APPLICATION' });
    expect(applicationAwaiting({ ...application, status: 'INFO_REQUESTED' })).toMatchObject({
      party: 'SME',
      action: 'RESUBMIT_APPLICATION',
      afterDue: 'APPLICATION_CLOSES',
    });
    expect(applicationAwaiting({ ...application, status: 'SUBMITTED', dueAt: null })).toMatchObject({
      party: 'SYSTEM',
      action: 'CHECK_ELIGIBILITY',
      dueAt: '2026-11-23T08:00:00.000Z',
    });
    expect(applicationAwaiting({ ...application, status: 'APPROVED', dueAt: null })).toBeNull();
    expect(applicationAwaiting({ ...application, status: 'REJECTED', dueAt: null })).toBeNull();
  });

  it('waits for an active voucher with balance left to be used before it ends', () => {
    const voucher = { status: 'ACTIVE' as const, validUntil: at(DUE), balanceFen: 1_000 };
    expect(voucherAwaiting(voucher)).toEqual({
      party: 'SME',
      action: 'BOOK_WITH_VOUCHER',
      dueAt: DUE,
      afterDue: 'BALANCE_RELEASED',
    });
    expect(voucherAwaiting({ ...voucher, balanceFen: 0 })).toBeNull();
    expect(voucherAwaiting({ ...voucher, status: 'EXPIRED' })).toBeNull();
  });
});

describe('a work list', () => {
  it('puts the soonest deadline first', () => {
    const item = (dueAt: string) => ({
      awaiting: { party: 'SME' as const, action: 'SEND_SAMPLES' as const, dueAt, afterDue: null },
    });
    const items = [item('2026-12-03T00:00:00Z'), item('2026-12-01T00:00:00Z'), item('2026-12-02T00:00:00Z')];
    expect(items.sort(soonestFirst).map((i) => i.awaiting.dueAt)).toEqual([
      '2026-12-01T00:00:00Z',
      '2026-12-02T00:00:00Z',
      '2026-12-03T00:00:00Z',
    ]);
  });
});
