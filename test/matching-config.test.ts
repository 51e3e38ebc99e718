import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCHING_WEIGHTS } from '../config/matching';
import { ConfigError, loadEnv } from '../config/env';
import {
  accreditationLapse,
  AccreditationInputSchema,
  accreditationStanding,
  scopeViolations,
} from '../domain/provider';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadEnv(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('matching and onboarding configuration', () => {
  it('weighs the score by defaults, or by MATCHING_WEIGHTS with the rest kept', () => {
    expect(loadEnv({}).MATCHING_WEIGHTS).toEqual(DEFAULT_MATCHING_WEIGHTS);
    expect(loadEnv({ MATCHING_WEIGHTS: '{"price":50,"regionProximity":0}' }).MATCHING_WEIGHTS).toEqual({
      ...DEFAULT_MATCHING_WEIGHTS,
      price: 50,
      regionProximity: 0,
    });
  });

  it('names a wrong weight, unknown component or malformed JSON', () => {
    expect(problems({ MATCHING_WEIGHTS: 'price=50' })[0]).toMatch(/^MATCHING_WEIGHTS: must be a JSON object/);
    expect(problems({ MATCHING_WEIGHTS: '{"price":-1}' })[0]).toMatch(/^MATCHING_WEIGHTS\.price:/);
    expect(problems({ MATCHING_WEIGHTS: '{"cheapness":1}' })[0]).toMatch(/^MATCHING_WEIGHTS:.*cheapness/);
    const allZero = Object.fromEntries(Object.keys(DEFAULT_MATCHING_WEIGHTS).map((k) => [k, 0]));
    expect(problems({ MATCHING_WEIGHTS: JSON.stringify(allZero) })).toEqual([
      'MATCHING_WEIGHTS: at least one weight must be above 0',
    ]);
  });

  it('takes review durations from the environment and wants escalation after the reminder', () => {
    const env = loadEnv({ PROVIDER_REVIEW_REMINDER_AFTER: '2s', PROVIDER_REVIEW_ESCALATE_AFTER: '4s' });
    expect([env.PROVIDER_REVIEW_REMINDER_AFTER, env.PROVIDER_REVIEW_ESCALATE_AFTER]).toEqual(['2s', '4s']);
    expect(loadEnv({}).PROVIDER_REVIEW_REMINDER_AFTER).toBe('3d');
    expect(problems({ PROVIDER_REVIEW_REMINDER_AFTER: '5d', PROVIDER_REVIEW_ESCALATE_AFTER: '3d' })).toEqual([
      'PROVIDER_REVIEW_ESCALATE_AFTER: must be longer than PROVIDER_REVIEW_REMINDER_AFTER',
    ]);
  });
});

describe('accreditations', () => {
  it('lapse at the end of their last day in Asia/Shanghai, or at an exact instant', () => {
    expect(accreditationLapse('2028-06-30')).toEqual({
      expiresOn: '2028-06-30',
      expiresAt: '2028-06-30T16:00:00.000Z',
    });
    expect(accreditationLapse('2028-06-30T18:00:00+08:00')).toEqual({
      expiresOn: '2028-06-30',
      expiresAt: '2028-06-30T10:00:00.000Z',
    });
    // lapsing at midnight means the day before was the last valid one
    expect(accreditationLapse('2028-07-01T00:00:00+08:00').expiresOn).toBe('2028-06-30');
  });

  it('normalise numbers and scope, and refuse numbers of the wrong shape', () => {
    const parsed = AccreditationInputSchema.parse({
      kind: 'CNAS',
      number: 'cnasl1234',
      scope: ['gb/t2423.1-2008', 'GB/T 2423.1', 'iec 61000-4-2:2008'],
      expiresOn: '2028-06-30',
    });
    expect(parsed).toMatchObject({ number: 'CNAS L1234', scope: ['GB/T 2423.1', 'IEC 61000-4-2'] });
    const wrong = AccreditationInputSchema.safeParse({
      kind: 'CMA',
      number: 'L1234',
      scope: ['GB 175'],
      expiresOn: '2028-02-30',
    });
    expect(wrong.success).toBe(false);
    expect(wrong.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['expiresOn', 'number']);
  });

  it('back a service’s in-scope claim only for standards they cover', () => {
    const scope = [{ scope: ['GB/T 2423.1', 'GB/T 2423.2'] }];
    expect(
      scopeViolations(
        [
          { name: 'climate', standards: ['GB/T 2423.1', 'GB/T 2423.2'], inScope: true },
          { name: 'esd', standards: ['GB/T 2423.1', 'IEC 61000-4-2'], inScope: true },
          { name: 'advice', standards: ['IEC 61000-4-2'], inScope: false },
        ],
        scope,
      ),
    ).toEqual([{ index: 1, service: 'esd', standard: 'IEC 61000-4-2' }]);
  });

  it('are due for renewal from the warning lead before their lapse on, and lapsed from the lapse on', () => {
    const lapse = { expiresAt: '2028-06-30T16:00:00.000Z' };
    const at = (iso: string) => accreditationStanding(lapse, '30d', Date.parse(iso));
    expect(at('2028-05-31T15:59:59.999Z')).toEqual({
      warningFrom: '2028-05-31T16:00:00.000Z',
      standing: 'VALID',
    });
    expect(at('2028-05-31T16:00:00.000Z').standing).toBe('RENEWAL_DUE');
    expect(at('2028-06-30T15:59:59.999Z').standing).toBe('RENEWAL_DUE');
    expect(at('2028-06-30T16:00:00.000Z').standing).toBe('LAPSED');
  });
});
