import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import { startTestApi, type TestApi } from './support/api';
import { registrationBody } from './support/provider-fixtures';
import { creditCodeFor, givenSme } from './support/scenarios';
import { uniqueTaskQueue } from './support/worker';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ taskQueue: uniqueTaskQueue(import.meta.url) });
});
afterAll(async () => {
  await api?.stop();
});

const auditEntriesBy = (actorId: string) => api.db.auditEntry.count({ where: { actorId } });

describe('a registration that is refused writes nothing', () => {
  it('refuses an enterprise whose credit code is registered, leaving the caller without one', async () => {
    const first = await givenSme(api);
    const { creditCode } = await api.db.enterprise.findUniqueOrThrow({ where: { id: first.enterpriseId } });
    const second = await api.givenUser('SME');

    const res = await api.call<Problem>('POST', '/api/v1/enterprises', {
      token: second.token,
      body: {
        creditCode,
        name: '上海另一家电子科技有限公司',
        regionCode: '310115',
        industryCode: 'C3989',
        employees: 40,
        annualRevenueFen: 1_000_000_000,
        legalRepresentative: '王芳',
        contactPhone: '021-62340000',
        address: '上海市浦东新区张江路 99 号',
        tags: [],
      },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'CREDIT_CODE_TAKEN',
      detail: `An enterprise with credit code ${creditCode} is already registered`,
    });
    expect((await api.db.user.findUniqueOrThrow({ where: { id: second.user.id } })).enterpriseId).toBeNull();
    expect(await api.db.enterprise.count({ where: { creditCode } })).toBe(1);
    expect(await auditEntriesBy(second.user.id)).toBe(0);
  });

  it('refuses a provider registered by a user who belongs to an organisation already', async () => {
    const sme = await givenSme(api);
    const member = await api.givenUser('PROVIDER', { enterpriseId: sme.enterpriseId });
    const body = registrationBody();

    const res = await api.call<Problem>('POST', '/api/v1/providers', { token: member.token, body });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'ALREADY_PROVIDER_STAFF',
      detail: 'You already belong to an organisation',
    });
    expect(await api.db.provider.count({ where: { creditCode: body.creditCode } })).toBe(0);
    expect((await api.db.user.findUniqueOrThrow({ where: { id: member.user.id } })).providerId).toBeNull();
    expect(await auditEntriesBy(member.user.id)).toBe(0);
  });

  it('registers an enterprise with one audit entry naming it', async () => {
    const { user, token } = await api.givenUser('SME');
    const creditCode = creditCodeFor('310104');
    const res = await api.call<{ id: string }>('POST', '/api/v1/enterprises', {
      token,
      body: {
        creditCode,
        name: '上海徐汇精密仪器有限公司',
        regionCode: '310104',
        industryCode: 'C4011',
        employees: 60,
        annualRevenueFen: 2_000_000_000,
        legalRepresentative: '李强',
        contactPhone: '021-64000000',
        address: '上海市徐汇区漕溪北路 1 号',
        tags: [],
      },
    });
    expect(res.status, res.text).toBe(201);
    expect((await api.db.user.findUniqueOrThrow({ where: { id: user.id } })).enterpriseId).toBe(res.body.id);
    const entries = await api.db.auditEntry.findMany({ where: { actorId: user.id } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'ENTERPRISE_REGISTERED',
      entityType: 'enterprise',
      entityId: res.body.id,
      actorRole: 'SME',
      actorOrg: res.body.id,
      workflowId: null,
      runId: null,
      after: { creditCode, name: '上海徐汇精密仪器有限公司', regionCode: '310104' },
    });
  });
});
