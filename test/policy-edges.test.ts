import { describe, expect, it } from 'vitest';
import { textIssues, textProblem } from '../api/http/text';
import { loadEnv } from '../config/env';
import { payoutScheduleProblem } from '../domain/payout-schedule';
import { PolicySchema } from '../domain/policy';

const issuesOf = (policy: unknown) =>
  PolicySchema.safeParse(policy).error?.issues.map((i) => [i.path.join('.'), i.message]) ?? [];

describe('a policy is checked whole before any process runs it', () => {
  it('names a payout schedule the scheduler cannot read', () => {
    for (const payoutSchedule of ['0 2 * *', '0 25 * * *', '0 2 * * * *', '@daily', '0 2 1 * mon', '500ms']) {
      expect(issuesOf({ payoutSchedule }), payoutSchedule).toEqual([['payoutSchedule', expect.any(String)]]);
    }
    expect(issuesOf({ payoutSchedule: '0 2 1 * *' })).toEqual([]);
    expect(PolicySchema.parse({ payoutSchedule: ' 0 2 * * * ' }).payoutSchedule).toBe('0 2 * * *');
  });

  it('refuses durations past ten years, which would overflow the dates and timers they become', () => {
    expect(issuesOf({ voucherValidity: '999999999d' })).toEqual([
      ['voucherValidity', 'must be at most 3650d (ten years)'],
    ]);
    expect(issuesOf({ acceptanceWithin: '3650d' })).toEqual([]);
  });

  it('refuses an expiry warning that would come before the voucher is issued', () => {
    expect(issuesOf({ voucherValidity: '10d', expiryWarnings: ['3d', '10d', '20d'] })).toEqual([
      ['expiryWarnings.1', expect.stringContaining('shorter than the voucher validity')],
      ['expiryWarnings.2', expect.stringContaining('shorter than the voucher validity')],
    ]);
  });

  it('names a wrong duration once, without tripping the rules between fields', () => {
    expect(issuesOf({ reviewEscalateAfter: 'soon', voucherValidity: 'long' })).toEqual([
      ['voucherValidity', expect.stringContaining('whole number')],
      ['reviewEscalateAfter', expect.stringContaining('whole number')],
    ]);
  });
});

describe('payout schedules', () => {
  it('take intervals of a second or more, and five-field cron with the usual syntax', () => {
    for (const ok of ['1s', '24h', '0 2 * * *', '*/15 9-17 * * mon-fri', '0 0 1 jan,jul *', '0 2 * * 7'])
      expect(payoutScheduleProblem(ok), ok).toBeNull();
    expect(payoutScheduleProblem('0 2 ? * *')).toContain('day-of-month');
    expect(payoutScheduleProblem('0 2 * * 1#2')).toContain('day-of-week');
    expect(payoutScheduleProblem('0 2 31 2 *')).toContain('day of month');
  });
});

describe('text', () => {
  it('is refused when PostgreSQL cannot store it or it is not text, saying which character and where', () => {
    expect(textProblem('批准\u0000', false)).toBe(
      'contains U+0000 (NUL) at position 2, which cannot be stored',
    );
    expect(textProblem('a\udfff', false)).toContain('unpaired UTF-16 surrogate (U+DFFF)');
    expect(textProblem('a\u0085', false)).toContain('control character U+0085');
    expect(textProblem('行一\n行二\t', false)).toBeNull();
    expect(textProblem('行一\n行二', true)).toContain('must be one line');
    expect(textProblem('😀 检测', true)).toBeNull();
  });

  it('names every field, field names included, at any depth', () => {
    const issues = textIssues({ demand: { standards: ['GB', 'IEC\u0000'] }, ['x\u0007']: 1 }, 'body');
    expect(issues.map((i) => [i.in, i.field, i.code])).toEqual([
      ['body', 'demand.standards.1', 'invalid_character'],
      ['body', 'x\\u0007', 'invalid_character'],
    ]);
    expect(issues[1]?.reason).toMatch(/^the field name contains the control character U\+0007/);
  });
});

describe('configuration', () => {
  it('bounds the wait on a process and checks the default payout schedule', () => {
    expect(loadEnv({}).PROCESS_ANSWER_WITHIN).toBe('15s');
    expect(() => loadEnv({ PROCESS_ANSWER_WITHIN: '10ms' })).toThrow(
      /PROCESS_ANSWER_WITHIN: must be at least 100ms/,
    );
    expect(() => loadEnv({ PAYOUT_SCHEDULE_DEFAULT: '0 2 * *' })).toThrow(/PAYOUT_SCHEDULE_DEFAULT/);
  });
});
