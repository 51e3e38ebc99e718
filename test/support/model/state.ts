/**
 * What the model believes about one sequence's world: the programmes, the people, and the items
 * their actions create. The service is the oracle for each item's status: the model reads it back
 * after every action, and uses it to choose the next plausible (or deliberately implausible) action
 * and to know what each check may expect.
 */

export interface ProgrammePolicy {
  voucherValidity: string;
  providerConfirmWithin: string;
  acceptanceWithin: string;
  reportGrace: string;
  dayLength: string;
  reviewReminderAfter: string;
  reviewEscalateAfter: string;
  expiryWarnings: string[];
  autoApproveClaimsBelowFen: number;
  payoutSchedule: string;
  oneOpenPerEnterprise: boolean;
  subsidyRatioBps: number;
  /** sent only when the service's document names the rule */
  samplesWithin?: string;
}

export interface ProgrammeSpec {
  budgetFen: number;
  policy: ProgrammePolicy;
}

export interface ProgrammeModel {
  key: string;
  id: string;
  budgetFen: number;
  policy: ProgrammePolicy;
}

export interface SmeModel {
  key: string;
  enterpriseId: string;
}

export type LabStatus = 'PENDING_VERIFICATION' | 'LISTED' | 'SUSPENDED' | 'DELISTED' | 'REJECTED';

export interface LabModel {
  key: string;
  providerId: string;
  status: LabStatus;
  /** accreditations submitted and not yet verified */
  pending: boolean;
  /** when its first accreditation lapses (epoch ms) */
  lapseAt: number;
  /** registered through the API, so its onboarding process watches the lapse */
  onboarded: boolean;
  unitPriceFen: number;
}

export type ApplicationStatus = 'SUBMITTED' | 'UNDER_REVIEW' | 'INFO_REQUESTED' | 'APPROVED' | 'REJECTED';

export interface ApplicationModel {
  id: string;
  programmeKey: string;
  smeKey: string;
  status: ApplicationStatus;
  voucherId: string | null;
  requestedAmountFen: number;
}

export type VoucherStatus = 'ACTIVE' | 'USED' | 'EXPIRED' | 'REVOKED';

export interface VoucherModel {
  id: string;
  applicationId: string;
  programmeKey: string;
  smeKey: string;
  status: VoucherStatus;
  balanceFen: number;
  validUntil: number;
  /** bookings that had neither ended nor reached an approved claim when the voucher was revoked */
  openAtRevocation: string[] | null;
  /** a booking under it was refused by a rule: booking again is no longer in order */
  bookingRefused: boolean;
}

export type ClaimStatus = 'PENDING_REVIEW' | 'APPROVED' | 'REJECTED' | 'PAID';

export interface BookingModel {
  id: string;
  voucherId: string;
  programmeKey: string;
  smeKey: string;
  labKey: string;
  status: string;
  statusReason: string | null;
  subsidyFen: number;
  copaymentFen: number;
  catalogPriceFen: number;
  copaymentRecorded: boolean;
  createdAt: number;
  /** when the model saw the provider's confirmation answered */
  confirmedAt: number | null;
  reportedAt: number | null;
  disputeId: string | null;
  claimId: string | null;
  claimStatus: ClaimStatus | null;
  /** the service said the booking's process is over: no action is in order any more */
  processClosed: boolean;
}

export interface Model {
  /** actions taken so far, and how many the sequence may take */
  stepsTaken: number;
  stepBudget: number;
  programmes: ProgrammeModel[];
  smes: SmeModel[];
  labs: LabModel[];
  applications: ApplicationModel[];
  vouchers: VoucherModel[];
  bookings: BookingModel[];
}

export const emptyModel = (stepBudget = Number.MAX_SAFE_INTEGER): Model => ({
  stepsTaken: 0,
  stepBudget,
  programmes: [],
  smes: [],
  labs: [],
  applications: [],
  vouchers: [],
  bookings: [],
});

/** Statuses in which a booking's money went back and nothing more happens to it. */
export const RELEASED_BOOKING_STATUSES = ['DECLINED', 'CONFIRMATION_EXPIRED', 'CANCELLED', 'LAPSED'];

/** A booking's claim in these statuses took its subsidy out of COMMITTED. */
export const DECIDED_CLAIM_STATUSES: ClaimStatus[] = ['APPROVED', 'REJECTED', 'PAID'];

/** Whether a booking's process is over: its money released, its claim paid, or its claim rejected. */
export function bookingTerminal(b: Pick<BookingModel, 'status' | 'claimStatus'>): boolean {
  return (
    RELEASED_BOOKING_STATUSES.includes(b.status) ||
    b.status === 'SETTLED' ||
    b.claimStatus === 'PAID' ||
    b.claimStatus === 'REJECTED'
  );
}

/** Whether a booking reached a claim that revocation leaves standing. */
export const claimStands = (b: Pick<BookingModel, 'claimStatus'>) =>
  b.claimStatus === 'APPROVED' || b.claimStatus === 'PAID';

export const programmeOf = (m: Model, key: string) => m.programmes.find((p) => p.key === key)!;
export const labOf = (m: Model, key: string) => m.labs.find((l) => l.key === key)!;
export const voucherOf = (m: Model, id: string) => m.vouchers.find((v) => v.id === id);
