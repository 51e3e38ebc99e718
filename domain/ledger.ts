import type { Fen } from './money';

/**
 * The budget ledger of a programme (docs/policy.md, "Budget and ledger"): five accounts that always sum to the budget.
 *
 * AVAILABLE  budget not yet promised to anyone
 * RESERVED   approved vouchers' face value not yet committed to a booking
 * COMMITTED  subsidies of bookings under way
 * PAYABLE    subsidies of approved claims, waiting for the payout batch
 * PAID       subsidies transferred to providers
 */
export const ACCOUNTS = ['AVAILABLE', 'RESERVED', 'COMMITTED', 'PAYABLE', 'PAID'] as const;
export type Account = (typeof ACCOUNTS)[number];

/** Every way money may move, and only these. */
export const MOVEMENTS = {
  /** an application is approved: its voucher's face value is set aside */
  RESERVE: { from: 'AVAILABLE', to: 'RESERVED' },
  /** a voucher expires or is revoked: what it did not commit returns to the programme */
  RELEASE: { from: 'RESERVED', to: 'AVAILABLE' },
  /** a booking commits part of its voucher */
  COMMIT: { from: 'RESERVED', to: 'COMMITTED' },
  /** a booking is cancelled, declined or refused while its voucher is live: back to the voucher */
  UNCOMMIT: { from: 'COMMITTED', to: 'RESERVED' },
  /** the same after the voucher ended: back to the programme */
  UNCOMMIT_TO_AVAILABLE: { from: 'COMMITTED', to: 'AVAILABLE' },
  /** a claim is approved */
  APPROVE_CLAIM: { from: 'COMMITTED', to: 'PAYABLE' },
  /** a payout transfer is made */
  PAY: { from: 'PAYABLE', to: 'PAID' },
} as const satisfies Record<string, { from: Account; to: Account }>;

export type Movement = keyof typeof MOVEMENTS;

export interface Posting {
  account: Account;
  amountFen: Fen;
}

/** The balanced postings of a movement: the debit and the credit sum to zero. */
export function postingsOf(movement: Movement, amountFen: Fen): [Posting, Posting] {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) {
    throw new RangeError(`a ledger movement needs a positive whole amount of fen, got ${amountFen}`);
  }
  const { from, to } = MOVEMENTS[movement];
  return [
    { account: from, amountFen: -amountFen },
    { account: to, amountFen },
  ];
}

export type Balances = Record<Account, Fen>;

/** What must hold at every moment; an empty list when the ledger is sound. */
export function ledgerViolations(balances: Balances, budgetFen: Fen): string[] {
  const violations: string[] = [];
  const total = ACCOUNTS.reduce((sum, account) => sum + balances[account], 0);
  if (total !== budgetFen) violations.push(`accounts sum to ${total} fen, the budget is ${budgetFen} fen`);
  for (const account of ACCOUNTS) {
    if (balances[account] < 0) violations.push(`${account} is negative (${balances[account]} fen)`);
  }
  return violations;
}
