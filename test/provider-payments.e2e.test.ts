import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api';
import { runPayout } from './support/four-eyes';
import { givenApprovedClaim } from './support/journeys';
import { givenListedProvider, type ProviderFixture } from './support/providers';
import { givenAdmin, givenProgramme, until, type Caller } from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;
let admin: Caller;
/** the second administrator a payout run needs */
let approver: Caller;
let programme: { id: string; name: string };
let lab: ProviderFixture & { creditCode: string };
let other: ProviderFixture;
/** the lab's paid claims, in the order they were paid */
let paid: Paid[];

interface Paid {
  claimId: string;
  bookingId: string;
  amountFen: number;
  enterpriseName: string;
  enterpriseCreditCode: string;
  voucherCode: string;
  reference: string;
  paidAt: string;
  batchId: string;
}

interface ClaimBody {
  id: string;
  status: string;
  amountFen: number;
  paidAt: string | null;
  contract: { enterpriseName: string; enterpriseCreditCode: string; voucherCode: string };
  transfer: { reference: string | null } | null;
}

interface TransferBody {
  id: string;
  batchId: string;
  programmeId: string;
  providerId: string;
  status: string;
  amountFen: number;
  reference: string | null;
  orderedAt: string;
  sentAt: string | null;
  claims: {
    claimId: string;
    bookingId: string;
    voucherCode: string;
    enterpriseName: string;
    amountFen: number;
  }[];
}

interface TransferPage {
  items: TransferBody[];
  nextCursor: string | null;
}

/** An enterprise that names itself as a spreadsheet formula: its name must open as text. */
const FORMULA_NAME = '=HYPERLINK("http://evil.example","点我")';

async function payOut(claimIds: string[]): Promise<ClaimBody[]> {
  await runPayout(api, admin, approver, programme.id);
  return Promise.all(
    claimIds.map((id) =>
      until(
        'the claim paid',
        async () => {
          const res = await api.call<ClaimBody>('GET', `/api/v1/claims/${id}`, { token: admin.token });
          return res.body.status === 'PAID' ? res.body : null;
        },
        60_000,
      ),
    ),
  );
}

async function paidClaim(claim: ClaimBody, bookingId: string): Promise<Paid> {
  const row = await api.db.claim.findUniqueOrThrow({
    where: { id: claim.id },
    select: { transfer: { select: { batchId: true } } },
  });
  return {
    claimId: claim.id,
    bookingId,
    amountFen: claim.amountFen,
    enterpriseName: claim.contract.enterpriseName,
    enterpriseCreditCode: claim.contract.enterpriseCreditCode,
    voucherCode: claim.contract.voucherCode,
    reference: claim.transfer!.reference!,
    paidAt: claim.paidAt!,
    batchId: row.transfer!.batchId,
  };
}

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  [worker, api] = await Promise.all([startTestWorker({ taskQueue }), startTestApi({ taskQueue })]);
  [admin, approver] = await Promise.all([givenAdmin(api), givenAdmin(api)]);
  const created = await givenProgramme(api, admin, {
    name: `上海市中小企业检测券（收款）${randomUUID().slice(0, 4)}`,
    policy: {
      providerConfirmWithin: '1h',
      reportGrace: '1h',
      acceptanceWithin: '1h',
      dayLength: '1s',
      payoutSchedule: '24h',
      voucherValidity: '30d',
    },
  });
  const found = await api.deps.repos.programmes.findById(created.id);
  programme = { id: created.id, name: found!.name };
  const services = [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000 }];
  const fixture = await givenListedProvider(api, {
    name: `上海电磁兼容检测中心 ${Date.now() % 10000}`,
    services,
  });
  const row = await api.db.provider.findUniqueOrThrow({ where: { id: fixture.providerId } });
  lab = { ...fixture, creditCode: row.creditCode };
  other = await givenListedProvider(api, { name: `苏州环境试验所 ${Date.now() % 10000}`, services });

  // two payout runs: the lab is paid once in each, the other provider in the first
  const first = await givenApprovedClaim(api, admin, programme.id, lab);
  const theirs = await givenApprovedClaim(api, admin, programme.id, other);
  const [firstPaid] = await payOut([first.claimId, theirs.claimId]);
  const second = await givenApprovedClaim(api, admin, programme.id, lab, { name: FORMULA_NAME });
  const [secondPaid] = await payOut([second.claimId]);
  paid = [await paidClaim(firstPaid!, first.bookingId), await paidClaim(secondPaid!, second.bookingId)];
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await worker?.stop();
});

