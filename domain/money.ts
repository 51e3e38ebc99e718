import { z } from 'zod';

/** Money is integer fen (1 CNY = 100 fen) everywhere; never a float. */
export type Fen = number;

/**
 * The largest amount the service takes or computes: 10^13 fen (100,000,000,000.00 CNY, 1000 亿元), far
 * beyond any programme's budget. Every integer up to it is exact in a JSON number (2^53 ≈ 9.007 × 10^15)
 * and in a PostgreSQL BIGINT, and so is a sum of up to 900 such amounts, so the ledger's and the
 * settlement's totals stay exact. Each money input is refused above it.
 */
export const MAX_FEN: Fen = 10_000_000_000_000;

/**
 * The largest price per sample: 5 × 10^7 fen (500,000.00 CNY). A booking has at most one line per
 * standard of its demand (at most 20) and at most 10,000 samples, so a quote — the lines' unit prices
 * times the samples, summed — stays within `MAX_FEN` by construction (test/money-bound.test.ts checks
 * the demand's bounds against it).
 */
export const MAX_UNIT_PRICE_FEN: Fen = MAX_FEN / (20 * 10_000);

const fen = (max: Fen) =>
  z
    .number({ error: 'must be an integer amount in fen' })
    .max(max, { error: `must be at most ${max} fen (${formatYuan(max)})` })
    .int({ error: 'must be a whole number of fen (1 CNY = 100 fen)' })
    .nonnegative({ error: 'must not be negative' });

export const FenSchema = fen(MAX_FEN).meta({
  id: 'Fen',
  description: `amount in fen (1 CNY = 100 fen), a non-negative integer of at most ${MAX_FEN}`,
  example: 1_000_000,
});

export const PositiveFenSchema = FenSchema.refine((value) => value > 0, { error: 'must be more than 0 fen' });

/** A price per sample: more than 0 and at most `MAX_UNIT_PRICE_FEN`. */
export const UnitPriceFenSchema = fen(MAX_UNIT_PRICE_FEN)
  .refine((value) => value > 0, { error: 'must be more than 0 fen' })
  .meta({
    id: 'UnitPriceFen',
    description: `price per sample in fen, more than 0 and at most ${MAX_UNIT_PRICE_FEN}`,
    example: 150_000,
  });

/**
 * floor(amount × bps / 10,000) without forming the product, which for amounts near `MAX_FEN` would pass
 * 2^53: amount = a × 10,000 + b, so the share is a × bps + floor(b × bps / 10,000), each term exact.
 */
export function shareOf(amount: Fen, bps: number): Fen {
  const remainder = amount % 10_000;
  const whole = (amount - remainder) / 10_000;
  const scaled = remainder * bps;
  return whole * bps + (scaled - (scaled % 10_000)) / 10_000;
}

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
export function formatYuan(fen: Fen): string {
  return `${yuanDigits(fen)} CNY`;
}

/** Database BIGINT → JSON integer; refuses what JSON numbers cannot hold exactly. */
export function fenFromBigInt(value: bigint): Fen {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`amount ${value} fen is beyond the exact range of JSON numbers`);
  }
  return Number(value);
}
