import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiReport } from '../domain/kpis';
import { startTestApi, type TestApi } from './support/api';
import { runPayout } from './support/four-eyes';
import { givenListedProvider, pdfReport, type ProviderFixture } from './support/providers';
import {
  creditCodeFor,
  DEMAND,
  expectLedgerBalanced,
  givenAdmin,
  givenProgramme,
  until,
  type Caller,
} from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;
let admin: Caller & { email: string };
let auditor: Caller;
let programme: { id: string; name: string };
let journeys: Journey[];
let batchId: string;

interface Journey {
  sme: Caller & { enterpriseId: string; name: string; creditCode: string };
  lab: ProviderFixture & { creditCode: string };
  voucherCode: string;
  bookingId: string;
  claimId: string;
  amountFen: number;
  reference: string;
  paidAt: string;
}

interface BookingBody {
  id: string;
  status: string;
  subsidyFen: number;
  claimId: string | null;
  openDisputeId: string | null;
}

interface ClaimBody {
  id: string;
  status: string;
  amountFen: number;
  paidAt: string | null;
  transfer: { reference: string | null } | null;
}

const INSPECTION_DEMAND = {
  standards: ['GB 4943.1-2022'],
  sampleCount: 2,
  latestCompletionDate: '2027-06-30',
  description: '信息技术设备安全检验',
};

/** An SME registered through the API in a given district and GB/T 4754 industry. */
async function registerSme(regionCode: string, industryCode: string, name: string) {
  const { user, token } = await api.givenUser('SME');
  const creditCode = creditCodeFor(regionCode);
  const res = await api.call<{ id: string }>('POST', '/api/v1/enterprises', {
    token,
    body: {
      creditCode,
      name,
      regionCode,
      industryCode,
      employees: 60,
      annualRevenueFen: 3_000_000_000,
      legalRepresentative: '刘洋',
      contactPhone: '13912345678',
      address: `${name}厂区 1 号楼`,
      tags: [],
    },
  });
  expect(res.status, res.text).toBe(201);
  return { token, userId: user.id, enterpriseId: res.body.id, name, creditCode };
}

const act = (token: string, bookingId: string, action: string, body: object = {}) =>
  api.call<BookingBody>('POST', `/api/v1/bookings/${bookingId}/${action}`, { token, body });

async function ok<T>(pending: Promise<{ status: number; text: string; body: T }>, status = 200): Promise<T> {
  const res = await pending;
  expect(res.status, res.text).toBe(status);
  return res.body;
}

/**
 * Application, approval, booking, confirmation, samples, report, acceptance (or a dispute the
 * administrator upholds), co-payment and the automatic claim approval, all through the API.
 */