const transfers = (providerId: string, token: string, query = '') =>
  api.call<TransferPage>('GET', `/api/v1/providers/${providerId}/transfers${query}`, { token });

const csv = (providerId: string, token: string, query = '') =>
  api.call<string>('GET', `/api/v1/providers/${providerId}/payments.csv${query}`, { token });

describe('a provider’s payout transfers', () => {
  it('lists each transfer with the claims it paid, newest first, a page at a time', async () => {
    const [older, newer] = paid;
    const first = await transfers(lab.providerId, lab.token, '?limit=1');
    expect(first.status, first.text).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).not.toBeNull();
    const rest = await transfers(lab.providerId, lab.token, `?limit=1&cursor=${first.body.nextCursor}`);
    expect(rest.status, rest.text).toBe(200);
    expect(rest.body.nextCursor).toBeNull();

    const expected = (p: Paid) => ({
      batchId: p.batchId,
      programmeId: programme.id,
      providerId: lab.providerId,
      status: 'SENT',
      amountFen: p.amountFen,
      reference: p.reference,
      sentAt: p.paidAt,
      claims: [
        {
          claimId: p.claimId,
          bookingId: p.bookingId,
          voucherCode: p.voucherCode,
          enterpriseName: p.enterpriseName,
          amountFen: p.amountFen,
        },
      ],
    });
    expect(first.body.items[0]).toMatchObject(expected(newer!));
    expect(rest.body.items[0]).toMatchObject(expected(older!));
    expect(Date.parse(first.body.items[0]!.orderedAt)).toBeGreaterThan(
      Date.parse(rest.body.items[0]!.orderedAt),
    );

    const sent = await transfers(lab.providerId, lab.token, '?status=SENT');
    expect(sent.body.items.map((t) => t.reference)).toEqual([newer!.reference, older!.reference]);
    expect((await transfers(lab.providerId, lab.token, '?status=PENDING')).body.items).toEqual([]);
  });

  it('are the provider’s own: another provider finds nothing, administrators and auditors see them', async () => {
    expect((await transfers(lab.providerId, other.token)).status).toBe(404);
    const theirs = await transfers(other.providerId, other.token);
    expect(theirs.body.items).toHaveLength(1);
    expect(theirs.body.items[0]!.claims.map((c) => c.claimId)).not.toContain(paid[0]!.claimId);

    const asAdmin = await transfers(lab.providerId, admin.token);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.items.map((t) => t.reference)).toEqual([paid[1]!.reference, paid[0]!.reference]);
    const auditor = await api.givenUser('AUDITOR');
    expect((await transfers(lab.providerId, auditor.token)).status).toBe(200);
    const sme = await api.givenUser('SME');
    expect((await transfers(lab.providerId, sme.token)).status).toBe(403);
    expect((await transfers(randomUUID(), admin.token)).status).toBe(404);
  });

  it('refuses a query it does not know, naming the field', async () => {
    const bad = await api.call<{ issues: { field: string }[] }>(
      'GET',
      `/api/v1/providers/${lab.providerId}/transfers?status=LOST&limit=0`,
      { token: lab.token },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i) => i.field).sort()).toEqual(['limit', 'status']);
  });
});

