import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../api/http/problem';
import { startTestApi, type TestApi } from './support/api';
import { recordHistory } from './support/histories';
import {
  apply,
  decide,
  expectLedgerBalanced,
  givenAdmin,
  givenApplication,
  givenApprovedVoucher,
  givenProgramme,
  givenSme,
  until,
  type ApplicationBody,
  type Caller,
} from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;
let admin: Caller & { email: string };

interface VoucherBody {
  id: string;
  code: string;
  status: string;
  balanceFen: number;
  faceValueFen: number;
  releasedFen: number;
  validUntil: string;
  workflowUrl: string;
  timeline: { action: string }[];
}

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

const mailsTo = (email: string) => worker.mail.to(email);
const subjects = async (email: string) => (await mailsTo(email)).map((m) => m.subject);

describe('application → approval → voucher → expiry', () => {
  it('issues a voucher on approval, warns before expiry, and gives the unused balance back at expiry', async () => {
    const programme = await givenProgramme(api, admin, {
      budgetFen: 50_000_000,
      policy: { voucherValidity: '8s', expiryWarnings: ['6s', '3s'] },
    });
    const sme = await givenSme(api);

    const submitted = await apply(api, sme, programme.id, 1_500_000);
    expect(submitted.status, submitted.text).toBe(201);
    expect(submitted.body.status).toBe('UNDER_REVIEW');
    await worker.mail.waitFor((m) => m.to.includes(sme.email) && m.subject.includes('申请已受理'));
    await worker.mail.waitFor((m) => m.to.includes(admin.email) && m.subject.includes('【待审核】'));

    const approved = await decide(api, admin, submitted.body.id, {
      decision: 'APPROVE',
      amountFen: 1_200_000,
      note: '按核定金额批准',
    });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.status).toBe('APPROVED');
    const voucherId = approved.body.voucherId!;

    const voucher = await api.call<VoucherBody>('GET', `/api/v1/vouchers/${voucherId}`, { token: sme.token });
    expect(voucher.body).toMatchObject({ status: 'ACTIVE', faceValueFen: 1_200_000, balanceFen: 1_200_000 });
    expect(voucher.body.code).toMatch(/^TV\d{4}-[2-9A-Z]{5}-[2-9A-Z]{5}$/);
    expect(voucher.body.workflowUrl).toContain(
      encodeURIComponent(`voucher-application/${submitted.body.id}`),
    );
    expect(await expectLedgerBalanced(api, programme.id)).toMatchObject({
      AVAILABLE: 48_800_000,
      RESERVED: 1_200_000,
    });

    const [issuedMail] = await worker.mail.waitFor(
      (m) => m.to.includes(sme.email) && m.subject.includes(voucher.body.code),
    );
    expect(issuedMail!.text).toContain('12,000.00 元');
    expect(issuedMail!.html).toContain(`/api/v1/vouchers/${voucherId}`);

    // two warnings, then expiry hands the whole unused face value back
    await worker.mail.waitFor((m) => m.to.includes(sme.email) && m.subject.includes('到期提醒'), {
      count: 2,
      timeoutMs: 20_000,
    });
    const expired = await until('expiry', async () => {
      const res = await api.call<VoucherBody>('GET', `/api/v1/vouchers/${voucherId}`, { token: sme.token });
      return res.body.status === 'EXPIRED' ? res.body : null;
    });
    expect(expired).toMatchObject({ balanceFen: 0, releasedFen: 1_200_000 });
    expect(expired.timeline.map((t) => t.action)).toEqual([
      'APPLICATION_SUBMITTED',
      'APPLICATION_UNDER_REVIEW',
      'APPLICATION_APPROVED',
      'VOUCHER_ISSUED',
      'EXPIRY_WARNING_SENT',
      'EXPIRY_WARNING_SENT',
      'VOUCHER_EXPIRED',
    ]);
    await worker.mail.waitFor((m) => m.to.includes(sme.email) && m.subject.includes('已到期'));
    expect(await expectLedgerBalanced(api, programme.id)).toMatchObject({
      AVAILABLE: 50_000_000,
      RESERVED: 0,
    });
    const entries = await api.deps.repos.ledger.entries(programme.id, { voucherId });
    expect(entries.map((e) => [e.movement, e.amountFen])).toEqual([
      ['RESERVE', 1_200_000],
      ['RELEASE', 1_200_000],
    ]);
    await recordHistory(worker.client, `voucher-application/${submitted.body.id}`, 'approved-warned-expired');
  });
});

