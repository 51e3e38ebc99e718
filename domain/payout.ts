import type { ClaimStatus } from './claim';
import type { Fen } from './money';

/** A transfer is ordered when its batch opens, and sent once the gateway has executed it. */
export const TRANSFER_STATUSES = ['PENDING', 'SENT'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** One claim a transfer pays, as its remittance advice lists it. */
export interface RemittanceLine {
  claimId: string;
  bookingId: string;
  voucherCode: string;
  enterpriseName: string;
  amountFen: Fen;
}

/** One payout transfer to a provider: every approved claim of one programme that a batch found unpaid. */
export interface TransferRecord {
  id: string;
  batchId: string;
  programmeId: string;
  providerId: string;
  amountFen: Fen;
  status: TransferStatus;
  /** the payment gateway's reference, once sent */
  reference: string | null;
  /** when the batch that ordered it opened */
  orderedAt: Date;
  sentAt: Date | null;
  claims: RemittanceLine[];
}

/** How many of a provider's claims are in a status, and what they amount to. */
export interface ClaimTotal {
  status: ClaimStatus;
  claims: number;
  amountFen: Fen;
}
