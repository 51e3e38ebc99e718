import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import type { NearMiss } from '../domain/matching';
import { startTestApi, type TestApi } from './support/api';
import { givenListedProvider, pdfReport, type ProviderFixture } from './support/providers';
import {
  DEMAND,
  expectLedgerBalanced,
  givenAdmin,
  givenApprovedVoucher,
  givenProgramme,
  givenSme,
  type Caller,
} from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;
let admin: Caller & { email: string };

interface MatchBody {
  dayLength: string;
  deadlineAt: string;
  candidates: { providerId: string; completionBy: string; lines: { startDate: string }[] }[];
  nearMisses: NearMiss[];
}

interface BookingBody {
  id: string;
  status: string;
  reportDueAt: string | null;
  report: { late: boolean } | null;
}

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  worker = await startTestWorker({ taskQueue });
  api = await startTestApi({ taskQueue });
  admin = await givenAdmin(api);
});
afterAll(async () => {
  await api?.stop();
  await worker?.stop();
});

// a standard no other test file's labs offer, so that their labs cannot crowd these out of the ranking
const STANDARD = 'GB/T 2423.17';
const FILE_DEMAND = { ...DEMAND, standards: [STANDARD] };
const services = (turnaroundDays: number) => [
  { standards: [STANDARD], unitPriceFen: 30_000, turnaroundDays, dailyCapacity: 10 },
];

describe('a programme whose vouchers last minutes and whose days last seconds', () => {
  it('matches and books within the voucher, and names the voucher’s end when it leaves a lab out', async () => {
    const programme = await givenProgramme(api, admin, {
      budgetFen: 10_000_000,
      policy: {
        voucherValidity: '5m',
        dayLength: '10s',
        expiryWarnings: ['1m'],
        providerConfirmWithin: '2m',
        reportGrace: '20s',
        acceptanceWithin: '1m',
        payoutSchedule: '24h',
      },
    });
    const sme = await givenSme(api);
    const { voucherId } = await givenApprovedVoucher(api, admin, sme, programme.id, 1_000_000);
    const voucher = await api.call<{ validUntil: string }>('GET', `/api/v1/vouchers/${voucherId}`, {
      token: sme.token,
    });
    const validUntil = Date.parse(voucher.body.validUntil);
    // two days of ten seconds: done well within five minutes; sixty days: ten minutes, past the voucher
    const quick: ProviderFixture = await givenListedProvider(api, { services: services(2) });
    const slow: ProviderFixture = await givenListedProvider(api, { services: services(60) });

    const matches = await api.call<MatchBody>('POST', `/api/v1/vouchers/${voucherId}/matches`, {
      token: sme.token,
      body: FILE_DEMAND,
    });
    expect(matches.status, matches.text).toBe(200);
    expect(matches.body.dayLength).toBe('10s');
    expect(Date.parse(matches.body.deadlineAt)).toBeLessThanOrEqual(validUntil + 10_000);
    const candidate = matches.body.candidates.find((c) => c.providerId === quick.providerId);
    expect(candidate, matches.text).toBeDefined();
    expect(Date.parse(candidate!.completionBy)).toBeLessThan(validUntil);
    const left = matches.body.nearMisses.find((m) => m.providerId === slow.providerId);
    expect(left?.reasons.map((r) => r.code)).toEqual(['VOUCHER_ENDS_TOO_SOON']);

    // the refusal names the voucher's end, not capacity
    const refused = await api.call<Problem & { details: { reasons: { code: string; message: string }[] } }>(
      'POST',
      '/api/v1/bookings',
      { token: sme.token, body: { voucherId, providerId: slow.providerId, demand: FILE_DEMAND } },
    );
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.code).toBe('PROVIDER_NOT_A_MATCH');
    expect(refused.body.details.reasons.map((r) => r.code)).toEqual(['VOUCHER_ENDS_TOO_SOON']);
    expect(refused.body.detail).toContain('the voucher ends before');
    expect(refused.body.detail).not.toContain('no capacity');

    const booked = await api.call<BookingBody>('POST', '/api/v1/bookings', {
      token: sme.token,
      body: { voucherId, providerId: quick.providerId, demand: FILE_DEMAND },
    });
    expect(booked.status, booked.text).toBe(201);
    const bookingId = booked.body.id;
    const act = (action: string, body: object = {}) =>
      api.call<BookingBody>('POST', `/api/v1/bookings/${bookingId}/${action}`, { token: quick.token, body });
    const confirmed = await act('confirm', { quotedPriceFen: 90_000 });
    expect(confirmed.status, confirmed.text).toBe(200);
    const received = await act('sample-received');
    expect(received.status, received.text).toBe(200);
    // the report falls due two ten-second days after the samples arrive: inside the voucher's validity
    const dueAt = Date.parse(received.body.reportDueAt!);
    expect(dueAt).toBeLessThan(validUntil);
    expect(dueAt - Date.now()).toBeLessThanOrEqual(20_000);

    const reported = await act('report', {
      conclusion: 'PASS',
      fileName: 'report.pdf',
      contentBase64: pdfReport('GB/T 2423.1 IEC 61000-4-2: PASS'),
    });
    expect(reported.status, reported.text).toBe(200);
    expect(reported.body.report).toMatchObject({ late: false });
    expect(Date.now()).toBeLessThan(validUntil);
    await expectLedgerBalanced(api, programme.id);
  });
});
