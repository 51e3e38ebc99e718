import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import { startTestApi, TEST_JWT_SECRET, type TestApi } from './support/api';
import { mailbox } from './support/mailbox';
import { ownDatabase } from './support/own-database';
import { registrationBody } from './support/provider-fixtures';
import { creditCodeFor, givenSme, until } from './support/scenarios';
import { uniqueTaskQueue } from './support/worker';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');

let api: TestApi;
const mail = mailbox(inject('services').mailApiUrl);

beforeAll(async () => {
  api = await startTestApi({
    taskQueue: uniqueTaskQueue(import.meta.url),
    env: {
      // each test names its client's address, so that the limits it meets are its own
      TRUST_PROXY: '1',
      RATE_LIMIT_ACCOUNT_MAILS_PER_RECIPIENT_PER_HOUR: '3',
      RATE_LIMIT_ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR: '4',
    },
  });
});
afterAll(async () => {
  await api?.stop();
});

const STRONG = 'maple kettle orbit lantern';
const STRONGER = 'copper violin meadow thistle';
const newAddress = () => `2001:db8:${randomBytes(6).toString('hex').match(/.{4}/g)!.join(':')}::1`;
const newEmail = (who = 'user') => `${who}-${randomUUID().slice(0, 12)}@vouchers.test`;

type Session = { token: string; user: { id: string; emailVerified: boolean; enterpriseId: string | null } };

function post<T = Problem>(route: string, body?: unknown, token?: string, from = newAddress()) {
  return api.call<T>('POST', `/api/v1${route}`, { body, token, headers: { 'X-Forwarded-For': from } });
}

const signIn = (email: string, password: string) =>
  post<Session & Problem>('/auth/login', { email, password });
const me = (token: string) => api.call<Problem & { emailVerified?: boolean }>('GET', '/api/v1/me', { token });

/** The token of the latest link to `path` mailed to the address. */
async function linkIn(email: string, page: string, count = 1): Promise<string> {
  const pattern = new RegExp(`${page}\\?token=([A-Za-z0-9_%-]+)`);
  const mails = await mail.waitFor((m) => m.to.includes(email) && pattern.test(m.text), { count });
  return decodeURIComponent(pattern.exec(mails[mails.length - 1]!.text)![1]!);
}

/** What a refused request must leave as it was: the user's row, their links, audit entries and revocations. */
async function stateOf(userId: string) {
  const [user, links, audit, revoked] = await Promise.all([
    api.db.user.findUniqueOrThrow({ where: { id: userId } }),
    api.db.accountLink.findMany({ where: { userId }, orderBy: { id: 'asc' } }),
    api.db.auditEntry.count({ where: { entityId: userId } }),
    api.db.revokedToken.count({ where: { userId } }),
  ]);
  return { user, links, audit, revoked };
}

