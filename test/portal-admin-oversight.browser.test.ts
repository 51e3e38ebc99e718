import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startTestApi, type TestApi } from './support/api';
import {
  expectAccessible,
  hasText,
  launchBrowser,
  openPortal,
  screenshot,
  tabTo,
  visible,
} from './support/browser';
import { runningProcess } from './support/process-trace';
import { givenListedProvider, pdfReport, type ProviderFixture } from './support/providers';
import {
  DEMAND,
  givenAdmin,
  givenApprovedVoucher,
  givenProgramme,
  givenSme,
  until,
  type Caller,
} from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;
let browser: Browser;
let admin: Caller & { email: string };
let programmeId: string;
let lab: ProviderFixture;

const PASSWORD = 'correct horse battery staple';
/** 3 samples at ¥300.00 in the catalog, quoted ¥5,000.00: the claim is flagged and goes to an administrator */
const QUOTE_FEN = 500_000;

/** What the Chinese pass leaves for the English one. */
const scene = {} as {
  flagged: { claimId: string; bookingId: string; voucherId: string };
  requestedId: string;
  disputed: { bookingId: string; disputeId: string; voucherId: string };
  terminatedId: string;
};

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  [worker, api, browser] = await Promise.all([
    startTestWorker({ taskQueue }),
    startTestApi({ taskQueue }),
    launchBrowser(),
  ]);
  admin = await givenAdmin(api);
  programmeId = (
    await givenProgramme(api, admin, {
      name: '上海市中小企业检测券（监督）',
      policy: {
        providerConfirmWithin: '2h',
        reportGrace: '1h',
        acceptanceWithin: '1h',
        dayLength: '1s',
        payoutSchedule: '24h',
        voucherValidity: '30d',
      },
    })
  ).id;
  lab = await givenListedProvider(api, {
    name: `上海电子产品检测中心 ${Date.now() % 10000}`,
    services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000, turnaroundDays: 2 }],
  });
  await givenScene();
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await worker?.stop();
});

async function step<T = { id: string }>(token: string, path: string, body: object = {}): Promise<T> {
  const res = await api.call<T>('POST', `/api/v1${path}`, { token, body });
  expect(res.status, res.text).toBeLessThan(300);
  return res.body;
}

async function givenVoucher(name: string) {
  const sme = await givenSme(api, { name });
  const { voucherId } = await givenApprovedVoucher(api, admin, sme, programmeId, 1_000_000);
  const book = () => step(sme.token, '/bookings', { voucherId, providerId: lab.providerId, demand: DEMAND });
  return { sme, voucherId, book };
}

/** Carried to a report through the API, quoted at `quote`. */
async function reported(bookingId: string, quote: number) {
  const at = (action: string) => `/bookings/${bookingId}/${action}`;
  await step(lab.token, at('confirm'), { quotedPriceFen: quote });
  await step(lab.token, at('sample-received'));
  await step(lab.token, at('report'), {
    conclusion: 'PASS',
    fileName: 'report.pdf',
    contentBase64: pdfReport(`report ${bookingId}`),
  });
}

/**
 * A flagged claim and a booking still requested on one voucher; a disputed report on another; a third
 * booking whose run an operator terminated.
 */
async function givenScene() {
  const first = await givenVoucher('上海精测电子科技有限公司');
  const flagged = await first.book();
  await reported(flagged.id, QUOTE_FEN);
  await step(first.sme.token, `/bookings/${flagged.id}/accept`);
  await step(first.sme.token, `/bookings/${flagged.id}/copayment`, {
    reference: 'ICBC-20261123-000777',
    paidAt: new Date().toISOString(),
  });
  const requested = await first.book();

  const second = await givenVoucher('苏州智能装备有限公司');
  const disputed = await second.book();
  await reported(disputed.id, 90_000);
  await step(second.sme.token, `/bookings/${disputed.id}/dispute`, {
    reason: '报告中的样品编号与送检单不一致',
  });

  const third = await givenVoucher('杭州新材料科技有限公司');
  const terminated = await third.book();
  await (
    await runningProcess(api.deps.temporal, `booking/${terminated.id}`)
  ).terminate('stopped by an operator: duplicate booking');

  const claim = await until('the flagged claim under review', () =>
    api.db.claim.findFirst({ where: { bookingId: flagged.id, status: 'PENDING_REVIEW' } }),
  );
  const dispute = await api.db.dispute.findFirstOrThrow({ where: { bookingId: disputed.id } });
  scene.flagged = { claimId: claim.id, bookingId: flagged.id, voucherId: first.voucherId };
  scene.requestedId = requested.id;
  scene.disputed = { bookingId: disputed.id, disputeId: dispute.id, voucherId: second.voucherId };
  scene.terminatedId = terminated.id;
}

