import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fenFromBigInt, FenSchema, MAX_FEN, PositiveFenSchema } from '../domain/money';
import { isRegionCode, PROVINCES, RegionCodeSchema } from '../domain/region';

describe('GB/T 2260 region codes', () => {
  it('accepts six digits under a known province', () => {
    for (const code of ['110000', '310115', '440300', '330100', '820000'])
      expect(isRegionCode(code)).toBe(true);
  });
  it('refuses other shapes and unknown provinces, saying which', () => {
    expect(RegionCodeSchema.safeParse('44030').error?.issues[0]?.message).toContain('6-digit');
    expect(RegionCodeSchema.safeParse('990000').error?.issues[0]?.message).toContain('province');
    expect(isRegionCode('44030A')).toBe(false);
    expect(Object.keys(PROVINCES)).toHaveLength(34);
  });
});

describe('money in fen', () => {
  it('accepts non-negative integers up to the bound only', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: MAX_FEN }), (n) => FenSchema.safeParse(n).success));
    fc.assert(
      fc.property(
        fc.integer({ min: MAX_FEN + 1, max: Number.MAX_SAFE_INTEGER }),
        (n) => !FenSchema.safeParse(n).success,
      ),
    );
    fc.assert(fc.property(fc.integer({ max: -1 }), (n) => !FenSchema.safeParse(n).success));
    fc.assert(
      fc.property(
        fc.double({ noNaN: true }).filter((n) => !Number.isInteger(n)),
        (n) => !FenSchema.safeParse(n).success,
      ),
    );
    expect(FenSchema.safeParse('100').success).toBe(false);
    expect(PositiveFenSchema.safeParse(0).success).toBe(false);
  });
  it('refuses database amounts JSON cannot carry exactly', () => {
    expect(fenFromBigInt(2_000_000n)).toBe(2_000_000);
    expect(() => fenFromBigInt(2n ** 60n)).toThrow(RangeError);
  });
});
