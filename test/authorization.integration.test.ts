import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type AuthUser, type Role } from '../domain/identity';
import { ACCESS } from './support/access-matrix';
import { startTestApi, TEST_JWT_SECRET, type TestApi } from './support/api';
import { uniqueTaskQueue } from './support/worker';

let api: TestApi;
const tokens = {} as Record<'expired' | 'forged', string>;
const users = {} as Record<Role, AuthUser>;

/**
 * A fresh session of the role's user for each call: signing out (one session or every one) is among
 * the routes called, and spends the token that called it.
 */
async function tokenOf(role: Role): Promise<string> {
  const { tokenVersion } = await api.db.user.findUniqueOrThrow({
    where: { id: users[role].id },
    select: { tokenVersion: true },
  });
  return (await api.deps.tokens.issue({ ...users[role], tokenVersion })).token;
}

beforeAll(async () => {
  api = await startTestApi({ taskQueue: uniqueTaskQueue(import.meta.url) });
  for (const role of ROLES) users[role] = (await api.givenUser(role)).user;
  const { user } = await api.givenUser('ADMIN');
  const sign = (key: string, exp: number) =>
    new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('testing-vouchers')
      .setAudience('testing-vouchers-api')
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(key));
  tokens.expired = await sign(TEST_JWT_SECRET, Math.floor(Date.now() / 1000) - 60);
  tokens.forged = await sign(
    'a-different-signing-key-of-sufficient-length',
    Math.floor(Date.now() / 1000) + 600,
  );
});
afterAll(async () => {
  await api?.stop();
});

function operations(): { method: string; template: string; key: string }[] {
  return Object.entries(api.document.paths ?? {}).flatMap(([template, item]) =>
    Object.keys(item as object)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((method) => ({
        method: method.toUpperCase(),
        template,
        key: `${method.toUpperCase()} ${template}`,
      })),
  );
}

const concrete = (template: string) => template.replace(/\{[^}]+\}/g, () => randomUUID());

describe('authorization matrix: every route × every caller', () => {
  it('has a rule for every route in the OpenAPI document, and a route for every rule', () => {
    const documented = operations()
      .map((o) => o.key)
      .sort();
    expect(documented).toEqual(Object.keys(ACCESS).sort());
  });

  it('answers each caller as the rule says', async () => {
    const failures: string[] = [];
    for (const { method, template, key } of operations()) {
      const rule = ACCESS[key]!;
      const callers: [string, string | null, 'allowed' | 'forbidden' | 'unauthenticated'][] = [
        ['no token', null, rule === 'public' ? 'allowed' : 'unauthenticated'],
        ['expired token', tokens.expired, rule === 'public' ? 'allowed' : 'unauthenticated'],
        ['token signed with another key', tokens.forged, rule === 'public' ? 'allowed' : 'unauthenticated'],
        ...(await Promise.all(
          ROLES.map(
            async (role) =>
              [
                role,
                await tokenOf(role),
                rule === 'public' || rule.includes(role) ? 'allowed' : 'forbidden',
              ] as [string, string, 'allowed' | 'forbidden'],
          ),
        )),
      ];
      for (const [caller, token, expected] of callers) {
        const res = await api.call(method, concrete(template), {
          token,
          ...(['POST', 'PUT', 'PATCH'].includes(method) ? { body: {} } : {}),
        });
        const ok =
          expected === 'unauthenticated'
            ? res.status === 401
            : expected === 'forbidden'
              ? res.status === 403
              : res.status !== 401 && res.status !== 403 && res.status < 500;
        if (!ok)
          failures.push(
            `${key} as ${caller}: expected ${expected}, got ${res.status} ${res.text.slice(0, 120)}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });
});
