import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { hashPassword, linkToken } from '../api/http/auth';
import type { ApiDeps } from '../api/deps';
import type { Db } from '../db/client';
import { addDays, localDate } from '../domain/calendar';
import { withCheckCharacter } from '../domain/credit-code';
import { bookingWorkflowId } from '../domain/booking';
import type { Role } from '../domain/identity';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const creditCode = (prefix: string, division: string) =>
  withCheckCharacter(
    `${prefix}${division}${Array.from({ length: 9 }, () => ALPHABET[Math.floor(Math.random() * 31)]).join('')}`,
  );

const PASSWORD = 'bench-password-0123456789';
export const STANDARDS = ['GB/T 2423.1'];

async function givenUser(deps: ApiDeps, role: Role, providerId: string | null, passwordHash: string) {
  const user = await deps.repos.users.create({
    id: randomUUID(),
    email: `${role.toLowerCase()}-${randomUUID()}@bench.vouchers.test`,
    passwordHash,
    role,
    displayName: `bench ${role}`,
    locale: 'zh-CN',
    enterpriseId: null,
    providerId,
    // made here as the seed makes them, not registered: nothing to confirm
    emailVerifiedAt: new Date(),
  });
  return (await deps.tokens.issue({ ...user!, tokenVersion: 0 })).token;
}

export interface Setup {
  apiUrl: string;
  adminToken: string;
  programmeId: string;
  providers: { providerId: string; token: string }[];
  /** the new user follows the link that confirms their address */
  confirmEmail: (email: string) => Promise<void>;
}

/**
 * A confirmation link for the user, made as registration makes one, taken over HTTP as its owner's click
 * would: the bench's mail relay keeps no mail to read the mailed link from.
 */