describe('the first administrator, from the command line', () => {
  let own: Awaited<ReturnType<typeof ownDatabase>>;
  let ownApi: TestApi;
  beforeAll(async () => {
    own = await ownDatabase('accounts');
    ownApi = await startTestApi({
      taskQueue: uniqueTaskQueue(import.meta.url),
      env: { DATABASE_URL: own.url },
    });
  });
  afterAll(async () => {
    await ownApi?.stop();
    await own?.drop();
  });

  const admin = (args: string[], env: Record<string, string> = {}) => {
    const child = run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: own.url, ADMIN_PASSWORD: '', ...env },
    });
    // standard input is a pipe, not a terminal: closed empty, it offers no password
    child.child.stdin?.end();
    return child.then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
  };

  it('creates the first administrator of an empty deployment, who signs in; refuses a taken e-mail', async () => {
    expect(await ownApi.db.user.count()).toBe(0);
    const created = await admin(['create', '--email', 'Root@Authority.gov.cn', '--name', '王主任'], {
      ADMIN_PASSWORD: STRONG,
    });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Created ADMIN root@authority.gov.cn');
    expect(created.stdout).not.toContain(STRONG);

    const res = await ownApi.call<Session & { user: { role: string } }>('POST', '/api/v1/auth/login', {
      body: { email: 'root@authority.gov.cn', password: STRONG },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.user).toMatchObject({ role: 'ADMIN', emailVerified: true });
    const entry = await ownApi.db.auditEntry.findFirstOrThrow({ where: { action: 'USER_CREATED' } });
    expect(entry).toMatchObject({ actorRole: 'SYSTEM', actorId: null, entityId: res.body.user.id });
    expect(entry.after).toMatchObject({ via: 'command line', role: 'ADMIN' });

    const again = await admin(['create', '--email', 'root@authority.gov.cn', '--name', 'X'], {
      ADMIN_PASSWORD: STRONGER,
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(await ownApi.db.user.count()).toBe(1);
    expect(await ownApi.db.auditEntry.count({ where: { entityType: 'user' } })).toBe(1);
  });

  it('makes a strong password when given none and prints it once; refuses a guessable one', async () => {
    const made = await admin([
      'create',
      '--email',
      'auditor@authority.gov.cn',
      '--name',
      '李审计',
      '--role',
      'AUDITOR',
    ]);
    expect(made.code, made.stderr).toBe(0);
    const password = /shown this once[^:]*: (\S+)/.exec(made.stdout)?.[1];
    expect(password).toBeDefined();
    const res = await ownApi.call<Session & { user: { role: string } }>('POST', '/api/v1/auth/login', {
      body: { email: 'auditor@authority.gov.cn', password },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.user.role).toBe('AUDITOR');

    const weak = await admin(['create', '--email', 'weak@authority.gov.cn', '--name', 'W'], {
      ADMIN_PASSWORD: 'password1234',
    });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('too easy to guess');
    const badRole = await admin(
      ['create', '--email', 'sme@authority.gov.cn', '--name', 'S', '--role', 'SME'],
      {
        ADMIN_PASSWORD: STRONG,
      },
    );
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain('--role must be ADMIN or AUDITOR');
    expect(await ownApi.db.user.count()).toBe(2);
  });

  it('keeps the last active administrator, from the command line and the API', async () => {
    const last = await admin(['disable', '--email', 'root@authority.gov.cn']);
    expect(last.code).toBe(1);
    expect(last.stderr).toContain('last active administrator');

    const root = await ownApi.call<Session>('POST', '/api/v1/auth/login', {
      body: { email: 'root@authority.gov.cn', password: STRONG },
    });
    const self = await ownApi.call<Problem>('PATCH', `/api/v1/admin/users/${root.body.user.id}`, {
      token: root.body.token,
      body: { disabled: true },
    });
    expect(self.status).toBe(409);
    expect(self.body.code).toBe('CANNOT_DISABLE_SELF');

    // a second administrator may disable the first, but then not themselves be left without one
    expect(
      (
        await admin(['create', '--email', 'deputy@authority.gov.cn', '--name', '副主任'], {
          ADMIN_PASSWORD: STRONGER,
        })
      ).code,
    ).toBe(0);
    const deputy = await ownApi.call<Session>('POST', '/api/v1/auth/login', {
      body: { email: 'deputy@authority.gov.cn', password: STRONGER },
    });
    const off = await ownApi.call('PATCH', `/api/v1/admin/users/${root.body.user.id}`, {
      token: deputy.body.token,
      body: { disabled: true },
    });
    expect(off.status, off.text).toBe(200);
    const refused = await admin(['disable', '--email', 'deputy@authority.gov.cn']);
    expect(refused.code).toBe(1);
    expect(await ownApi.db.user.count({ where: { role: 'ADMIN', disabledAt: null } })).toBe(1);

    const enabled = await admin(['enable', '--email', 'root@authority.gov.cn']);
    expect(enabled.code, enabled.stderr).toBe(0);
    expect((await admin(['disable', '--email', 'deputy@authority.gov.cn'])).code).toBe(0);
    expect(await ownApi.db.user.count({ where: { role: 'ADMIN', disabledAt: null } })).toBe(1);
  });
});

describe('resetting a forgotten password', () => {
  it('mails a single-use link; the new password works, the old one and every old token do not', async () => {
    const owner = await api.givenUser('SME', { locale: 'en' });
    const accepted = await post<{ message: string }>('/auth/password-reset', { email: owner.email });
    expect(accepted.status, accepted.text).toBe(202);
    const token = await linkIn(owner.email, '/reset-password');
    const [message] = await mail.to(owner.email, 'Reset your');
    expect(message!.text).toContain('http://vouchers.test/reset-password?token=');

    // a guessable password is refused and leaves the link usable
    const before = await stateOf(owner.user.id);
    const weak = await post('/auth/password-reset/complete', { token, newPassword: 'password1234' });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('PASSWORD_TOO_WEAK');
    expect(await stateOf(owner.user.id)).toEqual(before);

    const done = await post('/auth/password-reset/complete', { token, newPassword: STRONGER });
    expect(done.status, done.text).toBe(204);
    expect((await signIn(owner.email, owner.password)).status).toBe(401);
    expect((await signIn(owner.email, STRONGER)).status).toBe(200);
    const old = await me(owner.token);
    expect(old.status).toBe(401);
    expect(old.body.code).toBe('TOKEN_REVOKED');
    await mail.waitFor((m) => m.to.includes(owner.email) && m.subject === 'Your password was changed');

    const reused = await post('/auth/password-reset/complete', { token, newPassword: STRONG });
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ code: 'RESET_TOKEN_USED' });
    expect(reused.body.issues?.[0]).toMatchObject({ field: 'token', code: 'RESET_TOKEN_USED' });
    expect((await signIn(owner.email, STRONGER)).status).toBe(200);
  });

  it('refuses an expired link and an unknown one, changing nothing', async () => {
    const owner = await api.givenUser('PROVIDER');
    expect((await post('/auth/password-reset', { email: owner.email })).status).toBe(202);
    const token = await linkIn(owner.email, '/reset-password');
    await api.db.accountLink.updateMany({
      where: { userId: owner.user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const before = await stateOf(owner.user.id);
    const expired = await post('/auth/password-reset/complete', { token, newPassword: STRONGER });
    expect(expired.status).toBe(400);
    expect(expired.body.code).toBe('RESET_TOKEN_EXPIRED');
    const unknown = await post('/auth/password-reset/complete', {
      token: randomBytes(32).toString('base64url'),
      newPassword: STRONGER,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('RESET_TOKEN_INVALID');
    expect(await stateOf(owner.user.id)).toEqual(before);
    expect((await signIn(owner.email, owner.password)).status).toBe(200);
  });

  it('answers 202 for an e-mail without an account and mails nobody; stores only the token’s hash', async () => {
    const nobody = newEmail('nobody');
    const owner = await api.givenUser('SME');
    const from = newAddress();
    expect((await post('/auth/password-reset', { email: nobody }, undefined, from)).status).toBe(202);
    expect((await post('/auth/password-reset', { email: owner.email }, undefined, from)).status).toBe(202);
    const token = await linkIn(owner.email, '/reset-password');
    expect(await api.db.notification.count({ where: { recipient: nobody } })).toBe(0);
    expect(await api.db.auditEntry.count({ where: { entityId: nobody } })).toBe(0);
    const [link] = await api.db.accountLink.findMany({ where: { userId: owner.user.id } });
    expect(link!.tokenHash).not.toContain(token);
    expect(link!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('limits requests per e-mail and per address, so nobody’s mailbox can be flooded', async () => {
    const target = await api.givenUser('SME');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1)
      statuses.push((await post('/auth/password-reset', { email: target.email })).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    // an address without an account is counted alike: the limit tells nothing about who has one
    const nobody = newEmail('nobody');
    const forNobody: number[] = [];
    for (let i = 0; i < 4; i += 1)
      forNobody.push((await post('/auth/password-reset', { email: nobody })).status);
    expect(forNobody).toEqual([202, 202, 202, 429]);

    const from = newAddress();
    const fromOne: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      fromOne.push(
        (await post('/auth/password-reset', { email: newEmail('spray') }, undefined, from)).status,
      );
    }
    expect(fromOne).toEqual([202, 202, 202, 202, 429]);
    const refused = await post('/auth/password-reset', { email: newEmail('spray') }, undefined, from);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.body.code).toBe('RATE_LIMITED');
    // the links are made after the answer; the refused fourth request made none
    await until(
      'three reset links',
      async () => (await api.db.accountLink.count({ where: { userId: target.user.id } })) === 3,
    );
    await mail.waitFor((m) => m.to.includes(target.email), { count: 3 });
    expect(await api.db.accountLink.count({ where: { userId: target.user.id } })).toBe(3);
  });
});

describe('signing out', () => {
  it('signs out one session, then every session of the user', async () => {
    const user = await api.givenUser('AUDITOR');
    const a = (await signIn(user.email, user.password)).body.token;
    const b = (await signIn(user.email, user.password)).body.token;

    // a signed-out token past its expiry needs no keeping: the next sign-out purges it
    const stale = randomUUID();
    await api.db.revokedToken.create({
      data: { jti: stale, userId: user.user.id, expiresAt: new Date(Date.now() - 60_000) },
    });
    expect((await post('/auth/logout', undefined, a)).status).toBe(204);
    expect(await api.db.revokedToken.findUnique({ where: { jti: stale } })).toBeNull();
    const afterLogout = await me(a);
    expect(afterLogout.status).toBe(401);
    expect(afterLogout.body.code).toBe('TOKEN_REVOKED');
    expect((await me(b)).status).toBe(200);
    expect(await api.db.revokedToken.count({ where: { userId: user.user.id } })).toBe(1);

    expect((await post('/auth/logout-everywhere', undefined, b)).status).toBe(204);
    for (const token of [b, user.token]) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('TOKEN_REVOKED');
    }
    const fresh = await signIn(user.email, user.password);
    expect((await me(fresh.body.token)).status).toBe(200);
    const actions = await api.db.auditEntry.findMany({
      where: { entityType: 'user', entityId: user.user.id },
      select: { action: true },
      orderBy: { seq: 'asc' },
    });
    expect(actions.map((e) => e.action)).toEqual(['SIGNED_OUT', 'SIGNED_OUT_EVERYWHERE']);
  });

  it('refuses a token of the older kind, without an id or session version', async () => {
    const user = await api.givenUser('SME');
    const old = await new SignJWT({ role: 'SME' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.user.id)
      .setIssuer(api.deps.env.JWT_ISSUER)
      .setAudience('testing-vouchers-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const res = await me(old);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_INVALID');
  });
});

describe('changing the password', () => {
  it('checks the current one, keeps this device signed in and signs out every other', async () => {
    const user = await api.givenUser('PROVIDER', { locale: 'zh-CN' });
    const elsewhere = (await signIn(user.email, user.password)).body.token;
    const before = await stateOf(user.user.id);

    const wrong = await post(
      '/me/password',
      { currentPassword: 'not it at all', newPassword: STRONGER },
      user.token,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('CURRENT_PASSWORD_WRONG');
    expect(wrong.body.issues?.[0]).toMatchObject({ field: 'currentPassword' });
    // it counts as a failed sign-in
    expect(
      await api.db.auditEntry.count({
        where: { entityType: 'sign-in', entityId: user.email, action: 'SIGN_IN_FAILED' },
      }),
    ).toBe(1);
    const weak = await post(
      '/me/password',
      { currentPassword: user.password, newPassword: 'password1234' },
      user.token,
    );
    expect(weak.status).toBe(400);
    expect(weak.body.issues?.[0]).toMatchObject({ field: 'newPassword' });
    expect(await stateOf(user.user.id)).toEqual(before);

    const changed = await post<Session>(
      '/me/password',
      { currentPassword: user.password, newPassword: STRONGER },
      user.token,
    );
    expect(changed.status, changed.text).toBe(200);
    expect((await me(changed.body.token)).status).toBe(200);
    for (const token of [user.token, elsewhere]) expect((await me(token)).body.code).toBe('TOKEN_REVOKED');
    expect((await signIn(user.email, STRONGER)).status).toBe(200);
    await mail.waitFor((m) => m.to.includes(user.email) && m.subject === '您的密码已更改');
    expect(
      await api.db.auditEntry.count({ where: { entityId: user.user.id, action: 'PASSWORD_CHANGED' } }),
    ).toBe(1);
  });
});

describe('administrators and staff accounts', () => {
  it('creates an auditor who chooses a password through the mailed link, and lists accounts', async () => {
    const admin = await api.givenUser('ADMIN');
    const email = newEmail('auditor');
    const created = await post<{ id: string; role: string; emailVerified: boolean }>(
      '/admin/users',
      { email, displayName: '赵审计', role: 'AUDITOR', locale: 'zh-CN' },
      admin.token,
    );
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ role: 'AUDITOR', emailVerified: true });
    const token = await linkIn(email, '/reset-password');
    expect((await mail.to(email, '账户已开通')).length).toBe(1);
    expect((await post('/auth/password-reset/complete', { token, newPassword: STRONG })).status).toBe(204);
    expect((await signIn(email, STRONG)).body.user).toMatchObject({ id: created.body.id });

    const listed = await api.call<{ items: { email: string }[] }>(
      'GET',
      `/api/v1/admin/users?role=AUDITOR&search=${encodeURIComponent(email.slice(0, 20))}`,
      { token: admin.token },
    );
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.items.map((u) => u.email)).toEqual([email]);

    const taken = await post('/admin/users', { email, displayName: 'X', role: 'ADMIN' }, admin.token);
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('EMAIL_TAKEN');
    const smeRole = await post(
      '/admin/users',
      { email: newEmail(), displayName: 'X', role: 'SME' },
      admin.token,
    );
    expect(smeRole.status).toBe(400);
    expect(smeRole.body.issues?.[0]).toMatchObject({ field: 'role' });
  });

  it('disables an account: its tokens stop at once and sign-in is refused; enabling lets it sign in again', async () => {
    const admin = await api.givenUser('ADMIN');
    const user = await api.givenUser('SME');
    expect((await me(user.token)).status).toBe(200);
    const off = await api.call<{ disabledAt: string | null }>(
      'PATCH',
      `/api/v1/admin/users/${user.user.id}`,
      {
        token: admin.token,
        body: { disabled: true },
      },
    );
    expect(off.status, off.text).toBe(200);
    expect(off.body.disabledAt).not.toBeNull();
    const stopped = await me(user.token);
    expect(stopped.status).toBe(401);
    expect(stopped.body.code).toBe('ACCOUNT_DISABLED');
    const refused = await signIn(user.email, user.password);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('ACCOUNT_DISABLED');
    // the wrong password says nothing about the account
    expect((await signIn(user.email, 'not the password at all')).body.code).toBe('INVALID_CREDENTIALS');

    const on = await api.call('PATCH', `/api/v1/admin/users/${user.user.id}`, {
      token: admin.token,
      body: { disabled: false },
    });
    expect(on.status).toBe(200);
    expect((await me(user.token)).body.code).toBe('TOKEN_REVOKED');
    expect((await signIn(user.email, user.password)).status).toBe(200);
    const actions = await api.db.auditEntry.findMany({
      where: { entityId: user.user.id, entityType: 'user' },
      select: { action: true, actorId: true },
      orderBy: { seq: 'asc' },
    });
    expect(actions).toEqual([
      { action: 'USER_DISABLED', actorId: admin.user.id },
      { action: 'USER_ENABLED', actorId: admin.user.id },
    ]);
  });
});

describe('e-mail verification', () => {
  it('a registered SME confirms the address before the first application', async () => {
    const email = newEmail('sme');
    const registered = await post<{ id: string; emailVerified: boolean }>('/auth/register', {
      email,
      password: STRONG,
      displayName: '钱经理',
      role: 'SME',
    });
    expect(registered.status, registered.text).toBe(201);
    expect(registered.body.emailVerified).toBe(false);
    const session = (await signIn(email, STRONG)).body;
    const apply = () =>
      post(
        '/applications',
        {
          programmeId: randomUUID(),
          requestedAmountFen: 100_000,
          purpose: '型式试验',
          demand: {
            standards: ['GB/T 2423.1'],
            category: 'TESTING',
            sampleCount: 1,
            latestCompletionDate: '2027-06-30',
            description: '试验',
          },
        },
        session.token,
      );
    const enterprise = await post(
      '/enterprises',
      {
        creditCode: creditCodeFor('310115'),
        name: `上海钱氏精密仪器有限公司 ${randomUUID().slice(0, 4)}`,
        regionCode: '310115',
        industryCode: 'C3989',
        employees: 30,
        annualRevenueFen: 800_000_000,
        legalRepresentative: '钱明',
        contactPhone: '021-62345670',
        address: '上海市浦东新区张江路 90 号',
        tags: [],
      },
      session.token,
    );
    // registering the enterprise does not wait for the address: only applying does
    expect(enterprise.status, enterprise.text).toBe(201);

    const refused = await apply();
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('EMAIL_NOT_VERIFIED');
    expect(refused.body.detail).toContain('Confirm your e-mail address');
    expect(await api.db.application.count({ where: { submittedBy: registered.body.id } })).toBe(0);

    const token = await linkIn(email, '/verify-email');
    const verified = await post('/auth/verify-email', { token });
    expect(verified.status, verified.text).toBe(204);
    expect((await me(session.token)).body.emailVerified).toBe(true);
    // past the rule: the programme it names does not exist
    expect((await apply()).status).toBe(404);
    const again = await post('/auth/verify-email', { token });
    expect(again.body.code).toBe('VERIFICATION_TOKEN_USED');
    expect((await post('/me/email-verification', undefined, session.token)).body.code).toBe(
      'EMAIL_ALREADY_VERIFIED',
    );
  });

  it('a provider’s catalog waits for the address too; a new link can be asked for', async () => {
    const user = await api.givenUser('PROVIDER', { unverified: true });
    const provider = await post<{ id: string }>('/providers', registrationBody(), user.token);
    expect(provider.status, provider.text).toBe(201);
    const put = () =>
      api.call<Problem>('PUT', `/api/v1/providers/${provider.body.id}/services`, {
        token: user.token,
        body: { services: [] },
      });
    const refused = await put();
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('EMAIL_NOT_VERIFIED');

    expect((await post('/me/email-verification', undefined, user.token)).status).toBe(202);
    const token = await linkIn(user.email, '/verify-email');
    expect((await post('/auth/verify-email', { token })).status).toBe(204);
    expect((await put()).status).toBe(200);
  });
});

describe('colleagues by invitation', () => {
  it('invites a colleague who accepts and joins the enterprise; the invitation works once', async () => {
    const owner = await givenSme(api);
    const email = newEmail('colleague');
    const invited = await post<{ id: string }>(
      '/organisation/invitations',
      { email, displayName: '孙会计' },
      owner.token,
    );
    expect(invited.status, invited.text).toBe(201);
    const members = await api.call<{ members: { id: string }[]; invitations: { email: string }[] }>(
      'GET',
      '/api/v1/organisation/members',
      { token: owner.token },
    );
    expect(members.body.invitations.map((i) => i.email)).toEqual([email]);

    const token = await linkIn(email, '/invitation');
    const joined = await post<Session>('/auth/invitations/accept', {
      token,
      password: STRONG,
      displayName: '孙会计',
      locale: 'en',
    });
    expect(joined.status, joined.text).toBe(201);
    expect(joined.body.user).toMatchObject({ enterpriseId: owner.enterpriseId, emailVerified: true });
    expect((await me(joined.body.token)).status).toBe(200);
    const after = await api.call<{ members: { id: string }[]; invitations: unknown[] }>(
      'GET',
      '/api/v1/organisation/members',
      { token: owner.token },
    );
    expect(after.body.members.map((m) => m.id)).toEqual([owner.userId, joined.body.user.id]);
    expect(after.body.invitations).toEqual([]);

    const twice = await post('/auth/invitations/accept', { token, password: STRONG, displayName: 'X' });
    expect(twice.status).toBe(400);
    expect(twice.body.code).toBe('INVITATION_TOKEN_USED');
    const taken = await post('/organisation/invitations', { email }, owner.token);
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('EMAIL_TAKEN');
    expect(await api.db.invitation.count({ where: { email } })).toBe(1);
  });

  it('withdraws an invitation, refuses an expired one, and removes a colleague whose tokens stop at once', async () => {
    const owner = await givenSme(api);
    const email = newEmail('withdrawn');
    const invited = await post<{ id: string }>('/organisation/invitations', { email }, owner.token);
    const token = await linkIn(email, '/invitation');
    const stranger = await givenSme(api);
    const notTheirs = await api.call('DELETE', `/api/v1/organisation/invitations/${invited.body.id}`, {
      token: stranger.token,
    });
    expect(notTheirs.status).toBe(404);
    const withdrawn = await api.call('DELETE', `/api/v1/organisation/invitations/${invited.body.id}`, {
      token: owner.token,
    });
    expect(withdrawn.status).toBe(204);
    const late = await post('/auth/invitations/accept', { token, password: STRONG, displayName: 'X' });
    expect(late.body.code).toBe('INVITATION_TOKEN_INVALID');
    expect(await api.db.user.count({ where: { email } })).toBe(0);

    const second = newEmail('expired');
    await post('/organisation/invitations', { email: second }, owner.token);
    const expiredToken = await linkIn(second, '/invitation');
    await api.db.invitation.updateMany({
      where: { email: second },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await post('/auth/invitations/accept', {
      token: expiredToken,
      password: STRONG,
      displayName: 'X',
    });
    expect(expired.body.code).toBe('INVITATION_TOKEN_EXPIRED');

    const third = newEmail('removed');
    await post('/organisation/invitations', { email: third }, owner.token);
    const colleague = await post<Session>('/auth/invitations/accept', {
      token: await linkIn(third, '/invitation'),
      password: STRONG,
      displayName: '周工',
    });
    expect(colleague.status, colleague.text).toBe(201);
    const removed = await api.call('DELETE', `/api/v1/organisation/members/${colleague.body.user.id}`, {
      token: owner.token,
    });
    expect(removed.status, removed.text).toBe(204);
    expect((await me(colleague.body.token)).body.code).toBe('ACCOUNT_DISABLED');

    const before = await stateOf(owner.userId);
    const last = await api.call<Problem>('DELETE', `/api/v1/organisation/members/${owner.userId}`, {
      token: owner.token,
    });
    expect(last.status).toBe(409);
    expect(last.body.code).toBe('LAST_MEMBER');
    expect(await stateOf(owner.userId)).toEqual(before);
  });

  it('needs an organisation to invite into', async () => {
    const loner = await api.givenUser('SME');
    const res = await post('/organisation/invitations', { email: newEmail() }, loner.token);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('ORGANISATION_REQUIRED');
  });
});
