import { z } from 'zod';

/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-character
 * alphabet (digits and capitals without I, O, Z, S, V). Position 1 is the registering authority,
 * 2 the organisation category, 3–8 the administrative division (GB/T 2260), 9–17 the organisation
 * code, 18 a check character over the first 17.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[1-9A-HJ-NP-RTUWXY][1-9A-HJ-NP-RTUWXY]\d{6}[0-9A-HJ-NP-RTUWXY]{10}$/;

export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = ALPHABET.indexOf(first17[i]!);
    if (value < 0) throw new Error(`character ${first17[i]} is not in the GB 32100 alphabet`);
    sum += value * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

export type CreditCodeProblem = 'LENGTH' | 'CHARACTERS' | 'CHECK_CHARACTER';

export function creditCodeProblem(code: string): CreditCodeProblem | null {
  if (code.length !== 18) return 'LENGTH';
  if (!SHAPE.test(code)) return 'CHARACTERS';
  return creditCodeCheckCharacter(code.slice(0, 17)) === code[17] ? null : 'CHECK_CHARACTER';
}

export function isValidCreditCode(code: string): boolean {
  return creditCodeProblem(code) === null;
}

/** Completes 17 characters with their check character (demo data and tests). */
export function withCheckCharacter(first17: string): string {
  return first17 + creditCodeCheckCharacter(first17);
}

const REASONS: Record<CreditCodeProblem, string> = {
  LENGTH: 'must be 18 characters',
  CHARACTERS:
    'must use digits and capital letters other than I, O, Z, S and V, with a 6-digit division code in positions 3–8',
  CHECK_CHARACTER: 'check character (position 18) does not match GB 32100-2015: a character is mistyped',
};

export const CreditCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((value, ctx) => {
    const problem = creditCodeProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: REASONS[problem] });
  })
  .meta({
    id: 'CreditCode',
    description: 'Unified social credit code (统一社会信用代码), GB 32100-2015, check character verified',
    example: '91440300708461136T',
  });
