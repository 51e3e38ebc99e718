import { createHash } from 'node:crypto';
import { durationMs } from './duration';
import type { Policy } from './policy';

/**
 * Voucher code printed on paper and read over the phone: programme year, then ten characters of
 * an alphabet without look-alikes (no 0/O, 1/I/L), derived from the voucher id so that retrying the
 * issuing step yields the same code.
 */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export function voucherCode(voucherId: string, year: number): string {
  const digest = createHash('sha256').update(voucherId).digest();
  let code = '';
  for (let i = 0; i < 10; i += 1) code += ALPHABET[digest[i]! % ALPHABET.length];
  return `TV${year}-${code.slice(0, 5)}-${code.slice(5)}`;
}

export function validityWindow(
  issuedAt: Date,
  policy: Pick<Policy, 'voucherValidity'>,
): { validFrom: Date; validUntil: Date } {
  return {
    validFrom: issuedAt,
    validUntil: new Date(issuedAt.getTime() + durationMs(policy.voucherValidity)),
  };
}
