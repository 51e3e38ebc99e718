import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFront, type Front } from '../scripts/lib/front';
import { freePort, waitFor } from '../scripts/lib/ports';
import { responseChecker, startTestApi, type ApiResponse, type TestApi } from './support/api';
import { mailbox } from './support/mailbox';
import { kill, killAll, launch as launchProcess } from './support/processes';
import { givenListedProvider, pdfReport, type ProviderFixture } from './support/providers';
import {
  DEMAND,
  expectLedgerBalanced,
  givenAdmin,
  givenProgramme,
  givenSme,
  until,
  type Caller,
} from './support/scenarios';
import { uniqueTaskQueue } from './support/worker';

/**
 * The production shape under failure: journeys run at once (CLUSTER_CONCURRENCY at a time) through a
 * round-robin front over two API instances, with two workers, on the Temporal server on PostgreSQL with
 * several history shards, while one worker and one API instance are killed (SIGKILL) and started again
 * at random moments.
 * Clients retry as the API documents: the same Idempotency-Key until an answer comes, reading the item
 * when a retry is refused because the lost first try already took the step.
 */
const JOURNEYS = Number(process.env.CLUSTER_JOURNEYS ?? 100);
/** journeys under way at once: more only queues workflow tasks behind each other on a small machine */
const CONCURRENCY = Number(process.env.CLUSTER_CONCURRENCY ?? 20);
const LABS = 4;
const services = inject('services');
const taskQueue = uniqueTaskQueue(import.meta.url);

