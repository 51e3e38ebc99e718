import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { defineRoute } from '../api/http/route';
import { intoWorkflow } from '../api/http/workflows';
import type { Problem } from '../api/http/problem';
import { freePort } from '../scripts/lib/ports';
import { startTestApi, TEST_JWT_SECRET, TEST_METRICS_TOKEN, type TestApi } from './support/api';
import { uniqueTaskQueue } from './support/worker';

// routes that exist only in this test, to exercise the platform's machinery on its own
let echoCalls = 0;
const testRoutes = [
  defineRoute({
    method: 'post',
    path: '/test/echo',
    operationId: 'testEcho',
    summary: 'echo (test only)',
    tags: ['test'],
    access: ['SME'],
    idempotent: true,
    request: { body: z.strictObject({ value: z.string() }) },
    responses: { 201: { description: 'echo', schema: z.object({ value: z.string(), call: z.number() }) } },
    handler: async ({ body }) => {
      echoCalls += 1;
      await new Promise((r) => setTimeout(r, 50));
      return { status: 201, body: { value: body.value, call: echoCalls } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/test/boom',
    operationId: 'testBoom',
    summary: 'fails (test only)',
    tags: ['test'],
    access: 'public',
    responses: { 200: { description: 'never' } },
    handler: async () => {
      throw new Error('database password is hunter2');
    },
  }),
  defineRoute({
    method: 'post',
    path: '/test/busy-process',
    operationId: 'testBusyProcess',
    summary: 'a process that does not answer in time (test only)',
    tags: ['test'],
    access: ['SME'],
    request: { body: z.strictObject({}) },
    responses: { 200: { description: 'never' } },
    handler: async ({ deps }) =>
      intoWorkflow(
        deps,
        () => Promise.reject(new WorkflowUpdateRPCTimeoutOrCancelledError('context deadline exceeded')),
        'the test item',
        '/api/v1/test/items/1',
      ),
  }),
];

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({
    taskQueue: uniqueTaskQueue(import.meta.url),
    extraRoutes: testRoutes,
    env: { CORS_ORIGINS: 'https://portal.example.cn' },
  });
});
afterAll(async () => {
  await api?.stop();
});

