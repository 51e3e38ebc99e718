import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BookingLine } from '../domain/booking';
import { DemandSchema } from '../domain/demand';
import type { PolicyInput } from '../domain/policy';
import { bookUpdate } from '../workflows/voucher-application';
import { startTestApi, type TestApi } from './support/api';
import { recordHistory } from './support/histories';
import { runningProcess } from './support/process-trace';
import {
  CLIMATE_SERVICE,
  givenListedProvider as givenVerifiedProvider,
  registrationBody,
} from './support/provider-fixtures';
import { givenListedProvider, pdfReport, type ProviderFixture } from './support/providers';
import {
  apply,
  decide,
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

/**
 * No wait without a deadline (docs/processes.md): each status waits for one party, and when the
 * deadline passes the process reminds, escalates or acts on its own. A failed process is taken
 * over by its parent.
 */

let api: TestApi;
let worker: TestWorkerHarness;
let admin: Caller & { email: string };
const programmes: string[] = [];

interface Awaiting {
  party: string;
  action: string;
  dueAt: string;
}

interface BookingBody {
  id: string;
  status: string;
  statusReason: string | null;
  subsidyFen: number;
  claimId: string | null;
  awaiting: Awaiting | null;
  timeline: { action: string }[];
  lines: BookingLine[];
}

interface VoucherBody {
  balanceFen: number;
}

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  worker = await startTestWorker({ taskQueue });
  api = await startTestApi({ taskQueue });
  admin = await givenAdmin(api);
});
afterEach(async () => {
  for (const id of programmes) await expectLedgerBalanced(api, id);
});
afterAll(async () => {
  await api?.stop();
  await worker?.stop();
});

interface Journey {
  sme: Caller & { email: string };
  applicationId: string;
  voucherId: string;
  lab: ProviderFixture;
  bookingId: string;
}

async function givenBooking(policy: PolicyInput): Promise<Journey> {
  const programme = await givenProgramme(api, admin, {
    policy: { voucherValidity: '30d', dayLength: '1s', payoutSchedule: '24h', ...policy },
  });
  programmes.push(programme.id);
  const sme = await givenSme(api);
  const { applicationId, voucherId } = await givenApprovedVoucher(api, admin, sme, programme.id, 2_000_000);
  const lab = await givenListedProvider(api, {
    services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000, turnaroundDays: 2 }],
  });
  const booked = await api.call<BookingBody>('POST', '/api/v1/bookings', {
    token: sme.token,
    body: { voucherId, providerId: lab.providerId, demand: DEMAND },
  });
  expect(booked.status, booked.text).toBe(201);
  return { sme, applicationId, voucherId, lab, bookingId: booked.body.id };
}

const act = (token: string, bookingId: string, action: string, body: object = {}) =>
  api.call<BookingBody>('POST', `/api/v1/bookings/${bookingId}/${action}`, { token, body });

const bookingOf = async (bookingId: string) =>
  (await api.call<BookingBody>('GET', `/api/v1/bookings/${bookingId}`, { token: admin.token })).body;

const balanceOf = async (j: Journey) =>
  (await api.call<VoucherBody>('GET', `/api/v1/vouchers/${j.voucherId}`, { token: j.sme.token })).body
    .balanceFen;

const statusOf = (bookingId: string, status: string, timeoutMs = 30_000) =>
  until(
    `booking ${status}`,
    async () => {
      const booking = await bookingOf(bookingId);
      return booking.status === status ? booking : null;
    },
    timeoutMs,
  );

async function reported(j: Journey): Promise<void> {
  expect((await act(j.lab.token, j.bookingId, 'confirm', { quotedPriceFen: 90_000 })).status).toBe(200);
  expect((await act(j.lab.token, j.bookingId, 'sample-received')).status).toBe(200);
  const res = await act(j.lab.token, j.bookingId, 'report', {
    conclusion: 'PASS',
    fileName: 'report.pdf',
    contentBase64: pdfReport(`report ${j.bookingId}`),
  });
  expect(res.status, res.text).toBe(200);
}