describe('a provider’s claim totals', () => {
  it('count and sum the provider’s own claims by status', async () => {
    const res = await api.call<{ totals: { status: string; claims: number; amountFen: number }[] }>(
      'GET',
      `/api/v1/providers/${lab.providerId}/claim-totals`,
      { token: lab.token },
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body.totals).toEqual([
      { status: 'PENDING_REVIEW', claims: 0, amountFen: 0 },
      { status: 'APPROVED', claims: 0, amountFen: 0 },
      { status: 'REJECTED', claims: 0, amountFen: 0 },
      { status: 'PAID', claims: 2, amountFen: paid[0]!.amountFen + paid[1]!.amountFen },
    ]);
    const forbidden = await api.call('GET', `/api/v1/providers/${lab.providerId}/claim-totals`, {
      token: other.token,
    });
    expect(forbidden.status).toBe(404);
  });
});

describe('a provider’s payments export', () => {
  const HEADER =
    'paid_at,programme_id,programme_name,provider_name,provider_credit_code,enterprise_name,enterprise_credit_code,' +
    'voucher_code,booking_id,claim_id,amount_fen,amount_yuan,transfer_reference,batch_id';
  const line = (p: Paid, enterpriseCell: string) =>
    [
      p.paidAt,
      programme.id,
      programme.name,
      lab.name,
      lab.creditCode,
      enterpriseCell,
      p.enterpriseCreditCode,
      p.voucherCode,
      p.bookingId,
      p.claimId,
      String(p.amountFen),
      (p.amountFen / 100).toFixed(2),
      p.reference,
      p.batchId,
    ].join(',');
  // written as text: an apostrophe first, the quotes doubled inside a quoted cell
  const ESCAPED_NAME = `"'=HYPERLINK(""http://evil.example"",""点我"")"`;

  it('lists what was paid to the provider, claim by claim, with formulas written as text', async () => {
    const res = await fetch(`${api.url}/api/v1/providers/${lab.providerId}/payments.csv`, {
      headers: { authorization: `Bearer ${lab.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="payments-${lab.creditCode}.csv"`,
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [older, newer] = paid;
    expect(bytes.subarray(3).toString('utf8')).toBe(
      `${HEADER}\n${line(older!, older!.enterpriseName)}\n${line(newer!, ESCAPED_NAME)}\n`,
    );
  });

  it('keeps to the period asked for', async () => {
    const after = new Date(Date.parse(paid[0]!.paidAt) + 1).toISOString();
    const res = await csv(lab.providerId, lab.token, `?from=${encodeURIComponent(after)}`);
    expect(res.status, res.text).toBe(200);
    const rows = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n')
      .slice(1);
    expect(rows).toEqual([line(paid[1]!, ESCAPED_NAME)]);
    const wrong = await csv(
      lab.providerId,
      lab.token,
      `?from=${encodeURIComponent(after)}&to=${paid[0]!.paidAt}`,
    );
    expect(wrong.status).toBe(400);
  });

  it('is the provider’s own: another provider finds nothing, administrators and auditors read it', async () => {
    expect((await csv(lab.providerId, other.token)).status).toBe(404);
    expect((await csv(lab.providerId, admin.token)).text).toContain(paid[1]!.claimId);
    const auditor = await api.givenUser('AUDITOR');
    expect((await csv(lab.providerId, auditor.token)).status).toBe(200);
    const sme = await api.givenUser('SME');
    expect((await csv(lab.providerId, sme.token)).status).toBe(403);
    expect((await csv(lab.providerId, lab.token, `?programmeId=${randomUUID()}`)).status).toBe(404);
  });

  it('writes the formula as text in the programme’s settlements export too', async () => {
    const res = await api.call<string>('GET', `/api/v1/reports/settlements.csv?programmeId=${programme.id}`, {
      token: admin.token,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.text).toContain(`,${ESCAPED_NAME},`);
    expect(res.text).not.toContain(`,${FORMULA_NAME},`);
  });
});