describe('review decisions', () => {
  it('rejects with the reason, e-mailed to the applicant; no money moves', async () => {
    const programme = await givenProgramme(api, admin);
    const sme = await givenSme(api);
    const application = await givenApplication(api, sme, programme.id);

    const rejected = await decide(api, admin, application.id, {
      decision: 'REJECT',
      reason: '测试项目不属于本项目支持范围',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'REJECTED', voucherId: null });
    const [mail] = await worker.mail.waitFor(
      (m) => m.to.includes(sme.email) && m.subject.includes('未获批准'),
    );
    expect(mail!.text).toContain('测试项目不属于本项目支持范围');
    expect(await api.deps.repos.ledger.entries(programme.id)).toEqual([]);

    const again = await decide(api, admin, application.id, { decision: 'APPROVE' });
    expect(again.status).toBe(409);
    await recordHistory(worker.client, `voucher-application/${application.id}`, 'rejected');
  });

  it('asks for information, takes the resubmission, and approves it', async () => {
    const programme = await givenProgramme(api, admin);
    const sme = await givenSme(api, {}, 'en');
    const application = await givenApplication(api, sme, programme.id, 800_000);

    const asked = await decide(api, admin, application.id, {
      decision: 'REQUEST_INFO',
      message: 'Please attach the product datasheet.',
    });
    expect(asked.body).toMatchObject({
      status: 'INFO_REQUESTED',
      infoRequest: 'Please attach the product datasheet.',
    });
    const [infoMail] = await worker.mail.waitFor(
      (m) => m.to.includes(sme.email) && m.subject.startsWith('[Information needed]'),
    );
    expect(infoMail!.text).toContain('Please attach the product datasheet.');

    // nothing to approve while the applicant owes an answer
    const early = await decide(api, admin, application.id, { decision: 'APPROVE' });
    expect(early.status).toBe(409);
    expect((early.body as unknown as Problem).code).toBe('NOT_UNDER_REVIEW');

    const resubmitted = await api.call<ApplicationBody & { revision: number }>(
      'POST',
      `/api/v1/applications/${application.id}/resubmit`,
      {
        token: sme.token,
        body: { note: 'Datasheet: https://example.cn/ds.pdf', requestedAmountFen: 900_000 },
      },
    );
    expect(resubmitted.status, resubmitted.text).toBe(200);
    expect(resubmitted.body).toMatchObject({ status: 'UNDER_REVIEW', revision: 2 });
    await worker.mail.waitFor(
      (m) =>
        m.to.includes(admin.email) && m.subject.includes('【待审核】') && m.text.includes('企业已补充材料'),
    );

    const approved = await decide(api, admin, application.id, { decision: 'APPROVE' });
    expect(approved.status).toBe(200);
    const voucher = await api.call<VoucherBody>('GET', `/api/v1/vouchers/${approved.body.voucherId}`, {
      token: sme.token,
    });
    expect(voucher.body.faceValueFen).toBe(900_000);
    await worker.mail.waitFor(
      (m) => m.to.includes(sme.email) && m.subject.startsWith('[Testing voucher] Approved'),
    );
    await expectLedgerBalanced(api, programme.id);
    await recordHistory(
      worker.client,
      `voucher-application/${application.id}`,
      'information-requested-resubmitted-approved',
    );
  });

  it('refuses to approve more than was asked for', async () => {
    const programme = await givenProgramme(api, admin);
    const sme = await givenSme(api);
    const application = await givenApplication(api, sme, programme.id, 500_000);
    const res = await decide(api, admin, application.id, { decision: 'APPROVE', amountFen: 600_000 });
    expect(res.status).toBe(422);
    expect((res.body as unknown as Problem).code).toBe('AMOUNT_ABOVE_REQUEST');
  });

  it('tells the administrator when the budget cannot cover an approval, and moves nothing', async () => {
    const programme = await givenProgramme(api, admin, { budgetFen: 1_000_000 });
    const first = await givenApprovedVoucher(api, admin, await givenSme(api), programme.id, 700_000);
    expect(first.voucherId).toBeTruthy();
    const second = await givenApplication(api, await givenSme(api), programme.id, 500_000);

    const refused = await decide(api, admin, second.id, { decision: 'APPROVE' });
    expect(refused.status).toBe(422);
    const problem = refused.body as unknown as Problem;
    expect(problem.code).toBe('BUDGET_EXHAUSTED');
    expect(problem.detail).toContain('3,000.00 CNY available');
    expect(problem.details).toMatchObject({ availableFen: 300_000, amountFen: 500_000 });
    const still = await api.call<ApplicationBody>('GET', `/api/v1/applications/${second.id}`, {
      token: admin.token,
    });
    expect(still.body.status).toBe('UNDER_REVIEW');
    expect(await expectLedgerBalanced(api, programme.id)).toMatchObject({
      AVAILABLE: 300_000,
      RESERVED: 700_000,
    });

    // a lower amount that fits goes through
    const lower = await decide(api, admin, second.id, { decision: 'APPROVE', amountFen: 300_000 });
    expect(lower.status).toBe(200);
    expect(await expectLedgerBalanced(api, programme.id)).toMatchObject({
      AVAILABLE: 0,
      RESERVED: 1_000_000,
    });
  });

  it('replays a decision sent twice with the same Idempotency-Key', async () => {
    const programme = await givenProgramme(api, admin);
    const application = await givenApplication(api, await givenSme(api), programme.id);
    const key = randomUUID();
    const first = await decide(
      api,
      admin,
      application.id,
      { decision: 'APPROVE' },
      { 'idempotency-key': key },
    );
    const second = await decide(
      api,
      admin,
      application.id,
      { decision: 'APPROVE' },
      { 'idempotency-key': key },
    );
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body.voucherId).toBe(first.body.voucherId);
    expect(await api.deps.repos.ledger.entries(programme.id)).toHaveLength(1);
  });
});

