import { describe, expect, it } from 'vitest';
import {
  applicationAwaits,
  bookingAwaits,
  soonestFirst,
  voucherAwaits,
  type Awaiting,
} from '../api/routes/awaiting';
import type { ApplicationRecord, VoucherRecord } from '../domain/application';
import type { BookingRecord } from '../domain/booking';
import { DEFAULT_POLICY, PolicySchema } from '../domain/policy';

const at = (iso: string) => new Date(iso);

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
    confirmBy: at('2026-11-25T08:00:00Z'),
    reportDueAt: null,
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

describe('what a booking waits for, from whom, by when', () => {
  it('names the provider and the confirmation deadline while requested', () => {
    expect(bookingAwaits(booking({}), DEFAULT_POLICY, null)).toEqual({
      party: 'PROVIDER',
      action: 'CONFIRM_BOOKING',
      dueAt: '2026-11-25T08:00:00.000Z',
      afterDue: 'SLOT_RELEASED',
    });
  });

  it('gives the SME the policy’s acceptance window from the report’s upload', () => {
    const policy = PolicySchema.parse({ acceptanceWithin: '7d' });
    const reported = booking({ status: 'REPORTED', reportUploadedAt: at('2026-11-23T08:00:00Z') });
    expect(bookingAwaits(reported, policy, null)).toMatchObject({
      party: 'SME',
      action: 'ACCEPT_OR_DISPUTE_REPORT',
      dueAt: '2026-11-30T08:00:00.000Z',
      afterDue: 'ACCEPTED_AUTOMATICALLY',
    });
  });

  it('follows the settlement after acceptance: co-payment, claim, decision, payout, then nothing', () => {
    expect(bookingAwaits(booking({ status: 'ACCEPTED' }), DEFAULT_POLICY, null)?.action).toBe(
      'RECORD_COPAYMENT',
    );
    const paid = booking({ status: 'ACCEPTED', copaymentReference: 'ICBC-1' });
    expect(bookingAwaits(paid, DEFAULT_POLICY, null)).toMatchObject({
      party: 'SYSTEM',
      action: 'CREATE_CLAIM',
    });
    const free = booking({ status: 'ACCEPTED', copaymentFen: 0 });
    expect(bookingAwaits(free, DEFAULT_POLICY, null)?.action).toBe('CREATE_CLAIM');
    const settled = booking({ status: 'SETTLED', copaymentReference: 'ICBC-1' });
    expect(bookingAwaits(settled, DEFAULT_POLICY, { status: 'PENDING_REVIEW' })).toMatchObject({
      party: 'ADMIN',
      action: 'DECIDE_CLAIM',
    });
    expect(bookingAwaits(settled, DEFAULT_POLICY, { status: 'APPROVED' })?.action).toBe('PAY_OUT_CLAIM');
    expect(bookingAwaits(settled, DEFAULT_POLICY, { status: 'PAID' })).toBeNull();
    expect(bookingAwaits(settled, DEFAULT_POLICY, { status: 'REJECTED' })).toBeNull();
  });

  it('waits for nobody once a booking has ended without a report', () => {
    for (const status of ['DECLINED', 'CONFIRMATION_EXPIRED', 'CANCELLED'] as const) {
      expect(bookingAwaits(booking({ status }), DEFAULT_POLICY, null), status).toBeNull();
    }
  });
});

describe('what an application and a voucher wait for', () => {
  const application = (status: ApplicationRecord['status']) =>
    ({ status, createdAt: at('2026-11-23T08:00:00Z') }) as ApplicationRecord;

  it('a review is due by the escalation of the policy; information is the SME’s to send', () => {
    expect(applicationAwaits(application('UNDER_REVIEW'), DEFAULT_POLICY)).toEqual({
      party: 'ADMIN',
      action: 'DECIDE_APPLICATION',
      dueAt: '2026-11-28T08:00:00.000Z',
      afterDue: 'ESCALATED',
    });
    expect(applicationAwaits(application('INFO_REQUESTED'), DEFAULT_POLICY)?.party).toBe('SME');
    expect(applicationAwaits(application('APPROVED'), DEFAULT_POLICY)).toBeNull();
  });

  it('an active voucher with a balance is the SME’s to use before it ends', () => {
    const voucher = {
      status: 'ACTIVE',
      balanceFen: 100,
      validUntil: at('2027-05-22T08:00:00Z'),
    } as VoucherRecord;
    expect(voucherAwaits(voucher)).toMatchObject({ party: 'SME', dueAt: '2027-05-22T08:00:00.000Z' });
    expect(voucherAwaits({ ...voucher, balanceFen: 0 })).toBeNull();
    expect(voucherAwaits({ ...voucher, status: 'EXPIRED' })).toBeNull();
  });
});

describe('the worklist’s order', () => {
  const item = (dueAt: string | null) => ({
    awaiting: { party: 'SME', action: 'SEND_SAMPLES', dueAt, afterDue: null } as Awaiting,
  });

  it('puts the soonest deadline first and items without one last, in their order', () => {
    const items = [
      item(null),
      item('2026-12-01T00:00:00.000Z'),
      item('2026-11-24T00:00:00.000Z'),
      item(null),
    ];
    const sorted = [...items].sort(soonestFirst);
    expect(sorted.map((i) => i.awaiting.dueAt)).toEqual([
      '2026-11-24T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
      null,
      null,
    ]);
    expect(sorted[2]).toBe(items[0]);
  });
});
