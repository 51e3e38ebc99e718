import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { ProviderBody } from '../api/routes/provider-views';
import { addDays, localDate } from '../domain/calendar';
import { providerWorkflowId } from '../domain/provider';
import { startTestApi, type TestApi } from './support/api';
import {
  CLIMATE_SERVICE,
  cmaNumber,
  givenRegisteredProvider,
  insertBooking,
  insertListedProvider,
  insertVoucher,
  putServices,
  registrationBody,
  until,
  verify,
} from './support/provider-fixtures';
import { givenAdmin, type Caller } from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;
let admin: Caller & { email: string };
const SUPERVISOR = 'supervisor@vouchers.test';
const RANDOM_VIBRATION = 'GB/T 2423.56';

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  worker = await startTestWorker({ taskQueue });
  // the review SLA and the accreditation warning in seconds instead of days
  api = await startTestApi({
    taskQueue,
    env: {
      PROVIDER_REVIEW_REMINDER_AFTER: '2s',
      PROVIDER_REVIEW_ESCALATE_AFTER: '4s',
      PROVIDER_EXPIRY_WARNING_BEFORE: '4s',
      PROVIDER_EXPIRY_CHECK_EVERY: '1h',
    },
  });
  admin = await givenAdmin(api);
});
afterAll(async () => {
  await api?.stop();
  await worker?.stop();
});

const get = (token: string, id: string) =>
  api.call<ProviderBody>('GET', `/api/v1/providers/${id}`, { token });
const actions = async (id: string) => (await get(admin.token, id)).body.timeline!.map((t) => t.action);

describe('the review SLA', () => {
  it('reminds administrators, then escalates, until someone decides', async () => {
    const body = registrationBody();
    const provider = await givenRegisteredProvider(api, body);
    const reminder = await worker.mail.waitFor(
      (m) => m.to.includes(admin.email) && m.subject === `【提醒】服务机构待核验：${body.name}`,
      { timeoutMs: 15_000 },
    );
    expect(reminder[0]!.html).toContain(`/api/v1/providers/${provider.providerId}`);
    const [escalation] = await worker.mail.waitFor(
      (m) => m.to.includes(SUPERVISOR) && m.subject === `【督办】服务机构核验超时：${body.name}`,
      { timeoutMs: 15_000 },
    );
    expect(escalation!.text).toContain(body.name);
    // administrators are part of the escalation audience too
    await worker.mail.waitFor(
      (m) => m.to.includes(admin.email) && m.subject.startsWith('【督办】') && m.subject.includes(body.name),
    );
    // the escalation is recorded once its mail is handed over: the mail can arrive first
    const expected = ['PROVIDER_REGISTERED', 'REVIEW_REMINDER_SENT', 'REVIEW_ESCALATED'];
    await until('the escalation in the audit log', async () =>
      (await actions(provider.providerId)).length >= expected.length ? true : null,
    );
    expect(await actions(provider.providerId)).toEqual(expected);

    expect((await verify(api, admin, provider.providerId)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_500));
    const reminders = await api.db.notification.count({
      where: { recipient: admin.email, subject: { contains: body.name }, template: 'providerReviewReminder' },
    });
    expect(reminders).toBe(1);
  });
});