describe('eligibility', () => {
  it('lists every rule that fails, keeps the application as rejected, and e-mails the reasons', async () => {
    const programme = await givenProgramme(api, admin, {
      policy: { eligibility: { requiredTags: ['LITTLE_GIANT'] } },
    });
    const sme = await givenSme(api, {
      regionCode: '440305',
      employees: 420,
      annualRevenueFen: 30_000_000_000,
      tags: [],
    });
    const res = await apply(api, sme, programme.id, 2_500_000);
    expect(res.status).toBe(422);
    const problem = res.body as unknown as Problem & {
      details: { applicationId: string; issues: { rule: string }[] };
    };
    expect(problem.code).toBe('NOT_ELIGIBLE');
    expect(problem.details.issues.map((i) => i.rule).sort()).toEqual([
      'AMOUNT_OVER_VOUCHER_CAP',
      'EMPLOYEES_OVER_LIMIT',
      'REGION_NOT_ELIGIBLE',
      'REVENUE_OVER_LIMIT',
      'TAGS_MISSING',
    ]);
    const kept = await api.call<ApplicationBody>(
      'GET',
      `/api/v1/applications/${problem.details.applicationId}`,
      { token: sme.token },
    );
    expect(kept.body.status).toBe('REJECTED');
    expect(kept.body.eligibilityIssues).toHaveLength(5);
    const [mail] = await worker.mail.waitFor(
      (m) => m.to.includes(sme.email) && m.subject.includes('未通过资格审查'),
    );
    expect(mail!.text).toContain('企业从业人数超过项目上限');
    expect(mail!.text).toContain('企业注册地不在项目支持范围内');
    await recordHistory(worker.client, `voucher-application/${problem.details.applicationId}`, 'ineligible');
  });

  it('refuses a second open application of the same enterprise in a programme', async () => {
    const programme = await givenProgramme(api, admin);
    const sme = await givenSme(api);
    await givenApplication(api, sme, programme.id);
    const second = await apply(api, sme, programme.id);
    expect(second.status).toBe(422);
    expect(
      (second.body as unknown as { details: { issues: { rule: string }[] } }).details.issues.map(
        (i) => i.rule,
      ),
    ).toEqual(['OPEN_APPLICATION_EXISTS']);
  });

  it('takes one of several applications sent at once under review, and refuses the others', async () => {
    const programme = await givenProgramme(api, admin);
    const sme = await givenSme(api);
    const answers = await Promise.all(Array.from({ length: 4 }, () => apply(api, sme, programme.id)));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 422, 422, 422]);
    for (const refused of answers.filter((a) => a.status === 422)) {
      expect(
        (refused.body as unknown as { details: { issues: { rule: string }[] } }).details.issues.map(
          (i) => i.rule,
        ),
      ).toEqual(['OPEN_APPLICATION_EXISTS']);
    }
    const { body } = await api.call<{ items: { status: string }[] }>('GET', '/api/v1/applications', {
      token: sme.token,
    });
    expect(body.items.map((a) => a.status).sort()).toEqual([
      'REJECTED',
      'REJECTED',
      'REJECTED',
      'UNDER_REVIEW',
    ]);
  });

  it('asks the SME to register the enterprise first', async () => {
    const programme = await givenProgramme(api, admin);
    const { token } = await api.givenUser('SME');
    const res = await api.call<Problem>('POST', '/api/v1/applications', {
      token,
      body: {
        programmeId: programme.id,
        requestedAmountFen: 100_000,
        purpose: '型式试验',
        demand: { standards: ['GB 4943.1'], sampleCount: 1, latestCompletionDate: '2027-01-31' },
      },
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('ENTERPRISE_REQUIRED');
  });
});

