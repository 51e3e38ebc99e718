import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app';
import type { Problem } from '../api/http/problem';
import { createHttpServer, TIMEOUT_CHECK_EVERY_MS } from '../api/http/server';
import { createIdempotencyRepository, PURGE_BATCH } from '../db/repositories/idempotency';
import { ACCESS } from './support/access-matrix';
import { startTestApi, TEST_METRICS_TOKEN, type TestApi } from './support/api';
import {
  givenListedProvider,
  pdfFile,
  pdfReport,
  pdfReportObjects,
  type ProviderFixture,
} from './support/providers';
import {
  DEMAND,
  givenAdmin,
  givenApprovedVoucher,
  givenProgramme,
  givenSme,
  type Caller,
} from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;
let admin: Caller;
let programmeId: string;
let lab: ProviderFixture;

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  [worker, api] = await Promise.all([startTestWorker({ taskQueue }), startTestApi({ taskQueue })]);
  admin = await givenAdmin(api);
  programmeId = (
    await givenProgramme(api, admin, { policy: { providerConfirmWithin: '1h', voucherValidity: '30d' } })
  ).id;
  lab = await givenListedProvider(api, {
    services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000, dailyCapacity: 5 }],
  });
});
afterAll(async () => {
  await api?.stop();
  await worker?.stop();
});

/** The API's app on a server of its own, with the given deadlines. */
async function serverWith(timeouts: { HEADERS_TIMEOUT: string; REQUEST_TIMEOUT: string }) {
  const server: Server = createHttpServer(createApp(api.deps), timeouts);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes `chunks` over a raw connection, then waits: what the server said and when it hung up. */
function slowClient(port: number, chunks: string[]): Promise<{ answer: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => (answer += data));
    socket.on('error', reject);
    socket.on('close', () => resolve({ answer, closedAfterMs: performance.now() - started }));
    setTimeout(() => socket.destroy(new Error('the server still holds the connection after 15 s')), 15_000);
  });
}

describe('slow clients', () => {
  it('are answered 408 and cut off once the headers or the whole request take too long', async () => {
    const server = await serverWith({ HEADERS_TIMEOUT: '1s', REQUEST_TIMEOUT: '2s' });
    try {
      // headers that never end
      const headers = await slowClient(server.port, ['GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1']);
      expect(headers.answer).toMatch(/^HTTP\/1\.1 408/);
      expect(headers.closedAfterMs).toBeLessThan(1_000 + TIMEOUT_CHECK_EVERY_MS + 1_000);

      // a body that never arrives in full: the login's, and a report upload's (signed in, a larger limit)
      for (const [path, token] of [
        ['/api/v1/auth/login', null],
        [`/api/v1/bookings/${randomUUID()}/report`, lab.token],
      ] as const) {
        const body = await slowClient(server.port, [
          `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n`,
          token ? `Authorization: Bearer ${token}\r\n\r\n` : '\r\n',
          '{"email":',
        ]);
        expect(body.answer, path).toMatch(/^HTTP\/1\.1 408/);
        expect(body.closedAfterMs, path).toBeGreaterThan(1_500);
        expect(body.closedAfterMs, path).toBeLessThan(2_000 + TIMEOUT_CHECK_EVERY_MS + 1_000);
      }

      // a client that sends in time is served as before
      const fine = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      expect(fine.status).toBe(200);
    } finally {
      await server.close();
    }
  }, 30_000);
});