describe('accreditation lapse', () => {
  it('warns, delists at the lapse and tells the SMEs of open bookings; a verified renewal lists again', async () => {
    const lapse = new Date(Date.now() + 9_000);
    // a standard no other provider of the run offers, so that the matches below are this provider's alone
    const scope = ['GB/T 2423.1', 'GB/T 2423.2', RANDOM_VIBRATION];
    const body = registrationBody({ name: `苏州电子产品检测所 ${lapse.getTime() % 10_000}`, scope });
    body.accreditations[0]!.expiresOn = lapse.toISOString().replace('Z', '+00:00');
    const provider = await givenRegisteredProvider(api, body);
    const service = { ...CLIMATE_SERVICE, standards: [...CLIMATE_SERVICE.standards, RANDOM_VIBRATION] };
    expect((await putServices(api, provider, [service])).status).toBe(200);
    expect((await verify(api, admin, provider.providerId)).body.status).toBe('LISTED');

    const voucher = await insertVoucher(api.db);
    const open = await insertBooking(api.db, voucher, provider.providerId, 'REQUESTED');
    const sme = await api.givenUser('SME', { enterpriseId: voucher.enterpriseId });
    const finished = await insertVoucher(api.db);
    await insertBooking(api.db, finished, provider.providerId, 'SETTLED');
    const smeDone = await api.givenUser('SME', { enterpriseId: finished.enterpriseId });

    const [warning] = await worker.mail.waitFor(
      (m) => m.to.includes(provider.email) && m.subject.startsWith('【资质到期提醒】'),
      { timeoutMs: 15_000 },
    );
    expect(warning!.subject).toContain(body.accreditations[0]!.number);
    // the page the staff read says so too, from the same lead on
    const due = (await get(provider.token, provider.providerId)).body.accreditations.find(
      (a) => a.number === body.accreditations[0]!.number,
    );
    expect(due).toMatchObject({
      standing: 'RENEWAL_DUE',
      warningFrom: new Date(lapse.getTime() - 4_000).toISOString(),
    });

    const delisted = await until(
      'delisting',
      async () => {
        const res = await get(provider.token, provider.providerId);
        return res.body.status === 'DELISTED' ? res.body : null;
      },
      20_000,
    );
    expect(Date.now()).toBeGreaterThanOrEqual(lapse.getTime());
    expect(delisted.accreditations.find((a) => a.number === body.accreditations[0]!.number)?.standing).toBe(
      'LAPSED',
    );
    expect(delisted.statusReason).toBe(
      `CNAS accreditation ${body.accreditations[0]!.number} expired on ${localDate(lapse)}`,
    );
    await worker.mail.waitFor((m) => m.to.includes(provider.email) && m.subject.includes('已下架'));
    const [notice] = await worker.mail.waitFor(
      (m) => m.to.includes(sme.email) && m.subject === `【预约提醒】服务机构已下架：${body.name}`,
    );
    expect(notice!.html).toContain(`/api/v1/bookings/${open}`);
    expect(await worker.mail.to(smeDone.email)).toEqual([]);

    // a delisted provider is no longer matched
    const demand = {
      standards: [RANDOM_VIBRATION],
      sampleCount: 1,
      latestCompletionDate: addDays(localDate(new Date()), 30),
    };
    const browse = await api.call<{
      candidates: { providerId: string }[];
      nearMisses: { providerId: string }[];
    }>('POST', '/api/v1/matches', { token: sme.token, body: { demand } });
    expect(browse.status, browse.text).toBe(200);
    expect(browse.body.candidates.map((c) => c.providerId)).not.toContain(provider.providerId);

    const renewed = registrationBody({ scope });
    const submitted = await api.call<ProviderBody>(
      'PUT',
      `/api/v1/providers/${provider.providerId}/accreditations`,
      { token: provider.token, body: { accreditations: renewed.accreditations } },
    );
    expect(submitted.status, submitted.text).toBe(200);
    expect(submitted.body.status).toBe('PENDING_VERIFICATION');
    await worker.mail.waitFor(
      (m) => m.to.includes(admin.email) && m.subject === `【机构待核验】${body.name}（资质更新）`,
    );
    expect((await verify(api, admin, provider.providerId)).body.status).toBe('LISTED');
    await worker.mail.waitFor((m) => m.to.includes(provider.email) && m.subject.includes('资质更新已核验'));

    const again = await api.call<{ candidates: { providerId: string }[] }>('POST', '/api/v1/matches', {
      token: sme.token,
      body: { demand },
    });
    expect(again.body.candidates.map((c) => c.providerId)).toEqual([provider.providerId]);
    expect(await actions(provider.providerId)).toEqual([
      'PROVIDER_REGISTERED',
      'CATALOG_UPDATED',
      'PROVIDER_LISTED',
      'EXPIRY_WARNING_SENT',
      'PROVIDER_DELISTED',
      'ACCREDITATIONS_SUBMITTED',
      'PROVIDER_LISTED',
    ]);

    // the process's history replays on the current code
    const history = await worker.client.workflow
      .getHandle(providerWorkflowId(provider.providerId))
      .fetchHistory();
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('services').workflowBundlePath } },
      history,
    );
  });

  it('renews a provider that was never onboarded here, and takes services out of a narrower scope', async () => {
    const { providerId, serviceIds } = await insertListedProvider(api.db, {
      services: [
        { ...CLIMATE_SERVICE, standards: ['GB/T 2423.1'] },
        { ...CLIMATE_SERVICE, name: '静电放电抗扰度', standards: ['IEC 61000-4-2'] },
      ],
    });
    const staff = await api.givenUser('PROVIDER', { providerId });
    // nothing waits for verification: an administrator acting now is told so
    expect((await verify(api, admin, providerId)).status).toBe(409);

    const narrower = [
      {
        kind: 'CMA',
        number: cmaNumber(),
        scope: ['GB/T 2423.1'],
        expiresOn: addDays(localDate(new Date()), 700),
      },
    ];
    const submitted = await api.call<ProviderBody>('PUT', `/api/v1/providers/${providerId}/accreditations`, {
      token: staff.token,
      body: { accreditations: narrower },
    });
    expect(submitted.status, submitted.text).toBe(200);
    expect(submitted.body.status).toBe('LISTED');
    expect(submitted.body.pendingVerification!.accreditations[0]!.scope).toEqual(['GB/T 2423.1']);

    expect((await verify(api, admin, providerId)).status).toBe(200);
    const services = await api.db.service.findMany({
      where: { id: { in: serviceIds } },
      orderBy: { name: 'asc' },
    });
    expect(Object.fromEntries(services.map((s) => [s.standards[0], s.inScope]))).toEqual({
      'GB/T 2423.1': true,
      'IEC 61000-4-2': false,
    });
    const [mail] = await worker.mail.waitFor(
      (m) => m.to.includes(staff.email) && m.subject.includes('资质更新已核验'),
    );
    expect(mail!.text).toContain('有 1 项服务超出新的资质能力范围');
    expect(await actions(providerId)).toEqual(['ACCREDITATIONS_SUBMITTED', 'ACCREDITATIONS_RENEWED']);
  });
});