describe('identity', () => {
  it('registers, logs in with the password, and answers /me with the user', async () => {
    const email = `Owner-${randomUUID().slice(0, 8)}@Example.cn`;
    const registered = await api.call<{ id: string; role: string; email: string }>(
      'POST',
      '/api/v1/auth/register',
      {
        body: { email, password: 'a long enough password', displayName: '赵经理', role: 'SME' },
      },
    );
    expect(registered.status).toBe(201);
    expect(registered.body.email).toBe(email.toLowerCase());

    const stored = await api.db.user.findUniqueOrThrow({ where: { id: registered.body.id } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);

    const login = await api.call<{ token: string; expiresAt: string }>('POST', '/api/v1/auth/login', {
      body: { email, password: 'a long enough password' },
    });
    expect(login.status).toBe(200);
    expect(new Date(login.body.expiresAt).getTime()).toBeGreaterThan(Date.now());

    const me = await api.call<{ id: string; locale: string }>('GET', '/api/v1/me', {
      token: login.body.token,
    });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(registered.body.id);

    const changed = await api.call<{ locale: string }>('PATCH', '/api/v1/me', {
      token: login.body.token,
      body: { locale: 'en' },
    });
    expect(changed.body.locale).toBe('en');
  });

  it('does not say whether the e-mail or the password was wrong', async () => {
    const { email } = await api.givenUser('SME');
    const wrongPassword = await api.call<Problem>('POST', '/api/v1/auth/login', {
      body: { email, password: 'not the password' },
    });
    const unknownUser = await api.call<Problem>('POST', '/api/v1/auth/login', {
      body: { email: `nobody-${randomUUID()}@vouchers.test`, password: 'not the password' },
    });
    for (const res of [wrongPassword, unknownUser]) {
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('INVALID_CREDENTIALS');
      expect(res.body.detail).toBe('E-mail or password is wrong');
    }
  });

  it('refuses to create administrators or auditors through self-registration', async () => {
    const res = await api.call<Problem>('POST', '/api/v1/auth/register', {
      body: {
        email: `x-${randomUUID()}@vouchers.test`,
        password: 'a long enough password',
        displayName: 'x',
        role: 'ADMIN',
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.issues?.[0]).toMatchObject({ in: 'body', field: 'role' });
  });

  it('tells an expired token, a forged token and a missing token apart, all 401', async () => {
    const { user } = await api.givenUser('AUDITOR');
    const expired = await new SignJWT({ role: 'AUDITOR' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('testing-vouchers')
      .setAudience('testing-vouchers-api')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const forged = await new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('testing-vouchers')
      .setAudience('testing-vouchers-api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-key-another-key-another-key-123'));

    const cases: [string | null, string][] = [
      [expired, 'TOKEN_EXPIRED'],
      [forged, 'TOKEN_INVALID'],
      [null, 'AUTHENTICATION_REQUIRED'],
    ];
    for (const [token, code] of cases) {
      const res = await api.call<Problem>('GET', '/api/v1/me', { token });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.body.code).toBe(code);
    }
  });
});

describe('errors are problem+json', () => {
  it('names every unknown and every invalid field, and changes nothing', async () => {
    const before = await api.db.user.count();
    const res = await api.call<Problem>('POST', '/api/v1/auth/register', {
      body: {
        email: 'not-an-email',
        password: 'short',
        displayName: 'x',
        role: 'SME',
        isAdmin: true,
        extra: 1,
      },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.type).toBe('urn:testing-vouchers:problem:VALIDATION_FAILED');
    const fields = res.body.issues!.map((i) => `${i.field}: ${i.reason}`).sort();
    expect(fields).toEqual([
      'email: must be an e-mail address',
      'extra: unknown field',
      'isAdmin: unknown field',
      'password: must be at least 12 characters',
    ]);
    expect(await api.db.user.count()).toBe(before);
  });

  it('refuses malformed JSON, other media types and oversized bodies', async () => {
    const malformed = await api.call<Problem>('POST', '/api/v1/auth/login', {
      raw: { contentType: 'application/json', data: '{"email": ' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');

    const form = await api.call<Problem>('POST', '/api/v1/auth/login', {
      raw: { contentType: 'application/x-www-form-urlencoded', data: 'email=a&password=b' },
    });
    expect(form.status).toBe(415);

    const huge = await api.call<Problem>('POST', '/api/v1/auth/login', {
      body: { email: 'a@b.cn', password: 'x'.repeat(300 * 1024) },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses unknown query parameters', async () => {
    const { token } = await api.givenUser('SME');
    const res = await api.call<Problem>('GET', '/api/v1/me?debug=1', { token });
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([
      { in: 'query', field: 'debug', reason: 'unknown field', code: 'unrecognized_key' },
    ]);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await api.call<Problem>('GET', '/api/v1/nothing-here', { unchecked: true });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('ROUTE_NOT_FOUND');
  });

  it('answers an unexpected failure with a generic 500 carrying the request id, revealing nothing', async () => {
    const res = await api.call<Problem>('GET', '/test/boom'.replace('/test', '/api/v1/test'), {
      headers: { 'x-request-id': 'trace-me-123' },
    });
    expect(res.status).toBe(500);
    expect(res.body.requestId).toBe('trace-me-123');
    expect(res.headers.get('x-request-id')).toBe('trace-me-123');
    expect(res.text).not.toContain('hunter2');
    expect(res.body.detail).toContain('trace-me-123');
  });
});

describe('Idempotency-Key', () => {
  it('replays the first answer for the same key and body, and refuses the key for another body', async () => {
    const { token } = await api.givenUser('SME');
    const key = randomUUID();
    const first = await api.call<{ call: number }>('POST', '/api/v1/test/echo', {
      token,
      body: { value: 'a' },
      headers: { 'idempotency-key': key },
    });
    const again = await api.call<{ call: number }>('POST', '/api/v1/test/echo', {
      token,
      body: { value: 'a' },
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const other = await api.call<Problem>('POST', '/api/v1/test/echo', {
      token,
      body: { value: 'b' },
      headers: { 'idempotency-key': key },
    });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('runs concurrent requests with one key once', async () => {
    const { token } = await api.givenUser('SME');
    const key = randomUUID();
    const callsBefore = echoCalls;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.call<{ call: number } | Problem>('POST', '/api/v1/test/echo', {
          token,
          body: { value: 'same' },
          headers: { 'idempotency-key': key },
        }),
      ),
    );
    expect(echoCalls - callsBefore).toBe(1);
    for (const answer of answers) expect([201, 409]).toContain(answer.status);
    expect(answers.filter((a) => a.status === 201).length).toBeGreaterThanOrEqual(1);
  });

  it('keys are per user', async () => {
    const alice = await api.givenUser('SME');
    const bob = await api.givenUser('SME');
    const key = randomUUID();
    const a = await api.call<{ value: string }>('POST', '/api/v1/test/echo', {
      token: alice.token,
      body: { value: 'a' },
      headers: { 'idempotency-key': key },
    });
    const b = await api.call<{ value: string }>('POST', '/api/v1/test/echo', {
      token: bob.token,
      body: { value: 'b' },
      headers: { 'idempotency-key': key },
    });
    expect(a.body.value).toBe('a');
    expect(b.body.value).toBe('b');
  });
});

describe('transport security', () => {
  it('sends security headers and allows only configured origins', async () => {
    const res = await api.call('GET', '/healthz', { headers: { origin: 'https://portal.example.cn' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toContain('max-age');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('access-control-allow-origin')).toBe('https://portal.example.cn');

    const other = await api.call('GET', '/healthz', { headers: { origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves the OpenAPI document and the interactive reference', async () => {
    const doc = await fetch(`${api.url}/openapi.json`);
    const json = (await doc.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(json.openapi).toBe('3.1.0');
    expect(Object.keys(json.paths)).toContain('/api/v1/auth/login');
    const docs = await fetch(`${api.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
  });
});

describe('rate limits', () => {
  let limited: TestApi;
  beforeAll(async () => {
    limited = await startTestApi({
      taskQueue: uniqueTaskQueue(import.meta.url),
      extraRoutes: testRoutes,
      // behind a proxy that names each client: the limits counted for this file's own address are not
      // shared with the sign-ins other test files make from 127.0.0.1 against the same database
      env: { RATE_LIMIT_LOGIN_PER_MINUTE: '3', RATE_LIMIT_WRITES_PER_MINUTE: '4', TRUST_PROXY: 'true' },
    });
  });
  afterAll(async () => {
    await limited?.stop();
  });

  it('limits login attempts per account, with Retry-After', async () => {
    const { email } = await limited.givenUser('SME');
    const statuses: number[] = [];
    const client = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const attempt = () =>
      limited.call<Problem>('POST', '/api/v1/auth/login', {
        body: { email, password: 'wrong password' },
        headers: { 'X-Forwarded-For': client },
      });
    for (let i = 0; i < 3; i += 1) statuses.push((await attempt()).status);
    const last = await attempt();
    statuses.push(last.status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last.body.code).toBe('RATE_LIMITED');
  });

  it('limits writes per user, leaving other users alone', async () => {
    const busy = await limited.givenUser('SME');
    const calm = await limited.givenUser('SME');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push(
        (await limited.call('POST', '/api/v1/test/echo', { token: busy.token, body: { value: String(i) } }))
          .status,
      );
    }
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
    expect(
      (await limited.call('POST', '/api/v1/test/echo', { token: calm.token, body: { value: 'x' } })).status,
    ).toBe(201);
  });

  it('counts signed-in writes per user, not against the address they share', async () => {
    // one office address, six people: 24 writes, above the address's 20 a minute, none refused
    const people = await Promise.all(Array.from({ length: 6 }, () => limited.givenUser('SME')));
    const statuses = await Promise.all(
      people.flatMap((person) =>
        Array.from({ length: 4 }, async (_, i) => {
          const body = { value: `${person.user.id}-${i}` };
          return (await limited.call('POST', '/api/v1/test/echo', { token: person.token, body })).status;
        }),
      ),
    );
    expect(statuses).toEqual(Array.from({ length: 24 }, () => 201));
  });
});

describe('a process that does not answer in time', () => {
  it('is a 503 that says the step may still take effect and where to look, not a 500', async () => {
    const { token } = await api.givenUser('SME');
    const res = await api.call<Problem>('POST', '/api/v1/test/busy-process', { token, body: {} });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.body).toMatchObject({
      code: 'PROCESS_BUSY',
      details: { location: '/api/v1/test/items/1' },
    });
    expect(res.body.detail).toContain('may still take effect: GET /api/v1/test/items/1 before repeating it');
  });
});

describe('health', () => {
  it('says ready when database, Temporal and SMTP answer, naming each', async () => {
    const res = await api.call<{ status: string; checks: Record<string, { ok: boolean }> }>('GET', '/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks).toMatchObject({
      database: { ok: true },
      temporal: { ok: true },
      smtp: { ok: true },
    });
    expect((await api.call('GET', '/healthz')).status).toBe(200);
    const metrics = await fetch(`${api.url}/metrics`, {
      headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` },
    });
    expect(await metrics.text()).toContain('http_request_duration_seconds');
  });

  it('names the dependency that does not answer', async () => {
    const broken = await startTestApi({
      taskQueue: uniqueTaskQueue(import.meta.url),
      env: { SMTP_URL: `smtp://127.0.0.1:${await freePort()}` },
    });
    try {
      const res = await broken.call<{
        status: string;
        checks: Record<string, { ok: boolean; error?: string }>;
      }>('GET', '/readyz');
      expect(res.status).toBe(503);
      expect(res.body.status).toBe('not-ready');
      expect(res.body.checks.smtp!.ok).toBe(false);
      expect(res.body.checks.smtp!.error).toBeTruthy();
      expect(res.body.checks.database!.ok).toBe(true);
      expect((await broken.call('GET', '/healthz')).status).toBe(200);
    } finally {
      await broken.stop();
    }
  });
});
