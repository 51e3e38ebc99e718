import { appendFile } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullPath } from '../api/http/route';
import { allRoutes } from '../api/routes';
import type { Role } from '../domain/identity';
import { startTestApi, type TestApi } from './support/api';
import {
  requestFor,
  routesOf,
  type FuzzContext,
  type FuzzRequest,
  type JsonSchema,
  type Route,
} from './support/fuzz';
import { givenApprovedClaim } from './support/journeys';
import { givenListedProvider } from './support/providers';
import {
  DEMAND,
  givenAdmin,
  givenApplication,
  givenApprovedVoucher,
  givenProgramme,
  givenSme,
} from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

/**
 * A fuzz test at every route the OpenAPI document describes (routes added later are covered as they
 * come): bodies, query strings, path parameters, headers and cursors, each plausible or hostile
 * (test/support/fuzz.ts names the classes), sent as every role and anonymously, with the ids of
 * existing items mixed in so that requests reach the handlers. For every answer: no 5xx, within its
 * deadline, problem+json when it refuses, and a refused request writes nothing.
 *
 * `FUZZ_RUNS` requests per role (CI's default below), `FUZZ_SEED` (fixed unless given; printed with
 * every finding), `FUZZ_DEADLINE_MS` per request, `FUZZ_REPORT` a file the findings are appended to
 * (`npm run soak -- fuzz` reads it).
 */
const RUNS = Number(process.env.FUZZ_RUNS || 200);
const SEED = Number(process.env.FUZZ_SEED || 20_261_127);
const DEADLINE_MS = Number(process.env.FUZZ_DEADLINE_MS || 5_000);
const REPORT = process.env.FUZZ_REPORT;

/** Tables a refusal may write by design: the rate limits count refused calls, idempotency keys are released. */
const WRITTEN_ON_REFUSAL = ['rate_limits', 'idempotency_records', '_prisma_migrations'];
/** What a refusal may add to the audit log: every sign-in is audited, a failed one too (SPEC). */
const AUDITED_ON_REFUSAL = ['SIGN_IN_FAILED', 'SIGN_IN_DELAYED'];
const AUDIT_TABLES = ['audit_log', 'audit_chain'];

let api: TestApi;
let worker: TestWorkerHarness;
let routes: Route[];
let ctx: FuzzContext;
const tokens = new Map<Role | 'anonymous', string | null>();
/** how each role signs in again when a request signed it out (a sign-out route, a sign-out everywhere) */
const accounts = new Map<Role, string>();
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  [worker, api] = await Promise.all([startTestWorker({ taskQueue }), startTestApi({ taskQueue })]);
  const access = new Map(
    allRoutes.map((r) => [`${r.method.toUpperCase()} ${fullPath(r).replace(/:(\w+)/g, '{$1}')}`, r.access]),
  );
  const resolve = (schema: JsonSchema): JsonSchema => {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolve((api.document.components?.schemas as Record<string, JsonSchema>)[name]!);
  };
  routes = routesOf(
    api.document,
    resolve,
    (method, template) => access.get(`${method} ${template}`) ?? 'public',
  );

  // the items requests name: a programme with an approved voucher and a booking, another with an
  // application under review, a listed laboratory with an approved claim. Days last a day, so that
  // no reminder falls due during the run: the worker writing on its own schedule is no request's doing.
  const policy = {
    providerConfirmWithin: '1h',
    reportGrace: '1h',
    acceptanceWithin: '1h',
    payoutSchedule: '24h',
    voucherValidity: '30d',
  };
  const admin = await givenAdmin(api);
  const [programme, other] = await Promise.all([
    givenProgramme(api, admin, { policy }),
    givenProgramme(api, admin, { policy }),
  ]);
  const lab = await givenListedProvider(api, {
    services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000, dailyCapacity: 50 }],
  });
  const sme = await givenSme(api);
  const [claim, voucher, pending] = await Promise.all([
    givenApprovedClaim(api, admin, programme.id, lab),
    givenApprovedVoucher(api, admin, sme, programme.id),
    givenApplication(api, sme, other.id),
  ]);
  const booking = await api.call<{ id: string }>('POST', '/api/v1/bookings', {
    token: sme.token,
    body: { voucherId: voucher.voucherId, providerId: lab.providerId, demand: DEMAND },
  });
  expect(booking.status, booking.text).toBe(201);
  // a booking whose samples arrived: a report upload (and its PDF check) is next
  const received = await api.call<{ id: string; quotedPriceFen: number }>('POST', '/api/v1/bookings', {
    token: sme.token,
    body: { voucherId: voucher.voucherId, providerId: lab.providerId, demand: DEMAND },
  });
  expect(received.status, received.text).toBe(201);
  for (const [action, body] of [
    ['confirm', { quotedPriceFen: received.body.quotedPriceFen }],
    ['sample-received', {}],
  ] as const) {
    const res = await api.call('POST', `/api/v1/bookings/${received.body.id}/${action}`, {
      token: lab.token,
      body,
    });
    expect(res.status, res.text).toBeLessThan(300);
  }
  const auditor = await api.givenUser('AUDITOR');
  tokens.set('SME', sme.token);
  tokens.set('PROVIDER', lab.token);
  tokens.set('ADMIN', admin.token);
  tokens.set('AUDITOR', auditor.token);
  tokens.set('anonymous', null);
  accounts.set('SME', sme.email);
  accounts.set('PROVIDER', lab.email);
  accounts.set('ADMIN', admin.email);
  accounts.set('AUDITOR', auditor.email);
  ctx = {
    resolve,
    someUserId: sme.userId,
    ids: {
      programs: [programme.id, other.id],
      applications: [voucher.applicationId, pending.id],
      vouchers: [voucher.voucherId],
      providers: [lab.providerId],
      bookings: [booking.body.id, received.body.id, claim.bookingId],
      claims: [claim.claimId],
      enterprises: [sme.enterpriseId],
    },
  };
}, 240_000);

