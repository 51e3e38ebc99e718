import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api';
import { givenListedProvider, pdfReport, type ProviderFixture } from './support/providers';
import {
  DEMAND,
  givenAdmin,
  givenApprovedVoucher,
  givenProgramme,
  givenSme,
  until,
  type Caller,
} from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

/**
 * What the administrator's oversight reads: the revocation's effect per booking before it is done (and that
 * the revocation then does just that), disputes with their booking's facts, failed processes with the
 * record they are about.
 */

let api: TestApi;
let worker: TestWorkerHarness;
let admin: Caller;
let programmeId: string;
let lab: ProviderFixture;

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  [worker, api] = await Promise.all([startTestWorker({ taskQueue }), startTestApi({ taskQueue })]);
  admin = await givenAdmin(api);
  programmeId = (
    await givenProgramme(api, admin, {
      policy: { providerConfirmWithin: '2h', reportGrace: '1h', acceptanceWithin: '1h', dayLength: '1s' },
    })
  ).id;
  lab = await givenListedProvider(api, {
    services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000, turnaroundDays: 2 }],
  });
});
afterAll(async () => {
  await api?.stop();
  await worker?.stop();
});

async function post<T = { id: string }>(token: string, path: string, body: object = {}): Promise<T> {
  const res = await api.call<T>('POST', `/api/v1${path}`, { token, body });
  expect(res.status, res.text).toBeLessThan(300);
  return res.body;
}

async function givenVoucher() {
  const sme = await givenSme(api);
  const { voucherId } = await givenApprovedVoucher(api, admin, sme, programmeId, 1_000_000);
  return { sme, voucherId };
}

const book = (sme: Caller, voucherId: string) =>
  post(sme.token, '/bookings', { voucherId, providerId: lab.providerId, demand: DEMAND });

/** A booking carried to its accepted report and recorded co-payment: the claim opens, quoted above the catalog. */
async function givenClaimUnderReview(sme: Caller, voucherId: string) {
  const booking = await book(sme, voucherId);
  const at = (action: string) => `/bookings/${booking.id}/${action}`;
  await post(lab.token, at('confirm'), { quotedPriceFen: 200_000 });
  await post(lab.token, at('sample-received'));
  await post(lab.token, at('report'), {
    conclusion: 'PASS',
    fileName: 'report.pdf',
    contentBase64: pdfReport(`report ${booking.id}`),
  });
  await post(sme.token, at('accept'));
  await post(sme.token, at('copayment'), {
    reference: `ICBC-${booking.id.slice(0, 8)}`,
    paidAt: new Date().toISOString(),
  });
  const claim = await until('the claim under review', () =>
    api.db.claim.findFirst({ where: { bookingId: booking.id, status: 'PENDING_REVIEW' } }),
  );
  return { bookingId: booking.id, claimId: claim.id, subsidyFen: Number(claim.amountFen) };
}

interface Plan {
  voucherId: string;
  balanceFen: number;
  returnedFen: number;
  standingFen: number;
  bookings: {
    bookingId: string;
    status: string;
    providerName: string;
    subsidyFen: number;
    claim: { id: string; status: string } | null;
    effect: string;
  }[];
}

const planOf = (voucherId: string, token = admin.token) =>
  api.call<Plan>('GET', `/api/v1/vouchers/${voucherId}/revocation`, { token });

