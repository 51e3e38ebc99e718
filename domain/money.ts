import { z } from 'zod';

/** Money is integer fen (1 CNY = 100 fen) everywhere; never a float. */
export type Fen = number;

export const FenSchema = z
  .number({ error: 'must be an integer amount in fen' })
  .int({ error: 'must be a whole number of fen (1 CNY = 100 fen)' })
  .nonnegative({ error: 'must not be negative' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'is too large' })
  .meta({
    id: 'Fen',
    description: 'amount in fen (1 CNY = 100 fen), a non-negative integer',
    example: 1_000_000,
  });

export const PositiveFenSchema = FenSchema.refine((value) => value > 0, { error: 'must be more than 0 fen' });

export const yuan = (amount: number): Fen => Math.round(amount * 100);

/** Integer fen as yuan digits with two decimals, by integer arithmetic: 140000 → "1,400.00". */
export function yuanDigits(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.trunc(abs / 100).toLocaleString('en-US');
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}${whole}.${cents}`;
}

/** Integer fen as the service's messages write money: 140000 → "1,400.00 CNY". */
export const formatYuan = (fen: Fen): string => `${yuanDigits(fen)} CNY`;

/** Database BIGINT → JSON integer; refuses what JSON numbers cannot hold exactly. */
export function fenFromBigInt(value: bigint): Fen {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`amount ${value} fen is beyond the exact range of JSON numbers`);
  }
  return Number(value);
}
