/**
 * `npm run demo`: one voucher's whole journey against the running service (`npm start`), through
 * its HTTP API only — programme, provider onboarding, SME, application, approval, matching,
 * booking, testing, report, acceptance, co-payment, claim, payout — printing each step.
 * DEMO_API_URL names the service (default http://127.0.0.1:3000). Every run creates its own users,
 * so the demo can run again and again.
 */
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { addDays, localDate } from '../domain/calendar';
import { withCheckCharacter } from '../domain/credit-code';
import { ACCOUNTS, type Account } from '../domain/ledger';
import { apiClient, cny, pdf, waitFor, type ApiCall } from './lib/demo-http';
import { DEMO_USERS } from './seed';

interface Session {
  token: string;
}
interface Booking {
  id: string;
  status: string;
  quotedPriceFen: number;
  subsidyFen: number;
  copaymentFen: number;
  claimId: string | null;
  reportDueAt: string | null;
  report: { sha256: string; conclusion: string; late: boolean } | null;
  workflowUrl: string;
  timeline: { action: string }[];
}
interface Claim {
  id: string;
  status: string;
  amountFen: number;
  autoApproved: boolean;
  riskFlags: { code: string }[];
  transfer: { reference: string | null } | null;
  workflowUrl: string;
}
interface Ledger {
  accounts: Record<Account, number>;
  totalFen: number;
  balanced: boolean;
}

export interface DemoResult {
  programmeId: string;
  providerId: string;
  enterpriseId: string;
  applicationId: string;
  voucherCode: string;
  bookingId: string;
  claimId: string;
  quotedPriceFen: number;
  subsidyFen: number;
  copaymentFen: number;
  transferReference: string;
  ledger: Ledger;
  bookingTimeline: string[];
}

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** A valid unified social credit code: `91` a company, `12` a public institution; random serial. */
function creditCode(prefix: '91' | '12', division: string): string {
  const serial = Array.from({ length: 9 }, () => ALPHABET[Math.floor(Math.random() * ALPHABET.length)]);
  return withCheckCharacter(`${prefix}${division}${serial.join('')}`);
}

const PASSWORD = 'demo-password-of-this-run';
// the standards the lab tests to and the SME needs: climatic tests of an electronic product
const STANDARDS = ['GB/T 2423.1', 'GB/T 2423.2'];

/** The local mail catcher's page (and REST API), where the demo's mail can be read. */
export function demoMailUrl(): string {
  return process.env.DEMO_MAIL_URL ?? `http://127.0.0.1:${process.env.LOCAL_MAIL_UI_PORT ?? '1080'}`;
}

/**
 * Confirms the new user's address as its owner does: the link in the mail registration sent, read from
 * the local mail catcher, followed. An organisation's first application or catalog waits for it.
 */
async function confirmEmail(call: ApiCall, mailUrl: string, email: string): Promise<void> {
  const link = /\/verify-email\?token=([A-Za-z0-9_%-]+)/;
  const token = await waitFor(
    `the confirmation mail to ${email} in the mail catcher at ${mailUrl} (DEMO_MAIL_URL)`,
    async () => {
      const res = await fetch(`${mailUrl}/api/email`).catch(() => null);
      if (!res?.ok) return null;
      const mails = (await res.json()) as { to?: { address: string }[]; text?: string }[];
      const mail = mails.find(
        (m) => m.to?.some((to) => to.address.toLowerCase() === email) && link.test(m.text ?? ''),
      );
      return mail ? decodeURIComponent(link.exec(mail.text!)![1]!) : null;
    },
  );
  await call('POST', '/auth/verify-email', { body: { token }, expect: 204 });
}

async function register(
  call: ApiCall,
  mailUrl: string,
  role: 'SME' | 'PROVIDER',
  email: string,
  displayName: string,
) {
  await call('POST', '/auth/register', {
    body: { email, password: PASSWORD, displayName, role, locale: 'zh-CN' },
    expect: 201,
  });
  await confirmEmail(call, mailUrl, email);
  return call<Session>('POST', '/auth/login', { body: { email, password: PASSWORD } });
}

