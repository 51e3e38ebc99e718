import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import type { ProviderBody } from '../api/routes/provider-views';
import { startTestApi, type TestApi } from './support/api';
import {
  CLIMATE_SERVICE,
  givenListedProvider,
  givenRegisteredProvider,
  putServices,
  registrationBody,
  verify,
} from './support/provider-fixtures';
import { givenAdmin, type Caller } from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;
let admin: Caller & { email: string };

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

const get = (token: string, id: string) =>
  api.call<ProviderBody>('GET', `/api/v1/providers/${id}`, { token });

describe('registration → verification → listing', () => {
  it('registers a provider, checks its catalog against its scope, and lists it once verified', async () => {
    const body = registrationBody();
    const provider = await givenRegisteredProvider(api, body);

    const staff = await api.db.user.findUniqueOrThrow({ where: { id: provider.userId } });
    expect(staff.providerId).toBe(provider.providerId);
    const own = await get(provider.token, provider.providerId);
    expect(own.body).toMatchObject({ status: 'PENDING_VERIFICATION', accreditations: [] });
    expect(own.body.pendingVerification!.accreditations.map((a) => a.number)).toContain(
      body.accreditations[0]!.number,
    );
    // a year ahead, the renewal warning (30 days before the lapse by default) has not begun
    const [cnas] = own.body.pendingVerification!.accreditations;
    expect(cnas!.standing).toBe('VALID');
    expect(Date.parse(cnas!.expiresAt) - Date.parse(cnas!.warningFrom)).toBe(30 * 86_400_000);
    await worker.mail.waitFor(
      (m) => m.to.includes(admin.email) && m.subject.includes(`【机构待核验】${body.name}`),
    );
    const [received] = await worker.mail.waitFor(
      (m) => m.to.includes(provider.email) && m.subject.includes('入驻申请已受理'),
    );
    expect(received!.html).toContain(`http://vouchers.test/api/v1/providers/${provider.providerId}`);

    // a service claiming the accredited scope for a standard no accreditation covers is refused
    const outOfScope = await putServices(api, provider, [
      CLIMATE_SERVICE,
      { ...CLIMATE_SERVICE, name: '盐雾试验', standards: ['gb/t 2423.17'] },
    ]);
    expect(outOfScope.status).toBe(422);
    expect((outOfScope.body as unknown as Problem).code).toBe('SERVICE_OUT_OF_SCOPE');
    expect((outOfScope.body as unknown as Problem).detail).toBe(
      'service "盐雾试验" claims GB/T 2423.17, which no accreditation of the provider covers',
    );
    // the refused standard is named at its place as sent, before the catalog normalises and sorts it
    const misplaced = await putServices(api, provider, [
      { ...CLIMATE_SERVICE, name: '盐雾与低温试验', standards: ['GB/T 2423.1', 'gb/t 2423.17-2008'] },
    ]);
    expect((misplaced.body as unknown as Problem).issues).toEqual([
      {
        in: 'body',
        field: 'services.0.standards.1',
        reason: 'GB/T 2423.17 is not covered by any accreditation of the provider',
        code: 'out_of_scope',
      },
    ]);
    const catalog = await putServices(api, provider, [
      CLIMATE_SERVICE,
      { ...CLIMATE_SERVICE, name: '盐雾试验（非认可）', standards: ['GB/T 2423.17'], inScope: false },
    ]);
    expect(catalog.status, catalog.text).toBe(200);
    expect(catalog.body.services.map((s) => [s.standards, s.inScope])).toEqual([
      [['GB/T 2423.1', 'GB/T 2423.2'], true],
      [['GB/T 2423.17'], false],
    ]);

    const sme = await api.givenUser('SME');
    expect((await get(sme.token, provider.providerId)).status).toBe(404);
    const stranger = await givenRegisteredProvider(api);
    expect((await get(stranger.token, provider.providerId)).status).toBe(404);

    const approved = await verify(api, admin, provider.providerId);
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.status).toBe('LISTED');
    await worker.mail.waitFor((m) => m.to.includes(provider.email) && m.subject.includes('已通过核验并上架'));

    const row = await api.db.provider.findUniqueOrThrow({
      where: { id: provider.providerId },
      include: { accreditations: true },
    });
    expect(row.status).toBe('LISTED');
    expect(row.pendingAccreditations).toBeNull();
    expect(row.accreditations.map((a) => a.kind).sort()).toEqual(['CMA', 'CNAS']);

    const full = await get(admin.token, provider.providerId);
    expect(full.body.timeline!.map((t) => t.action)).toEqual([
      'PROVIDER_REGISTERED',
      'CATALOG_UPDATED',
      'PROVIDER_LISTED',
    ]);
    expect(full.body.timeline![2]!.actor).toEqual({ role: 'ADMIN', userId: admin.userId });

    // SMEs see a listed provider's public profile, without the review
    const profile = await get(sme.token, provider.providerId);
    expect(profile.status).toBe(200);
    expect(profile.body.services).toHaveLength(2);
    expect(profile.body.timeline).toBeUndefined();
    expect(profile.body.pendingVerification).toBeUndefined();

    const again = await verify(api, admin, provider.providerId);
    expect(again.status).toBe(409);
    expect((again.body as unknown as Problem).code).toBe('NOTHING_TO_VERIFY');

    const listed = await api.call<{ items: { id: string; status: string }[] }>(
      'GET',
      '/api/v1/providers?status=LISTED&limit=100',
      { token: admin.token },
    );
    expect(listed.body.items.find((p) => p.id === provider.providerId)?.status).toBe('LISTED');
    expect(listed.body.items.every((p) => p.status === 'LISTED')).toBe(true);
  });

  it('rejects with a reason, and verifies a corrected submission', async () => {
    const provider = await givenRegisteredProvider(api, registrationBody(), 'en');
    const rejected = await verify(api, admin, provider.providerId, {
      decision: 'REJECT',
      reason: 'CNAS certificate number does not match the CNAS register',
    });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'REJECTED',
      statusReason: 'CNAS certificate number does not match the CNAS register',
    });
    const [mail] = await worker.mail.waitFor(
      (m) => m.to.includes(provider.email) && m.subject.startsWith('[Provider] Registration not verified'),
    );
    expect(mail!.text).toContain('does not match the CNAS register');

    const corrected = registrationBody();
    const resubmitted = await api.call<ProviderBody>(
      'PUT',
      `/api/v1/providers/${provider.providerId}/accreditations`,
      { token: provider.token, body: { accreditations: corrected.accreditations } },
    );
    expect(resubmitted.status, resubmitted.text).toBe(200);
    expect(resubmitted.body.status).toBe('PENDING_VERIFICATION');
    await worker.mail.waitFor((m) => m.to.includes(admin.email) && m.subject.includes('【机构待核验】'));

    const approved = await verify(api, admin, provider.providerId, {
      decision: 'APPROVE',
      submissionId: resubmitted.body.pendingVerification!.submissionId,
    });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.status).toBe('LISTED');
    const timeline = (await get(provider.token, provider.providerId)).body.timeline!.map((t) => t.action);
    expect(timeline).toEqual([
      'PROVIDER_REGISTERED',
      'PROVIDER_REJECTED',
      'ACCREDITATIONS_SUBMITTED',
      'PROVIDER_LISTED',
    ]);
  });

  it('refuses a second provider with the same credit code, lapsed accreditations, and others’ providers', async () => {
    const body = registrationBody();
    const first = await givenRegisteredProvider(api, body);

    const other = await api.givenUser('PROVIDER');
    const duplicate = await api.call<Problem>('POST', '/api/v1/providers', { token: other.token, body });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('PROVIDER_EXISTS');

    // the same user repeating their own registration gets their provider back
    const repeated = await api.call<ProviderBody>('POST', '/api/v1/providers', { token: first.token, body });
    expect(repeated.status).toBe(200);
    expect(repeated.body.id).toBe(first.providerId);

    const lapsed = await api.call<Problem>('POST', '/api/v1/providers', {
      token: other.token,
      body: registrationBody({ expiresOn: '2020-12-31' }),
    });
    expect(lapsed.status).toBe(422);
    expect(lapsed.body.code).toBe('ACCREDITATION_EXPIRED');

    const renewOthers = await api.call<Problem>(
      'PUT',
      `/api/v1/providers/${first.providerId}/accreditations`,
      {
        token: other.token,
        body: { accreditations: body.accreditations },
      },
    );
    expect(renewOthers.status).toBe(404);
    const catalogOfOthers = await api.call<Problem>('PUT', `/api/v1/providers/${first.providerId}/services`, {
      token: other.token,
      body: { services: [CLIMATE_SERVICE] },
    });
    expect(catalogOfOthers.status).toBe(404);
    const capacityOfOthers = await api.call<Problem>(
      'GET',
      `/api/v1/providers/${first.providerId}/capacity`,
      {
        token: other.token,
      },
    );
    expect(capacityOfOthers.status).toBe(404);
    expect(await api.db.provider.count({ where: { creditCode: body.creditCode } })).toBe(1);
  });

  it('keeps service ids across catalog changes and withdraws what is left out', async () => {
    const provider = await givenListedProvider(api, admin, {
      services: [
        CLIMATE_SERVICE,
        { ...CLIMATE_SERVICE, name: '静电放电抗扰度', standards: ['IEC 61000-4-2'] },
      ],
    });
    const [climate, esd] = provider.serviceIds;
    const changed = await putServices(api, provider, [
      { ...CLIMATE_SERVICE, id: climate, unitPriceFen: 150_000 },
    ]);
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.services).toEqual([expect.objectContaining({ id: climate, unitPriceFen: 150_000 })]);
    const withdrawn = await api.db.service.findUniqueOrThrow({ where: { id: esd } });
    expect(withdrawn.active).toBe(false);

    const catalogEntries = () =>
      api.db.auditEntry.count({ where: { entityId: provider.providerId, action: 'CATALOG_UPDATED' } });
    const entriesBefore = await catalogEntries();
    const foreign = await putServices(api, provider, [
      { ...CLIMATE_SERVICE, id: '00000000-0000-4000-8000-000000000000' },
    ]);
    expect(foreign.status).toBe(400);
    expect((foreign.body as unknown as Problem).issues![0]!.field).toBe('services.0.id');
    // the refused catalog changes nothing: the service stays offered and no change is recorded
    expect(await api.db.service.findUniqueOrThrow({ where: { id: climate } })).toMatchObject({
      active: true,
      unitPriceFen: 150_000n,
    });
    expect(await catalogEntries()).toBe(entriesBefore);
  });
});
