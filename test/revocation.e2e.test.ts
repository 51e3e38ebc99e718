import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api';
import type { CaughtMail } from './support/mailbox';
import { givenListedProvider, pdfReport, type ProviderFixture } from './support/providers';
import {
  DEMAND,
  expectLedgerBalanced,
  givenAdmin,
  givenApprovedVoucher,
  givenProgramme,
  givenSme,
  until,
  type Caller,
} from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

/**
 * Revoking a voucher (fraud) meets its booking in every state. The policy: a booking that has not
 * reached an approved claim stops (CANCELLED, the reason naming the revocation), its subsidy goes
 * back to the programme with the voucher's unused value, and its lab and SME are told by e-mail;
 * an approved claim stands and the revocation's audit entry lists it. No process fails.
 */

let api: TestApi;
let worker: TestWorkerHarness;
let admin: Caller & { email: string };

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  worker = await startTestWorker({ taskQueue });
  api = await startTestApi({ taskQueue });
  admin = await givenAdmin(api);
});
afterAll(async () => {
  await api?.stop();
  await worker?.stop();
});

const BUDGET = 10_000_000;
const FACE_VALUE = 2_000_000;
const UNIT_PRICE = 30_000;
// three samples at the catalog price, half of it subsidised
const SUBSIDY = (UNIT_PRICE * DEMAND.sampleCount) / 2;

interface BookingBody {
  id: string;
  status: string;
  statusReason: string | null;
  openDisputeId: string | null;
  claimId: string | null;
}

interface Journey {
  programmeId: string;
  applicationId: string;
  voucherId: string;
  sme: Caller & { email: string };
  lab: ProviderFixture;
  booking: BookingBody;
}

type Stage =
  | 'REQUESTED'
  | 'CONFIRMED'
  | 'SAMPLE_RECEIVED'
  | 'REPORTED'
  | 'DISPUTED'
  | 'ACCEPTED, co-payment due'
  | 'ACCEPTED, claim under review'
  | 'ACCEPTED, claim approved';

const act = async (token: string, bookingId: string, action: string, body: object = {}) => {
  const res = await api.call<BookingBody>('POST', `/api/v1/bookings/${bookingId}/${action}`, { token, body });
  expect(res.status, `${action}: ${res.text}`).toBe(200);
  return res.body;
};

const bookingOf = async (id: string) =>
  (await api.call<BookingBody>('GET', `/api/v1/bookings/${id}`, { token: admin.token })).body;

async function claimStatusOf(bookingId: string): Promise<string | null> {
  const claim = await api.db.claim.findUnique({ where: { bookingId }, select: { status: true } });
  return claim?.status ?? null;
}

/** A booking brought to `stage` through the API, under a programme of its own whose deadlines lie far off. */
async function bookingAt(stage: Stage): Promise<Journey> {
  const programme = await givenProgramme(api, admin, {
    budgetFen: BUDGET,
    policy: {
      voucherValidity: '30d',
      providerConfirmWithin: '1h',
      reportGrace: '1h',
      acceptanceWithin: '1h',
      dayLength: '1h',
      payoutSchedule: '24h',
      // claims wait for an administrator unless the journey wants one approved by itself
      autoApproveClaimsBelowFen: stage === 'ACCEPTED, claim approved' ? 200_000 : 1,
    },
  });
  const sme = await givenSme(api);
  const { applicationId, voucherId } = await givenApprovedVoucher(api, admin, sme, programme.id, FACE_VALUE);
  const lab = await givenListedProvider(api, {
    services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: UNIT_PRICE }],
  });
  const booked = await api.call<BookingBody>('POST', '/api/v1/bookings', {
    token: sme.token,
    body: { voucherId, providerId: lab.providerId, demand: DEMAND },
  });
  expect(booked.status, booked.text).toBe(201);
  const id = booked.body.id;
  const steps: [string, string, () => Promise<BookingBody>][] = [
    ['CONFIRMED', 'confirm', () => act(lab.token, id, 'confirm', { quotedPriceFen: UNIT_PRICE * 3 })],
    ['SAMPLE_RECEIVED', 'sample-received', () => act(lab.token, id, 'sample-received')],
    [
      'REPORTED',
      'report',
      () =>
        act(lab.token, id, 'report', {
          conclusion: 'PASS',
          fileName: 'report.pdf',
          contentBase64: pdfReport(`report ${id}`),
        }),
    ],
  ];
  let booking = booked.body;
  for (const [reached, , step] of steps) {
    if (stage === 'REQUESTED') break;
    booking = await step();
    if (stage === reached) break;
  }
  if (stage === 'DISPUTED') booking = await act(sme.token, id, 'dispute', { reason: '试验等级与委托不符' });
  if (stage.startsWith('ACCEPTED')) {
    booking = await act(sme.token, id, 'accept');
    if (stage !== 'ACCEPTED, co-payment due') {
      await act(sme.token, id, 'copayment', {
        reference: `ICBC-${id.slice(0, 8)}`,
        paidAt: new Date().toISOString(),
      });
      const awaited = stage === 'ACCEPTED, claim approved' ? 'APPROVED' : 'PENDING_REVIEW';
      await until(`the claim ${awaited}`, async () => (await claimStatusOf(id)) === awaited);
    }
  }
  return {
    programmeId: programme.id,
    applicationId,
    voucherId,
    sme,
    lab,
    booking: await bookingOf(booking.id),
  };
}

const mailIds = async (address: string) => new Set((await worker.mail.to(address)).map((m) => m.id));

