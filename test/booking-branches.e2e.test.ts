import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import { startTestApi, type TestApi } from './support/api';
import { recordHistory } from './support/histories';
import { traceProcessesOnFailure } from './support/process-trace';
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
  subsidyFen: number;
  claimId: string | null;
  openDisputeId: string | null;
  report: { late: boolean } | null;
  timeline: { action: string }[];
}

interface ClaimBody {
  id: string;
  status: string;
  amountFen: number;
  autoApproved: boolean;
  riskFlags: { code: string; message: string }[];
  decisionReason: string | null;
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
  programmeId: string;
  sme: Caller & { email: string };
  voucherId: string;
  lab: ProviderFixture;
  bookingId: string;
}

/** A booking whose samples are at the lab, under a programme whose days last a second. */
async function givenSamplesAtLab(
  options: { acceptanceWithin?: string; unitPriceFen?: number; legalRepresentative?: string } = {},
): Promise<Journey> {
  const programme = await givenProgramme(api, admin, {
    budgetFen: 10_000_000,
    policy: {
      voucherValidity: '30d',
      reportGrace: '2s',
      acceptanceWithin: options.acceptanceWithin ?? '1h',
      dayLength: '1s',
      payoutSchedule: '24h',
    },
  });
  programmes.push(programme.id);
  const sme = await givenSme(api);
  const { voucherId } = await givenApprovedVoucher(api, admin, sme, programme.id, 2_000_000);
  const lab = await givenListedProvider(api, {
    legalRepresentative: options.legalRepresentative,
    services: [
      {
        standards: ['GB/T 2423.1', 'IEC 61000-4-2'],
        unitPriceFen: options.unitPriceFen ?? 30_000,
        turnaroundDays: 2,
      },
    ],
  });
  const booked = await api.call<BookingBody>('POST', '/api/v1/bookings', {
    token: sme.token,
    body: { voucherId, providerId: lab.providerId, demand: DEMAND },
  });
  expect(booked.status, booked.text).toBe(201);
  const bookingId = booked.body.id;
  expect(
    (await act(lab.token, bookingId, 'confirm', { quotedPriceFen: (options.unitPriceFen ?? 30_000) * 3 }))
      .status,
  ).toBe(200);
  expect((await act(lab.token, bookingId, 'sample-received')).status).toBe(200);
  return { programmeId: programme.id, sme, voucherId, lab, bookingId };
}

const act = (token: string, bookingId: string, action: string, body: object = {}) =>
  api.call<BookingBody>('POST', `/api/v1/bookings/${bookingId}/${action}`, { token, body });

const report = (j: Journey, title = 'PASS') =>
  act(j.lab.token, j.bookingId, 'report', {
    conclusion: 'PASS',
    fileName: 'report.pdf',
    contentBase64: pdfReport(`${title} ${j.bookingId}`),
  });

const bookingOf = async (j: Journey) =>
  (await api.call<BookingBody>('GET', `/api/v1/bookings/${j.bookingId}`, { token: admin.token })).body;

async function claimOf(j: Journey, status?: string): Promise<ClaimBody> {
  return until(`the claim${status ? ` ${status}` : ''}`, async () => {
    const booking = await bookingOf(j);
    if (!booking.claimId) return null;
    const claim = (
      await api.call<ClaimBody>('GET', `/api/v1/claims/${booking.claimId}`, { token: admin.token })
    ).body;
    return !status || claim.status === status ? claim : null;
  });
}

async function acceptAndPay(j: Journey) {
  expect((await act(j.sme.token, j.bookingId, 'accept')).status).toBe(200);
  expect(
    (
      await act(j.sme.token, j.bookingId, 'copayment', {
        reference: `WX-${j.bookingId.slice(0, 8)}`,
        paidAt: new Date().toISOString(),
      })
    ).status,
  ).toBe(200);
}

describe('report deadlines', () => {
  it('reminds the lab when the turnaround passes, escalates after the grace, and records the report as late', async () => {
    const j = await givenSamplesAtLab();
    await worker.mail.waitFor((m) => m.to.includes(j.lab.email) && m.subject.includes('【报告到期提醒】'));
    await worker.mail.waitFor(
      (m) =>
        m.to.includes('supervisor@vouchers.test') &&
        m.subject.includes('【报告逾期升级】') &&
        m.text.includes(j.bookingId),
    );
    const reported = await report(j);
    expect(reported.body.report).toMatchObject({ late: true });
    const actions = (await bookingOf(j)).timeline.map((t) => t.action);
    expect(actions).toEqual([
      'BOOKING_REQUESTED',
      'BOOKING_CONFIRMED',
      'SAMPLE_RECEIVED',
      'REPORT_REMINDER_SENT',
      'REPORT_OVERDUE_ESCALATED',
      'REPORT_UPLOADED',
    ]);
    const lab = await api.db.provider.findUniqueOrThrow({ where: { id: j.lab.providerId } });
    expect({ late: lab.lateCount, onTime: lab.onTimeCount }).toEqual({ late: 1, onTime: 0 });
  });

  it('accepts the report on the SME’s behalf when it stays silent past the window', async () => {
    const j = await givenSamplesAtLab({ acceptanceWithin: '2s' });
    await report(j);
    const accepted = await until('automatic acceptance', async () => {
      const b = await bookingOf(j);
      return b.status === 'ACCEPTED' ? b : null;
    });
    expect(accepted.timeline.map((t) => t.action)).toContain('REPORT_AUTO_ACCEPTED');
    await worker.mail.waitFor((m) => m.to.includes(j.sme.email) && m.subject.includes('【报告已自动确认】'));
    await worker.mail.waitFor((m) => m.to.includes(j.lab.email) && m.subject.includes('【报告已自动确认】'));
    // late answers meet the state the timer left
    const tooLate = await act(j.sme.token, j.bookingId, 'dispute', { reason: '数据有误' });
    expect(tooLate.status).toBe(409);
  });
});

