import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import {
  accountCalls,
  newAddress,
  newEmail,
  STRONG,
  STRONGER,
  type SessionBody as Session,
} from './support/accounts';
import { startTestApi, TEST_JWT_SECRET, type TestApi } from './support/api';
import { mailbox } from './support/mailbox';
import { registrationBody } from './support/provider-fixtures';
import { creditCodeFor, until } from './support/scenarios';
import { uniqueTaskQueue } from './support/worker';

let api: TestApi;
let calls: ReturnType<typeof accountCalls>;
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
  calls = accountCalls(api, mail);
});
afterAll(async () => {
  await api?.stop();
});

const post: ReturnType<typeof accountCalls>['post'] = (...args) => calls.post(...args);
const signIn = (email: string, password: string) => calls.signIn(email, password);
const me = (token: string) => calls.me(token);
const linkIn = (email: string, page: string, count?: number) => calls.linkIn(email, page, count);
const stateOf = (userId: string) => calls.stateOf(userId);

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
