import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Problem } from '../api/http/problem';
import { startTestApi, type TestApi } from './support/api';
import { mailbox } from './support/mailbox';
import { uniqueTaskQueue } from './support/worker';

let api: TestApi;

// the API runs behind one trusted proxy, which names the client in X-Forwarded-For
beforeAll(async () => {
  api = await startTestApi({
    taskQueue: uniqueTaskQueue(import.meta.url),
    env: {
      TRUST_PROXY: '1',
      SIGN_IN_FAILURES_BEFORE_DELAY: '3',
      SIGN_IN_FIRST_DELAY: '1s',
      SIGN_IN_LONGEST_DELAY: '2s',
      SIGN_IN_ADDRESS_FAILURES_PER_HOUR: '12',
      SIGN_IN_ALERT_FAILURES: '6',
      SIGN_IN_ALERT_WINDOW: '1d',
      RATE_LIMIT_REGISTER_PER_HOUR: '3',
    },
  });
});
afterAll(async () => {
  await api?.stop();
});

/** A client address of its own (documentation range), so that no other test shares its counters. */
const newAddress = () => `2001:db8:${randomBytes(6).toString('hex').match(/.{4}/g)!.join(':')}::1`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function signIn(from: string, email: string, password: string) {
  return api.call<Problem & { token?: string }>('POST', '/api/v1/auth/login', {
    body: { email, password },
    headers: { 'X-Forwarded-For': from },
  });
}

function register(from: string, body: { email: string; password: string; displayName?: string }) {
  return api.call<Problem & { id?: string }>('POST', '/api/v1/auth/register', {
    body: { displayName: '钱经理', role: 'SME', ...body },
    headers: { 'X-Forwarded-For': from },
  });
}

const newEmail = () => `owner-${randomUUID().slice(0, 12)}@vouchers.test`;
const STRONG = 'maple kettle orbit lantern';

async function failTimes(from: string, email: string, times: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i += 1)
    statuses.push((await signIn(from, email, 'not the password at all')).status);
  return statuses;
}

describe('guessing a password', () => {
  it('an attacker failing from one address cannot keep the owner, an administrator, out from another', async () => {
    const owner = await api.givenUser('ADMIN');
    const attacker = newAddress();
    expect(await failTimes(attacker, owner.email, 3)).toEqual([401, 401, 401]);

    const refused = await signIn(attacker, owner.email, owner.password);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body.code).toBe('SIGN_IN_DELAYED');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(refused.body.details).toMatchObject({
      reason: 'ACCOUNT_ADDRESS_FAILURES',
      retryAfterSeconds: retryAfter,
    });
    expect(Date.parse(String(refused.body.details!.retryAt))).toBeGreaterThan(Date.now() - 1000);
    expect(refused.body.detail).toMatch(/try again in \d+ s, at \d{4}-\d\d-\d\dT/);

    // an address the client writes into X-Forwarded-For itself is not believed: the proxy's is
    const spoofed = await api.call<Problem>('POST', '/api/v1/auth/login', {
      body: { email: owner.email, password: owner.password },
      headers: { 'X-Forwarded-For': `${newAddress()}, ${attacker}` },
    });
    expect(spoofed.status).toBe(429);

    // the attacker keeps trying, ten more a minute
    for (let i = 0; i < 10; i += 1) {
      expect([401, 429]).toContain((await signIn(attacker, owner.email, `guess ${i}`)).status);
    }
    const atHome = await signIn(newAddress(), owner.email, owner.password);
    expect(atHome.status).toBe(200);
    expect(atHome.body.token).toBeTruthy();
  });

  it('makes the address wait longer after each further failure, and forgets them once the owner gets in', async () => {
    const owner = await api.givenUser('SME');
    const from = newAddress();
    expect(await failTimes(from, owner.email, 3)).toEqual([401, 401, 401]);

    const waits: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const waiting = await signIn(from, owner.email, 'guess again');
      expect(waiting.status).toBe(429);
      const wait = Number(waiting.headers.get('retry-after'));
      waits.push(wait);
      await sleep(wait * 1000 + 100);
      expect((await signIn(from, owner.email, 'guess again')).status).toBe(401);
    }
    // 1 s after the third failure, doubling, up to the longest wait
    expect(waits).toEqual([1, 2, 2]);

    await sleep(2100);
    expect((await signIn(from, owner.email, owner.password)).status).toBe(200);
    // the slate is clean: the next failure is answered 401, not with a wait
    expect(await failTimes(from, owner.email, 2)).toEqual([401, 401]);
  });

  it('limits failures from one address across accounts (spraying), and not the other addresses', async () => {
    const sprayer = newAddress();
    const victim = await api.givenUser('SME');
    for (let i = 0; i < 12; i += 1)
      expect((await signIn(sprayer, newEmail(), 'Spring2026!')).status).toBe(401);
    const refused = await signIn(sprayer, victim.email, 'Spring2026!');
    expect(refused.status).toBe(429);
    expect(refused.body.details).toMatchObject({ reason: 'ADDRESS_FAILURES' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await signIn(newAddress(), victim.email, victim.password)).status).toBe(200);
    // registering is counted apart: the sprayer's address may still create an account
    expect((await register(sprayer, { email: newEmail(), password: STRONG })).status).toBe(201);
  });
});