function confirmingEmails(deps: ApiDeps, apiUrl: string) {
  return async (email: string): Promise<void> => {
    const user = await deps.repos.users.findCredentials(email);
    if (!user) throw new Error(`no account has the e-mail ${email}`);
    const { token, hash } = linkToken();
    await deps.repos.accounts.createLink({
      id: randomUUID(),
      purpose: 'EMAIL_VERIFICATION',
      tokenHash: hash,
      userId: user.id,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    await call(apiUrl, 'POST', '/auth/verify-email', null, 204, { token });
  };
}

/**
 * The scene of the journeys, set directly in the database: listed labs with enough capacity for
 * every journey, and an administrator. The programme is created through the API (its process).
 */
export async function prepare(deps: ApiDeps, db: Db, apiUrl: string, journeys: number): Promise<Setup> {
  const passwordHash = await hashPassword(PASSWORD);
  const adminToken = await givenUser(deps, 'ADMIN', null, passwordHash);
  const labs = Math.max(4, Math.ceil(journeys / 40));
  const providers: Setup['providers'] = [];
  for (let i = 0; i < labs; i += 1) {
    const providerId = randomUUID();
    await db.$transaction(async (tx) => {
      await tx.provider.create({
        data: {
          id: providerId,
          creditCode: creditCode('12', '310112'),
          name: `上海环境试验检测中心 ${i + 1}`,
          kind: 'LAB',
          regionCode: '310112',
          legalRepresentative: '周明',
          phone: '021-54321000',
          address: `上海市闵行区检测园路 ${i + 1} 号`,
          status: 'LISTED',
        },
      });
      await tx.accreditation.create({
        data: {
          id: randomUUID(),
          providerId,
          kind: 'CNAS',
          number: `CNAS L${10_000 + i}`,
          scope: STANDARDS,
          expiresOn: new Date('2030-12-31T00:00:00Z'),
          expiresAt: new Date('2030-12-31T16:00:00Z'),
        },
      });
      await tx.service.create({
        data: {
          id: randomUUID(),
          providerId,
          name: '高温试验',
          category: 'TESTING',
          standards: STANDARDS,
          unitPriceFen: 120_000n,
          turnaroundDays: 3,
          dailyCapacity: 1_000,
          inScope: true,
        },
      });
    });
    providers.push({ providerId, token: await givenUser(deps, 'PROVIDER', providerId, passwordHash) });
  }
  const programme = await call<{ id: string }>(apiUrl, 'POST', '/programs', adminToken, 201, {
    name: '上海市中小企业检测券（基准测试）',
    authority: '上海市经济和信息化委员会',
    year: Number(localDate(new Date()).slice(0, 4)),
    regionCode: '310000',
    budgetFen: journeys * 1_000_000 + 100_000_000,
    policy: { payoutSchedule: '24h' },
  });
  return {
    apiUrl,
    adminToken,
    programmeId: programme.id,
    providers,
    confirmEmail: confirmingEmails(deps, apiUrl),
  };
}

/** One HTTP request of a journey as it was answered: what a latency benchmark records. */
export interface RequestTiming {
  method: string;
  path: string;
  status: number;
  ms: number;
  /** the API's own account of its time (its `Server-Timing` header), ms per phase */
  server: Record<string, number>;
}

/** `auth;dur=1.2, app;dur=40.3` → { auth: 1.2, app: 40.3 } */
export function serverTimingOf(header: string | null): Record<string, number> {
  const phases: Record<string, number> = {};
  for (const entry of header?.split(',') ?? []) {
    const [name, ...params] = entry.trim().split(';');
    const duration = params.find((p) => p.trim().startsWith('dur='));
    if (name && duration) phases[name] = Number(duration.trim().slice(4));
  }
  return phases;
}

let observer: ((timing: RequestTiming) => void) | null = null;

/** Every later request of the driver is reported to `observe` (null: to nobody). */
export function observeRequests(observe: ((timing: RequestTiming) => void) | null): void {
  observer = observe;
}

export async function call<T>(
  apiUrl: string,
  method: string,
  path: string,
  token: string | null,
  expect: number,
  body?: unknown,
): Promise<T> {
  const started = performance.now();
  const res = await fetch(`${apiUrl}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  observer?.({
    method,
    path,
    status: res.status,
    ms: performance.now() - started,
    server: serverTimingOf(res.headers.get('server-timing')),
  });
  if (res.status !== expect) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A one-page PDF report naming the booking, with the cross-reference table a reader checks. */
function reportPdf(bookingId: string): string {
  const text = `BT /F1 12 Tf 72 770 Td (report ${bookingId}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(out.length);
    out += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1').toString('base64');
}

/**
 * One SME's journey through the API, as its people would make it: registration, application,
 * approval, booking, confirmation, samples, report, acceptance, co-payment. It ends when the
 * booking's process has finished: the claim created and approved automatically.
 */
export async function businessJourney(
  setup: Setup,
  client: Client,
  i: number,
  /** waited after each answer before the next click (a person reading it, or another party acting later) */
  thinkMs = 0,
): Promise<{ bookingId: string }> {
  const api = async <T>(
    method: string,
    path: string,
    token: string | null,
    expect: number,
    body?: unknown,
  ) => {
    const answer = await call<T>(setup.apiUrl, method, path, token, expect, body);
    if (thinkMs > 0) await sleep(thinkMs);
    return answer;
  };
  const email = `sme-${randomUUID()}@bench.vouchers.test`;
  await api('POST', '/auth/register', null, 201, {
    email,
    password: PASSWORD,
    displayName: `企业联系人 ${i}`,
    role: 'SME',
  });
  await setup.confirmEmail(email);
  const { token } = await api<{ token: string }>('POST', '/auth/login', null, 200, {
    email,
    password: PASSWORD,
  });
  await api('POST', '/enterprises', token, 201, {
    creditCode: creditCode('91', '310115'),
    name: `上海基准电子有限公司 ${i}`,
    regionCode: '310115',
    industryCode: 'C3989',
    employees: 50,
    annualRevenueFen: 2_000_000_000,
    legalRepresentative: '陈立',
    contactPhone: '13812345678',
    address: `上海市浦东新区张江路 ${i} 号`,
  });
  const demand = {
    standards: STANDARDS,
    sampleCount: 1,
    latestCompletionDate: addDays(localDate(new Date()), 60),
  };
  const application = await api<{ id: string }>('POST', '/applications', token, 201, {
    programmeId: setup.programmeId,
    requestedAmountFen: 1_000_000,
    purpose: '型式试验',
    demand,
  });
  const { voucherId } = await api<{ voucherId: string }>(
    'POST',
    `/applications/${application.id}/decision`,
    setup.adminToken,
    200,
    { decision: 'APPROVE' },
  );
  const lab = setup.providers[i % setup.providers.length]!;
  const booking = await api<{ id: string }>('POST', '/bookings', token, 201, {
    voucherId,
    providerId: lab.providerId,
    demand,
  });
  const act = (who: string, action: string, body: object = {}) =>
    api('POST', `/bookings/${booking.id}/${action}`, who, 200, body);
  await act(lab.token, 'confirm', { quotedPriceFen: 120_000 });
  await act(lab.token, 'sample-received');
  await act(lab.token, 'report', {
    conclusion: 'PASS',
    fileName: 'report.pdf',
    contentBase64: reportPdf(booking.id),
  });
  await act(token, 'accept');
  await act(token, 'copayment', {
    reference: `ICBC-${booking.id.slice(0, 8)}`,
    paidAt: new Date().toISOString(),
  });
  await client.workflow.getHandle(bookingWorkflowId(booking.id)).result();
  return { bookingId: booking.id };
}

/** The journey did what it should: its claim was approved without a person. */
export async function claimApproved(setup: Setup, bookingId: string): Promise<boolean> {
  const booking = await call<{ claimId: string | null }>(
    setup.apiUrl,
    'GET',
    `/bookings/${bookingId}`,
    setup.adminToken,
    200,
  );
  if (!booking.claimId) return false;
  const claim = await call<{ status: string; autoApproved: boolean }>(
    setup.apiUrl,
    'GET',
    `/claims/${booking.claimId}`,
    setup.adminToken,
    200,
  );
  return claim.status === 'APPROVED' && claim.autoApproved;
}
