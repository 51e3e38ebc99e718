import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import { addDays } from '../domain/calendar';
import { subsidySplit } from '../domain/subsidy';
import { startTestApi, type TestApi } from './support/api';
import { givenListedProvider, type ProviderFixture } from './support/providers';
import {
  DEMAND,
  givenAdmin,
  givenApprovedVoucher,
  givenProgramme,
  givenSme,
  type Caller,
} from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;
let admin: Caller;
let programmeId: string;
let lab: ProviderFixture;

interface BookingBody {
  id: string;
  status: string;
  quotedPriceFen: number;
  subsidyFen: number;
  copaymentFen: number;
  lines: { serviceId: string; startDate: string }[];
  subsidyTerms?: { ratioBps: number; capFen: number };
}

interface CapacityBody {
  services: {
    serviceId: string;
    days: { date: string; used: number; capacity: number; held: number; booked: number }[];
  }[];
}

interface ProgressBody {
  providerMay: Record<string, boolean>;
  reportLimitBytes: number;
}

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  [worker, api] = await Promise.all([
    startTestWorker({ taskQueue }),
    startTestApi({ taskQueue, env: { REPORT_LIMIT_BYTES: '2048' } }),
  ]);
  admin = await givenAdmin(api);
  programmeId = (
    await givenProgramme(api, admin, { policy: { providerConfirmWithin: '1h', voucherValidity: '30d' } })
  ).id;
  lab = await givenListedProvider(api, {
    services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000, dailyCapacity: 5 }],
  });
});
afterAll(async () => {
  await api?.stop();
  await worker?.stop();
});

async function givenRequestedBooking(voucherFen = 1_000_000): Promise<BookingBody & { sme: Caller }> {
  const sme = await givenSme(api);
  const { voucherId } = await givenApprovedVoucher(api, admin, sme, programmeId, voucherFen);
  const res = await api.call<BookingBody>('POST', '/api/v1/bookings', {
    token: sme.token,
    body: { voucherId, providerId: lab.providerId, demand: DEMAND },
  });
  expect(res.status, res.text).toBe(201);
  return { ...res.body, sme };
}

const asLab = <T>(method: string, path: string, body?: object) =>
  api.call<T>(method, `/api/v1${path}`, { token: lab.token, body });

async function dayOf(serviceId: string, date: string) {
  const res = await asLab<CapacityBody>(
    'GET',
    `/providers/${lab.providerId}/capacity?from=${date}&to=${addDays(date, 6)}`,
  );
  expect(res.status, res.text).toBe(200);
  return res.body.services.find((s) => s.serviceId === serviceId)!.days.find((d) => d.date === date);
}

interface WorkItem {
  kind: string;
  id: string;
  status: string;
  title: string;
  awaiting: { party: string; action: string };
}

const worklistOf = async (token: string) => {
  const res = await api.call<{ items: WorkItem[] }>('GET', '/api/v1/worklist', { token });
  expect(res.status, res.text).toBe(200);
  return res.body.items;
};

describe('the worklists a booking appears on', () => {
  it('puts a requested booking on its provider’s list under the enterprise’s name, then a confirmed one on its SME’s under the provider’s', async () => {
    const enterpriseName = `上海精测电子科技有限公司 ${Date.now().toString(36)}`;
    const sme = await givenSme(api, { name: enterpriseName });
    const { voucherId } = await givenApprovedVoucher(api, admin, sme, programmeId, 1_000_000);
    const created = await api.call<BookingBody>('POST', '/api/v1/bookings', {
      token: sme.token,
      body: { voucherId, providerId: lab.providerId, demand: DEMAND },
    });
    expect(created.status, created.text).toBe(201);
    const booking = created.body;

    expect((await worklistOf(lab.token)).find((i) => i.id === booking.id)).toMatchObject({
      kind: 'BOOKING',
      status: 'REQUESTED',
      title: enterpriseName,
      awaiting: { party: 'PROVIDER' },
    });
    expect((await worklistOf(sme.token)).map((i) => i.id)).not.toContain(booking.id);

    const confirmed = await asLab<BookingBody>('POST', `/bookings/${booking.id}/confirm`, {
      quotedPriceFen: booking.quotedPriceFen,
    });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect((await worklistOf(sme.token)).find((i) => i.id === booking.id)).toMatchObject({
      kind: 'BOOKING',
      status: 'CONFIRMED',
      title: lab.name,
      awaiting: { party: 'SME' },
    });
    // the voucher is the SME's item too; nothing of it is the administrators'
    expect((await worklistOf(sme.token)).map((i) => i.id)).toContain(voucherId);
    expect((await worklistOf(admin.token)).map((i) => i.id)).not.toContain(booking.id);
  });
});

