import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CreditCodeSchema,
  creditCodeCheckCharacter,
  creditCodeProblem,
  isValidCreditCode,
  withCheckCharacter,
} from '../domain/credit-code';

// published codes of well-known enterprises
const REAL_CODES = [
  '91440300708461136T', // 深圳市腾讯计算机系统有限公司
  '91330100716105852F', // 阿里巴巴（中国）有限公司
  '914403001922038216', // 华为技术有限公司
  '91110000802100433B', // 北京百度网讯科技有限公司
  '91110108551385082Q', // 小米科技有限责任公司
  '91350100M000100Y43', // the example printed in GB 32100-2015
];
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('unified social credit code (GB 32100-2015)', () => {
  it.each(REAL_CODES)('accepts the real code %s', (code) => {
    expect(creditCodeProblem(code)).toBeNull();
  });

  it.each(REAL_CODES)('refuses every one-character corruption of %s', (code) => {
    for (let position = 0; position < 18; position += 1) {
      for (const replacement of ALPHABET) {
        if (replacement === code[position]) continue;
        const corrupted = code.slice(0, position) + replacement + code.slice(position + 1);
        expect(isValidCreditCode(corrupted), `${corrupted} (position ${position + 1})`).toBe(false);
      }
    }
  });

  it('names what is wrong: length, characters or the check character', () => {
    expect(creditCodeProblem('9144030070846113')).toBe('LENGTH');
    expect(creditCodeProblem('91440300708461136I')).toBe('CHARACTERS'); // I is not in the alphabet
    expect(creditCodeProblem('914403007084611365')).toBe('CHECK_CHARACTER');
    expect(creditCodeProblem('9144A300708461136T')).toBe('CHARACTERS'); // division code must be digits
  });

  it('catches any single substitution and any swap of two neighbours in generated codes', () => {
    const char = fc.constantFrom(...ALPHABET);
    const first17 = fc
      .tuple(
        fc.constantFrom(...'123456789'),
        fc.constantFrom(...'123'),
        fc.stringMatching(/^\d{6}$/),
        fc.array(char, { minLength: 9, maxLength: 9 }),
      )
      .map(([a, b, division, rest]) => `${a}${b}${division}${rest.join('')}`);
    fc.assert(
      fc.property(first17, fc.nat(16), char, (prefix, position, replacement) => {
        const code = withCheckCharacter(prefix);
        expect(isValidCreditCode(code)).toBe(true);
        if (replacement !== code[position]) {
          expect(isValidCreditCode(code.slice(0, position) + replacement + code.slice(position + 1))).toBe(
            false,
          );
        }
        if (position < 16 && code[position] !== code[position + 1]) {
          const swapped =
            code.slice(0, position) + code[position + 1] + code[position] + code.slice(position + 2);
          expect(isValidCreditCode(swapped)).toBe(false);
        }
      }),
    );
  });

  it('computes the check character the standard prints', () => {
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
  });

  it('normalises case and surrounding space in the API schema, with a reason when refused', () => {
    expect(CreditCodeSchema.parse(' 91440300708461136t ')).toBe('91440300708461136T');
    const result = CreditCodeSchema.safeParse('914403007084611365');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('check character');
  });
});
