import { createHash, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import { lockRow, lockRowIfAny, type LockedTable } from '../db/lock';
import { bookingNames, lockBookingWithNames, toBooking } from '../db/repositories/bookings';
import { startTestApi, type TestApi } from './support/api';
import { runPayout } from './support/four-eyes';
import { recordHistory } from './support/histories';
import { givenListedProvider, pdfReport, type ProviderFixture } from './support/providers';
import {
  DEMAND,
  expectLedgerBalanced,
  givenAdmin,
  givenApprovedVoucher,
  givenProgramme,
  givenSme,
  until,
  type Caller,
} from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;
let admin: Caller & { email: string };
const programmes: string[] = [];

interface BookingBody {
  id: string;
  status: string;
  quotedPriceFen: number;
  subsidyFen: number;
  copaymentFen: number;
  claimId: string | null;
  openDisputeId: string | null;
  report: { sha256: string; conclusion: string; late: boolean } | null;
  timeline: { action: string }[];
}

interface ClaimBody {
  id: string;
  status: string;
  amountFen: number;
  autoApproved: boolean;
  riskFlags: { code: string }[];
  transfer: { reference: string | null } | null;
}

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  worker = await startTestWorker({ taskQueue });
  api = await startTestApi({ taskQueue });
  admin = await givenAdmin(api);
});
afterEach(async () => {
  // the ledger invariants hold after every test
  for (const id of programmes) await expectLedgerBalanced(api, id);
});
afterAll(async () => {
  await api?.stop();
  await worker?.stop();
});

/** A programme whose deadlines pass in seconds, an SME with a voucher, and a lab that can do the demand. */
async function givenJourney(
  options: {
    providerConfirmWithin?: string;
    voucherFen?: number;
    provider?: Partial<Parameters<typeof givenListedProvider>[1]>;
  } = {},
) {
  const programme = await givenProgramme(api, admin, {
    budgetFen: 10_000_000,
    policy: {
      providerConfirmWithin: options.providerConfirmWithin ?? '1h',
      reportGrace: '2s',
      acceptanceWithin: '1h',
      dayLength: '1s',
      payoutSchedule: '24h',
      voucherValidity: '30d',
    },
  });
  programmes.push(programme.id);
  const sme = await givenSme(api);
  const { voucherId } = await givenApprovedVoucher(
    api,
    admin,
    sme,
    programme.id,
    options.voucherFen ?? 1_000_000,
  );
  const lab = await givenListedProvider(api, {
    services: [
      {
        standards: ['GB/T 2423.1', 'IEC 61000-4-2'],
        unitPriceFen: 30_000,
        turnaroundDays: 2,
        dailyCapacity: 10,
      },
    ],
    ...options.provider,
  });
  return { programme, sme, voucherId, lab };
}

function book(sme: Caller, voucherId: string, lab: ProviderFixture) {
  return api.call<BookingBody>('POST', '/api/v1/bookings', {
    token: sme.token,
    body: { voucherId, providerId: lab.providerId, demand: DEMAND },
  });
}

const act = (token: string, bookingId: string, action: string, body: object = {}) =>
  api.call<BookingBody>('POST', `/api/v1/bookings/${bookingId}/${action}`, { token, body });