describe('review SLA', () => {
  it('reminds the reviewers, then escalates, while no decision comes', async () => {
    const programme = await givenProgramme(api, admin, {
      policy: { reviewReminderAfter: '2s', reviewEscalateAfter: '4s' },
    });
    const sme = await givenSme(api, { name: `SLA 测试企业 ${randomUUID().slice(0, 4)}` });
    const application = await givenApplication(api, sme, programme.id);

    await worker.mail.waitFor(
      (m) =>
        m.to.includes(admin.email) &&
        m.subject.includes('【审核提醒】') &&
        m.subject.includes('SLA 测试企业'),
    );
    const [escalation] = await worker.mail.waitFor(
      (m) =>
        m.to.includes('supervisor@vouchers.test') &&
        m.subject.includes('【审核超时升级】') &&
        m.subject.includes('SLA 测试企业'),
    );
    expect(escalation!.html).toContain(`/api/v1/applications/${application.id}`);
    const timeline = await until('the escalation in the timeline', async () => {
      const detail = await api.call<ApplicationBody>('GET', `/api/v1/applications/${application.id}`, {
        token: admin.token,
      });
      const actions = detail.body.timeline!.map((t) => t.action);
      return actions.includes('REVIEW_ESCALATED') ? actions : null;
    });
    expect(timeline).toEqual([
      'APPLICATION_SUBMITTED',
      'APPLICATION_UNDER_REVIEW',
      'REVIEW_REMINDER_SENT',
      'REVIEW_ESCALATED',
    ]);
    // one reminder and one escalation, however long it waits
    await new Promise((r) => setTimeout(r, 1500));
    expect(
      (await subjects(admin.email)).filter((s) => s.includes('【审核提醒】') && s.includes('SLA 测试企业')),
    ).toHaveLength(1);
    await recordHistory(worker.client, `voucher-application/${application.id}`, 'review-reminded-escalated');
  });
});

describe('revocation', () => {
  it('revokes an active voucher and gives its balance back to the programme', async () => {
    const programme = await givenProgramme(api, admin);
    const sme = await givenSme(api);
    const { voucherId } = await givenApprovedVoucher(api, admin, sme, programme.id, 1_000_000);

    const revoked = await api.call<VoucherBody>('POST', `/api/v1/vouchers/${voucherId}/revoke`, {
      token: admin.token,
      body: { reason: '申报材料涉嫌造假' },
    });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body).toMatchObject({
      status: 'REVOKED',
      balanceFen: 0,
      releasedFen: 1_000_000,
      statusReason: '申报材料涉嫌造假',
    });
    const [mail] = await worker.mail.waitFor(
      (m) => m.to.includes(sme.email) && m.subject.includes('已被撤销'),
    );
    expect(mail!.text).toContain('申报材料涉嫌造假');
    expect(await expectLedgerBalanced(api, programme.id)).toMatchObject({ RESERVED: 0 });

    const twice = await api.call<Problem>('POST', `/api/v1/vouchers/${voucherId}/revoke`, {
      token: admin.token,
      body: { reason: 'again' },
    });
    expect(twice.status).toBe(409);
    const { applicationId } = (await api.deps.repos.vouchers.findById(voucherId))!;
    await until('the workflow to finish', async () => {
      const described = await worker.client.workflow
        .getHandle(`voucher-application/${applicationId}`)
        .describe();
      return described.status.name === 'COMPLETED';
    });
    await recordHistory(worker.client, `voucher-application/${applicationId}`, 'revoked');
  });
});

describe('ownership', () => {
  it('keeps an enterprise’s applications and vouchers private to it', async () => {
    const programme = await givenProgramme(api, admin);
    const owner = await givenSme(api);
    const other = await givenSme(api);
    const { applicationId, voucherId } = await givenApprovedVoucher(api, admin, owner, programme.id);

    expect(
      (await api.call('GET', `/api/v1/applications/${applicationId}`, { token: other.token })).status,
    ).toBe(404);
    expect((await api.call('GET', `/api/v1/vouchers/${voucherId}`, { token: other.token })).status).toBe(404);
    const list = await api.call<{ items: { id: string }[] }>('GET', '/api/v1/vouchers', {
      token: other.token,
    });
    expect(list.body.items.map((v) => v.id)).not.toContain(voucherId);
    const mine = await api.call<{ items: { id: string }[] }>('GET', '/api/v1/vouchers', {
      token: owner.token,
    });
    expect(mine.body.items.map((v) => v.id)).toEqual([voucherId]);

    const { token: auditor } = await api.givenUser('AUDITOR');
    expect((await api.call('GET', `/api/v1/vouchers/${voucherId}`, { token: auditor })).status).toBe(200);
    const programmeView = await api.call<{ ledger?: unknown }>('GET', `/api/v1/programs/${programme.id}`, {
      token: owner.token,
    });
    expect(programmeView.body.ledger).toBeUndefined();
  });
});
