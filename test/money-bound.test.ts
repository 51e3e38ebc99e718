import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogPrice } from '../domain/booking';
import { DemandSchema } from '../domain/demand';
import { cheapestCover, type Option } from '../domain/matching-cover';
import type { MatchingService } from '../domain/matching';
import { PolicySchema } from '../domain/policy';
import {
  FenSchema,
  MAX_FEN,
  MAX_UNIT_PRICE_FEN,
  PositiveFenSchema,
  shareOf,
  UnitPriceFenSchema,
} from '../domain/money';
import { ServiceInputSchema } from '../domain/provider';
import { subsidyRoom, subsidySplit } from '../domain/subsidy';

const BIGINT_MAX = 2n ** 63n - 1n;

/** The largest value a schema accepts among integers, found by bisection: the bound as enforced. */
function largestAccepted(accepts: (n: number) => boolean, high: number): number {
  let lo = 0;
  let hi = high;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (accepts(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const maxSamples = largestAccepted(
  (n) => DemandSchema.shape.sampleCount.safeParse(n).success,
  Number.MAX_SAFE_INTEGER,
);
const maxStandards = largestAccepted(
  (n) => DemandSchema.shape.standards.safeParse(Array.from({ length: n }, () => 'GB/T 2423.1')).success,
  1_000,
);

const amount = fc.integer({ min: 0, max: MAX_FEN });
const unitPrice = fc.integer({ min: 1, max: MAX_UNIT_PRICE_FEN });
const samples = fc.integer({ min: 1, max: maxSamples });
const ratio = fc.integer({ min: 1, max: 10_000 });

describe('the money bound', () => {
  it('fits exactly in JSON numbers and BIGINT, with room for sums', () => {
    expect(Number.isSafeInteger(MAX_FEN)).toBe(true);
    expect(BigInt(MAX_FEN) * 900n).toBeLessThanOrEqual(BigInt(Number.MAX_SAFE_INTEGER));
    expect(BigInt(MAX_FEN) * 900n).toBeLessThanOrEqual(BIGINT_MAX);
    expect(Number.isInteger(MAX_UNIT_PRICE_FEN)).toBe(true);
  });

  it('holds a quote of the largest demand at the largest unit price', () => {
    expect(maxSamples).toBe(10_000);
    expect(maxStandards).toBe(20);
    expect(BigInt(MAX_UNIT_PRICE_FEN) * BigInt(maxSamples) * BigInt(maxStandards)).toBeLessThanOrEqual(
      BigInt(MAX_FEN),
    );
  });

  it('is applied by the shared money schemas, with a reason naming the maximum', () => {
    for (const schema of [FenSchema, PositiveFenSchema]) {
      expect(schema.safeParse(MAX_FEN).success).toBe(true);
      for (const beyond of [MAX_FEN + 1, Number.MAX_SAFE_INTEGER, 2 ** 53, 2 ** 63, 1e300]) {
        const result = schema.safeParse(beyond);
        expect(result.success, String(beyond)).toBe(false);
        expect(result.error?.issues[0]?.message).toMatch(/at most 10000000000000 fen/);
      }
    }
    expect(UnitPriceFenSchema.safeParse(MAX_UNIT_PRICE_FEN).success).toBe(true);
    expect(UnitPriceFenSchema.safeParse(MAX_UNIT_PRICE_FEN + 1).success).toBe(false);
    expect(UnitPriceFenSchema.safeParse(Number.MAX_SAFE_INTEGER).success).toBe(false);
    expect(UnitPriceFenSchema.safeParse(0).success).toBe(false);
  });

  it('bounds every amount a service, a policy or a demand carries', () => {
    const service = {
      name: 'EMC',
      category: 'TESTING',
      standards: ['GB/T 2423.1'],
      turnaroundDays: 5,
      dailyCapacity: 10,
      inScope: true,
    };
    expect(ServiceInputSchema.safeParse({ ...service, unitPriceFen: MAX_UNIT_PRICE_FEN }).success).toBe(true);
    const refused = ServiceInputSchema.safeParse({ ...service, unitPriceFen: Number.MAX_SAFE_INTEGER });
    expect(refused.error?.issues[0]?.path).toEqual(['unitPriceFen']);
    for (const field of ['voucherCapFen', 'enterpriseAnnualCapFen', 'autoApproveClaimsBelowFen'] as const) {
      const result = PolicySchema.safeParse({ [field]: MAX_FEN + 1 });
      expect(result.error?.issues[0]?.path, field).toEqual([field]);
    }
  });
});

describe('money arithmetic below the bound', () => {
  it('prices a booking exactly: unit prices × samples, summed over its lines, within the bound', () => {
    fc.assert(
      fc.property(fc.array(unitPrice, { minLength: 1, maxLength: maxStandards }), samples, (units, count) => {
        const price = catalogPrice(
          units.map((unitPriceFen) => ({ unitPriceFen })),
          count,
        );
        const exact = units.reduce((sum, unit) => sum + BigInt(unit) * BigInt(count), 0n);
        expect(BigInt(price)).toBe(exact);
        expect(price).toBeLessThanOrEqual(MAX_FEN);
      }),
      { numRuns: 500 },
    );
  });

  it('prices the cheapest cover exactly, with at most one service per standard', () => {
    const standardCount = fc.integer({ min: 2, max: maxStandards });
    fc.assert(
      fc.property(
        standardCount.chain((n) =>
          fc.tuple(
            fc.constant(n),
            samples,
            fc.array(fc.tuple(fc.integer({ min: 1, max: 2 ** n - 1 }), unitPrice), {
              minLength: 1,
              maxLength: 12,
            }),
          ),
        ),
        ([n, count, offers]) => {
          // a service for each standard alone, so that a cover always exists, plus the random offers
          const all = [
            ...Array.from({ length: n }, (_, i) => [1 << i, MAX_UNIT_PRICE_FEN] as const),
            ...offers,
          ];
          const options: Option[] = all.map(([mask, unit], i) => ({
            service: { id: `s${String(i).padStart(3, '0')}`, unitPriceFen: unit } as MatchingService,
            slot: { start: 0, completion: 0 },
            mask,
            priceFen: unit * count,
          }));
          const chosen = cheapestCover(n, options)!;
          expect(chosen.length).toBeLessThanOrEqual(n);
          const total = chosen.reduce((sum, o) => sum + o.priceFen, 0);
          const exact = chosen.reduce((sum, o) => sum + BigInt(o.service.unitPriceFen) * BigInt(count), 0n);
          expect(BigInt(total)).toBe(exact);
          expect(total).toBeLessThanOrEqual(MAX_FEN);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('splits any quote up to the bound exactly: subsidy by rate, capped by the balance; the rest the SME pays', () => {
    fc.assert(
      fc.property(amount, ratio, amount, (quote, bps, balance) => {
        const split = subsidySplit(quote, bps, balance);
        const byRate = (BigInt(quote) * BigInt(bps)) / 10_000n;
        const expected = byRate < BigInt(balance) ? byRate : BigInt(balance);
        expect(BigInt(split.subsidyFen)).toBe(expected);
        expect(split.subsidyFen + split.copaymentFen).toBe(quote);
        expect(split.copaymentFen).toBeGreaterThanOrEqual(0);
        expect(Number.isSafeInteger(split.copaymentFen)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('takes a share exactly at the edges', () => {
    expect(shareOf(MAX_FEN, 10_000)).toBe(MAX_FEN);
    expect(shareOf(MAX_FEN - 1, 3_333)).toBe(Number((BigInt(MAX_FEN - 1) * 3_333n) / 10_000n));
    expect(shareOf(9_999, 9_999)).toBe(9_998);
  });

  it('keeps a voucher’s room for a quote (balance plus what the booking holds) exact', () => {
    fc.assert(
      fc.property(amount, amount, (balance, committed) => {
        const room = subsidyRoom({ status: 'ACTIVE', balanceFen: balance }, committed);
        expect(BigInt(room)).toBe(BigInt(balance) + BigInt(committed));
      }),
    );
  });
});
