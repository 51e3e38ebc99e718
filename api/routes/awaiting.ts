import { z } from 'zod';
import type { ApplicationRecord, VoucherRecord } from '../../domain/application';
import type { BookingRecord } from '../../domain/booking';
import type { ClaimRecord } from '../../domain/claim';
import { durationMs } from '../../domain/duration';
import type { Policy } from '../../domain/policy';

/** The next step of a process item: whose move it is, what they are to do, and by when. */
export const AWAITED_ACTIONS = [
  'DECIDE_APPLICATION',
  'RESUBMIT_APPLICATION',
  'BOOK_WITH_VOUCHER',
  'CONFIRM_BOOKING',
  'SEND_SAMPLES',
  'UPLOAD_REPORT',
  'ACCEPT_OR_DISPUTE_REPORT',
  'RESOLVE_DISPUTE',
  'RECORD_COPAYMENT',
  'CREATE_CLAIM',
  'DECIDE_CLAIM',
  'PAY_OUT_CLAIM',
  'VERIFY_PROVIDER',
] as const;
export type AwaitedAction = (typeof AWAITED_ACTIONS)[number];

export const AwaitingView = z
  .object({
    party: z.enum(['SME', 'PROVIDER', 'ADMIN', 'SYSTEM']).meta({ description: 'whose move it is' }),
    action: z.enum(AWAITED_ACTIONS),
    dueAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'when the step falls due (a deadline of the policy); null when none applies' }),
    afterDue: z.string().nullable().meta({
      description: 'what the process does when the step is not taken in time',
      example: 'ACCEPTED_AUTOMATICALLY',
    }),
  })
  .meta({ id: 'Awaiting', description: 'what a process item waits for, from whom, by when' });
export type Awaiting = z.infer<typeof AwaitingView>;

const after = (from: Date, duration: string) => new Date(from.getTime() + durationMs(duration)).toISOString();

/** What a booking waits for, read from its status, its recorded deadlines and its programme's policy. */
export function bookingAwaits(
  booking: BookingRecord,
  policy: Policy,
  claim: Pick<ClaimRecord, 'status'> | null,
): Awaiting | null {
  switch (booking.status) {
    case 'REQUESTED':
      return {
        party: 'PROVIDER',
        action: 'CONFIRM_BOOKING',
        dueAt: booking.confirmBy?.toISOString() ?? null,
        afterDue: 'SLOT_RELEASED',
      };
    case 'CONFIRMED':
      return { party: 'SME', action: 'SEND_SAMPLES', dueAt: null, afterDue: null };
    case 'SAMPLE_RECEIVED':
      return {
        party: 'PROVIDER',
        action: 'UPLOAD_REPORT',
        dueAt: booking.reportDueAt?.toISOString() ?? null,
        afterDue: 'ESCALATED',
      };
    case 'REPORTED':
      return {
        party: 'SME',
        action: 'ACCEPT_OR_DISPUTE_REPORT',
        dueAt: booking.reportUploadedAt ? after(booking.reportUploadedAt, policy.acceptanceWithin) : null,
        afterDue: 'ACCEPTED_AUTOMATICALLY',
      };
    case 'DISPUTED':
      return { party: 'ADMIN', action: 'RESOLVE_DISPUTE', dueAt: null, afterDue: null };
    case 'ACCEPTED':
      // once the co-payment is recorded (or none is due) the settlement makes the claim by itself
      return booking.copaymentFen > 0 && !booking.copaymentReference
        ? { party: 'SME', action: 'RECORD_COPAYMENT', dueAt: null, afterDue: null }
        : { party: 'SYSTEM', action: 'CREATE_CLAIM', dueAt: null, afterDue: null };
    case 'SETTLED':
      if (claim?.status === 'PENDING_REVIEW')
        return { party: 'ADMIN', action: 'DECIDE_CLAIM', dueAt: null, afterDue: null };
      if (claim?.status === 'APPROVED')
        return { party: 'SYSTEM', action: 'PAY_OUT_CLAIM', dueAt: null, afterDue: null };
      return null;
    default:
      return null;
  }
}

export function applicationAwaits(application: ApplicationRecord, policy: Policy): Awaiting | null {
  if (application.status === 'INFO_REQUESTED')
    return { party: 'SME', action: 'RESUBMIT_APPLICATION', dueAt: null, afterDue: null };
  if (application.status === 'UNDER_REVIEW' || application.status === 'SUBMITTED')
    return {
      party: 'ADMIN',
      action: 'DECIDE_APPLICATION',
      dueAt: after(application.createdAt, policy.reviewEscalateAfter),
      afterDue: 'ESCALATED',
    };
  return null;
}

export function voucherAwaits(voucher: VoucherRecord): Awaiting | null {
  if (voucher.status !== 'ACTIVE' || voucher.balanceFen <= 0) return null;
  return {
    party: 'SME',
    action: 'BOOK_WITH_VOUCHER',
    dueAt: voucher.validUntil.toISOString(),
    afterDue: 'BALANCE_RELEASED',
  };
}

/** Soonest deadline first; items without a deadline keep their order after those with one. */
export function soonestFirst(a: { awaiting: Awaiting }, b: { awaiting: Awaiting }): number {
  if (a.awaiting.dueAt === b.awaiting.dueAt) return 0;
  if (a.awaiting.dueAt === null) return 1;
  if (b.awaiting.dueAt === null) return -1;
  return a.awaiting.dueAt < b.awaiting.dueAt ? -1 : 1;
}
