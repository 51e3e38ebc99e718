import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import { applicationWorkflowId } from '../domain/application';
import { startTestApi, type TestApi } from './support/api';
import { givenListedProvider, pdfReport, type ProviderFixture } from './support/providers';
import {
  apply,
  decide,
  DEMAND,
  expectLedgerBalanced,
  givenAdmin,
  givenApplication,
  givenApprovedVoucher,
  givenProgramme,
  givenSme,
  type Caller,
} from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

/**
 * Where processes meet what cannot pass: text PostgreSQL cannot store, a constraint, a process that
 * does not answer in time, and the policy that lets an enterprise hold several vouchers. Each answer
 * comes at once, with the reason, and nothing is left wedged.
 */
let api: TestApi;
let worker: TestWorkerHarness;
let admin: Caller;
let lab: ProviderFixture;
const programmes: string[] = [];

interface BookingBody {
  id: string;
  status: string;
}

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  worker = await startTestWorker({ taskQueue });
  api = await startTestApi({ taskQueue });
  admin = await givenAdmin(api);
  lab = await givenListedProvider(api, {
    services: [
      {
        standards: ['GB/T 2423.1', 'IEC 61000-4-2'],
        unitPriceFen: 30_000,
        turnaroundDays: 2,
        dailyCapacity: 50,
      },
    ],
  });
});
afterEach(async () => {
  for (const id of programmes) await expectLedgerBalanced(api, id);
});
afterAll(async () => {
  await api?.stop();
  await worker?.stop();
});

async function programme(policy: Record<string, unknown> = {}) {
  const created = await givenProgramme(api, admin, {
    budgetFen: 10_000_000,
    policy: {
      dayLength: '1s',
      acceptanceWithin: '1h',
      voucherValidity: '30d',
      payoutSchedule: '24h',
      ...policy,
    },
  });
  programmes.push(created.id);
  return created;
}

const book = (sme: Caller, voucherId: string) =>
  api.call<BookingBody>('POST', '/api/v1/bookings', {
    token: sme.token,
    body: { voucherId, providerId: lab.providerId, demand: DEMAND },
  });

const act = (token: string, bookingId: string, action: string, body: object = {}) =>
  api.call<BookingBody & Problem>('POST', `/api/v1/bookings/${bookingId}/${action}`, { token, body });

function expectRefusedField(res: { status: number; text: string; body: Problem }, field: string) {
  expect(res.status, res.text).toBe(400);
  expect(res.body.issues).toContainEqual(
    expect.objectContaining({ in: 'body', field, code: 'invalid_character' }) as unknown,
  );
}

describe('text that is not text', () => {
  it("is refused at the edge, naming the field, and a provider cannot freeze the SME's booking with it", async () => {
    const { id: programmeId } = await programme();
    const sme = await givenSme(api);
    const { voucherId } = await givenApprovedVoucher(api, admin, sme, programmeId);
    const booked = await book(sme, voucherId);
    expect(booked.status, booked.text).toBe(201);
    const bookingId = booked.body.id;

    expectRefusedField(await act(lab.token, bookingId, 'decline', { reason: '设备检修\u0000' }), 'reason');
    expect((await act(lab.token, bookingId, 'confirm', { quotedPriceFen: 90_000 })).body.status).toBe(
      'CONFIRMED',
    );
    expect((await act(lab.token, bookingId, 'sample-received')).body.status).toBe('SAMPLE_RECEIVED');
    const report = { conclusion: 'PASS', contentBase64: pdfReport('report') };
    expectRefusedField(
      await act(lab.token, bookingId, 'report', { ...report, fileName: 'report\u0000.pdf' }),
      'fileName',
    );
    const reported = await act(lab.token, bookingId, 'report', { ...report, fileName: 'report.pdf' });
    expect(reported.status, reported.text).toBe(200);
    expect(reported.body.status).toBe('REPORTED');

    // the SME's own text is held to the same rule, and its next action goes through at once
    expectRefusedField(
      await act(sme.token, bookingId, 'dispute', { reason: '结论与样品不符\ud800' }),
      'reason',
    );
    expectRefusedField(
      await act(sme.token, bookingId, 'dispute', { reason: '结论\u001b[31m不符' }),
      'reason',
    );
    const accepted = await act(sme.token, bookingId, 'accept');
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body.status).toBe('ACCEPTED');

    // nothing of the refused text reached the timeline or the audit log
    const audit = await api.db.auditEntry.findMany({
      where: { entityId: bookingId },
      select: { action: true, before: true, after: true },
    });
    expect(audit.map((a) => a.action)).not.toContain('BOOKING_DECLINED');
    expect(JSON.stringify(audit)).not.toMatch(/\\u0000|\\ud800|\\u001b/);
  });
});