describe('no wait without a deadline', () => {
  it('lapses a booking whose samples never arrive, and gives its slot and subsidy back', async () => {
    const j = await givenBooking({ samplesWithin: '3s' });
    const before = await balanceOf(j);
    const confirmed = await act(j.lab.token, j.bookingId, 'confirm', { quotedPriceFen: 90_000 });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body.awaiting).toMatchObject({ party: 'SME', action: 'SEND_SAMPLES' });
    expect(Date.parse(confirmed.body.awaiting!.dueAt)).toBeGreaterThan(Date.now());

    const lapsed = await statusOf(j.bookingId, 'LAPSED');
    expect(lapsed.statusReason).toContain('samples not received within 3s');
    expect(lapsed.awaiting).toBeNull();
    expect(lapsed.timeline.map((t) => t.action)).toContain('BOOKING_LAPSED');
    expect(await balanceOf(j)).toBe(before + confirmed.body.subsidyFen);
    await worker.mail.waitFor((m) => m.to.includes(j.sme.email) && m.subject.includes('预约已失效'));
    await worker.mail.waitFor((m) => m.to.includes(j.lab.email) && m.subject.includes('预约已失效'));
    // the slot is free again: the samples can no longer be recorded
    expect((await act(j.lab.token, j.bookingId, 'sample-received')).status).toBe(409);
    await recordHistory(worker.client, `booking/${j.bookingId}`, 'booking-lapsed');
  });

  it('reminds, then escalates a co-payment never recorded, and the claim goes to an administrator without it', async () => {
    const j = await givenBooking({ copaymentWithin: '2s', copaymentGrace: '2s', acceptanceWithin: '1h' });
    await reported(j);
    const accepted = await act(j.sme.token, j.bookingId, 'accept');
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body.awaiting).toMatchObject({ party: 'SME', action: 'RECORD_COPAYMENT' });

    await worker.mail.waitFor(
      (m) => m.to.includes(j.sme.email) && m.subject.startsWith('【提醒】自付款尚未登记'),
    );
    await worker.mail.waitFor(
      (m) => m.to.includes(admin.email) && m.subject.startsWith('【升级处理】自付款逾期未登记'),
    );
    const booking = await until('the claim under review', async () => {
      const b = await bookingOf(j.bookingId);
      return b.claimId && b.awaiting?.action === 'DECIDE_CLAIM' ? b : null;
    });
    expect(booking.awaiting!.party).toBe('ADMIN');
    expect(booking.timeline.map((t) => t.action)).toEqual(
      expect.arrayContaining(['COPAYMENT_REMINDER_SENT', 'COPAYMENT_ESCALATED', 'CLAIM_CREATED']),
    );
    const claim = await api.call<{ status: string; riskFlags: { code: string }[]; paymentReference: string }>(
      'GET',
      `/api/v1/claims/${booking.claimId}`,
      { token: admin.token },
    );
    expect(claim.body.status).toBe('PENDING_REVIEW');
    expect(claim.body.riskFlags.map((f) => f.code)).toContain('COPAYMENT_NOT_RECORDED');
    expect(claim.body.paymentReference).toBe('NOT_RECORDED');
    // the claim is decided without it now
    const late = await act(j.sme.token, j.bookingId, 'copayment', {
      reference: 'WX-LATE-0001',
      paidAt: new Date().toISOString(),
    });
    expect(late.status).toBe(409);
    expect((late.body as unknown as { code: string }).code).toBe('CLAIM_OPENED');

    const approved = await api.call<{ status: string; awaiting: Awaiting | null }>(
      'POST',
      `/api/v1/claims/${booking.claimId}/decision`,
      { token: admin.token, body: { decision: 'APPROVE', note: 'the lab confirmed the payment by phone' } },
    );
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.awaiting).toMatchObject({ party: 'SYSTEM', action: 'PAY_OUT_CLAIM' });
    await statusOf(j.bookingId, 'ACCEPTED');
    await worker.client.workflow.getHandle(`booking/${j.bookingId}`).result();
    await recordHistory(worker.client, `booking/${j.bookingId}`, 'booking-copayment-escalated');
    await recordHistory(worker.client, `settlement/${j.bookingId}`, 'settlement-without-copayment');
  });

  it('reminds and escalates a dispute the administrators leave unresolved', async () => {
    const j = await givenBooking({
      reviewReminderAfter: '1s',
      reviewEscalateAfter: '2s',
      acceptanceWithin: '1h',
    });
    await reported(j);
    const disputed = await act(j.sme.token, j.bookingId, 'dispute', { reason: '报告数据与样品不符' });
    expect(disputed.status, disputed.text).toBe(200);
    expect(disputed.body.awaiting).toMatchObject({ party: 'ADMIN', action: 'RESOLVE_DISPUTE' });
    const escalated = await until('the escalation', async () => {
      const b = await bookingOf(j.bookingId);
      return b.timeline.some((t) => t.action === 'DISPUTE_ESCALATED') ? b : null;
    });
    expect(escalated.timeline.map((t) => t.action)).toContain('DISPUTE_REMINDER_SENT');
    await worker.mail.waitFor(
      (m) => m.to.includes(admin.email) && m.subject.startsWith('【升级处理】报告异议逾期未处理'),
    );
    expect(escalated.status).toBe('DISPUTED');
    await recordHistory(worker.client, `booking/${j.bookingId}`, 'booking-dispute-escalated');
  });

  it('closes an application whose applicant does not answer a request for information', async () => {
    const programme = await givenProgramme(api, admin, { policy: { infoResponseWithin: '2s' } });
    programmes.push(programme.id);
    const sme = await givenSme(api);
    const application = await apply(api, sme, programme.id);
    expect(application.status, application.text).toBe(201);
    const asked = await decide(api, admin, application.body.id, {
      decision: 'REQUEST_INFO',
      message: '请补充近一年的财务报表',
    });
    expect(asked.status, asked.text).toBe(200);
    const waiting = await api.call<{ awaiting: Awaiting | null }>(
      'GET',
      `/api/v1/applications/${application.body.id}`,
      {
        token: sme.token,
      },
    );
    expect(waiting.body.awaiting).toMatchObject({ party: 'SME', action: 'RESUBMIT_APPLICATION' });

    const closed = await until('the application closed', async () => {
      const res = await api.call<{
        status: string;
        decisionReason: string | null;
        awaiting: Awaiting | null;
      }>('GET', `/api/v1/applications/${application.body.id}`, { token: sme.token });
      return res.body.status === 'REJECTED' ? res.body : null;
    });
    expect(closed.decisionReason).toBe('no answer to the request for information within 2s');
    expect(closed.awaiting).toBeNull();
    await worker.mail.waitFor(
      (m) => m.to.includes(sme.email) && m.subject.startsWith('【检测券】申请已关闭'),
    );
    const late = await api.call('POST', `/api/v1/applications/${application.body.id}/resubmit`, {
      token: sme.token,
      body: { note: '财务报表见附件' },
    });
    expect(late.status).toBe(409);
    await recordHistory(
      worker.client,
      `voucher-application/${application.body.id}`,
      'application-information-lapsed',
    );
  });
});