describe('the voucher journey to its end', () => {
  it('books, confirms, tests, reports, accepts, claims and pays, with the ledger following every step', async () => {
    const { programme, sme, voucherId, lab } = await givenJourney();

    const matches = await api.call<{ candidates: { providerId: string }[] }>(
      'POST',
      `/api/v1/vouchers/${voucherId}/matches`,
      {
        token: sme.token,
        body: DEMAND,
      },
    );
    expect(matches.status, matches.text).toBe(200);
    expect(matches.body.candidates.map((c) => c.providerId)).toContain(lab.providerId);

    // 3 samples × 300.00 CNY; half is subsidised
    const booked = await book(sme, voucherId, lab);
    expect(booked.status, booked.text).toBe(201);
    expect(booked.body).toMatchObject({
      status: 'REQUESTED',
      quotedPriceFen: 90_000,
      subsidyFen: 45_000,
      copaymentFen: 45_000,
    });
    const bookingId = booked.body.id;
    expect(await expectLedgerBalanced(api, programme.id)).toMatchObject({
      RESERVED: 955_000,
      COMMITTED: 45_000,
    });
    await worker.mail.waitFor((m) => m.to.includes(lab.email) && m.subject.includes('【新预约】'));

    // the provider quotes lower: the subsidy follows the quote, the difference goes back to the voucher
    const confirmed = await act(lab.token, bookingId, 'confirm', { quotedPriceFen: 84_000 });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body).toMatchObject({
      status: 'CONFIRMED',
      quotedPriceFen: 84_000,
      subsidyFen: 42_000,
      copaymentFen: 42_000,
    });
    expect(await expectLedgerBalanced(api, programme.id)).toMatchObject({
      RESERVED: 958_000,
      COMMITTED: 42_000,
    });
    await worker.mail.waitFor((m) => m.to.includes(sme.email) && m.subject.includes('【预约已确认】'));
    const voucher = await api.call<{ balanceFen: number }>('GET', `/api/v1/vouchers/${voucherId}`, {
      token: sme.token,
    });
    expect(voucher.body.balanceFen).toBe(958_000);

    const pdf = pdfReport('Test report GB/T 2423.1 IEC 61000-4-2: PASS');
    // a report before the samples are received is refused, and nothing is stored
    const early = await act(lab.token, bookingId, 'report', {
      conclusion: 'PASS',
      fileName: 'report-2026-001.pdf',
      contentBase64: pdf,
    });
    expect(early.status, early.text).toBe(409);
    expect(early.body as unknown as Problem).toMatchObject({
      code: 'WRONG_BOOKING_STATUS',
      detail: 'The booking is CONFIRMED; a report comes after the samples are received',
    });
    expect(await api.db.bookingReport.count({ where: { bookingId } })).toBe(0);

    expect((await act(lab.token, bookingId, 'sample-received')).body.status).toBe('SAMPLE_RECEIVED');
    const reported = await act(lab.token, bookingId, 'report', {
      conclusion: 'PASS',
      fileName: 'report-2026-001.pdf',
      contentBase64: pdf,
    });
    expect(reported.status, reported.text).toBe(200);
    const sha256 = createHash('sha256').update(Buffer.from(pdf, 'base64')).digest('hex');
    expect(reported.body.report).toMatchObject({ sha256, conclusion: 'PASS', late: false });
    await worker.mail.waitFor((m) => m.to.includes(sme.email) && m.subject.includes('【检测报告已出具】'));

    const download = await fetch(`${api.url}/api/v1/bookings/${bookingId}/report`, {
      headers: { authorization: `Bearer ${sme.token}` },
    });
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(
      createHash('sha256')
        .update(Buffer.from(await download.arrayBuffer()))
        .digest('hex'),
    ).toBe(sha256);

    expect((await act(sme.token, bookingId, 'accept')).body.status).toBe('ACCEPTED');
    await worker.mail.waitFor((m) => m.to.includes(sme.email) && m.subject.includes('【待登记自付款】'));
    const paid = await act(lab.token, bookingId, 'copayment', {
      reference: 'ICBC-20261123-000123',
      paidAt: '2026-11-23T08:00:00Z',
    });
    expect(paid.status, paid.text).toBe(200);

    // a small, clean claim is approved without a person
    const claim = await until('the claim approved', async () => {
      const res = await api.call<BookingBody>('GET', `/api/v1/bookings/${bookingId}`, { token: admin.token });
      if (!res.body.claimId) return null;
      const c = await api.call<ClaimBody>('GET', `/api/v1/claims/${res.body.claimId}`, { token: lab.token });
      return c.body.status === 'APPROVED' ? c.body : null;
    });
    expect(claim).toMatchObject({ amountFen: 42_000, autoApproved: true, riskFlags: [] });
    expect(await expectLedgerBalanced(api, programme.id)).toMatchObject({ COMMITTED: 0, PAYABLE: 42_000 });
    // due with the programme's next payout batch: the time its Temporal Schedule gives
    const due = await api.db.claim.findUniqueOrThrow({ where: { id: claim.id }, select: { dueAt: true } });
    const payouts = await api.call<{ schedule: { expression: string; nextRunAt: string } }>(
      'GET',
      `/api/v1/programs/${programme.id}/payout-batches`,
      { token: admin.token },
    );
    expect(payouts.body.schedule.expression).toBe('24h');
    expect(due.dueAt?.toISOString()).toBe(payouts.body.schedule.nextRunAt);
    await worker.mail.waitFor((m) => m.to.includes(lab.email) && m.subject.includes('【补贴申领已批准】'));

    // the payout batch pays it once, through the gateway
    // a second administrator approves the run (four eyes)
    await runPayout(api, admin, await givenAdmin(api), programme.id);
    const settled = await until('the claim paid', async () => {
      const c = await api.call<ClaimBody>('GET', `/api/v1/claims/${claim.id}`, { token: lab.token });
      return c.body.status === 'PAID' ? c.body : null;
    });
    expect(settled.transfer?.reference).toMatch(/^GW-/);
    expect(await expectLedgerBalanced(api, programme.id)).toMatchObject({
      PAYABLE: 0,
      PAID: 42_000,
      RESERVED: 958_000,
    });
    const [remittance] = await worker.mail.waitFor(
      (m) => m.to.includes(lab.email) && m.subject.includes('【补贴到账通知】'),
    );
    expect(remittance!.text).toContain('420.00 元');
    const booking = await api.call<BookingBody>('GET', `/api/v1/bookings/${bookingId}`, { token: sme.token });
    expect(booking.body.status).toBe('SETTLED');
    expect(booking.body.timeline.map((t) => t.action)).toEqual([
      'BOOKING_REQUESTED',
      'BOOKING_CONFIRMED',
      'SAMPLE_RECEIVED',
      'REPORT_UPLOADED',
      'REPORT_ACCEPTED',
      'COPAYMENT_RECORDED',
      'CLAIM_CREATED',
      'CLAIM_AUTO_APPROVED',
    ]);
    const transfers = await api.db.gatewayTransfer.findMany({ where: { payeeName: lab.name } });
    expect(transfers.map((t) => Number(t.amountFen))).toEqual([42_000]);

    // a step locks and reads its rows in one statement: they read exactly as Prisma's own reads give them
    await api.db.$transaction(async (tx) => {
      const stored = await tx.booking.findUniqueOrThrow({ where: { id: bookingId } });
      const voucher = await tx.voucher.findUniqueOrThrow({ where: { id: stored.voucherId } });
      const rows = {
        bookings: stored,
        vouchers: voucher,
        applications: await tx.application.findUniqueOrThrow({ where: { id: voucher.applicationId } }),
        claims: await tx.claim.findUniqueOrThrow({ where: { id: claim.id } }),
        enterprises: await tx.enterprise.findUniqueOrThrow({ where: { id: stored.enterpriseId } }),
      };
      for (const [table, row] of Object.entries(rows)) {
        expect((await lockRow(tx, table as LockedTable, row.id)).row, table).toStrictEqual(row);
      }
      const { booking: locked, names } = await lockBookingWithNames(tx, bookingId);
      expect(locked).toStrictEqual(toBooking(stored));
      expect(names).toStrictEqual(await bookingNames(tx, locked));
      await expect(lockRow(tx, 'bookings', randomUUID())).rejects.toMatchObject({ code: 'P2025' });
      expect(await lockRowIfAny(tx, 'enterprises', randomUUID())).toBeNull();
    });
    await recordHistory(worker.client, `booking/${bookingId}`, 'booking-settled');
    await recordHistory(worker.client, `settlement/${bookingId}`, 'settlement-auto-approved');
    await recordHistory(worker.client, `programme/${programme.id}`, 'programme-setup');
  });
});

