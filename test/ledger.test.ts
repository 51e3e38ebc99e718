import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNTS,
  ledgerViolations,
  MOVEMENTS,
  postingsOf,
  type Balances,
  type Movement,
} from '../domain/ledger';

const movements = Object.keys(MOVEMENTS) as Movement[];

describe('ledger movements', () => {
  it('are balanced entries: the postings of any movement sum to zero', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...movements),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (movement, amount) => {
          const [debit, credit] = postingsOf(movement, amount);
          expect(debit.amountFen + credit.amountFen).toBe(0);
          expect(debit.account).toBe(MOVEMENTS[movement].from);
          expect(credit.account).toBe(MOVEMENTS[movement].to);
        },
      ),
    );
  });

  it('refuse zero, negative and fractional amounts', () => {
    for (const amount of [0, -1, 1.5, Number.NaN])
      expect(() => postingsOf('RESERVE', amount)).toThrow(RangeError);
  });

  it('keep the sum of the accounts at the budget, whatever sequence is applied', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.array(fc.tuple(fc.constantFrom(...movements), fc.integer({ min: 1, max: 1_000_000 })), {
          maxLength: 50,
        }),
        (budget, steps) => {
          const balances = Object.fromEntries(
            ACCOUNTS.map((a) => [a, a === 'AVAILABLE' ? budget : 0]),
          ) as Balances;
          for (const [movement, amount] of steps) {
            const { from } = MOVEMENTS[movement];
            // the repository refuses a movement its source cannot cover
            if (balances[from] < amount) continue;
            for (const posting of postingsOf(movement, amount))
              balances[posting.account] += posting.amountFen;
          }
          expect(ledgerViolations(balances, budget)).toEqual([]);
        },
      ),
    );
  });

  it('name what is wrong with an unsound ledger', () => {
    const balances: Balances = { AVAILABLE: -5, RESERVED: 10, COMMITTED: 0, PAYABLE: 0, PAID: 0 };
    expect(ledgerViolations(balances, 10)).toEqual([
      'accounts sum to 5 fen, the budget is 10 fen',
      'AVAILABLE is negative (-5 fen)',
    ]);
  });
});