describe('registration', () => {
  it('is limited per address apart from sign-in', async () => {
    const from = newAddress();
    const created: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const email = newEmail();
      expect((await register(from, { email, password: STRONG })).status).toBe(201);
      created.push(email);
    }
    const refused = await register(from, { email: newEmail(), password: STRONG });
    expect(refused.status).toBe(429);
    expect(refused.body.details).toMatchObject({ reason: 'REGISTRATIONS' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // the people who registered from there can still sign in from there
    expect((await signIn(from, created[0]!, STRONG)).status).toBe(200);
  });

  it.each([
    ['twelve spaces', () => ' '.repeat(12), 'simpleRepeat'],
    ['twelve digits', () => '123456789012', 'common'],
    ['a common word, twice', () => 'passwordpassword', 'extendedRepeat'],
    ['the e-mail itself', (email: string) => email, 'userInputs'],
  ])('refuses %s as a password, saying why, and creates nothing', async (_what, password, reason) => {
    const email = newEmail();
    const res = await register(newAddress(), { email, password: password(email) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PASSWORD_TOO_WEAK');
    expect(res.body.issues).toHaveLength(1);
    expect(res.body.issues![0]).toMatchObject({ in: 'body', field: 'password', code: reason });
    expect(res.body.issues![0]!.reason).toMatch(/easy to guess|common|personal/);
    expect(res.body.details).toMatchObject({ reason, minimumScore: 3 });
    expect(await api.db.user.count({ where: { email } })).toBe(0);
  });

  it('accepts a strong password', async () => {
    const email = newEmail();
    const res = await register(newAddress(), { email, password: 'quiet velvet harbor 42 pines' });
    expect(res.status).toBe(201);
    expect(await api.db.user.count({ where: { email } })).toBe(1);
  });
});

describe('the record of sign-ins', () => {
  it('audits every sign-in, without the password, alike whether or not the e-mail has an account', async () => {
    const owner = await api.givenUser('PROVIDER');
    const from = newAddress();
    const nobody = newEmail();
    const secret = `wrong-${randomUUID()}`;
    expect((await signIn(from, owner.email, secret)).status).toBe(401);
    expect((await signIn(from, nobody, secret)).status).toBe(401);
    expect((await signIn(from, owner.email, owner.password)).status).toBe(200);

    const entries = await api.db.auditEntry.findMany({
      where: { entityType: 'sign-in', entityId: { in: [owner.email, nobody] } },
      orderBy: { seq: 'asc' },
    });
    expect(entries.map((e) => [e.action, e.entityId])).toEqual([
      ['SIGN_IN_FAILED', owner.email],
      ['SIGN_IN_FAILED', nobody],
      ['SIGNED_IN', owner.email],
    ]);
    const [known, unknown, success] = entries;
    // the failures read the same: nothing says which e-mail belongs to an account
    expect([known!.actorId, known!.actorRole]).toEqual([unknown!.actorId, unknown!.actorRole]);
    expect(Object.keys(known!.after as object).sort()).toEqual(Object.keys(unknown!.after as object).sort());
    expect(known!.after).toMatchObject({ email: owner.email, address: from });
    expect(success!.actorId).toBe(owner.user.id);
    expect(success!.after).toMatchObject({ email: owner.email, address: from, userId: owner.user.id });
    for (const entry of entries) {
      const stored = JSON.stringify({ ...entry, seq: String(entry.seq) });
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(owner.password);
    }
    const verified = await api.call<{ valid: boolean }>('GET', '/api/v1/audit/verify', {
      token: (await api.givenUser('AUDITOR')).token,
    });
    expect(verified.body.valid).toBe(true);
  });

  it('tells administrators by e-mail of a sustained attack on an account, once', async () => {
    const admin = await api.givenUser('ADMIN', { locale: 'en' });
    const victim = await api.givenUser('SME');
    const mail = mailbox(inject('services').mailApiUrl);
    // from several addresses, so no one address is made to wait
    for (let i = 0; i < 3; i += 1) expect(await failTimes(newAddress(), victim.email, 2)).toEqual([401, 401]);
    const alerts = await mail.waitFor((m) => m.to.includes(admin.email) && m.subject.includes(victim.email), {
      timeoutMs: 20_000,
    });
    expect(alerts[0]!.subject).toContain('failed sign-ins');
    expect(alerts[0]!.text).toContain('6');

    // the attack goes on: still one mail for this window
    for (let i = 0; i < 2; i += 1) expect(await failTimes(newAddress(), victim.email, 2)).toEqual([401, 401]);
    await sleep(1500);
    expect((await mail.to(admin.email)).filter((m) => m.subject.includes(victim.email))).toHaveLength(1);
    // an attack on an e-mail no account has tells no one
    const nobody = newEmail();
    for (let i = 0; i < 3; i += 1) await failTimes(newAddress(), nobody, 2);
    await sleep(1000);
    expect((await mail.all()).filter((m) => m.subject.includes(nobody))).toHaveLength(0);
  });
});