async function journey(options: {
  sme: Journey['sme'];
  lab: ProviderFixture;
  demand: typeof DEMAND | typeof INSPECTION_DEMAND;
  quotedPriceFen: number;
  reportLateAndDisputed?: boolean;
}): Promise<Omit<Journey, 'reference' | 'paidAt'>> {
  const { sme, lab } = options;
  const application = await ok<{ id: string }>(
    api.call('POST', '/api/v1/applications', {
      token: sme.token,
      body: {
        programmeId: programme.id,
        requestedAmountFen: 1_000_000,
        purpose: '出口认证前的检测',
        demand: options.demand,
      },
    }),
    201,
  );
  const decided = await ok<{ voucherId: string }>(
    api.call('POST', `/api/v1/applications/${application.id}/decision`, {
      token: admin.token,
      body: { decision: 'APPROVE' },
    }),
  );
  const voucher = await ok<{ code: string }>(
    api.call('GET', `/api/v1/vouchers/${decided.voucherId}`, { token: sme.token }),
  );
  const booked = await ok<BookingBody>(
    api.call('POST', '/api/v1/bookings', {
      token: sme.token,
      body: { voucherId: decided.voucherId, providerId: lab.providerId, demand: options.demand },
    }),
    201,
  );
  const bookingId = booked.id;
  await ok(act(lab.token, bookingId, 'confirm', { quotedPriceFen: options.quotedPriceFen }));
  await ok(act(lab.token, bookingId, 'sample-received'));
  // turnaround days last a second in this programme: waiting past them makes the report late
  if (options.reportLateAndDisputed) await new Promise((r) => setTimeout(r, 2_500));
  await ok(
    act(lab.token, bookingId, 'report', {
      conclusion: 'PASS',
      fileName: `report-${bookingId}.pdf`,
      contentBase64: pdfReport(`Report ${bookingId}: PASS`),
    }),
  );
  if (options.reportLateAndDisputed) {
    const disputed = await ok(act(sme.token, bookingId, 'dispute', { reason: '样品编号与报告不符' }));
    // an administrator decides once told: the mail goes out when the booking process waits for it
    await worker.mail.waitFor(
      (m) =>
        m.to.includes(admin.email) &&
        m.subject.includes('【报告异议】') &&
        m.text.includes(disputed.openDisputeId!),
    );
    await ok(
      api.call('POST', `/api/v1/disputes/${disputed.openDisputeId}/resolution`, {
        token: admin.token,
        body: { resolution: 'UPHOLD', note: '编号为笔误，结论有效' },
      }),
    );
  } else {
    await ok(act(sme.token, bookingId, 'accept'));
  }
  await ok(
    act(sme.token, bookingId, 'copayment', {
      reference: `ICBC-${bookingId.slice(0, 8)}`,
      paidAt: new Date().toISOString(),
    }),
  );
  const claim = await until('the claim approved', async () => {
    const b = await api.call<BookingBody>('GET', `/api/v1/bookings/${bookingId}`, { token: admin.token });
    if (!b.body.claimId) return null;
    const c = await api.call<ClaimBody>('GET', `/api/v1/claims/${b.body.claimId}`, { token: admin.token });
    return c.body.status === 'APPROVED' ? c.body : null;
  });
  const provider = await ok<{ creditCode: string }>(
    api.call('GET', `/api/v1/providers/${lab.providerId}`, { token: admin.token }),
  );
  return {
    sme,
    lab: { ...lab, creditCode: provider.creditCode },
    voucherCode: voucher.code,
    bookingId,
    claimId: claim.id,
    amountFen: claim.amountFen,
  };
}

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  worker = await startTestWorker({ taskQueue });
  api = await startTestApi({ taskQueue });
  admin = await givenAdmin(api);
  const { user, token } = await api.givenUser('AUDITOR');
  auditor = { token, userId: user.id };
  const name = `上海市检测券报表 ${randomUUID().slice(0, 6)}`;
  const created = await givenProgramme(api, admin, {
    name,
    budgetFen: 10_000_000,
    policy: {
      providerConfirmWithin: '1h',
      reportGrace: '1h',
      acceptanceWithin: '1h',
      dayLength: '1s',
      payoutSchedule: '24h',
      voucherValidity: '30d',
    },
  });
  programme = { id: created.id, name };

  const electronicsLab = await givenListedProvider(api, {
    name: `上海电子电器检测所 ${randomUUID().slice(0, 4)}`,
    services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000, turnaroundDays: 2 }],
  });
  const platform = await givenListedProvider(api, {
    name: `浦江公共检验服务平台 ${randomUUID().slice(0, 4)}`,
    services: [{ category: 'INSPECTION', standards: ['GB 4943.1'], unitPriceFen: 25_000, turnaroundDays: 2 }],
  });
  // a platform counts towards the action's public-service-platform target
  await api.db.provider.update({
    where: { id: platform.providerId },
    data: { kind: 'PUBLIC_SERVICE_PLATFORM' },
  });

  const done = await Promise.all([
    journey({
      sme: await registerSme('310115', 'C3989', `上海浦东精测电子有限公司 ${randomUUID().slice(0, 4)}`),
      lab: electronicsLab,
      demand: DEMAND,
      quotedPriceFen: 84_000,
    }),
    journey({
      sme: await registerSme('310104', 'C3411', `上海徐汇精工机械有限公司 ${randomUUID().slice(0, 4)}`),
      lab: platform,
      demand: INSPECTION_DEMAND,
      quotedPriceFen: 50_000,
      reportLateAndDisputed: true,
    }),
  ]);

  await runPayout(api, admin, await givenAdmin(api), programme.id);
  journeys = [];
  for (const j of done) {
    const paid = await until('the claim paid', async () => {
      const c = await api.call<ClaimBody>('GET', `/api/v1/claims/${j.claimId}`, { token: admin.token });
      return c.body.status === 'PAID' ? c.body : null;
    });
    journeys.push({ ...j, reference: paid.transfer!.reference!, paidAt: paid.paidAt! });
  }
  const batches = await api.db.payoutBatch.findMany({ where: { programmeId: programme.id } });
  expect(batches).toHaveLength(1);
  batchId = batches[0]!.id;
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await worker?.stop();
});