describe('/metrics', () => {
  it('is read only with the metrics token', async () => {
    const url = `${api.url}/metrics`;
    const none = await fetch(url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await none.json()) as Problem).code).toBe('AUTHENTICATION_REQUIRED');

    const { token: userToken } = await api.givenUser('ADMIN');
    for (const token of [userToken, `${TEST_METRICS_TOKEN}x`, TEST_METRICS_TOKEN.slice(1)]) {
      const wrong = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(wrong.status).toBe(401);
      expect(((await wrong.json()) as Problem).code).toBe('TOKEN_INVALID');
    }

    const right = await fetch(url, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } });
    expect(right.status).toBe(200);
    expect(right.headers.get('cache-control')).toBe('no-store');
    expect(await right.text()).toContain('http_request_duration_seconds');
  });

  it('is not served when the service has no metrics token', async () => {
    const server: Server = createHttpServer(
      createApp({ ...api.deps, env: { ...api.deps.env, METRICS_TOKEN: undefined } }),
      api.deps.env,
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, {
        headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` },
      });
      expect(res.status).toBe(404);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('caching', () => {
  it('no answer of the API may be stored: signed in or not, served or refused', async () => {
    const tokens = new Map<string, string>();
    for (const role of ['SME', 'PROVIDER', 'ADMIN', 'AUDITOR'] as const)
      tokens.set(role, (await api.givenUser(role)).token);
    const gets = Object.entries(api.document.paths ?? {}).flatMap(([template, item]) =>
      'get' in (item as object) && template.startsWith('/api/') ? [template] : [],
    );
    expect(gets.length).toBeGreaterThan(20);
    const missing: string[] = [];
    for (const template of gets) {
      const rule = ACCESS[`GET ${template}`]!;
      const path = template.replace(/\{[^}]+\}/g, () => randomUUID());
      const callers = rule === 'public' ? [null] : [null, tokens.get(rule[0]!)!];
      for (const token of callers) {
        const res = await fetch(`${api.url}${path}`, {
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
        await res.arrayBuffer();
        if (res.headers.get('cache-control') !== 'no-store')
          missing.push(`GET ${template} (${token ? 'signed in' : 'anonymous'}) → ${res.status}`);
      }
    }
    const login = await fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@vouchers.test', password: 'wrong' }),
    });
    if (login.headers.get('cache-control') !== 'no-store') missing.push(`POST /auth/login → ${login.status}`);
    expect(missing).toEqual([]);
  }, 60_000);
});

describe('idempotency records', () => {
  it('are kept for the retention period, then ignored and purged', async () => {
    const retentionMs = 60_000;
    const repo = createIdempotencyRepository(api.db, 10_000, retentionMs);
    const { user } = await api.givenUser('SME');
    const request = { userId: user.id, method: 'POST', path: '/api/v1/x', requestHash: 'h' };
    const age = (key: string, ms: number) =>
      api.db.idempotencyRecord.update({
        where: { userId_key: { userId: user.id, key } },
        data: { createdAt: new Date(Date.now() - ms) },
      });

    expect(await repo.claim({ ...request, key: 'k1' })).toEqual({ kind: 'claimed' });
    await repo.complete(user.id, 'k1', 201, { id: 'first' });
    await age('k1', retentionMs - 5_000);
    expect(await repo.claim({ ...request, key: 'k1' })).toEqual({
      kind: 'replay',
      status: 201,
      body: { id: 'first' },
    });
    await age('k1', retentionMs + 1_000);
    expect(await repo.claim({ ...request, key: 'k1' })).toEqual({ kind: 'claimed' });

    // writes purge the expired records, a bounded batch each, and keep the rest
    await api.db.idempotencyRecord.deleteMany({
      where: { createdAt: { lt: new Date(Date.now() - retentionMs) } },
    });
    const old = new Date(Date.now() - retentionMs - 1_000);
    const expired = PURGE_BATCH + 20;
    await api.db.idempotencyRecord.createMany({
      data: Array.from({ length: expired }, (_, i) => ({
        ...request,
        key: `old-${i}`,
        status: 201,
        createdAt: old,
      })),
    });
    const count = () => api.db.idempotencyRecord.count({ where: { userId: user.id } });
    const before = await count();
    await repo.claim({ ...request, key: 'k2' });
    expect(await count()).toBe(before - PURGE_BATCH + 1);
    await repo.claim({ ...request, key: 'k3' });
    expect(await count()).toBe(before - expired + 2);
    expect(
      await api.db.idempotencyRecord.findMany({ where: { userId: user.id }, select: { key: true } }),
    ).toEqual(expect.arrayContaining([{ key: 'k1' }, { key: 'k2' }, { key: 'k3' }]));
  });

  it('past retention the API runs the write again instead of replaying it', async () => {
    const key = `programme-${randomUUID()}`;
    const create = () =>
      api.call<{ id: string }>('POST', '/api/v1/programs', {
        token: admin.token,
        headers: { 'Idempotency-Key': key },
        body: {
          name: `Retention ${key.slice(0, 20)}`,
          authority: '上海市经济和信息化委员会',
          year: 2026,
          regionCode: '310000',
          budgetFen: 1_000_000,
        },
      });
    const first = await create();
    expect(first.status, first.text).toBe(201);
    const again = await create();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    await api.db.idempotencyRecord.updateMany({
      where: { key },
      data: { createdAt: new Date(Date.now() - 25 * 3_600_000) },
    });
    const later = await create();
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(later.status).toBeLessThan(500);
  });
});

describe('report files', () => {
  async function bookingAwaitingReport(): Promise<string> {
    const sme = await givenSme(api);
    const { voucherId } = await givenApprovedVoucher(api, admin, sme, programmeId, 1_000_000);
    const booked = await api.call<{ id: string; quotedPriceFen: number }>('POST', '/api/v1/bookings', {
      token: sme.token,
      body: { voucherId, providerId: lab.providerId, demand: DEMAND },
    });
    expect(booked.status, booked.text).toBe(201);
    const at = (action: string) => `/api/v1/bookings/${booked.body.id}/${action}`;
    const confirm = await api.call('POST', at('confirm'), {
      token: lab.token,
      body: { quotedPriceFen: booked.body.quotedPriceFen },
    });
    expect(confirm.status, confirm.text).toBe(200);
    const received = await api.call('POST', at('sample-received'), { token: lab.token, body: {} });
    expect(received.status, received.text).toBe(200);
    return booked.body.id;
  }

  it('refuses a file no reader opens, naming the field and why, and stores nothing', async () => {
    const bookingId = await bookingAwaitingReport();
    const good = pdfFile(pdfReportObjects('report'));
    const unreadable: [string, Buffer, RegExp][] = [
      ['cut short', good.subarray(0, good.length - 30), /cut short/],
      [
        'wrong cross-reference',
        Buffer.from(good.toString('latin1').replace(/startxref\n(\d+)/, 'startxref\n12'), 'latin1'),
        /wrong cross-reference/,
      ],
      [
        'encrypted',
        pdfFile(
          [
            ...pdfReportObjects('secret'),
            `<< /Filter /Standard /V 1 /R 2 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> /P -4 >>`,
          ],
          `/Encrypt 5 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>] `,
        ),
        /encrypted/,
      ],
      [
        'no pages',
        pdfFile(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']),
        /no pages/,
      ],
      [
        'not a PDF',
        Buffer.from('%PDF-1.7 but then a letter\nstartxref\n0\n%%EOF\n'),
        /cross-reference|cannot be read/,
      ],
    ];
    for (const [name, content, reason] of unreadable) {
      const res = await api.call<Problem>('POST', `/api/v1/bookings/${bookingId}/report`, {
        token: lab.token,
        body: { conclusion: 'PASS', fileName: 'report.pdf', contentBase64: content.toString('base64') },
      });
      expect(res.status, `${name}: ${res.text}`).toBe(400);
      expect(res.body.issues?.[0], name).toMatchObject({
        in: 'body',
        field: 'contentBase64',
        code: 'invalid_report',
      });
      expect(res.body.issues?.[0]?.reason, name).toMatch(reason);
    }
    expect(await api.db.bookingReport.count({ where: { bookingId } })).toBe(0);
  });

  it('downloads under the name it was uploaded with, Chinese included', async () => {
    const bookingId = await bookingAwaitingReport();
    const fileName = '检测报告 GB/T 2423.1 “终版”.pdf';
    const upload = await api.call('POST', `/api/v1/bookings/${bookingId}/report`, {
      token: lab.token,
      body: { conclusion: 'PASS', fileName, contentBase64: pdfReport(`report ${bookingId}`) },
    });
    expect(upload.status, upload.text).toBe(200);
    const download = await fetch(`${api.url}/api/v1/bookings/${bookingId}/report`, {
      headers: { authorization: `Bearer ${lab.token}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toMatch(/^application\/pdf/);
    expect(download.headers.get('cache-control')).toBe('no-store');
    const disposition = download.headers.get('content-disposition')!;
    // RFC 6266 / 8187: the UTF-8 name, and an ASCII one for clients that know only `filename`
    const extended = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
    expect(decodeURIComponent(extended!)).toBe('检测报告 GB_T 2423.1 “终版”.pdf');
    expect(/filename="([^"]*)"/.exec(disposition)?.[1]).toMatch(/^[\x20-\x7e]+\.pdf$/);
    expect(disposition).toMatch(/^attachment;/);
    expect(Buffer.from(await download.arrayBuffer()).toString('base64')).toBe(
      pdfReport(`report ${bookingId}`),
    );
  });
});
