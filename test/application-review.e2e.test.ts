import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api';
import { givenListedProvider, givenRegisteredProvider } from './support/provider-fixtures';
import {
  apply,
  decide,
  givenAdmin,
  givenApplication,
  givenProgramme,
  givenSme,
  type Caller,
} from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;
let admin: Caller;

interface ReviewBody {
  applicationId: string;
  enterprise: { id: string; name: string; employees: number };
  programme: { id: string; name: string };
  checks: { rule: string; passed: boolean; details: Record<string, unknown> }[];
  annualCap: { year: number; capFen: number; grantedFen: number; requestedFen: number; remainingFen: number };
  availableBudgetFen: number;
  history: {
    id: string;
    programmeName: string;
    status: string;
    approvedAmountFen: number | null;
    decisionReason: string | null;
    voucher: { code: string; faceValueFen: number; status: string } | null;
  }[];
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

const review = (caller: Caller, id: string) =>
  api.call<ReviewBody>('GET', `/api/v1/applications/${id}/review`, { token: caller.token });

describe('the facts a reviewer reads before deciding an application', () => {
  it('checks every rule of the programme now, and shows the annual cap used and the enterprise’s history', async () => {
    const programme = await givenProgramme(api, admin, {
      budgetFen: 50_000_000,
      policy: { oneOpenPerEnterprise: false, enterpriseAnnualCapFen: 3_000_000 },
    });
    const other = await givenProgramme(api, admin, { name: `浦东新区检测券 ${randomUUID().slice(0, 4)}` });
    const sme = await givenSme(api, { employees: 120 });

    // earlier business: one approved for less (a voucher of ¥10,000), one rejected in another programme
    const first = await givenApplication(api, sme, programme.id, 1_500_000);
    expect((await decide(api, admin, first.id, { decision: 'APPROVE', amountFen: 1_000_000 })).status).toBe(
      200,
    );
    const elsewhere = await givenApplication(api, sme, other.id, 800_000);
    expect((await decide(api, admin, elsewhere.id, { decision: 'REJECT', reason: '材料不全' })).status).toBe(
      200,
    );

    const current = await givenApplication(api, sme, programme.id, 1_800_000);
    const res = await review(admin, current.id);
    expect(res.status, res.text).toBe(200);
    expect(res.body.enterprise).toMatchObject({ id: sme.enterpriseId, employees: 120 });
    expect(res.body.programme.id).toBe(programme.id);

    // one open application is allowed by this programme, so that rule is not listed; the rest all hold
    expect(res.body.checks.map((c) => c.rule)).toEqual([
      'PROGRAMME_CLOSED',
      'EMPLOYEES_OVER_LIMIT',
      'REVENUE_OVER_LIMIT',
      'REGION_NOT_ELIGIBLE',
      'TAGS_MISSING',
      'AMOUNT_OVER_VOUCHER_CAP',
      'ANNUAL_CAP_EXCEEDED',
      'CATEGORY_NOT_ELIGIBLE',
    ]);
    expect(res.body.checks.every((c) => c.passed)).toBe(true);
    expect(res.body.checks.find((c) => c.rule === 'EMPLOYEES_OVER_LIMIT')?.details).toEqual({
      employees: 120,
      maxEmployees: 300,
    });
    expect(res.body.annualCap).toMatchObject({
      capFen: 3_000_000,
      grantedFen: 1_000_000,
      requestedFen: 1_800_000,
      remainingFen: 2_000_000,
    });
    expect(res.body.availableBudgetFen).toBe(49_000_000);

    expect(res.body.history.map((h) => [h.id, h.status])).toEqual([
      [first.id, 'APPROVED'],
      [elsewhere.id, 'REJECTED'],
    ]);
    expect(res.body.history[0]).toMatchObject({ approvedAmountFen: 1_000_000 });
    expect(res.body.history[0]!.voucher).toMatchObject({ faceValueFen: 1_000_000, status: 'ACTIVE' });
    expect(res.body.history[1]).toMatchObject({ decisionReason: '材料不全', voucher: null });
    expect(res.body.history[1]!.programmeName).toMatch(/浦东新区检测券/);

    // a second open application of ¥15,000 would pass the cap now: the rule says so, with its facts
    const second = await apply(api, sme, programme.id, 1_500_000);
    expect(second.status, second.text).toBe(201);
    const approved = await decide(api, admin, current.id, { decision: 'APPROVE' });
    expect(approved.status, approved.text).toBe(200);
    const after = await review(admin, second.body.id);
    const cap = after.body.checks.find((c) => c.rule === 'ANNUAL_CAP_EXCEEDED');
    expect(cap).toMatchObject({ passed: false, details: { usedThisYearFen: 2_800_000 } });
    expect(after.body.annualCap).toMatchObject({ grantedFen: 2_800_000, remainingFen: 200_000 });

    // the approved application's own voucher does not count against it
    const own = await review(admin, current.id);
    expect(own.body.annualCap.grantedFen).toBe(1_000_000);
  });

  it('names the enterprise and programme on every application, for the review queue', async () => {
    const programme = await givenProgramme(api, admin);
    const sme = await givenSme(api, { name: `苏州精工检测设备有限公司 ${randomUUID().slice(0, 4)}` });
    const application = await givenApplication(api, sme, programme.id);
    const list = await api.call<{ items: { id: string; enterpriseName: string; programmeName: string }[] }>(
      'GET',
      `/api/v1/applications?programmeId=${programme.id}&status=UNDER_REVIEW`,
      { token: admin.token },
    );
    expect(list.status, list.text).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: application.id });
    expect(list.body.items[0]!.enterpriseName).toMatch(/^苏州精工检测设备有限公司/);
    expect(list.body.items[0]!.programmeName).toMatch(/^上海市中小企业检测券/);
  });

  it('answers 404 for an unknown application, 400 for a malformed id, and refuses enterprises', async () => {
    expect((await review(admin, randomUUID())).status).toBe(404);
    const malformed = await review(admin, 'not-an-id');
    expect(malformed.status).toBe(400);
    const programme = await givenProgramme(api, admin);
    const sme = await givenSme(api);
    const application = await givenApplication(api, sme, programme.id);
    const refused = await review(sme, application.id);
    expect(refused.status).toBe(403);
  });
});

describe('providers awaiting verification', () => {
  it('lists new registrations and renewals waiting for an administrator, with the date the review escalates', async () => {
    const waiting = await givenRegisteredProvider(api);
    const listed = await givenListedProvider(api, admin);
    const list = await api.call<{
      items: {
        id: string;
        status: string;
        pendingVerification?: { submittedAt: string; verifyBy: string } | null;
      }[];
    }>('GET', '/api/v1/providers?awaitingVerification=true&limit=100', { token: admin.token });
    expect(list.status, list.text).toBe(200);
    const ids = list.body.items.map((p) => p.id);
    expect(ids).toContain(waiting.providerId);
    expect(ids).not.toContain(listed.providerId);
    expect(list.body.items.every((p) => p.pendingVerification)).toBe(true);
    const pending = list.body.items.find((p) => p.id === waiting.providerId)!.pendingVerification!;
    // PROVIDER_REVIEW_ESCALATE_AFTER is 5 days unless configured
    expect(Date.parse(pending.verifyBy) - Date.parse(pending.submittedAt)).toBe(5 * 24 * 3600 * 1000);

    const bad = await api.call('GET', '/api/v1/providers?awaitingVerification=yes', { token: admin.token });
    expect(bad.status).toBe(400);
  });
});