/** `YYYY-MM` of an instant in Beijing time. */
const beijingMonth = (at: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' })
    .format(at)
    .slice(0, 7);

const kpis = (query: string, token = auditor.token) =>
  api.call<KpiReport>('GET', `/api/v1/reports/kpis?${query}`, { token });

describe('the KPIs of a programme', () => {
  it('count what the two journeys did, from vouchers to the money paid', async () => {
    const res = await kpis(`programmeId=${programme.id}&top=5`);
    expect(res.status, res.text).toBe(200);
    const report = res.body;
    expect(report.filters).toEqual({ programmeId: programme.id, regionCode: null, industry: null });
    expect(report.enterprisesServed).toBe(2);
    expect(report.vouchers).toEqual({
      issued: 2,
      used: 2,
      active: 2,
      usedUp: 0,
      expired: 0,
      revoked: 0,
      faceValueFen: 2_000_000,
      // both issued and both used moments ago: this month on the Beijing clock
      byMonth: [{ month: beijingMonth(new Date()), issued: 2, used: 2, expired: 0 }],
    });
    // 3 × 300 CNY quoted 840 CNY and 2 × 250 CNY: half of each is subsidised and now paid
    const ledger = await expectLedgerBalanced(api, programme.id);
    expect(report.budget).toEqual({
      programmes: 1,
      budgetFen: 10_000_000,
      accounts: { AVAILABLE: 8_000_000, RESERVED: 1_933_000, COMMITTED: 0, PAYABLE: 0, PAID: 67_000 },
      totalFen: 10_000_000,
      balanced: true,
    });
    expect(report.budget.accounts).toEqual(ledger);
    expect(report.bookings).toMatchObject({ total: 2, accepted: 2, subsidyFen: 67_000 });
    expect(report.bookings.byCategory.filter((c) => c.bookings > 0)).toEqual([
      { category: 'TESTING', bookings: 1, accepted: 1 },
      { category: 'INSPECTION', bookings: 1, accepted: 1 },
    ]);
    expect(report.bookings.byRegion).toEqual([
      {
        provinceCode: '31',
        name: '上海市',
        nameEn: 'Shanghai',
        bookings: 2,
        accepted: 2,
        subsidyFen: 67_000,
      },
    ]);
  });

  it('give the median time of every stage, the late report’s testing stage included', async () => {
    const { stages } = (await kpis(`programmeId=${programme.id}`)).body;
    expect(stages.map((s) => [s.stage, s.count])).toEqual([
      ['APPLICATION_DECISION', 2],
      ['BOOKING_CONFIRMATION', 2],
      ['SAMPLE_DELIVERY', 2],
      ['TESTING', 2],
      ['ACCEPTANCE', 2],
      ['PAYMENT', 2],
    ]);
    for (const stage of stages) expect(stage.medianSeconds, stage.stage).toBeGreaterThanOrEqual(0);
    // the payout run came after both claims were approved, the second acceptance after a dispute
    expect(stages.find((s) => s.stage === 'PAYMENT')!.medianSeconds).toBeGreaterThan(0);
    // the median of two is their mean: the report that waited 2.5 s pulls it above a second
    const testing = stages.find((s) => s.stage === 'TESTING')!;
    expect(testing.medianSeconds).toBeGreaterThanOrEqual(1.2);
    expect(testing.medianDays).toBe(0);
  });

  it('rate the providers: one report on time, one late and disputed', async () => {
    const { providers, policyTargets } = (await kpis(`programmeId=${programme.id}`)).body;
    expect(providers.overall).toEqual({
      bookings: 2,
      reports: 2,
      onTime: 1,
      late: 1,
      disputes: 1,
      onTimeRate: 0.5,
      disputeRate: 0.5,
    });
    expect(providers.publicServicePlatforms).toBe(1);
    const [electronics, platform] = journeys.map((j) =>
      providers.top.find((p) => p.providerId === j.lab.providerId),
    );
    expect(electronics).toMatchObject({
      name: journeys[0]!.lab.name,
      kind: 'LAB',
      onTimeRate: 1,
      disputeRate: 0,
    });
    expect(platform).toMatchObject({
      kind: 'PUBLIC_SERVICE_PLATFORM',
      onTime: 0,
      late: 1,
      disputes: 1,
      onTimeRate: 0,
      disputeRate: 1,
    });
    expect((await kpis(`programmeId=${programme.id}&top=1`)).body.providers.top).toHaveLength(1);
    expect(policyTargets).toEqual([
      expect.objectContaining({ key: 'SMES_WITH_QUALITY_SYSTEMS', target: 10_000, value: 2, share: 0.0002 }),
      expect.objectContaining({ key: 'NEW_PUBLIC_SERVICE_PLATFORMS', target: 1_000, value: 1, share: 0.001 }),
    ]);
  });

  it('narrow to a district, a prefecture or an industry, keeping the programme’s budget in view', async () => {
    const pudong = (await kpis(`programmeId=${programme.id}&regionCode=310115`)).body;
    expect(pudong.filters.regionCode).toBe('310115');
    expect(pudong.enterprisesServed).toBe(1);
    expect(pudong.bookings).toMatchObject({ total: 1, subsidyFen: 42_000 });
    expect(pudong.providers.overall).toMatchObject({ onTime: 1, late: 0, disputes: 0 });
    expect(pudong.budget.programmes).toBe(1);

    const shanghai = (await kpis(`programmeId=${programme.id}&regionCode=310100`)).body;
    expect(shanghai.filters.regionCode).toBe('3101');
    expect(shanghai.enterprisesServed).toBe(2);

    const machinery = (await kpis(`programmeId=${programme.id}&industry=machinery`)).body;
    expect(machinery.enterprisesServed).toBe(1);
    expect(machinery.bookings.byCategory.find((c) => c.category === 'INSPECTION')!.bookings).toBe(1);
    expect(machinery.providers.overall).toMatchObject({ late: 1, disputes: 1, disputeRate: 1 });

    const textiles = (await kpis(`programmeId=${programme.id}&industry=textiles`)).body;
    expect(textiles.enterprisesServed).toBe(0);
    expect(textiles.vouchers.issued).toBe(0);
    expect(textiles.vouchers.byMonth).toEqual([]);
    expect(textiles.stages.every((s) => s.count === 0 && s.medianSeconds === null)).toBe(true);
    expect(textiles.providers.overall.onTimeRate).toBeNull();

    const guangdong = (await kpis(`programmeId=${programme.id}&regionCode=44`)).body;
    expect(guangdong.enterprisesServed).toBe(0);
    expect(guangdong.budget).toMatchObject({ programmes: 0, budgetFen: 0, totalFen: 0, balanced: true });
  });

  it('are for administrators and auditors, and refuse filters they do not know', async () => {
    expect((await kpis(`programmeId=${programme.id}`, admin.token)).status).toBe(200);
    const sme = await api.givenUser('SME');
    expect((await kpis('', sme.token)).status).toBe(403);
    const lab = await api.givenUser('PROVIDER');
    expect((await kpis('', lab.token)).status).toBe(403);
    expect((await kpis('industry=toys')).status).toBe(400);
    expect((await kpis('regionCode=99')).status).toBe(400);
    expect((await kpis('top=0')).status).toBe(400);
    expect((await kpis(`programmeId=${randomUUID()}`)).status).toBe(404);
  });
});

describe('the settlements export', () => {
  const csv = (query: string, token = auditor.token) =>
    api.call<string>('GET', `/api/v1/reports/settlements.csv?${query}`, { token });
  const HEADER =
    'paid_at,programme_id,programme_name,provider_name,provider_credit_code,enterprise_name,enterprise_credit_code,' +
    'voucher_code,booking_id,claim_id,amount_fen,amount_yuan,transfer_reference,batch_id';

  it('lists each paid claim with who was paid, for which booking, how much and by which transfer', async () => {
    const res = await fetch(`${api.url}/api/v1/reports/settlements.csv?programmeId=${programme.id}`, {
      headers: { authorization: `Bearer ${auditor.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="settlements-${programme.id}.csv"`,
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    // the byte-order mark lets Excel read the Chinese names as UTF-8
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const expected = [...journeys]
      .sort((a, b) => a.paidAt.localeCompare(b.paidAt) || a.claimId.localeCompare(b.claimId))
      .map((j) =>
        [
          j.paidAt,
          programme.id,
          programme.name,
          j.lab.name,
          j.lab.creditCode,
          j.sme.name,
          j.sme.creditCode,
          j.voucherCode,
          j.bookingId,
          j.claimId,
          String(j.amountFen),
          (j.amountFen / 100).toFixed(2),
          j.reference,
          batchId,
        ].join(','),
      );
    expect(bytes.subarray(3).toString('utf8')).toBe(`${HEADER}\n${expected.join('\n')}\n`);
    expect(journeys.map((j) => j.amountFen).sort()).toEqual([25_000, 42_000]);
    expect(journeys.every((j) => j.reference.startsWith('GW-'))).toBe(true);
  });

  it('keeps to the period asked for', async () => {
    const times = journeys.map((j) => Date.parse(j.paidAt));
    const first = new Date(Math.min(...times));
    const last = new Date(Math.max(...times));
    const rows = async (query: string) => {
      const res = await csv(`programmeId=${programme.id}&${query}`);
      expect(res.status, res.text).toBe(200);
      return res.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n')
        .slice(1);
    };
    expect(
      await rows(`from=${first.toISOString()}&to=${new Date(last.getTime() + 1).toISOString()}`),
    ).toHaveLength(2);
    expect(await rows(`from=${new Date(last.getTime() + 1).toISOString()}`)).toEqual([]);
    expect(await rows(`to=${first.toISOString()}`)).toEqual([]);
    expect((await csv(`from=${last.toISOString()}&to=${first.toISOString()}`)).status).toBe(400);
  });

  it('is for administrators and auditors, and names an unknown programme', async () => {
    expect((await csv(`programmeId=${programme.id}`, admin.token)).status).toBe(200);
    const sme = await api.givenUser('SME');
    expect((await csv('', sme.token)).status).toBe(403);
    expect((await csv(`programmeId=${randomUUID()}`)).status).toBe(404);
  });
});