afterAll(async () => {
  await Promise.all([api?.stop(), worker?.stop()]);
});

/**
 * A cheap fingerprint of everything stored: per table its row count and the newest row version
 * (`xmin`: an insert or an update makes a newer one, a delete lowers the count).
 */
async function fingerprint(): Promise<Map<string, string>> {
  const tables = await api.db.$queryRaw<{ relname: string }[]>`
    SELECT relname FROM pg_stat_user_tables ORDER BY relname`;
  const sql = tables
    .filter(({ relname }) => !WRITTEN_ON_REFUSAL.includes(relname))
    .map(
      ({ relname }) =>
        `SELECT '${relname}' AS t, count(*)::text || '/' || coalesce(max(xmin::text::bigint), 0)::text AS v FROM "${relname}"`,
    )
    .join(' UNION ALL ');
  const rows = await api.db.$queryRawUnsafe<{ t: string; v: string }[]>(
    `${sql} UNION ALL SELECT 'audit seq', coalesce(max(seq), 0)::text FROM audit_log`,
  );
  return new Map(rows.map((r) => [r.t, r.v]));
}

/** The actions audited since a fingerprint was taken. */
async function auditedSince(before: Map<string, string>): Promise<string[]> {
  const rows = await api.db.auditEntry.findMany({
    where: { seq: { gt: BigInt(before.get('audit seq') ?? '0') } },
    select: { action: true },
  });
  return rows.map((r) => r.action);
}

const changed = (a: Map<string, string>, b: Map<string, string>) =>
  [...new Set([...a.keys(), ...b.keys()])].filter((t) => a.get(t) !== b.get(t));

/** Waits until the worker has finished what an accepted request started: nothing changes for a while. */
async function settled(): Promise<Map<string, string>> {
  let last = await fingerprint();
  let stableSince = Date.now();
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await fingerprint();
    if (changed(last, now).length) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 400) {
      return now;
    }
  }
  return last;
}

interface Finding {
  kind: 'server error' | 'past the deadline' | 'not problem+json' | 'written on refusal' | 'no answer';
  role: string;
  seed: number;
  request: string;
  classes: string[];
  answer: string;
}

const shown = (value: string, max = 300) =>
  JSON.stringify(value.length > max ? `${value.slice(0, max)}… (${value.length} chars)` : value);

