import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import { addDays, localDate } from '../domain/calendar';
import type { Candidate, NearMiss } from '../domain/matching';
import { startTestApi, type TestApi } from './support/api';
import { CLIMATE_SERVICE, insertListedProvider, insertVoucher } from './support/provider-fixtures';
import { uniqueTaskQueue } from './support/worker';

interface MatchBody {
  deadline: string;
  programmeId: string | null;
  voucherId: string | null;
  totalCandidates: number;
  candidates: Candidate[];
  nearMisses: NearMiss[];
}

// standards no other test file offers, so that the catalog of this file is the whole answer
const THERMAL = 'GB/T 2423.22';
const EFT = 'GB/T 17626.4';
const today = localDate(new Date());
const demand = { standards: [THERMAL, EFT], sampleCount: 2, latestCompletionDate: addDays(today, 30) };

let api: TestApi;
let sme: { token: string };
let voucher: { voucherId: string; programmeId: string; enterpriseId: string };
const ids: Record<string, string> = {};

const testing = (standards: string[], unitPriceFen: number, more: object = {}) => ({
  ...CLIMATE_SERVICE,
  name: `试验 ${standards.join('+')}`,
  standards,
  unitPriceFen,
  ...more,
});

beforeAll(async () => {
  api = await startTestApi({ taskQueue: uniqueTaskQueue(import.meta.url) });
  voucher = await insertVoucher(api.db, {
    policy: { eligibleCategories: ['TESTING', 'INSPECTION'], subsidyRatioBps: 5_000 },
    balanceFen: 300_000,
  });
  sme = await api.givenUser('SME', { enterpriseId: voucher.enterpriseId });
  const add = async (name: string, options: Parameters<typeof insertListedProvider>[1]) => {
    ids[name] = (await insertListedProvider(api.db, { name, ...options })).providerId;
  };
  await add('one-stop', { regionCode: '310104', services: [testing([THERMAL, EFT], 100_000)] });
  await add('two-labs', {
    regionCode: '310115',
    services: [testing([THERMAL], 40_000), testing([EFT], 50_000)],
  });
  await add('jiangsu', { regionCode: '320505', services: [testing([THERMAL, EFT], 30_000)] });
  await add('half-scope', {
    services: [testing([THERMAL], 30_000), testing([EFT], 30_000, { inScope: false })],
  });
  await add('certifier', { services: [testing([THERMAL, EFT], 30_000, { category: 'CERTIFICATION' })] });
});
afterAll(async () => {
  await api?.stop();
});

const matchVoucher = (voucherId: string, token = sme.token, body: object = demand) =>
  api.call<MatchBody>('POST', `/api/v1/vouchers/${voucherId}/matches`, { token, body });

