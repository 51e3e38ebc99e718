import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizeStandardCode } from '../domain/standards';
import { validityWindow, voucherCode } from '../domain/voucher';

describe('voucher codes', () => {
  it('are stable for a voucher id, so a retried issuing step prints the same code', () => {
    const id = randomUUID();
    expect(voucherCode(id, 2026)).toBe(voucherCode(id, 2026));
    expect(voucherCode(id, 2026)).toMatch(/^TV2026-[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
  });

  it('do not collide across many vouchers', () => {
    const codes = new Set(Array.from({ length: 20_000 }, () => voucherCode(randomUUID(), 2026)));
    expect(codes.size).toBe(20_000);
  });

  it('are valid for the policy’s validity from issue', () => {
    const issuedAt = new Date('2026-03-01T02:00:00Z');
    expect(validityWindow(issuedAt, { voucherValidity: '180d' }).validUntil.toISOString()).toBe(
      '2026-08-28T02:00:00.000Z',
    );
  });
});

describe('standard codes', () => {
  it.each([
    ['gb/t2423.1-2008', 'GB/T 2423.1'],
    ['GB/T 2423.1', 'GB/T 2423.1'],
    ['GB 4943.1—2022', 'GB 4943.1'],
    ['iec 61000-4-2:2008', 'IEC 61000-4-2'],
    ['ISO/IEC 17025', 'ISO/IEC 17025'],
    ['JJG 1036-2008', 'JJG 1036'],
    ['SJ/T 11364-2014', 'SJ/T 11364'],
  ])('normalises %s to %s', (input, expected) => {
    expect(normalizeStandardCode(input)).toBe(expected);
  });

  it.each(['', 'hello', 'GB/T', '2423.1'])('refuses %j', (input) => {
    expect(normalizeStandardCode(input)).toBeNull();
  });
});

describe('durations', () => {
  it('parse the units the policy uses and refuse anything else without throwing', async () => {
    const { durationMs } = await import('../domain/duration');
    const { DurationSchema } = await import('../domain/duration-schema');
    expect(durationMs('48h')).toBe(172_800_000);
    expect(durationMs('1500ms')).toBe(1500);
    expect(DurationSchema.safeParse('0 2 * * *').success).toBe(false);
    expect(DurationSchema.safeParse('0s').success).toBe(false);
    expect(DurationSchema.safeParse('7d').success).toBe(true);
  });
});