function describeRequest(r: FuzzRequest): string {
  const headers = Object.entries(r.headers)
    .map(([k, v]) => `${k}: ${shown(k === 'authorization' ? v.slice(0, 40) : v, 80)}`)
    .join('; ');
  const body =
    r.body === undefined
      ? ''
      : typeof r.body === 'string'
        ? ` body ${shown(r.body)}`
        : ` body bytes ${Buffer.from(r.body).toString('hex').slice(0, 120)}`;
  return `${r.method} ${shown(r.path, 300)} [${headers}]${body}`;
}

type Sent = { status: number; contentType: string; text: string; ms: number } | { error: string; ms: number };

async function send(r: FuzzRequest): Promise<Sent> {
  const started = performance.now();
  try {
    const res = await fetch(`${api.url}${r.path}`, {
      method: r.method,
      headers: r.headers,
      ...(r.body === undefined ? {} : { body: r.body }),
      redirect: 'manual',
      signal: AbortSignal.timeout(DEADLINE_MS),
    });
    const text = await res.text();
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      text,
      ms: performance.now() - started,
    };
  } catch (error) {
    const err = error as Error;
    return {
      error: err.name === 'TimeoutError' ? 'timeout' : `${err.name}: ${err.message}`,
      ms: performance.now() - started,
    };
  }
}