describe('matching a voucher’s demand', () => {
  it('ranks the providers that pass every filter, explains each score, and estimates the subsidy', async () => {
    const res = await matchVoucher(voucher.voucherId);
    expect(res.status, res.text).toBe(200);
    const { candidates, nearMisses } = res.body;
    expect(res.body).toMatchObject({ voucherId: voucher.voucherId, programmeId: voucher.programmeId });
    expect(candidates.map((c) => c.providerId).sort()).toEqual([ids['one-stop'], ids['two-labs']].sort());
    expect(candidates.map((c) => c.rank)).toEqual([1, 2]);
    expect(candidates[0]!.score).toBeGreaterThanOrEqual(candidates[1]!.score);

    const oneStop = candidates.find((c) => c.providerId === ids['one-stop'])!;
    expect(oneStop.quotedPriceFen).toBe(200_000);
    expect(oneStop.subsidy).toEqual({ ratioBps: 5_000, subsidyFen: 100_000, copaymentFen: 100_000 });
    expect(oneStop.lines).toEqual([
      expect.objectContaining({
        standards: [THERMAL, EFT],
        unitPriceFen: 100_000,
        priceFen: 200_000,
        startDate: addDays(today, 1),
      }),
    ]);
    const twoLabs = candidates.find((c) => c.providerId === ids['two-labs'])!;
    expect(twoLabs.lines.map((l) => l.standards)).toEqual([[THERMAL], [EFT]]);
    expect(twoLabs.quotedPriceFen).toBe(180_000);
    const component = (c: Candidate, name: string) => c.components.find((x) => x.name === name)!;
    expect(component(twoLabs, 'price').value).toBe(1);
    expect(component(oneStop, 'price').value).toBe(0.9);
    expect(component(oneStop, 'coverage').value).toBe(1);
    expect(component(twoLabs, 'coverage').value).toBe(0.5);
    // near the enterprise's own district when the demand names no region
    expect(component(twoLabs, 'regionProximity')).toMatchObject({
      value: 1,
      detail: 'same district as 310115',
    });
    expect(component(oneStop, 'regionProximity').value).toBe(0.75);

    const reasons = Object.fromEntries(nearMisses.map((m) => [m.providerId, m.reasons]));
    expect(reasons[ids.jiangsu!]![0]!.code).toBe('REGION_NOT_ALLOWED');
    expect(reasons[ids['half-scope']!]).toEqual([
      { code: 'STANDARD_NOT_IN_SCOPE', standard: EFT, message: `standard ${EFT} not in scope` },
    ]);
    expect(reasons[ids.certifier!]!.map((r) => r.code)).toEqual([
      'CATEGORY_NOT_ELIGIBLE',
      'CATEGORY_NOT_ELIGIBLE',
    ]);
  });

  it('sees a catalog change at once', async () => {
    const staff = await api.givenUser('PROVIDER', { providerId: ids['two-labs'] });
    const changed = await api.call('PUT', `/api/v1/providers/${ids['two-labs']}/services`, {
      token: staff.token,
      body: { services: [testing([THERMAL, EFT], 20_000)] },
    });
    expect(changed.status, changed.text).toBe(200);
    const res = await matchVoucher(voucher.voucherId);
    const twoLabs = res.body.candidates.find((c) => c.providerId === ids['two-labs'])!;
    expect(twoLabs).toMatchObject({ rank: 1, quotedPriceFen: 40_000 });
    expect(twoLabs.lines).toHaveLength(1);
  });

  it('keeps the voucher its owner’s, active, and the work within its validity', async () => {
    const other = await api.givenUser('SME');
    expect((await matchVoucher(voucher.voucherId, other.token)).status).toBe(404);

    const revoked = await insertVoucher(api.db, { status: 'REVOKED' });
    const owner = await api.givenUser('SME', { enterpriseId: revoked.enterpriseId });
    const refused = await api.call<Problem>('POST', `/api/v1/vouchers/${revoked.voucherId}/matches`, {
      token: owner.token,
      body: demand,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('VOUCHER_NOT_ACTIVE');

    const ending = await insertVoucher(api.db, { validUntil: new Date(Date.now() + 3 * 86_400_000) });
    const holder = await api.givenUser('SME', { enterpriseId: ending.enterpriseId });
    const soon = await matchVoucher(ending.voucherId, holder.token);
    expect(soon.body.deadline).toBe(localDate(new Date(Date.now() + 3 * 86_400_000)));
    expect(soon.body.candidates).toEqual([]);
    // five days of turnaround fit before the demand's date, not before the voucher's end
    expect(soon.body.nearMisses.find((m) => m.providerId === ids['one-stop'])!.reasons[0]).toEqual({
      code: 'VOUCHER_ENDS_TOO_SOON',
      standard: THERMAL,
      message: `the voucher ends before ${THERMAL} could be done: its last day is ${soon.body.deadline}, the earliest completion ${addDays(today, 6)}`,
    });
  });

  it('browses without a voucher, under a programme’s rules or none', async () => {
    const admin = await api.givenUser('ADMIN');
    const underProgramme = await api.call<MatchBody>('POST', '/api/v1/matches', {
      token: admin.token,
      body: { programmeId: voucher.programmeId, demand },
    });
    expect(underProgramme.status, underProgramme.text).toBe(200);
    expect(underProgramme.body.candidates.every((c) => c.subsidy === null)).toBe(true);
    expect(underProgramme.body.candidates.map((c) => c.providerId)).not.toContain(ids.jiangsu);

    const anywhere = await api.call<MatchBody>('POST', '/api/v1/matches?limit=1', {
      token: sme.token,
      body: { demand: { ...demand, regionPreference: '320505' } },
    });
    expect(anywhere.body.totalCandidates).toBe(4);
    expect(anywhere.body.candidates).toHaveLength(1);

    const unknown = await api.call<Problem>('POST', '/api/v1/matches', {
      token: sme.token,
      body: { programmeId: '00000000-0000-4000-8000-000000000000', demand },
    });
    expect(unknown.status).toBe(404);
  });
});