describe('a voucher that expires while its booking is under way', () => {
  it('lets the booking finish, its claim follow, and the voucher’s process end after it', async () => {
    const j = await givenBooking({ voucherValidity: '20s', expiryWarnings: ['5s'], acceptanceWithin: '1h' });
    expect((await act(j.lab.token, j.bookingId, 'confirm', { quotedPriceFen: 90_000 })).status).toBe(200);
    expect((await act(j.lab.token, j.bookingId, 'sample-received')).status).toBe(200);
    await until(
      'the voucher expired',
      async () => {
        const voucher = await api.call<{ status: string; awaiting: Awaiting | null }>(
          'GET',
          `/api/v1/vouchers/${j.voucherId}`,
          { token: j.sme.token },
        );
        return voucher.body.status === 'EXPIRED' ? voucher.body : null;
      },
      40_000,
    );
    const still = await bookingOf(j.bookingId);
    expect(still.status).toBe('SAMPLE_RECEIVED');
    expect(still.awaiting).toMatchObject({ party: 'PROVIDER', action: 'UPLOAD_REPORT' });

    const reported = await act(j.lab.token, j.bookingId, 'report', {
      conclusion: 'PASS',
      fileName: 'report.pdf',
      contentBase64: pdfReport(`report ${j.bookingId}`),
    });
    expect(reported.status, reported.text).toBe(200);
    expect((await act(j.sme.token, j.bookingId, 'accept')).status).toBe(200);
    const paid = await act(j.sme.token, j.bookingId, 'copayment', {
      reference: `WX-${j.bookingId.slice(0, 8)}`,
      paidAt: new Date().toISOString(),
    });
    expect(paid.status, paid.text).toBe(200);
    // done after the voucher's end: an administrator looks at the claim, with the reason shown
    const review = await until('the claim under review', async () => {
      const b = await bookingOf(j.bookingId);
      return b.awaiting?.action === 'DECIDE_CLAIM' ? b : null;
    });
    const claim = await api.call<{ riskFlags: { code: string }[] }>(
      'GET',
      `/api/v1/claims/${review.claimId}`,
      {
        token: admin.token,
      },
    );
    expect(claim.body.riskFlags.map((f) => f.code)).toContain('OUTSIDE_VALIDITY');
    const approved = await api.call('POST', `/api/v1/claims/${review.claimId}/decision`, {
      token: admin.token,
      body: { decision: 'APPROVE', note: 'samples were at the lab before the voucher ended' },
    });
    expect(approved.status, approved.text).toBe(200);
    const claimed = await until('the claim approved', async () => {
      const b = await bookingOf(j.bookingId);
      return b.awaiting?.action === 'PAY_OUT_CLAIM' ? b : null;
    });
    expect(claimed.status).toBe('ACCEPTED');
    // the voucher's process ends once its validity is over and its last booking has ended
    await worker.client.workflow.getHandle(`voucher-application/${j.applicationId}`).result();
    await recordHistory(
      worker.client,
      `voucher-application/${j.applicationId}`,
      'voucher-expired-booking-finished',
    );
  });
});