let api: TestApi;
let front: Front;
const workers: ChildProcess[] = [];
const apis: { port: number; child: ChildProcess }[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (min: number, max: number) => min + Math.random() * (max - min);

const launch = (entry: 'worker/main.ts' | 'api/main.ts', extra: Record<string, string> = {}) =>
  // a key held by an instance that died is free again after 2 s, so a retry runs it on another
  launchProcess(entry, taskQueue, {
    IDEMPOTENCY_ABANDONED_AFTER_SECONDS: '2',
    TRUST_PROXY: 'loopback',
    // four processes and the Temporal server share PostgreSQL's connections with the other tiers
    DATABASE_POOL_SIZE: '5',
    ...extra,
  });
const launchApi = (port: number) => launch('api/main.ts', { API_PORT: String(port), API_HOST: '127.0.0.1' });

beforeAll(async () => {
  api = await startTestApi({ taskQueue });
  workers.push(launch('worker/main.ts'), launch('worker/main.ts'));
  for (let i = 0; i < 2; i += 1) {
    const port = await freePort();
    apis.push({ port, child: launchApi(port) });
  }
  for (const { port } of apis) {
    await waitFor(
      `the API on ${port}`,
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
      120_000,
    );
  }
  front = await startFront({ upstreams: apis.map(({ port }) => `127.0.0.1:${port}`), port: 0 });
});
afterAll(async () => {
  await front?.close();
  await killAll();
  await api?.stop();
});

/** What the clients saw: answers that told them to try again, by kind. */
const retried = new Map<string, number>();

/**
 * A write through the front, retried with one Idempotency-Key until it is answered, as the API
 * documents: again on a connection the dying instance cut (502 from the front), on 503 (no instance
 * answering, or the process busy: handed over, it may still take effect) and on 409
 * IDEMPOTENCY_KEY_IN_USE (the first try is still held, by a live instance or a dead one until the
 * key is abandoned). A first try that got no answer may have taken effect: when the retry is refused
 * because the step is done, the client reads the item (`done`) to see that it is, as after a 503.
 * Any other refusal fails the journey.
 */
function keyedCaller(check: ReturnType<typeof responseChecker>) {
  return async function keyed<T>(
    path: string,
    token: string,
    body: object,
    done?: () => Promise<T | null>,
  ): Promise<T> {
    const key = randomUUID();
    const deadline = Date.now() + 240_000;
    let unanswered = false;
    for (;;) {
      const res = await fetch(`${front.url}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
      }).catch(() => null);
      const text = res ? await res.text().catch(() => null) : null;
      let kind = 'no answer';
      if (res && text !== null) {
        const isJson = /json/.test(res.headers.get('content-type') ?? '');
        const parsed = (isJson && text ? JSON.parse(text) : text) as T & { code?: string };
        if (res.ok) {
          const response: ApiResponse<T> = { status: res.status, headers: res.headers, body: parsed, text };
          check('POST', path, response);
          return parsed;
        }
        kind = `${res.status}${isJson ? ` ${parsed.code}` : ''}`;
        const again =
          res.status === 502 ||
          res.status === 503 ||
          (res.status === 409 && parsed.code === 'IDEMPOTENCY_KEY_IN_USE');
        if (!again) {
          const confirmed = res.status === 409 && unanswered && done ? await done() : null;
          if (confirmed) {
            retried.set(`${kind}, done`, (retried.get(`${kind}, done`) ?? 0) + 1);
            return confirmed;
          }
          throw new Error(`POST ${path} answered ${res.status}: ${text.slice(0, 400)}`);
        }
      }
      unanswered = true;
      retried.set(kind, (retried.get(kind) ?? 0) + 1);
      if (Date.now() > deadline) throw new Error(`POST ${path}: no answer within 240 s (last: ${kind})`);
      await sleep(between(200, 800));
    }
  };
}

/** A read through the front, tried again while no instance answers. */
async function read<T>(path: string, token: string): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    const res = await fetch(`${front.url}${path}`, { headers: { authorization: `Bearer ${token}` } }).catch(
      () => null,
    );
    if (res?.ok) return (await res.json()) as T;
    if (attempt > 100) throw new Error(`GET ${path}: ${res?.status ?? 'no answer'}`);
    await sleep(300);
  }
}

interface BookingView {
  id: string;
  status: string;
  quotedPriceFen: number;
  copayment: { reference: string } | null;
}

/** The booking has gone through the step: its status is one of those after it. */
const bookingPast = (bookingId: string, token: string, statuses: string[]) => async () => {
  const booking = await read<BookingView>(`/api/v1/bookings/${bookingId}`, token);
  return statuses.includes(booking.status) ? booking : null;
};

/**
 * Kills the first worker and the first API instance in turn, at random moments, until told to stop:
 * each starts again at once, as a container platform restarts it, and is killed again a few seconds
 * after it is back up.
 */
function chaos() {
  const kills = { worker: 0, api: 0 };
  let stopped = false;
  const running = (async () => {
    await sleep(between(1000, 3000));
    while (!stopped) {
      if (kills.worker <= kills.api) {
        await kill(workers[0]!);
        kills.worker += 1;
        await sleep(between(200, 1000));
        workers[0] = launch('worker/main.ts');
      } else {
        const api = apis[0]!;
        await kill(api.child);
        kills.api += 1;
        await sleep(between(200, 1000));
        api.child = launchApi(api.port);
        await waitFor(
          'the API back',
          async () => (await fetch(`http://127.0.0.1:${api.port}/readyz`)).ok,
          120_000,
        );
      }
      await sleep(between(5000, 12_000));
    }
  })();
  return {
    kills,
    async stop() {
      stopped = true;
      await running;
    },
  };
}

