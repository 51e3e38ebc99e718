import { randomBytes, randomUUID } from 'node:crypto';
import type { Problem } from '../../api/http/problem';
import type { TestApi } from './api';
import type { Mailbox } from './mailbox';

/** Passwords the policy accepts. */
export const STRONG = 'maple kettle orbit lantern';
export const STRONGER = 'copper violin meadow thistle';

/** A client address of its own (documentation range), so that the limits a test meets are its own. */
export const newAddress = () => `2001:db8:${randomBytes(6).toString('hex').match(/.{4}/g)!.join(':')}::1`;
export const newEmail = (who = 'user') => `${who}-${randomUUID().slice(0, 12)}@vouchers.test`;

export type SessionBody = {
  token: string;
  user: { id: string; emailVerified: boolean; enterpriseId: string | null };
};

/**
 * Calls of the account tests against one API (behind a trusted proxy, each from an address of its own)
 * and what they read beside it: mailed links, and the rows a refused request must leave as they were.
 */
export function accountCalls(api: TestApi, mail: Mailbox) {
  function post<T = Problem>(route: string, body?: unknown, token?: string, from = newAddress()) {
    return api.call<T>('POST', `/api/v1${route}`, { body, token, headers: { 'X-Forwarded-For': from } });
  }
  return {
    post,
    signIn: (email: string, password: string) =>
      post<SessionBody & Problem>('/auth/login', { email, password }),
    me: (token: string) => api.call<Problem & { emailVerified?: boolean }>('GET', '/api/v1/me', { token }),

    /** The token of the latest link to `page` mailed to the address. */
    async linkIn(email: string, page: string, count = 1): Promise<string> {
      const pattern = new RegExp(`${page}\\?token=([A-Za-z0-9_%-]+)`);
      const mails = await mail.waitFor((m) => m.to.includes(email) && pattern.test(m.text), { count });
      return decodeURIComponent(pattern.exec(mails[mails.length - 1]!.text)![1]!);
    },

    /** What a refused request must leave as it was: the user's row, links, audit entries and revocations. */
    async stateOf(userId: string) {
      const [user, links, audit, revoked] = await Promise.all([
        api.db.user.findUniqueOrThrow({ where: { id: userId } }),
        api.db.accountLink.findMany({ where: { userId }, orderBy: { id: 'asc' } }),
        api.db.auditEntry.count({ where: { entityId: userId } }),
        api.db.revokedToken.count({ where: { userId } }),
      ]);
      return { user, links, audit, revoked };
    },
  };
}