describe('a failure that cannot pass, inside an update', () => {
  it('is answered 409 at once with the database’s reason, moves nothing, and the process takes the next decision', async () => {
    const { id: programmeId } = await programme();
    const sme = await givenSme(api);
    const application = await givenApplication(api, sme, programmeId);

    // a voucher of the same enterprise and programme, issued meanwhile by another path: approving now
    // breaks the database's one-active-voucher rule, which no retry can change
    const otherApplication = randomUUID();
    await api.db.application.create({
      data: {
        id: otherApplication,
        programmeId,
        enterpriseId: sme.enterpriseId,
        submittedBy: sme.userId,
        requestedAmountFen: 100_000n,
        approvedAmountFen: 100_000n,
        purpose: '另一途径签发',
        demand: {},
        status: 'APPROVED',
        workflowId: applicationWorkflowId(otherApplication),
      },
    });
    await api.db.voucher.create({
      data: {
        id: randomUUID(),
        code: `TV2026-${otherApplication.slice(0, 5).toUpperCase()}-EDGE0`,
        applicationId: otherApplication,
        programmeId,
        enterpriseId: sme.enterpriseId,
        faceValueFen: 100_000n,
        balanceFen: 100_000n,
        status: 'ACTIVE',
        validFrom: new Date(),
        validUntil: new Date(Date.now() + 86_400_000),
        workflowId: applicationWorkflowId(otherApplication),
      },
    });

    const started = Date.now();
    const refused = await decide(api, admin, application.id, { decision: 'APPROVE' });
    expect(refused.status, refused.text).toBe(409);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(refused.body).toMatchObject({
      code: 'UNIQUE_VIOLATION',
      details: { constraint: 'vouchers_one_active_per_enterprise', sqlState: '23505' },
    });
    expect((refused.body as unknown as Problem).detail).toContain('vouchers_one_active_per_enterprise');
    expect(await expectLedgerBalanced(api, programmeId)).toMatchObject({
      AVAILABLE: 10_000_000,
      RESERVED: 0,
    });

    // nothing is wedged: the next decision is taken at once
    const rejected = await decide(api, admin, application.id, {
      decision: 'REJECT',
      reason: '已另行签发检测券',
    });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body.status).toBe('REJECTED');
  });
});

describe('oneOpenPerEnterprise', () => {
  it('false: an enterprise holds several applications and vouchers at once, each usable', async () => {
    const { id: programmeId } = await programme({ oneOpenPerEnterprise: false });
    const sme = await givenSme(api);
    const first = await givenApplication(api, sme, programmeId, 500_000);
    const second = await givenApplication(api, sme, programmeId, 700_000);
    expect([first.status, second.status]).toEqual(['UNDER_REVIEW', 'UNDER_REVIEW']);

    const vouchers: string[] = [];
    for (const application of [first, second]) {
      const started = Date.now();
      const approved = await decide(api, admin, application.id, { decision: 'APPROVE' });
      expect(approved.status, approved.text).toBe(200);
      expect(Date.now() - started).toBeLessThan(8_000);
      vouchers.push(approved.body.voucherId!);
    }
    expect(await expectLedgerBalanced(api, programmeId)).toMatchObject({ RESERVED: 1_200_000 });

    // a third, while the two vouchers are active
    const third = await apply(api, sme, programmeId, 100_000);
    expect(third.status, third.text).toBe(201);

    for (const voucherId of vouchers) {
      const booked = await book(sme, voucherId);
      expect(booked.status, booked.text).toBe(201);
      expect(booked.body.status).toBe('REQUESTED');
      const confirmed = await act(lab.token, booked.body.id, 'confirm', { quotedPriceFen: 90_000 });
      expect(confirmed.body.status).toBe('CONFIRMED');
    }
    expect(await expectLedgerBalanced(api, programmeId)).toMatchObject({
      RESERVED: 1_200_000 - 2 * 45_000,
      COMMITTED: 2 * 45_000,
    });
  });

  it('true (the default): a second application is refused while one is open or its voucher is active', async () => {
    const { id: programmeId } = await programme();
    const sme = await givenSme(api);
    const first = await givenApplication(api, sme, programmeId, 500_000);

    const whileOpen = await apply(api, sme, programmeId, 300_000);
    expect(whileOpen.status, whileOpen.text).toBe(422);
    expect(JSON.stringify(whileOpen.body)).toContain('OPEN_APPLICATION_EXISTS');

    expect((await decide(api, admin, first.id, { decision: 'APPROVE' })).status).toBe(200);
    const whileActive = await apply(api, sme, programmeId, 300_000);
    expect(whileActive.status, whileActive.text).toBe(422);
    expect(JSON.stringify(whileActive.body)).toContain('ACTIVE_VOUCHER_EXISTS');
    expect(await api.db.voucher.count({ where: { programmeId, enterpriseId: sme.enterpriseId } })).toBe(1);
  });
});