describe('what the provider’s workspace reads about its bookings', () => {
  it('tells held from booked capacity per day: a requested booking holds, its confirmation books', async () => {
    const booking = await givenRequestedBooking();
    const { serviceId, startDate } = booking.lines[0]!;
    expect(await dayOf(serviceId, startDate)).toEqual({
      date: startDate,
      used: DEMAND.sampleCount,
      capacity: 5,
      held: DEMAND.sampleCount,
      booked: 0,
    });

    const confirmed = await asLab<BookingBody>('POST', `/bookings/${booking.id}/confirm`, {
      quotedPriceFen: booking.quotedPriceFen,
    });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(await dayOf(serviceId, startDate)).toMatchObject({
      used: DEMAND.sampleCount,
      held: 0,
      booked: DEMAND.sampleCount,
    });
  });

  it('lists the bookings holding a service’s capacity on a day, for their provider only', async () => {
    const booking = await givenRequestedBooking();
    const { serviceId, startDate } = booking.lines[0]!;

    const onDay = await asLab<{ items: { id: string }[] }>(
      'GET',
      `/bookings?day=${startDate}&serviceId=${serviceId}&limit=100`,
    );
    expect(onDay.status, onDay.text).toBe(200);
    expect(onDay.body.items.map((b) => b.id)).toContain(booking.id);
    const dayBefore = await asLab<{ items: { id: string }[] }>(
      'GET',
      `/bookings?day=${addDays(startDate, -1)}&serviceId=${serviceId}`,
    );
    expect(dayBefore.body.items.map((b) => b.id)).not.toContain(booking.id);
    // another lab's staff see none of it; a service without a day is refused, naming the field
    const stranger = await givenListedProvider(api, {
      services: [{ standards: ['GB 4706.1'], unitPriceFen: 1 }],
    });
    const theirs = await api.call<{ items: unknown[] }>('GET', `/api/v1/bookings?day=${startDate}`, {
      token: stranger.token,
    });
    expect(theirs.body.items).toEqual([]);
    const noDay = await asLab<Problem>('GET', `/bookings?serviceId=${serviceId}`);
    expect(noDay.status).toBe(400);
    expect(noDay.body.issues).toEqual([
      expect.objectContaining({ in: 'query', field: 'day', reason: 'is required with serviceId' }),
    ]);
  });

  it('gives the subsidy terms a quote is computed from, and the provider’s next steps', async () => {
    // a voucher smaller than half the price: the cap, not the ratio, decides the subsidy
    const booking = await givenRequestedBooking(20_000);
    const detail = await asLab<BookingBody>('GET', `/bookings/${booking.id}`);
    expect(detail.body.subsidyTerms).toEqual({ ratioBps: 5000, capFen: 20_000 });
    const list = await asLab<{ items: BookingBody[] }>('GET', `/bookings?day=${booking.lines[0]!.startDate}`);
    expect(list.body.items.find((b) => b.id === booking.id)).not.toHaveProperty('subsidyTerms');

    const progress = await asLab<ProgressBody>('GET', `/bookings/${booking.id}/progress`);
    expect(progress.body).toMatchObject({
      providerMay: {
        confirm: true,
        decline: true,
        receiveSamples: false,
        uploadReport: false,
        recordCopayment: true,
      },
      reportLimitBytes: 2048,
    });

    // the portal's preview: half of a quote within the cap; above it, the cap — as the confirmation then does
    const { ratioBps, capFen } = detail.body.subsidyTerms!;
    expect(subsidySplit(30_000, ratioBps, capFen).subsidyFen).toBe(15_000);
    const preview = subsidySplit(50_001, ratioBps, capFen);
    expect(preview).toMatchObject({ subsidyFen: 20_000, copaymentFen: 30_001 });
    const confirmed = await asLab<BookingBody>('POST', `/bookings/${booking.id}/confirm`, {
      quotedPriceFen: 50_001,
    });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body).toMatchObject({
      quotedPriceFen: 50_001,
      subsidyFen: preview.subsidyFen,
      copaymentFen: preview.copaymentFen,
    });
    const after = await asLab<ProgressBody>('GET', `/bookings/${booking.id}/progress`);
    expect(after.body.providerMay).toMatchObject({ confirm: false, decline: false, receiveSamples: true });
  });

  it('refuses a report that is not a PDF or larger than the limit, naming the file', async () => {
    const booking = await givenRequestedBooking();
    await asLab('POST', `/bookings/${booking.id}/confirm`, { quotedPriceFen: booking.quotedPriceFen });
    await asLab('POST', `/bookings/${booking.id}/sample-received`, {});
    const upload = (content: Buffer) =>
      asLab<Problem>('POST', `/bookings/${booking.id}/report`, {
        conclusion: 'PASS',
        fileName: 'report.pdf',
        contentBase64: content.toString('base64'),
      });
    const notPdf = await upload(Buffer.from('plain text, not a report'));
    expect(notPdf.status).toBe(400);
    expect(notPdf.body.issues?.[0]).toMatchObject({
      field: 'contentBase64',
      reason: 'is not a PDF (it does not start with %PDF-)',
    });
    const large = await upload(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2048)]));
    expect(large.status).toBe(400);
    expect(large.body.issues?.[0]).toMatchObject({
      field: 'contentBase64',
      reason: 'is larger than 2048 bytes',
    });
  });
});
