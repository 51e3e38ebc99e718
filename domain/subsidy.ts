import { shareOf, type Fen } from './money';

export interface SubsidySplit {
  ratioBps: number;
  subsidyFen: Fen;
  copaymentFen: Fen;
}

/**
 * docs/policy.md, "Money": subsidy = min(floor(quoted price × ratio), voucher balance); the SME pays the rest.
 * Integer arithmetic throughout, exact for every amount up to MAX_FEN (see `shareOf`).
 */
export function subsidySplit(quotedPriceFen: Fen, ratioBps: number, voucherBalanceFen: Fen): SubsidySplit {
  const byRatio = shareOf(quotedPriceFen, ratioBps);
  const subsidyFen = Math.max(0, Math.min(byRatio, voucherBalanceFen));
  return { ratioBps, subsidyFen, copaymentFen: quotedPriceFen - subsidyFen };
}

/**
 * The most a booking's subsidy may become when the provider quotes: what the booking already holds plus,
 * while the voucher is active, the voucher's balance.
 */
export function subsidyRoom(voucher: { status: string; balanceFen: Fen }, committedFen: Fen): Fen {
  return voucher.status === 'ACTIVE' ? voucher.balanceFen + committedFen : committedFen;
}
