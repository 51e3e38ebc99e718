import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api';
import { runPayout } from './support/four-eyes';
import { givenApprovedClaim } from './support/journeys';
import { givenListedProvider } from './support/providers';
import { givenAdmin, givenProgramme, until, type Caller } from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

interface BatchBody {
  id: string;
  status: string;
  totalFen: number;
  transfers: number;
  transfersSent: number;
  claims: number;
  startedAt: string;
  completedAt: string | null;
}

interface BatchPage {
  items: BatchBody[];
  nextCursor: string | null;
  schedule: { expression: string; serviceDefault: boolean; nextRunAt: string | null };
}

let api: TestApi;
let worker: TestWorkerHarness;
let admin: Caller;
/** the second administrator a payout run needs */
let approver: Caller;
let programmeId: string;
let claimFen: number;

const batches = (id: string, token: string, query = '') =>
  api.call<BatchPage>('GET', `/api/v1/programs/${id}/payout-batches${query}`, { token });

/** Runs a payout now and waits for the batch it opened to complete. */
async function payOut(count: number): Promise<void> {
  // a schedule names each run it starts by the second it was asked for, and a batch is keyed by its run:
  // two runs asked for within one second are one run, so the next is asked for in a second of its own
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  await runPayout(api, admin, approver, programmeId);
  await until(
    `${count} batches completed`,
    async () => {
      const page = await batches(programmeId, admin.token);
      return page.body.items.length === count && page.body.items.every((b) => b.status === 'COMPLETED');
    },
    // a run asked for while the last batch's process is closing waits for it (the schedule buffers one)
    120_000,
  );
}

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  [worker, api] = await Promise.all([startTestWorker({ taskQueue }), startTestApi({ taskQueue })]);
  [admin, approver] = await Promise.all([givenAdmin(api), givenAdmin(api)]);
  programmeId = (
    await givenProgramme(api, admin, { policy: { payoutSchedule: '24h', voucherValidity: '30d' } })
  ).id;
  const lab = await givenListedProvider(api, {
    name: `上海计量测试所 ${Date.now() % 10000}`,
    services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000 }],
  });
  claimFen = (await givenApprovedClaim(api, admin, programmeId, lab)).amountFen;
  // the first run pays the claim; the second finds nothing left to pay
  await payOut(1);
  await payOut(2);
}, 360_000);

afterAll(async () => {
  await api?.stop();
  await worker?.stop();
});

describe('a programme’s payout batches', () => {
  it('lists the batches newest first, with what each paid, and the schedule they run on', async () => {
    const res = await batches(programmeId, admin.token);
    expect(res.status, res.text).toBe(200);
    const [empty, paying] = res.body.items;
    expect(paying).toMatchObject({
      status: 'COMPLETED',
      totalFen: claimFen,
      transfers: 1,
      transfersSent: 1,
      claims: 1,
    });
    expect(empty).toMatchObject({
      status: 'COMPLETED',
      totalFen: 0,
      transfers: 0,
      transfersSent: 0,
      claims: 0,
    });
    expect(empty!.startedAt > paying!.startedAt).toBe(true);
    expect(Date.parse(paying!.completedAt!)).toBeGreaterThanOrEqual(Date.parse(paying!.startedAt));
    expect(res.body.nextCursor).toBeNull();

    expect(res.body.schedule).toMatchObject({ expression: '24h', serviceDefault: false });
    const next = Date.parse(res.body.schedule.nextRunAt!);
    expect(next).toBeGreaterThan(Date.now());
    expect(next).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);

    const ledger = await api.deps.repos.ledger.balances(programmeId);
    expect(ledger.PAID).toBe(claimFen);
    expect(ledger.PAYABLE).toBe(0);
  });

  it('gives them a page at a time', async () => {
    const first = await batches(programmeId, admin.token, '?limit=1');
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await batches(programmeId, admin.token, `?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0]!.totalFen).toBe(claimFen);
    expect(second.body.nextCursor).toBeNull();
  });

  it('names the service’s default schedule for a programme whose policy sets none', async () => {
    const plain = await givenProgramme(api, admin);
    const res = await batches(plain.id, admin.token);
    expect(res.status, res.text).toBe(200);
    expect(res.body.items).toEqual([]);
    expect(res.body.schedule.serviceDefault).toBe(true);
    expect(res.body.schedule.expression).toBe(api.deps.env.PAYOUT_SCHEDULE_DEFAULT ?? '0 2 * * *');
    // the schedule its Schedule was created with is kept with the programme
    const row = await api.db.programme.findUniqueOrThrow({ where: { id: plain.id } });
    expect(row.payoutSchedule).toBe(res.body.schedule.expression);
    expect(res.body.schedule.nextRunAt).not.toBeNull();
  });

  it('is for administrators and auditors only', async () => {
    const auditor = await api.givenUser('AUDITOR');
    expect((await batches(programmeId, auditor.token)).body.items).toHaveLength(2);
    for (const role of ['SME', 'PROVIDER'] as const) {
      const user = await api.givenUser(role);
      expect((await batches(programmeId, user.token)).status).toBe(403);
    }
  });

  it('refuses an unknown programme and a query it does not know, naming the field', async () => {
    const missing = await api.call<{ code: string }>(
      'GET',
      `/api/v1/programs/${randomUUID()}/payout-batches`,
      { token: admin.token },
    );
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
    ]) {
      const bad = await api.call<{ issues: { in: string; field: string }[] }>(
        'GET',
        `/api/v1/programs/${programmeId}/payout-batches?${query}`,
        { token: admin.token },
      );
      expect(bad.status, query).toBe(400);
      expect(bad.body.issues.map((i) => `${i.in}.${i.field}`)).toEqual([`query.${field}`]);
    }
  });
});