describe('disputes', () => {
  async function disputed(): Promise<Journey & { disputeId: string }> {
    const j = await givenSamplesAtLab();
    traceProcessesOnFailure(worker.client, () => [`booking/${j.bookingId}`, `settlement/${j.bookingId}`]);
    await report(j);
    const res = await act(j.sme.token, j.bookingId, 'dispute', { reason: '静电放电试验等级与委托不符' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.status).toBe('DISPUTED');
    await worker.mail.waitFor(
      (m) =>
        m.to.includes(admin.email) &&
        m.subject.includes('【报告异议】') &&
        m.text.includes(res.body.openDisputeId!),
    );
    return { ...j, disputeId: res.body.openDisputeId! };
  }

  const resolve = (disputeId: string, resolution: string, note: string) =>
    api.call<BookingBody>('POST', `/api/v1/disputes/${disputeId}/resolution`, {
      token: admin.token,
      body: { resolution, note },
    });

  it('upholds the report: the booking is accepted and settles', async () => {
    const j = await disputed();
    const res = await resolve(j.disputeId, 'UPHOLD', '复核原始记录，试验等级符合委托');
    expect(res.status, res.text).toBe(200);
    expect(res.body.status).toBe('ACCEPTED');
    await worker.mail.waitFor(
      (m) =>
        m.to.includes(j.sme.email) && m.subject.includes('【异议已处理】') && m.text.includes('维持检测报告'),
    );
    await act(j.sme.token, j.bookingId, 'copayment', {
      reference: 'ALIPAY-7788',
      paidAt: new Date().toISOString(),
    });
    expect((await claimOf(j, 'APPROVED')).autoApproved).toBe(true);
    const again = await resolve(j.disputeId, 'RETEST', 'again');
    expect(again.status).toBe(409);
    expect((again.body as unknown as Problem).code).toBe('DISPUTE_RESOLVED');

    const resolved = await api.call<{ items: { id: string; resolvedAt: string | null }[] }>(
      'GET',
      '/api/v1/disputes?status=RESOLVED&limit=100',
      { token: admin.token },
    );
    const listed = resolved.body.items.find((d) => d.id === j.disputeId);
    expect(listed).toMatchObject({
      bookingId: j.bookingId,
      reason: '静电放电试验等级与委托不符',
      status: 'RESOLVED',
      resolution: 'UPHOLD',
      note: '复核原始记录，试验等级符合委托',
    });
    expect(listed?.resolvedAt).not.toBeNull();
    const open = await api.call<{ items: { id: string }[] }>('GET', '/api/v1/disputes?status=OPEN', {
      token: admin.token,
    });
    expect(open.body.items.map((d) => d.id)).not.toContain(j.disputeId);
  });

  it('orders a retest: the lab reports again and the new report is accepted', async () => {
    const j = await disputed();
    const res = await resolve(j.disputeId, 'RETEST', '按委托等级重新试验');
    expect(res.body.status).toBe('SAMPLE_RECEIVED');
    expect(res.body.report).toBeNull();
    const second = await report(j, 'RETEST PASS');
    expect(second.body.status).toBe('REPORTED');
    await acceptAndPay(j);
    await claimOf(j, 'APPROVED');
    const actions = (await bookingOf(j)).timeline.map((t) => t.action);
    expect(actions.filter((a) => a === 'REPORT_UPLOADED')).toHaveLength(2);
    await recordHistory(worker.client, `booking/${j.bookingId}`, 'booking-disputed-retested');
  });

  it('cancels and refunds: the subsidy goes back to the programme, no claim is made', async () => {
    const j = await disputed();
    const before = await api.deps.repos.ledger.balances(j.programmeId);
    const res = await resolve(j.disputeId, 'CANCEL_REFUND', '报告与样品不对应，取消预约');
    expect(res.body.status).toBe('CANCELLED');
    const after = await expectLedgerBalanced(api, j.programmeId);
    expect(after.COMMITTED).toBe(before.COMMITTED - 45_000);
    expect(after.AVAILABLE).toBe(before.AVAILABLE + 45_000);
    const voucher = await api.db.voucher.findUniqueOrThrow({ where: { id: j.voucherId } });
    expect(Number(voucher.releasedFen)).toBe(45_000);
    expect(await api.db.claim.count({ where: { bookingId: j.bookingId } })).toBe(0);
    await worker.mail.waitFor(
      (m) =>
        m.to.includes(j.lab.email) &&
        m.subject.includes('【异议已处理】') &&
        m.text.includes('补贴退回项目资金'),
    );
  });
});

describe('claims', () => {
  it('sends a claim between related parties to an administrator with the reason, who approves it', async () => {
    // the test enterprise's legal representative is 陈立 (see givenSme)
    const j = await givenSamplesAtLab({ legalRepresentative: '陈立' });
    await report(j);
    await acceptAndPay(j);
    const claim = await claimOf(j, 'PENDING_REVIEW');
    expect(claim.riskFlags.map((f) => f.code)).toEqual(['RELATED_PARTY']);
    expect(claim.riskFlags[0]!.message).toContain('legal representative');
    const [mail] = await worker.mail.waitFor(
      (m) =>
        m.to.includes(admin.email) && m.subject.includes('【补贴申领待审核】') && m.text.includes(claim.id),
    );
    expect(mail!.text).toContain('legal representative');
    expect((await api.deps.repos.ledger.balances(j.programmeId)).PAYABLE).toBe(0);

    const approved = await api.call<ClaimBody>('POST', `/api/v1/claims/${claim.id}/decision`, {
      token: admin.token,
      body: { decision: 'APPROVE', note: '经核实为同名不同人，非关联交易' },
    });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'APPROVED',
      autoApproved: false,
      decisionReason: '经核实为同名不同人，非关联交易',
    });
    expect((await expectLedgerBalanced(api, j.programmeId)).PAYABLE).toBe(45_000);
    await worker.mail.waitFor((m) => m.to.includes(j.lab.email) && m.subject.includes('【补贴申领已批准】'));
  });

  it('sends claims above the threshold to review, and a rejection gives the subsidy back to the voucher', async () => {
    // 3 × 1,500.00 CNY: a 2,250.00 CNY subsidy, above the 2,000.00 CNY automatic threshold
    const j = await givenSamplesAtLab({ unitPriceFen: 150_000 });
    await report(j);
    await acceptAndPay(j);
    const claim = await claimOf(j, 'PENDING_REVIEW');
    expect(claim).toMatchObject({ amountFen: 225_000, riskFlags: [] });
    const balanceBefore = (await api.db.voucher.findUniqueOrThrow({ where: { id: j.voucherId } })).balanceFen;

    const rejected = await api.call<ClaimBody>('POST', `/api/v1/claims/${claim.id}/decision`, {
      token: admin.token,
      body: { decision: 'REJECT', reason: '合同与报告抬头不一致' },
    });
    expect(rejected.body).toMatchObject({ status: 'REJECTED', decisionReason: '合同与报告抬头不一致' });
    const balanceAfter = (await api.db.voucher.findUniqueOrThrow({ where: { id: j.voucherId } })).balanceFen;
    expect(Number(balanceAfter - balanceBefore)).toBe(225_000);
    expect(await expectLedgerBalanced(api, j.programmeId)).toMatchObject({
      COMMITTED: 0,
      PAYABLE: 0,
      RESERVED: 2_000_000,
    });
    const [mail] = await worker.mail.waitFor(
      (m) => m.to.includes(j.lab.email) && m.subject.includes('【补贴申领未通过】'),
    );
    expect(mail!.text).toContain('合同与报告抬头不一致');

    await recordHistory(worker.client, `settlement/${j.bookingId}`, 'settlement-rejected');
    const again = await api.call<Problem>('POST', `/api/v1/claims/${claim.id}/decision`, {
      token: admin.token,
      body: { decision: 'APPROVE' },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CLAIM_ALREADY_DECIDED');
  });

  it('flags a report file that was already claimed for', async () => {
    const first = await givenSamplesAtLab();
    const shared = pdfReport('one report for two jobs');
    await act(first.lab.token, first.bookingId, 'report', {
      conclusion: 'PASS',
      fileName: 'r.pdf',
      contentBase64: shared,
    });
    await acceptAndPay(first);
    await claimOf(first, 'APPROVED');

    const second = await givenSamplesAtLab();
    await act(second.lab.token, second.bookingId, 'report', {
      conclusion: 'PASS',
      fileName: 'r.pdf',
      contentBase64: shared,
    });
    await acceptAndPay(second);
    const claim = await claimOf(second, 'PENDING_REVIEW');
    expect(claim.riskFlags.map((f) => f.code)).toEqual(['DUPLICATE_REPORT']);
  });
});