describe('a process that does not answer in time', () => {
  it('answers 503 PROCESS_BUSY with Retry-After and where to look, within the deadline, never silence', async () => {
    // an API whose task queue no worker serves: every process it starts waits for ever
    const idle = await startTestApi({
      taskQueue: `${worker.taskQueue}-idle`,
      env: { PROCESS_ANSWER_WITHIN: '1s' },
    });
    try {
      const started = Date.now();
      const created = await idle.call<Problem>('POST', '/api/v1/programs', {
        token: admin.token,
        body: {
          name: '无人处理的项目',
          authority: '上海市经济和信息化委员会',
          year: 2026,
          regionCode: '310000',
          budgetFen: 1_000,
        },
      });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(created.status, created.text).toBe(503);
      expect(created.headers.get('retry-after')).toBe('5');
      expect(created.body.code).toBe('PROCESS_BUSY');
      const programmeLocation = (created.body.details as { location: string }).location;
      expect(programmeLocation).toMatch(/^\/api\/v1\/programs\/[0-9a-f-]{36}$/);
      expect(created.body.detail).toContain(`GET ${programmeLocation}`);

      const { id: programmeId } = await programme();
      const sme = await givenSme(api);
      const applied = await idle.call<Problem>('POST', '/api/v1/applications', {
        token: sme.token,
        body: { programmeId, requestedAmountFen: 100_000, purpose: '产品出口前的型式试验', demand: DEMAND },
      });
      expect(applied.status, applied.text).toBe(503);
      expect(applied.body.code).toBe('PROCESS_BUSY');
      const applicationLocation = (applied.body.details as { location: string }).location;
      expect(applicationLocation).toMatch(/^\/api\/v1\/applications\/[0-9a-f-]{36}$/);

      // the processes were handed over; stop them, as an operator would
      for (const workflowId of [
        `programme/${programmeLocation.split('/').pop()!}`,
        applicationWorkflowId(applicationLocation.split('/').pop()!),
      ]) {
        await worker.client.workflow.getHandle(workflowId).terminate('test: no worker serves this queue');
      }
    } finally {
      await idle.stop();
    }
  });

  it('takes a retry with the same Idempotency-Key as the same request: the item handed over, never a second', async () => {
    const queue = `${worker.taskQueue}-late`;
    const late = await startTestApi({ taskQueue: queue, env: { PROCESS_ANSWER_WITHIN: '1s' } });
    let lateWorker: TestWorkerHarness | undefined;
    try {
      const { id: programmeId } = await programme();
      const sme = await givenSme(api);
      const key = randomUUID();
      const submit = () =>
        late.call<Problem & { id: string }>('POST', '/api/v1/applications', {
          token: sme.token,
          headers: { 'Idempotency-Key': key },
          body: { programmeId, requestedAmountFen: 100_000, purpose: '产品出口前的型式试验', demand: DEMAND },
        });
      const first = await submit();
      expect(first.status, first.text).toBe(503);
      const location = (first.body.details as { location: string }).location;

      // a worker comes back; the client repeats the request with its key, as Retry-After asks, until
      // the process answers: every answer names the same item, and in the end it is handed over
      lateWorker = await startTestWorker({ taskQueue: queue });
      let again = await submit();
      for (let attempt = 1; again.status === 503 && attempt < 10; attempt += 1) {
        expect((again.body.details as { location: string }).location).toBe(location);
        again = await submit();
      }
      expect(again.status, again.text).toBe(201);
      expect(`/api/v1/applications/${again.body.id}`).toBe(location);
      expect(await api.db.application.count({ where: { programmeId, enterpriseId: sme.enterpriseId } })).toBe(
        1,
      );
    } finally {
      await late.stop();
      await lateWorker?.stop();
    }
  });
});
