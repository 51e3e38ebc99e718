import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import { accountCalls, newEmail, STRONG, type SessionBody as Session } from './support/accounts';
import { startTestApi, type TestApi } from './support/api';
import { mailbox } from './support/mailbox';
import { givenSme } from './support/scenarios';
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
    },
  });
  calls = accountCalls(api, mail);
});
afterAll(async () => {
  await api?.stop();
});

const post: ReturnType<typeof accountCalls>['post'] = (...args) => calls.post(...args);
const me = (token: string) => calls.me(token);
const linkIn = (email: string, page: string, count?: number) => calls.linkIn(email, page, count);
const stateOf = (userId: string) => calls.stateOf(userId);

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