/** The role's token again, signed in anew if a request signed it out; null when it cannot sign in. */
async function stillSignedIn(role: Role, current: string): Promise<string | null> {
  const me = await fetch(`${api.url}/api/v1/me`, { headers: { authorization: `Bearer ${current}` } });
  if (me.status !== 401) return current;
  const login = await fetch(`${api.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: accounts.get(role), password: PASSWORD }),
  });
  return login.status === 200 ? ((await login.json()) as { token: string }).token : null;
}

async function fuzzAs(role: Role | 'anonymous', index: number): Promise<Finding[]> {
  const token = tokens.get(role) ?? null;
  // requests carry the token they were made with; they are sent with the one the role holds now
  let current = token;
  const seed = SEED + index;
  const own = routes.filter((r) =>
    role === 'anonymous' ? r.access === 'public' : r.access !== 'public' && r.access.includes(role),
  );
  const request = fc
    .oneof(
      { weight: 3, arbitrary: fc.constantFrom(...(own.length ? own : routes)) },
      { weight: 1, arbitrary: fc.constantFrom(...routes) },
    )
    .chain((route) => requestFor(route, token, ctx));
  const requests = fc.sample(request, { numRuns: RUNS, seed });
  const findings: Finding[] = [];
  const statuses = new Map<number | string, number>();
  const classes = new Set<string>();
  let baseline = await settled();
  for (const r of requests) {
    const finding = (kind: Finding['kind'], text: string) =>
      findings.push({ kind, role, seed, request: describeRequest(r), classes: r.classes, answer: text });
    for (const cls of r.classes) classes.add(cls);
    const sent =
      token && current && current !== token && r.headers.authorization
        ? {
            ...r,
            headers: { ...r.headers, authorization: r.headers.authorization.replaceAll(token, current) },
          }
        : r;
    const answers = await Promise.all(Array.from({ length: r.copies ?? 1 }, () => send(sent)));
    for (const answer of answers) {
      const status = 'error' in answer ? answer.error : answer.status;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if ('error' in answer) {
        finding(
          answer.error === 'timeout' ? 'past the deadline' : 'no answer',
          `${answer.error} after ${Math.round(answer.ms)} ms`,
        );
        continue;
      }
      const said = `${answer.status} ${answer.contentType} ${shown(answer.text, 400)}`;
      if (answer.status >= 500) finding('server error', said);
      if (answer.status >= 400 && !/^application\/problem\+json/.test(answer.contentType))
        finding('not problem+json', said);
    }
    const answer = answers[0]!;
    /** a request that was taken may have signed the caller out: sign in again before the next */
    const signInAgainIfSignedOut = async () => {
      if (role === 'anonymous' || !current || r.method === 'GET') return;
      current = await stillSignedIn(role, current);
      if (!current) console.log(`fuzz as ${role}: signed out and cannot sign in again`);
      baseline = await settled();
    };
    if (answers.length > 1 || 'error' in answer) {
      // copies at once may each be taken or refused: what they leave is checked by the next refusal
      baseline = await settled();
      if (answers.some((a) => 'status' in a && a.status < 300)) await signInAgainIfSignedOut();
      continue;
    }
    const said = `${answer.status} ${answer.contentType} ${shown(answer.text, 400)}`;
    if (answer.status >= 400) {
      const now = await fingerprint();
      const tables = changed(baseline, now);
      const onlyAudit = tables.every((t) => AUDIT_TABLES.includes(t) || t === 'audit seq');
      if (
        tables.length &&
        onlyAudit &&
        (await auditedSince(baseline)).every((a) => AUDITED_ON_REFUSAL.includes(a))
      ) {
        baseline = now;
      } else if (tables.length) {
        // reported; the requests after it are compared with the state once it is quiet
        const quiet = await settled();
        const audited = await auditedSince(baseline);
        finding(
          'written on refusal',
          `${said}; tables changed: ${tables.join(', ')}; audited: ${audited.join(', ')}`,
        );
        baseline = quiet;
      }
    } else if (r.method === 'GET') {
      const now = await fingerprint();
      if (changed(baseline, now).length) baseline = await settled();
    } else {
      baseline = await settled();
    }
    if (answer.status < 300) await signInAgainIfSignedOut();
  }
  const counts = [...statuses].sort(([a], [b]) => String(a).localeCompare(String(b)));
  console.log(
    `fuzz as ${role}: ${requests.length} requests, seed ${seed}, ${classes.size} classes of input; answers ${counts.map(([s, n]) => `${s}×${n}`).join(' ')}`,
  );
  if (RUNS >= 100) {
    // the requests reach the handlers, not only the validators: some are taken, some refused there
    const count = (test: (status: number) => boolean) =>
      [...statuses].filter(([s]) => typeof s === 'number' && test(s)).reduce((n, [, c]) => n + c, 0);
    expect(
      count((s) => s < 300),
      'answers 2xx',
    ).toBeGreaterThan(0);
    expect(
      count((s) => s === 400),
      'answers 400',
    ).toBeGreaterThan(0);
    if (role !== 'anonymous')
      expect(
        count((s) => [404, 409, 422].includes(s)),
        'answers 404, 409 or 422',
      ).toBeGreaterThan(0);
  }
  if (REPORT) await appendFile(REPORT, findings.map((f) => `${JSON.stringify(f)}\n`).join(''));
  return findings;
}

describe('the fuzz test at every route', () => {
  it('generates from every route of the document', () => {
    expect(routes.length).toBeGreaterThanOrEqual(50);
    // who may call each route is read from its definition: the document and the routes agree
    const defined = new Set(
      allRoutes.map((r) => `${r.method.toUpperCase()} ${fullPath(r).replace(/:(\w+)/g, '{$1}')}`),
    );
    expect(routes.map((r) => `${r.method} ${r.template}`).filter((key) => !defined.has(key))).toEqual([]);
  });

  it('sees every write: an insert, an update, a delete', async () => {
    // the scene's processes may still be sending its mails: start from a database at rest
    const before = await settled();
    const { user } = await api.givenUser('AUDITOR');
    const inserted = await fingerprint();
    expect(changed(before, inserted)).toEqual(['users']);
    const programme = await api.db.programme.findUniqueOrThrow({ where: { id: ctx.ids.programs![0]! } });
    await api.db.programme.update({ where: { id: programme.id }, data: { name: programme.name } });
    const updated = await fingerprint();
    expect(changed(inserted, updated)).toEqual(['programmes']);
    await api.db.user.delete({ where: { id: user.id } });
    expect(changed(updated, await fingerprint())).toEqual(['users']);
  });

  for (const [index, role] of (['SME', 'PROVIDER', 'ADMIN', 'AUDITOR', 'anonymous'] as const).entries()) {
    it(
      `as ${role}: no 5xx, every answer in time, refusals are problem+json and write nothing`,
      async () => {
        const findings = await fuzzAs(role, index);
        const message = findings
          .slice(0, 10)
          .map((f) => `${f.kind} [${f.classes.join(', ')}]\n    ${f.request}\n    → ${f.answer}`)
          .join('\n');
        expect(
          findings.length,
          `${findings.length} finding(s) as ${role}, seed ${SEED + index} (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}):\n${message}`,
        ).toBe(0);
      },
      Math.max(600_000, RUNS * 2_000),
    );
  }
});