describe('the revocation preview', () => {
  it('says per booking what the revocation then does, and refuses once the voucher is revoked', async () => {
    const { sme, voucherId } = await givenVoucher();
    const requested = await book(sme, voucherId);
    const underReview = await givenClaimUnderReview(sme, voucherId);
    const approved = await givenClaimUnderReview(sme, voucherId);
    await post(admin.token, `/claims/${approved.claimId}/decision`, {
      decision: 'APPROVE',
      note: '合同依据充分',
    });
    await until('the claim approved', () =>
      api.db.claim.findFirst({ where: { id: approved.claimId, status: 'APPROVED' } }),
    );

    const res = await planOf(voucherId);
    expect(res.status, res.text).toBe(200);
    const effects = Object.fromEntries(res.body.bookings.map((b) => [b.bookingId, b.effect]));
    expect(effects).toEqual({
      [requested.id]: 'CANCEL',
      [underReview.bookingId]: 'REJECT_CLAIM_AND_CANCEL',
      [approved.bookingId]: 'CLAIM_STANDS',
    });
    const subsidyOf = (id: string) => res.body.bookings.find((b) => b.bookingId === id)!.subsidyFen;
    const voucher = await api.db.voucher.findUniqueOrThrow({ where: { id: voucherId } });
    expect(res.body.balanceFen).toBe(Number(voucher.balanceFen));
    expect(res.body.returnedFen).toBe(
      Number(voucher.balanceFen) + subsidyOf(requested.id) + underReview.subsidyFen,
    );
    expect(res.body.standingFen).toBe(approved.subsidyFen);
    expect(res.body.bookings[0]!.providerName).toBe(lab.name);

    // the preview changes nothing
    expect((await api.db.booking.findUniqueOrThrow({ where: { id: requested.id } })).status).toBe(
      'REQUESTED',
    );

    // an SME does not see it; an unknown voucher is not found
    expect((await planOf(voucherId, sme.token)).status).toBe(403);
    const unknown = await planOf(randomUUID());
    expect(unknown.status).toBe(404);

    await post(admin.token, `/vouchers/${voucherId}/revoke`, { reason: '虚假申报' });
    const statusOf = async (id: string) => (await api.db.booking.findUniqueOrThrow({ where: { id } })).status;
    await until(
      'the requested booking cancelled',
      async () => (await statusOf(requested.id)) === 'CANCELLED',
    );
    await until(
      'the booking with the claim under review cancelled',
      async () => (await statusOf(underReview.bookingId)) === 'CANCELLED',
    );
    const claims = await api.db.claim.findMany({
      where: { id: { in: [underReview.claimId, approved.claimId] } },
      select: { id: true, status: true },
    });
    expect(Object.fromEntries(claims.map((c) => [c.id, c.status]))).toEqual({
      [underReview.claimId]: 'REJECTED',
      [approved.claimId]: 'APPROVED',
    });
    expect(await statusOf(approved.bookingId)).toBe('ACCEPTED');

    const after = await planOf(voucherId);
    expect(after.status).toBe(409);
    expect(after.body).toMatchObject({ code: 'VOUCHER_NOT_ACTIVE' });
  });
});

describe('disputes and failed processes as the administrator reads them', () => {
  it('lists a dispute with its booking’s facts, filtered by programme, and a terminated booking as failed', async () => {
    const { sme, voucherId } = await givenVoucher();
    const booking = await book(sme, voucherId);
    const at = (action: string) => `/bookings/${booking.id}/${action}`;
    await post(lab.token, at('confirm'), { quotedPriceFen: 90_000 });
    await post(lab.token, at('sample-received'));
    await post(lab.token, at('report'), {
      conclusion: 'FAIL',
      fileName: 'report.pdf',
      contentBase64: pdfReport(`report ${booking.id}`),
    });
    await post(sme.token, at('dispute'), { reason: '样品编号与送检单不一致' });
    const enterprise = await api.db.enterprise.findUniqueOrThrow({ where: { id: sme.enterpriseId } });

    const list = await api.call<{ items: Record<string, unknown>[] }>(
      'GET',
      `/api/v1/disputes?status=OPEN&programmeId=${programmeId}`,
      {
        token: admin.token,
      },
    );
    expect(list.status, list.text).toBe(200);
    const dispute = list.body.items.find((d) => d.bookingId === booking.id);
    expect(dispute).toMatchObject({
      reason: '样品编号与送检单不一致',
      programmeId,
      enterpriseName: enterprise.name,
      providerName: lab.name,
      status: 'OPEN',
    });
    const due = (await api.db.booking.findUniqueOrThrow({ where: { id: booking.id } })).dueAt!;
    expect(dispute!.dueAt).toBe(due.toISOString());
    const elsewhere = await api.call<{ items: unknown[] }>(
      'GET',
      `/api/v1/disputes?programmeId=${randomUUID()}`,
      {
        token: admin.token,
      },
    );
    expect(elsewhere.body.items).toEqual([]);
    const bad = await api.call('GET', '/api/v1/disputes?programmeId=x', { token: admin.token });
    expect(bad.status).toBe(400);

    // an operator ends the booking's run by hand: it is listed as failed, naming the booking
    const workflowId = `booking/${booking.id}`;
    await api.deps.temporal.workflow.getHandle(workflowId).terminate('stopped by an operator for the test');
    const failed = await until('the terminated booking listed', async () => {
      const res = await api.call<{
        items: { workflowId: string; subject: unknown; outcome: string; reason: string }[];
      }>('GET', '/api/v1/processes?status=FAILED', { token: admin.token });
      return res.body.items.find((p) => p.workflowId === workflowId);
    });
    expect(failed).toMatchObject({ subject: { kind: 'BOOKING', id: booking.id }, outcome: 'TERMINATED' });
    expect(failed.reason).toContain('stopped by an operator for the test');
  });
});