export async function runDemo(
  baseUrl: string,
  log: (line: string) => void,
  options: { mailUrl?: string } = {},
): Promise<DemoResult> {
  const call = apiClient(baseUrl);
  const mailUrl = options.mailUrl ?? demoMailUrl();
  const run = randomUUID().slice(0, 6);
  const today = localDate(new Date());
  let step = 0;
  const say = (what: string, line: string) =>
    log(`${String((step += 1)).padStart(2)}. ${what.padEnd(12)} ${line}`);

  // the administrator: the seed's demo user
  const adminUser = DEMO_USERS.find((u) => u.role === 'ADMIN')!;
  const admin = await call<Session>('POST', '/auth/login', {
    body: {
      email: process.env.DEMO_ADMIN_EMAIL ?? adminUser.email,
      password: process.env.DEMO_ADMIN_PASSWORD ?? adminUser.password,
    },
  });

  const programme = await call<{ id: string; name: string; budgetFen: number }>('POST', '/programs', {
    token: admin.token,
    expect: 201,
    body: {
      name: `上海市中小企业检测券（演示 ${run}）`,
      authority: '上海市经济和信息化委员会',
      year: Number(today.slice(0, 4)),
      regionCode: '310000',
      budgetFen: 500_000_000,
      // a "day" of turnaround lasts a second, and the payout runs when asked rather than daily
      policy: {
        dayLength: '1s',
        providerConfirmWithin: '10m',
        reportGrace: '10m',
        acceptanceWithin: '10m',
        voucherValidity: '90d',
        payoutSchedule: '24h',
      },
    },
  });
  say(
    'programme',
    `${programme.name} created with a budget of ${cny(programme.budgetFen)} (id ${programme.id})`,
  );

  // provider onboarding: a lab registers with its accreditations; an administrator verifies them
  const lab = await register(
    call,
    mailUrl,
    'PROVIDER',
    `lab-${run}@demo.vouchers.cn`,
    `检测中心业务员 ${run}`,
  );
  const inTwoYears = addDays(today, 730);
  const registered = await call<{
    id: string;
    name: string;
    creditCode: string;
    status: string;
    workflowUrl: string;
  }>('POST', '/providers', {
    token: lab.token,
    expect: 201,
    body: {
      creditCode: creditCode('12', '310104'),
      name: `上海徐汇环境可靠性检测中心（演示 ${run}）`,
      kind: 'LAB',
      regionCode: '310104',
      legalRepresentative: '周敏',
      phone: '021-64871234',
      address: '上海市徐汇区宜山路 900 号',
      accreditations: [
        {
          kind: 'CNAS',
          number: `CNAS L${10_000 + Math.floor(Math.random() * 89_999)}`,
          scope: STANDARDS,
          expiresOn: inTwoYears,
        },
        {
          kind: 'CMA',
          number: `2023${String(Date.now()).slice(-8)}`,
          scope: STANDARDS,
          expiresOn: inTwoYears,
        },
      ],
    },
  });
  say(
    'provider',
    `${registered.name} registered (credit code ${registered.creditCode}): ${registered.status}`,
  );
  const listed = await call<{ status: string }>('POST', `/providers/${registered.id}/verification`, {
    token: admin.token,
    body: { decision: 'APPROVE' },
  });
  await call('PUT', `/providers/${registered.id}/services`, {
    token: lab.token,
    body: {
      services: [
        {
          name: '高低温环境试验',
          category: 'TESTING',
          standards: STANDARDS,
          unitPriceFen: 150_000,
          turnaroundDays: 2,
          dailyCapacity: 10,
          inScope: true,
        },
      ],
    },
  });
  say(
    'provider',
    `verified by the administrator: ${listed.status}; catalog: 高低温环境试验 at ${cny(150_000)} a sample`,
  );

  // the SME registers its enterprise and applies
  const sme = await register(call, mailUrl, 'SME', `sme-${run}@demo.vouchers.cn`, `企业联系人 ${run}`);
  const enterprise = await call<{ id: string; name: string; creditCode: string }>('POST', '/enterprises', {
    token: sme.token,
    expect: 201,
    body: {
      creditCode: creditCode('91', '310115'),
      name: `上海浦东智控电子有限公司（演示 ${run}）`,
      regionCode: '310115',
      industryCode: 'C3989',
      employees: 86,
      annualRevenueFen: 4_800_000_000,
      legalRepresentative: '陈立',
      contactPhone: '13812345678',
      address: '上海市浦东新区张江路 88 号',
      tags: ['SPECIALIZED_INNOVATIVE'],
    },
  });
  say('SME', `${enterprise.name} registered (credit code ${enterprise.creditCode})`);

  const demand = {
    standards: STANDARDS,
    category: 'TESTING',
    sampleCount: 2,
    latestCompletionDate: addDays(today, 60),
    description: '工业控制器高低温环境试验',
  };
  const application = await call<{ id: string; status: string; workflowUrl: string }>(
    'POST',
    '/applications',
    {
      token: sme.token,
      expect: 201,
      body: {
        programmeId: programme.id,
        requestedAmountFen: 1_000_000,
        purpose: '新产品上市前的环境可靠性试验',
        demand,
      },
    },
  );
  say('application', `submitted for ${cny(1_000_000)}: ${application.status} (id ${application.id})`);
  const approved = await call<{ voucherId: string }>('POST', `/applications/${application.id}/decision`, {
    token: admin.token,
    body: { decision: 'APPROVE', note: '符合专项行动支持方向' },
  });
  const voucher = await call<{ id: string; code: string; faceValueFen: number; validUntil: string }>(
    'GET',
    `/vouchers/${approved.voucherId}`,
    { token: sme.token },
  );
  say(
    'voucher',
    `${voucher.code} issued: ${cny(voucher.faceValueFen)}, valid until ${voucher.validUntil.slice(0, 10)}`,
  );

  // matching: the SME sees ranked candidates and books the new lab
  const matches = await call<{
    totalCandidates: number;
    candidates: {
      rank: number;
      providerId: string;
      providerName: string;
      score: number;
      quotedPriceFen: number;
    }[];
  }>('POST', `/vouchers/${voucher.id}/matches?limit=100`, { token: sme.token, body: demand });
  const ours = matches.candidates.find((c) => c.providerId === registered.id);
  const top = matches.candidates
    .slice(0, 3)
    .map((c) => `#${c.rank} ${c.providerName} (score ${c.score}, ${cny(c.quotedPriceFen)})`)
    .join('; ');
  say(
    'matching',
    `${matches.totalCandidates} candidates: ${top}; ${ours ? `the new lab ranks #${ours.rank}` : 'the new lab is not among the first 100'}`,
  );

  const booked = await call<Booking>('POST', '/bookings', {
    token: sme.token,
    expect: 201,
    body: { voucherId: voucher.id, providerId: registered.id, demand },
  });
  say(
    'booking',
    `requested: 2 samples for ${cny(booked.quotedPriceFen)}, subsidy ${cny(booked.subsidyFen)}, co-payment ${cny(booked.copaymentFen)} (id ${booked.id})`,
  );
  const act = (token: string, action: string, body: object = {}) =>
    call<Booking>('POST', `/bookings/${booked.id}/${action}`, { token, body });

  const confirmed = await act(lab.token, 'confirm', { quotedPriceFen: 280_000 });
  say(
    'booking',
    `confirmed by the lab at ${cny(confirmed.quotedPriceFen)}: subsidy ${cny(confirmed.subsidyFen)}, co-payment ${cny(confirmed.copaymentFen)}`,
  );
  const received = await act(lab.token, 'sample-received');
  say('booking', `samples received; report due ${received.reportDueAt} (a demo "day" lasts a second)`);
  const report = pdf(`Test report ${booked.id}: GB/T 2423.1, GB/T 2423.2 - PASS`);
  const reported = await act(lab.token, 'report', {
    conclusion: 'PASS',
    fileName: `report-${run}.pdf`,
    contentBase64: report.toString('base64'),
  });
  say(
    'report',
    `uploaded: ${report.length}-byte PDF, SHA-256 ${createHash('sha256').update(report).digest('hex').slice(0, 16)}…, ${reported.report?.conclusion}, ${reported.report?.late ? 'late' : 'on time'}`,
  );
  await act(sme.token, 'accept');
  say('report', 'accepted by the SME');
  const reference = `ICBC-${today.replaceAll('-', '')}-${run}`;
  await act(sme.token, 'copayment', { reference, paidAt: new Date().toISOString() });
  say('co-payment', `${cny(confirmed.copaymentFen)} paid by the SME to the lab, reference ${reference}`);

  // settlement: the claim is created and, small and clean, approved without a person
  const claim = await waitFor('the claim to be approved', async () => {
    const b = await call<Booking>('GET', `/bookings/${booked.id}`, { token: admin.token });
    if (!b.claimId) return null;
    const c = await call<Claim>('GET', `/claims/${b.claimId}`, { token: admin.token });
    if (c.riskFlags.length) {
      throw new Error(`claim ${c.id} was flagged for review: ${c.riskFlags.map((f) => f.code).join(', ')}`);
    }
    return c.status === 'APPROVED' ? c : null;
  });
  say(
    'claim',
    `${claim.id}: ${cny(claim.amountFen)} ${claim.autoApproved ? 'approved automatically' : 'approved'}`,
  );

  // four eyes: one administrator proposes the run, a second approves it (docs/policy.md)
  const proposal = await call<{ id: string }>('POST', `/programs/${programme.id}/payout-runs`, {
    token: admin.token,
    expect: 202,
  });
  const reviewerUser = DEMO_USERS.filter((u) => u.role === 'ADMIN')[1]!;
  const reviewer = await call<Session>('POST', '/auth/login', {
    body: {
      email: process.env.DEMO_REVIEWER_EMAIL ?? reviewerUser.email,
      password: process.env.DEMO_REVIEWER_PASSWORD ?? reviewerUser.password,
    },
  });
  await call('POST', `/approvals/${proposal.id}/decision`, {
    token: reviewer.token,
    body: { decision: 'APPROVE' },
  });
  say('four eyes', `payout run proposed by the administrator, approved by a second one`);
  const paid = await waitFor('the payout to pay the claim', async () => {
    const c = await call<Claim>('GET', `/claims/${claim.id}`, { token: admin.token });
    return c.status === 'PAID' ? c : null;
  });
  say(
    'payout',
    `claim PAID: ${cny(paid.amountFen)} to ${registered.name}, transfer ${paid.transfer?.reference}`,
  );

  const settled = await call<Booking>('GET', `/bookings/${booked.id}`, { token: admin.token });
  const bookingTimeline = settled.timeline.map((t) => t.action);
  say('audit', `booking ${settled.status}: ${bookingTimeline.join(' → ')}`);
  const { ledger } = await call<{ ledger: Ledger }>('GET', `/programs/${programme.id}`, {
    token: admin.token,
  });
  say(
    'ledger',
    `${ACCOUNTS.map((a) => `${a} ${cny(ledger.accounts[a])}`).join(', ')}; total ${cny(ledger.totalFen)}, ${ledger.balanced ? 'balanced' : 'NOT BALANCED'}`,
  );

  log('where to look:');
  log(`  mail sent to the SME, the lab and administrators: ${mailUrl} (the catcher \`npm start\` runs)`);
  log(`  application and voucher process: ${application.workflowUrl}`);
  log(`  booking process:                 ${settled.workflowUrl}`);
  log(`  settlement (claim) process:      ${paid.workflowUrl}`);
  log(
    `  the whole audit trail:           ${baseUrl}/api/v1/audit?entityId=${booked.id} (as admin or auditor)`,
  );

  return {
    programmeId: programme.id,
    providerId: registered.id,
    enterpriseId: enterprise.id,
    applicationId: application.id,
    voucherCode: voucher.code,
    bookingId: booked.id,
    claimId: claim.id,
    quotedPriceFen: confirmed.quotedPriceFen,
    subsidyFen: confirmed.subsidyFen,
    copaymentFen: confirmed.copaymentFen,
    transferReference: paid.transfer?.reference ?? '',
    ledger,
    bookingTimeline,
  };
}

if (path.resolve(process.argv[1] ?? '') === import.meta.filename) {
  const baseUrl = process.env.DEMO_API_URL ?? 'http://127.0.0.1:3000';
  console.log(`voucher journey against ${baseUrl}`);
  const started = Date.now();
  runDemo(baseUrl, (line) => console.log(line)).then(
    () => console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`),
    (error: unknown) => {
      console.error(`demo stopped: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