async function signIn(page: Page, email: string) {
  await page.getByRole('textbox', { name: /电子邮箱|E-mail/ }).fill(email);
  await page.getByLabel(/密码|Password/).fill(PASSWORD);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
}

describe('the administrator’s oversight, in Chinese', () => {
  it('decides a flagged claim on its evidence, resolves a dispute, sees a failed process, revokes a voucher', async () => {
    const { page, problems } = await openPortal(browser, api.url, 'zh-CN');
    onTestFailed(() => screenshot(page, 'failed-admin-oversight'));
    await page.goto('/admin/claims');
    await page.waitForURL('**/sign-in?**');
    await signIn(page, admin.email);
    await page.waitForURL('**/admin/claims');

    // the claims waiting for me, the flagged one among them
    await visible(page.getByRole('heading', { name: '补贴申领审核', level: 1 }));
    const queue = page.getByTestId('claims-queue');
    const row = queue.locator(`[data-claim="${scene.flagged.claimId}"]`);
    await hasText(row, '报价高于服务目录价格');
    await hasText(row.locator('[data-status]'), '待审核', { exact: true });
    await expectAccessible(page, 'claims queue');

    // the CSV of what is shown
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出 CSV（当前筛选结果）' }).click(),
    ]);
    const csv = (await readFile(await download.path())).toString('utf8');
    expect(csv.split('\n')[0]).toContain('claim_id,booking_id');
    expect(csv).toContain(scene.flagged.claimId);

    // opened: the flag with its evidence, the catalog price against the quote
    await row.getByRole('link', { name: '审核 上海精测电子科技有限公司 的申领' }).click();
    const review = page.getByTestId('claim-review');
    const flag = review.locator('[data-risk-flag="PRICE_ABOVE_CATALOG"]');
    await hasText(flag, '机构报价 ¥5,000.00，服务目录价 ¥900.00，高出 ¥4,100.00');
    await expectAccessible(page, 'claim under review');
    await screenshot(page, 'admin-queue-claims');

    // a reason of one character: the service's refusal shows beside the form
    await review.locator('label.radio').filter({ hasText: '驳回' }).click();
    await review.getByRole('textbox', { name: /驳回理由/ }).fill('否');
    await review.getByRole('button', { name: '提交审核决定' }).click();
    await visible(review.getByRole('alert').filter({ hasText: 'reason' }));
    expect(await api.db.claim.findUniqueOrThrow({ where: { id: scene.flagged.claimId } })).toMatchObject({
      status: 'PENDING_REVIEW',
    });

    // approved with the keyboard alone
    const approve = review.getByRole('radio', { name: /批准/ });
    await tabTo(page, review.getByRole('radio', { name: /驳回/ }));
    await page.keyboard.press('ArrowUp');
    expect(await approve.isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.type('报价有合同依据');
    await tabTo(page, review.getByRole('button', { name: '提交审核决定' }));
    await page.keyboard.press('Enter');
    await hasText(review.locator('[data-status]').first(), '已批准', { exact: true });
    await hasText(review, '审核意见：报价有合同依据');

    // the dispute: the report, the enterprise's words, the consequences, then a retest ordered
    await page.getByRole('navigation', { name: '审核队列' }).getByRole('link', { name: /争议/ }).click();
    await page.waitForURL('**/admin/disputes');
    const disputeRow = page
      .getByTestId('disputes-queue')
      .locator(`[data-dispute="${scene.disputed.disputeId}"]`);
    await hasText(disputeRow, '报告中的样品编号与送检单不一致');
    await expectAccessible(page, 'disputes queue');
    await disputeRow.getByRole('link', { name: '处理 苏州智能装备有限公司 的异议' }).click();
    const detail = page.getByTestId('dispute-detail');
    await hasText(detail.getByTestId('sme-words'), '报告中的样品编号与送检单不一致', { exact: true });
    await visible(detail.getByRole('button', { name: '下载报告（PDF）' }));
    await hasText(detail.locator('[data-resolution="CANCEL_REFUND"]'), '补贴 ¥450.00 退回项目预算');
    await hasText(detail.locator('[data-resolution="RETEST"]'), '重新上传报告');
    await detail.locator('label.radio').filter({ hasText: '要求复检' }).click();
    await detail.getByRole('textbox', { name: /处理说明/ }).fill('样品编号需核对，请重新检测');
    await expectAccessible(page, 'dispute to resolve');
    await detail.getByRole('button', { name: '确认处理' }).click();
    await hasText(detail, '处理结果：要求复检 · 样品编号需核对，请重新检测');
    await until(
      'the booking back with its samples',
      async () =>
        (await api.db.booking.findUniqueOrThrow({ where: { id: scene.disputed.bookingId } })).status ===
        'SAMPLE_RECEIVED',
    );

    // the terminated booking, among the failed processes, linked to its booking and to Temporal
    await page.getByRole('navigation', { name: '审核队列' }).getByRole('link', { name: /流程/ }).click();
    await page.waitForURL('**/admin/processes');
    const processRow = page.locator(`[data-workflow-id="booking/${scene.terminatedId}"]`);
    await hasText(processRow, '已失败 · 被终止', { timeout: 60_000 });
    await hasText(processRow, 'stopped by an operator: duplicate booking');
    expect(await processRow.getByRole('link', { name: /^预约 / }).getAttribute('href')).toBe(
      `/bookings/${scene.terminatedId}`,
    );
    expect(await processRow.getByRole('link', { name: '在 Temporal 中查看' }).getAttribute('href')).toContain(
      encodeURIComponent(`booking/${scene.terminatedId}`),
    );
    await expectAccessible(page, 'processes queue');

    // the revocation: the effect on each booking first, then the reason, then the outcome
    await page.goto(`/vouchers/${scene.flagged.voucherId}`);
    const revoke = page.getByTestId('revoke-voucher');
    await revoke.getByRole('button', { name: '查看撤销影响' }).click();
    const plan = revoke.getByTestId('revocation-plan');
    await hasText(plan.locator(`[data-booking="${scene.requestedId}"]`), '预约取消，补贴退回项目');
    await hasText(
      plan.locator(`[data-booking="${scene.flagged.bookingId}"]`),
      '申领已批准或已拨付，照常支付',
    );
    await hasText(revoke.getByTestId('revocation-totals'), '共退回项目');
    await expectAccessible(page, 'revocation preview');
    await revoke.getByRole('textbox', { name: /撤销理由/ }).fill('企业提供虚假材料');
    await revoke.getByRole('button', { name: '确认撤销' }).click();
    const outcome = page.getByTestId('revocation-outcome');
    await hasText(outcome, '检测券已撤销。');
    await hasText(
      outcome.locator(`[data-booking="${scene.requestedId}"] [data-testid="status-now"]`),
      '已取消',
      { exact: true, timeout: 60_000 },
    );
    await hasText(
      outcome.locator(`[data-booking="${scene.flagged.bookingId}"] [data-testid="status-now"]`),
      '已确认报告',
    );
    await hasText(page.locator('dd [data-status]').first(), '已撤销', { exact: true });
    await expectAccessible(page, 'revocation outcome');
    expect(problems).toEqual([]);
  });
});

