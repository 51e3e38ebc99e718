import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import { STRONG, STRONGER, type SessionBody as Session } from './support/accounts';
import { startTestApi, type TestApi } from './support/api';
import { ownDatabase } from './support/own-database';
import { uniqueTaskQueue } from './support/worker';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');

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

  const admin = (args: string[], env: Record<string, string> = {}, input = '') => {
    const child = run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: own.url, ADMIN_PASSWORD: '', ...env },
    });
    // standard input is a pipe, not a terminal: what is written to it is the password; empty, none
    child.child.stdin?.end(input);
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

  it('takes the password from standard input, or makes a strong one and prints it once; refuses a guessable one', async () => {
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

    const piped = await admin(
      ['create', '--email', 'piped@authority.gov.cn', '--name', '周审计', '--role', 'AUDITOR'],
      {},
      `${STRONGER}\n`,
    );
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).not.toContain('shown this once');
    const pipedIn = await ownApi.call('POST', '/api/v1/auth/login', {
      body: { email: 'piped@authority.gov.cn', password: STRONGER },
    });
    expect(pipedIn.status, pipedIn.text).toBe(200);

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
    expect(await ownApi.db.user.count()).toBe(3);
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