describe('the production shape, with instances dying', () => {
  it('pays every journey’s claim once, with the ledger balanced, no run failed and no mail lost', async () => {
    const started = Date.now();
    const admin: Caller = await givenAdmin(api);
    const reviewer: Caller = await givenAdmin(api);
    const programme = await givenProgramme(api, admin, {
      budgetFen: JOURNEYS * 1_000_000 + 10_000_000,
      policy: { voucherValidity: '30d', payoutSchedule: '24h' },
    });
    const labs: ProviderFixture[] = [];
    for (let i = 0; i < LABS; i += 1) {
      labs.push(
        await givenListedProvider(api, {
          services: [
            {
              standards: ['GB/T 2423.1', 'IEC 61000-4-2'],
              unitPriceFen: 30_000 + i * 5_000,
              // every journey's samples (three each) may fall on one day
              dailyCapacity: 3 * JOURNEYS,
            },
          ],
        }),
      );
    }
    const smes: Awaited<ReturnType<typeof givenSme>>[] = [];
    for (let i = 0; i < JOURNEYS; i += 10) {
      smes.push(
        ...(await Promise.all(Array.from({ length: Math.min(10, JOURNEYS - i) }, () => givenSme(api)))),
      );
    }
    const keyed = keyedCaller(responseChecker(api.document));

    /** One SME's journey through the front, up to its claim approved automatically. */
    const journeyMs: number[] = [];
    const journey = async (i: number) => {
      const t0 = Date.now();
      const sme = smes[i]!;
      const lab = labs[i % LABS]!;
      const application = await keyed<{ id: string }>(
        '/api/v1/applications',
        sme.token,
        {
          programmeId: programme.id,
          requestedAmountFen: 1_000_000,
          purpose: '产品出口前的型式试验',
          demand: DEMAND,
        },
        async () =>
          (
            await read<{ items: { id: string }[] }>(
              `/api/v1/applications?programmeId=${programme.id}`,
              sme.token,
            )
          ).items[0] ?? null,
      );
      const { voucherId } = await keyed<{ voucherId: string | null }>(
        `/api/v1/applications/${application.id}/decision`,
        admin.token,
        { decision: 'APPROVE' },
        async () => {
          const now = await read<{ status: string; voucherId: string | null }>(
            `/api/v1/applications/${application.id}`,
            admin.token,
          );
          return now.status === 'APPROVED' && now.voucherId ? now : null;
        },
      );
      const booking = await keyed<BookingView>(
        '/api/v1/bookings',
        sme.token,
        { voucherId, providerId: lab.providerId, demand: DEMAND },
        async () => {
          const { items } = await read<{ items: { id: string }[] }>('/api/v1/bookings', sme.token);
          return items[0] ? read<BookingView>(`/api/v1/bookings/${items[0].id}`, sme.token) : null;
        },
      );
      const at = (action: string) => `/api/v1/bookings/${booking.id}/${action}`;
      const past = (token: string, ...statuses: string[]) =>
        bookingPast(booking.id, token, [...statuses, 'SETTLED']);
      await keyed(
        at('confirm'),
        lab.token,
        { quotedPriceFen: booking.quotedPriceFen },
        past(lab.token, 'CONFIRMED', 'SAMPLE_RECEIVED', 'REPORTED', 'ACCEPTED'),
      );
      await keyed(
        at('sample-received'),
        lab.token,
        {},
        past(lab.token, 'SAMPLE_RECEIVED', 'REPORTED', 'ACCEPTED'),
      );
      await keyed(
        at('report'),
        lab.token,
        { conclusion: 'PASS', fileName: 'report.pdf', contentBase64: pdfReport(`report ${booking.id}`) },
        past(lab.token, 'REPORTED', 'ACCEPTED'),
      );
      await keyed(at('accept'), sme.token, {}, past(sme.token, 'ACCEPTED'));
      const reference = `BANK-${booking.id.slice(0, 8)}`;
      await keyed(at('copayment'), sme.token, { reference, paidAt: new Date().toISOString() }, async () => {
        const now = await read<BookingView>(`/api/v1/bookings/${booking.id}`, sme.token);
        return now.copayment?.reference === reference ? now : null;
      });
      const claim = await until(
        `the claim of journey ${i} approved`,
        async () => {
          const row = await api.db.claim.findUnique({
            where: { bookingId: booking.id },
            select: { id: true, status: true, amountFen: true },
          });
          return row?.status === 'APPROVED' ? row : null;
        },
        240_000,
      );
      journeyMs.push(Date.now() - t0);
      return { lab, sme, claimId: claim.id, amountFen: Number(claim.amountFen) };
    };

    const failures = chaos();
    const ready = Date.now();
    const journeys: Awaited<ReturnType<typeof journey>>[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, JOURNEYS) }, async () => {
        while (next < JOURNEYS) journeys.push(await journey(next++));
      }),
    );
    const journeysDone = Date.now();

    // the payout batch runs while instances keep dying, proposed by one administrator and approved by
    // another (docs/policy.md, "Four eyes"); a retry finds the proposal, or the decision, already made
    const pendingRun = () =>
      api.db.approval.findFirst({
        where: { programmeId: programme.id, kind: 'PAYOUT_RUN', status: 'PENDING' },
        select: { id: true },
      });
    const proposal = await keyed<{ id: string }>(
      `/api/v1/programs/${programme.id}/payout-runs`,
      admin.token,
      {},
      pendingRun,
    );
    await keyed(`/api/v1/approvals/${proposal.id}/decision`, reviewer.token, { decision: 'APPROVE' }, () =>
      api.db.approval.findFirst({ where: { id: proposal.id, status: 'APPROVED' }, select: { id: true } }),
    );
    await until(
      'every claim paid',
      async () =>
        (await api.db.claim.count({
          where: { id: { in: journeys.map((j) => j.claimId) }, status: 'PAID' },
        })) === JOURNEYS,
      240_000,
    );
    await failures.stop();
    journeyMs.sort((a, b) => a - b);
    const pct = (q: number) => (journeyMs[Math.ceil(q * journeyMs.length) - 1]! / 1000).toFixed(1);
    console.log(
      `cluster tier: ${JOURNEYS} journeys in ${((journeysDone - ready) / 1000).toFixed(1)} s ` +
        `(each p50 ${pct(0.5)} s, p95 ${pct(0.95)} s, max ${pct(1)} s; ` +
        `scene ${((ready - started) / 1000).toFixed(1)} s, payout ${((Date.now() - journeysDone) / 1000).toFixed(1)} s); ` +
        `killed worker ${failures.kills.worker}×, API ${failures.kills.api}×; ` +
        `front served ${JSON.stringify(Object.fromEntries(front.served))}; retries ${JSON.stringify(Object.fromEntries(retried))}`,
    );
    expect(failures.kills.worker).toBeGreaterThan(0);
    expect(failures.kills.api).toBeGreaterThan(0);
    // both instances took journeys
    expect(front.served.size).toBe(2);

    // each claim paid once: one PAY posting per claim, each lab's transfers adding up to what it was owed
    const total = journeys.reduce((sum, j) => sum + j.amountFen, 0);
    const entries = await api.deps.repos.ledger.entries(programme.id);
    const paid = entries.filter((e) => e.movement === 'PAY').map((e) => e.claimId);
    expect(paid.sort()).toEqual(journeys.map((j) => j.claimId).sort());
    for (const lab of labs) {
      const owed = journeys.filter((j) => j.lab === lab).reduce((sum, j) => sum + j.amountFen, 0);
      const transfers = await api.db.gatewayTransfer.findMany({ where: { payeeName: lab.name } });
      expect(
        transfers.reduce((sum, t) => sum + Number(t.amountFen), 0),
        lab.name,
      ).toBe(owed);
    }
    expect(await expectLedgerBalanced(api, programme.id)).toMatchObject({ PAYABLE: 0, PAID: total });

    // no run failed or timed out, whichever worker ran it
    for (const status of ['Failed', 'TimedOut', 'Terminated']) {
      const { count } = await api.deps.temporal.workflow.count(`ExecutionStatus="${status}"`);
      expect(count, status).toBe(0);
    }

    // every mail in the outbox went out and arrived (at least once: a kill in the middle of the SMTP
    // hand-off may send one twice, never none)
    const recipients = [...journeys.map((j) => j.sme.email), ...labs.map((l) => l.email)];
    await until(
      'the outbox sent',
      async () =>
        (await api.db.notification.count({ where: { recipient: { in: recipients }, status: 'PENDING' } })) ===
        0,
      60_000,
    );
    const notifications = await api.db.notification.findMany({ where: { recipient: { in: recipients } } });
    for (const sme of journeys.map((j) => j.sme)) {
      expect(notifications.filter((n) => n.recipient === sme.email).length, sme.email).toBeGreaterThan(0);
    }
    const caught = new Set((await mailbox(services.mailApiUrl).all()).map((m) => m.messageId));
    const lost = notifications.filter((n) => !caught.has(n.messageId));
    expect(lost.map((n) => `${n.template} → ${n.recipient}`)).toEqual([]);
  });
});