describe('the administrator’s oversight, in English', () => {
  it('shows the queues and the revocation preview in English', async () => {
    expect(scene.disputed, 'the scene was set').toBeDefined();
    const user = await api.givenUser('ADMIN', { locale: 'en' });
    const { page, problems } = await openPortal(browser, api.url, 'en');
    onTestFailed(() => screenshot(page, 'failed-admin-oversight-en'));
    await page.goto('/admin/claims');
    await page.waitForURL('**/sign-in?**');
    await signIn(page, user.email);
    await page.waitForURL('**/admin/claims');

    await visible(page.getByRole('heading', { name: 'Subsidy claims to review', level: 1 }));
    // the approved claim, with all statuses shown
    await page.getByRole('button', { name: /Status/ }).click();
    await page.getByRole('option', { name: 'All statuses' }).click();
    const row = page.getByTestId('claims-queue').locator(`[data-claim="${scene.flagged.claimId}"]`);
    await hasText(row.locator('[data-status]'), 'Approved');
    await row.getByRole('link').first().click();
    await hasText(
      page.getByTestId('claim-review').locator('[data-risk-flag="PRICE_ABOVE_CATALOG"]'),
      'quoted CNY 5,000.00, catalog price CNY 900.00: CNY 4,100.00 above',
    );
    await expectAccessible(page, 'claims (English)');

    await page.goto(`/admin/disputes?dispute=${scene.disputed.disputeId}`);
    await visible(page.getByRole('heading', { name: 'Disputed reports', level: 1 }));
    await hasText(page.getByTestId('dispute-detail'), 'Resolved: Order a retest');
    await expectAccessible(page, 'disputes (English)');

    await page.goto('/admin/processes');
    await hasText(page.locator(`[data-workflow-id="booking/${scene.terminatedId}"]`), 'Failed · terminated');
    await expectAccessible(page, 'processes (English)');

    await page.goto(`/vouchers/${scene.disputed.voucherId}`);
    await page.getByRole('button', { name: 'Show what revoking does' }).click();
    await hasText(
      page.getByTestId('revocation-plan').locator(`[data-booking="${scene.disputed.bookingId}"]`),
      'cancelled, its subsidy back to the programme',
    );
    await expectAccessible(page, 'revocation preview (English)');
    expect(problems).toEqual([]);
  });
});