/** A mail to `address`, not among `before`, that names the booking. */
function newMailAbout(address: string, before: Set<string>, bookingId: string): Promise<CaughtMail[]> {
  return worker.mail.waitFor(
    (m) =>
      m.to.includes(address.toLowerCase()) &&
      !before.has(m.id) &&
      (m.text.includes(bookingId) || m.html.includes(bookingId)),
    { timeoutMs: 20_000 },
  );
}

/** The administrator revokes the voucher; an answer that takes longer than 20 s is a failure, not a wait. */
async function revoke(j: Journey) {
  const path = `/api/v1/vouchers/${j.voucherId}/revoke`;
  const res = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: '企业提交虚假材料' }),
    signal: AbortSignal.timeout(20_000),
  }).catch((error: unknown) => {
    throw new Error(`POST ${path} gave no answer within 20 s`, { cause: error });
  });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect((JSON.parse(text) as { status: string }).status).toBe('REVOKED');
}

/** The booking once its process has taken in the revocation, or as it is after `timeoutMs`. */
async function afterRevocation(
  j: Journey,
  done: (b: BookingBody) => boolean,
  timeoutMs = 20_000,
): Promise<BookingBody> {
  return until(
    'the booking to take in the revocation',
    async () => {
      const b = await bookingOf(j.booking.id);
      return done(b) ? b : null;
    },
    timeoutMs,
  ).catch(() => bookingOf(j.booking.id));
}

/** No process of the journey failed, and none has a step retrying. */
async function expectNoProcessFailed(j: Journey): Promise<void> {
  const ids = [`voucher-application/${j.applicationId}`, `booking/${j.booking.id}`];
  if (await claimStatusOf(j.booking.id)) ids.push(`settlement/${j.booking.id}`);
  const problems: string[] = [];
  for (const id of ids) {
    const description = await worker.client.workflow.getHandle(id).describe();
    if (['FAILED', 'TERMINATED', 'TIMED_OUT'].includes(description.status.name)) {
      const reason = await worker.client.workflow
        .getHandle(id)
        .result()
        .then(
          () => '',
          (error: unknown) =>
            error instanceof Error ? `${error.message} ← ${String(error.cause)}` : String(error),
        );
      problems.push(`${id} ${description.status.name}: ${reason}`);
    }
    for (const a of description.raw.pendingActivities ?? []) {
      if ((a.attempt ?? 1) > 1)
        problems.push(`${id}: ${a.activityType?.name} at attempt ${a.attempt}: ${a.lastFailure?.message}`);
    }
  }
  expect(problems).toEqual([]);
}

const STOPPED: Stage[] = [
  'REQUESTED',
  'CONFIRMED',
  'SAMPLE_RECEIVED',
  'REPORTED',
  'DISPUTED',
  'ACCEPTED, co-payment due',
  'ACCEPTED, claim under review',
];

describe('revoking a voucher', () => {
  it.each(STOPPED)(
    'stops its booking when it is %s: cancelled for the revocation, money back to the programme, lab and SME told',
    async (stage) => {
      const j = await bookingAt(stage);
      const labMail = await mailIds(j.lab.email);
      const smeMail = await mailIds(j.sme.email);

      await revoke(j);
      const booking = await afterRevocation(j, (b) => b.status === 'CANCELLED');

      expect({ status: booking.status, reason: booking.statusReason?.startsWith('voucher revoked') }).toEqual(
        {
          status: 'CANCELLED',
          reason: true,
        },
      );
      expect(['APPROVED', 'PAID']).not.toContain(await claimStatusOf(j.booking.id));
      // the subsidy and the voucher's unused value are all back in the programme's budget
      expect(await expectLedgerBalanced(api, j.programmeId)).toEqual({
        AVAILABLE: BUDGET,
        RESERVED: 0,
        COMMITTED: 0,
        PAYABLE: 0,
        PAID: 0,
      });
      await newMailAbout(j.lab.email, labMail, j.booking.id);
      await newMailAbout(j.sme.email, smeMail, j.booking.id);
      await expectNoProcessFailed(j);
    },
    120_000,
  );

  it('leaves an approved claim standing, releases the rest, and lists the claim in the revocation’s audit entry', async () => {
    const j = await bookingAt('ACCEPTED, claim approved');
    const claim = await api.db.claim.findUniqueOrThrow({ where: { bookingId: j.booking.id } });

    await revoke(j);
    // the voucher's process takes in the revocation before the booking would show any change
    await until('the voucher revoked', async () => {
      const v = await api.db.voucher.findUniqueOrThrow({ where: { id: j.voucherId } });
      return v.status === 'REVOKED';
    });
    const booking = await afterRevocation(j, () => false, 5_000);

    expect({ status: booking.status, claim: await claimStatusOf(j.booking.id) }).toEqual({
      status: 'ACCEPTED',
      claim: 'APPROVED',
    });
    expect(await expectLedgerBalanced(api, j.programmeId)).toEqual({
      AVAILABLE: BUDGET - SUBSIDY,
      RESERVED: 0,
      COMMITTED: 0,
      PAYABLE: SUBSIDY,
      PAID: 0,
    });
    const entry = await api.db.auditEntry.findFirst({
      where: { action: 'VOUCHER_REVOKED', entityId: j.voucherId },
    });
    expect(JSON.stringify(entry?.after ?? null)).toContain(claim.id);
    await expectNoProcessFailed(j);
  });
});