describe('a failed process is taken over by its parent', () => {
  it('abandons a booking whose process failed: its money is released, the operators are told, the voucher goes on', async () => {
    const j = await givenBooking({});
    const before = await bookingOf(j.bookingId);
    const balance = await balanceOf(j);
    await (
      await runningProcess(worker.client, `booking/${j.bookingId}`)
    ).terminate('terminated by an operator');

    const abandoned = await statusOf(j.bookingId, 'CANCELLED');
    expect(abandoned.statusReason).toMatch(/^process failed: /);
    expect(abandoned.awaiting).toBeNull();
    expect(abandoned.timeline.map((t) => t.action)).toContain('BOOKING_PROCESS_FAILED');
    expect(await balanceOf(j)).toBe(balance + before.subsidyFen);
    await worker.mail.waitFor(
      (m) => m.to.includes('ops@vouchers.test') && m.subject.startsWith('[流程失败]'),
    );

    // the voucher's process is alive and funds the next booking
    const again = await api.call<BookingBody>('POST', '/api/v1/bookings', {
      token: j.sme.token,
      body: { voucherId: j.voucherId, providerId: j.lab.providerId, demand: DEMAND },
    });
    expect(again.status, again.text).toBe(201);
    await recordHistory(worker.client, `voucher-application/${j.applicationId}`, 'voucher-booking-abandoned');
  });

  it('abandons a booking whose process could not be started, after the booking was answered', async () => {
    const j = await givenBooking({});
    const first = await bookingOf(j.bookingId);
    const balance = await balanceOf(j);
    // a workflow already holds the id the next booking's process would take, so its start fails
    const bookingId = randomUUID();
    const squatter = await worker.client.workflow.start('booking', {
      taskQueue: `${uniqueTaskQueue(import.meta.url)}-unpolled`,
      workflowId: `booking/${bookingId}`,
      args: [],
    });
    const created = await worker.client.workflow
      .getHandle(`voucher-application/${j.applicationId}`)
      .executeUpdate(bookUpdate, {
        args: [
          {
            bookingId,
            providerId: j.lab.providerId,
            lines: first.lines,
            sampleCount: DEMAND.sampleCount,
            standards: DEMAND.standards,
            demand: DemandSchema.parse(DEMAND),
            actor: { userId: j.sme.userId, role: 'SME', organisationId: null },
            requestId: null,
          },
        ],
      });
    // the booking was answered, its subsidy committed, before its process was to start
    expect(created.status).toBe('REQUESTED');

    const abandoned = await statusOf(bookingId, 'CANCELLED');
    expect(abandoned.statusReason).toMatch(/^process failed: /);
    expect(abandoned.timeline.map((t) => t.action)).toContain('BOOKING_PROCESS_FAILED');
    expect(await balanceOf(j)).toBe(balance);
    await squatter.terminate('the test is over');
  });
});