describe('when a booking does not go ahead', () => {
  it('releases everything when the provider declines, and offers the SME the next candidates', async () => {
    const { programme, sme, voucherId, lab } = await givenJourney();
    const other = await givenListedProvider(api, {
      name: `苏州电子产品检测中心 ${Date.now() % 1000}`,
      regionCode: '310115',
      // the cheapest lab for the demand anywhere in the catalog, so it heads the offer
      services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 9_000 }],
    });
    const booked = await book(sme, voucherId, lab);
    const declined = await act(lab.token, booked.body.id, 'decline', { reason: '设备检修，本月无法承接' });
    expect(declined.body.status).toBe('DECLINED');
    expect(await expectLedgerBalanced(api, programme.id)).toMatchObject({
      RESERVED: 1_000_000,
      COMMITTED: 0,
    });
    const [mail] = await worker.mail.waitFor(
      (m) => m.to.includes(sme.email) && m.subject.includes('【预约未被接受】'),
    );
    expect(mail!.text).toContain('设备检修，本月无法承接');
    expect(mail!.text).toContain(other.name);
    expect(mail!.text).not.toContain(`1. ${lab.name}`);
    const holds = await api.db.capacityHold.findMany({ where: { bookingId: booked.body.id } });
    expect(holds.map((h) => h.status)).toEqual(['RELEASED']);
  });

  it('releases the slot when the provider does not confirm in time', async () => {
    const { programme, sme, voucherId, lab } = await givenJourney({ providerConfirmWithin: '2s' });
    const booked = await book(sme, voucherId, lab);
    const expired = await until('the confirmation window to pass', async () => {
      const res = await api.call<BookingBody>('GET', `/api/v1/bookings/${booked.body.id}`, {
        token: sme.token,
      });
      return res.body.status === 'CONFIRMATION_EXPIRED' ? res.body : null;
    });
    expect(expired.timeline.map((t) => t.action)).toEqual([
      'BOOKING_REQUESTED',
      'BOOKING_CONFIRMATION_EXPIRED',
    ]);
    await worker.mail.waitFor((m) => m.to.includes(lab.email) && m.subject.includes('【预约已释放】'));
    await worker.mail.waitFor((m) => m.to.includes(sme.email) && m.subject.includes('【预约已超时】'));
    expect(await expectLedgerBalanced(api, programme.id)).toMatchObject({ COMMITTED: 0 });
    const late = await act(lab.token, booked.body.id, 'confirm', { quotedPriceFen: 90_000 });
    expect(late.status).toBe(409);
  });

  it('lets the SME cancel until the samples are received, and not after', async () => {
    const { programme, sme, voucherId, lab } = await givenJourney();
    const first = await book(sme, voucherId, lab);
    await act(lab.token, first.body.id, 'confirm', { quotedPriceFen: 90_000 });
    const cancelled = await act(sme.token, first.body.id, 'cancel', { reason: '产品设计变更' });
    expect(cancelled.body.status).toBe('CANCELLED');
    await worker.mail.waitFor((m) => m.to.includes(lab.email) && m.subject.includes('【预约已取消】'));
    expect(await expectLedgerBalanced(api, programme.id)).toMatchObject({
      COMMITTED: 0,
      RESERVED: 1_000_000,
    });

    const second = await book(sme, voucherId, lab);
    await act(lab.token, second.body.id, 'confirm', { quotedPriceFen: 90_000 });
    await act(lab.token, second.body.id, 'sample-received');
    const refused = await act(sme.token, second.body.id, 'cancel', { reason: 'too late' });
    expect(refused.status).toBe(409);
    expect((refused.body as unknown as Problem).code).toBe('WRONG_BOOKING_STATUS');
  });

  it('refuses a provider that cannot do the job under the voucher, saying why', async () => {
    const { sme, voucherId } = await givenJourney();
    const partial = await givenListedProvider(api, {
      services: [{ standards: ['GB/T 2423.1'], unitPriceFen: 20_000 }],
    });
    const res = await book(sme, voucherId, partial);
    expect(res.status).toBe(422);
    const problem = res.body as unknown as Problem;
    expect(problem.code).toBe('PROVIDER_NOT_A_MATCH');
    expect(problem.detail).toContain('IEC 61000-4-2');
  });

  it('keeps other enterprises and providers out of a booking', async () => {
    const { sme, voucherId, lab } = await givenJourney();
    const booked = await book(sme, voucherId, lab);
    const stranger = await givenSme(api);
    const otherLab = await givenListedProvider(api, {
      services: [{ standards: ['GB 4943.1'], unitPriceFen: 10_000 }],
    });
    expect(
      (await api.call('GET', `/api/v1/bookings/${booked.body.id}`, { token: stranger.token })).status,
    ).toBe(404);
    expect((await act(otherLab.token, booked.body.id, 'confirm', { quotedPriceFen: 1 })).status).toBe(404);
    expect((await api.call('GET', `/api/v1/bookings/${booked.body.id}`, { token: lab.token })).status).toBe(
      200,
    );
  });
});