describe('a delisted provider', () => {
  it('withdraws the bookings not yet begun, offering the SME others, and lets work under way go on', async () => {
    const lapse = new Date(Date.now() + 25_000);
    const programme = await givenProgramme(api, admin, {
      policy: { voucherValidity: '30d', dayLength: '1h', payoutSchedule: '24h' },
    });
    programmes.push(programme.id);
    const body = registrationBody({ scope: ['GB/T 2423.1', 'IEC 61000-4-2'] });
    for (const accreditation of body.accreditations) {
      accreditation.expiresOn = lapse.toISOString().replace('Z', '+00:00');
    }
    const lab = await givenVerifiedProvider(api, admin, {
      body,
      services: [{ ...CLIMATE_SERVICE, standards: ['GB/T 2423.1', 'IEC 61000-4-2'] }],
    });
    const book = async () => {
      const sme = await givenSme(api);
      const { voucherId } = await givenApprovedVoucher(api, admin, sme, programme.id, 2_000_000);
      const booked = await api.call<BookingBody>('POST', '/api/v1/bookings', {
        token: sme.token,
        body: { voucherId, providerId: lab.providerId, demand: DEMAND },
      });
      expect(booked.status, booked.text).toBe(201);
      expect((await act(lab.token, booked.body.id, 'confirm', { quotedPriceFen: 90_000 })).status).toBe(200);
      return { sme, voucherId, bookingId: booked.body.id };
    };
    const notBegun = await book();
    const underWay = await book();
    expect((await act(lab.token, underWay.bookingId, 'sample-received')).status).toBe(200);
    expect(Date.now()).toBeLessThan(lapse.getTime());

    const withdrawn = await statusOf(notBegun.bookingId, 'CANCELLED', 60_000);
    expect(withdrawn.statusReason).toMatch(/^provider delisted: /);
    const voucher = await api.call<VoucherBody & { faceValueFen: number }>(
      'GET',
      `/api/v1/vouchers/${notBegun.voucherId}`,
      { token: notBegun.sme.token },
    );
    expect(voucher.body.balanceFen).toBe(voucher.body.faceValueFen);
    await worker.mail.waitFor(
      (m) => m.to.includes(notBegun.sme.email) && m.subject.startsWith('【预约已撤销】'),
    );

    const going = await until('the delisting noted on the work under way', async () => {
      const b = await bookingOf(underWay.bookingId);
      return b.timeline.some((t) => t.action === 'PROVIDER_DELISTED_DURING_WORK') ? b : null;
    });
    expect(going.status).toBe('SAMPLE_RECEIVED');
    const reported = await act(lab.token, underWay.bookingId, 'report', {
      conclusion: 'PASS',
      fileName: 'report.pdf',
      contentBase64: pdfReport(`report ${underWay.bookingId}`),
    });
    expect(reported.status, reported.text).toBe(200);
    expect(reported.body.status).toBe('REPORTED');
    await recordHistory(worker.client, `booking/${notBegun.bookingId}`, 'booking-withdrawn');
    await recordHistory(worker.client, `provider/${lab.providerId}`, 'provider-delisted');
  });
});
