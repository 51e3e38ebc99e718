import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startTestApi, type TestApi } from './support/api';
import { runPayout } from './support/four-eyes';
import {
  expectAccessible,
  hasText,
  launchBrowser,
  openPortal,
  screenshot,
  tabTo,
  visible,
} from './support/browser';
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
let admin: Caller;
let programmeId: string;
let lab: ProviderFixture & { creditCode: string };

const PASSWORD = 'correct horse battery staple';
/** 3 samples at ¥300.00 in the catalog, quoted ¥5,000.00: the claim is flagged and goes to an administrator */
const QUOTE_FEN = 500_000;

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  [worker, api, browser] = await Promise.all([
    startTestWorker({ taskQueue }),
    startTestApi({ taskQueue }),
    launchBrowser(),
  ]);
  admin = await givenAdmin(api);
  const programme = await givenProgramme(api, admin, {
    name: '上海市中小企业检测券（机构结算）',
    policy: {
      providerConfirmWithin: '2h',
      reportGrace: '1h',
      acceptanceWithin: '1h',
      dayLength: '1s',
      payoutSchedule: '24h',
      voucherValidity: '30d',
    },
  });
  programmeId = programme.id;
  const fixture = await givenListedProvider(api, {
    name: `上海电子产品检测中心 ${Date.now() % 10000}`,
    services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000, turnaroundDays: 2 }],
  });
  const row = await api.db.provider.findUniqueOrThrow({ where: { id: fixture.providerId } });
  lab = { ...fixture, creditCode: row.creditCode };
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

/** An SME of the given name with a voucher, and its booking at the lab, requested through the API. */
async function givenBooking(enterpriseName: string): Promise<{ id: string; sme: Caller }> {
  const sme = await givenSme(api, { name: enterpriseName });
  const { voucherId } = await givenApprovedVoucher(api, admin, sme, programmeId, 1_000_000);
  const booking = await step(sme.token, '/bookings', {
    voucherId,
    providerId: lab.providerId,
    demand: DEMAND,
  });
  return { id: booking.id, sme };
}

async function signIn(page: Page, email: string) {
  await page.getByRole('textbox', { name: /电子邮箱|E-mail/ }).fill(email);
  await page.getByLabel(/密码|Password/).fill(PASSWORD);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
}

async function dueOf(bookingId: string): Promise<string> {
  const res = await api.call<{ awaiting: { dueAt: string } | null }>(
    'GET',
    `/api/v1/bookings/${bookingId}/progress`,
    { token: lab.token },
  );
  return res.body.awaiting!.dueAt;
}

let claimed: { bookingId: string; enterpriseName: string; voucherCode: string; claimId: string };

describe('the lab’s claims and money, in Chinese', () => {
  it('sees what awaits it soonest first, then a claim reviewed, paid by a transfer and exported', async () => {
    // one booking carried to an accepted report with the co-payment recorded, quoted above the catalog
    const flagged = await givenBooking('上海精测电子科技有限公司');
    const at = (action: string) => `/bookings/${flagged.id}/${action}`;
    await step(lab.token, at('confirm'), { quotedPriceFen: QUOTE_FEN });
    await step(lab.token, at('sample-received'));
    await step(lab.token, at('report'), {
      conclusion: 'PASS',
      fileName: 'report.pdf',
      contentBase64: pdfReport(`report ${flagged.id}`),
    });
    await step(flagged.sme.token, at('accept'));
    await step(flagged.sme.token, at('copayment'), {
      reference: 'ICBC-20261123-000777',
      paidAt: new Date().toISOString(),
    });
    const claim = await until('the claim opened', () =>
      api.db.claim.findUnique({ where: { bookingId: flagged.id }, select: { id: true, status: true } }),
    );
    expect(claim.status).toBe('PENDING_REVIEW');
    // two more bookings wait for the lab: one to confirm, one with its samples in and the report due
    const toConfirm = await givenBooking('苏州智能装备有限公司');
    const underTest = await givenBooking('杭州新材料科技有限公司');
    await step(lab.token, `/bookings/${underTest.id}/confirm`, { quotedPriceFen: 90_000 });
    await step(lab.token, `/bookings/${underTest.id}/sample-received`);

    const { page, problems } = await openPortal(browser, api.url, 'zh-CN');
    onTestFailed(() => screenshot(page, 'failed-provider-claims'));
    await page.goto('/provider');
    await page.waitForURL('**/sign-in?**');
    await signIn(page, lab.email);
    await page.waitForURL('**/provider');

    // home: what awaits the lab, each with what and by when, soonest deadline first
    await visible(page.getByRole('heading', { name: '机构待办', level: 1 }));
    const worklist = page.getByRole('region', { name: '待我处理' });
    const confirmRow = worklist.getByRole('row').filter({ hasText: '苏州智能装备有限公司' });
    const reportRow = worklist.getByRole('row').filter({ hasText: '杭州新材料科技有限公司' });
    await hasText(confirmRow, '确认预约并报价');
    await hasText(reportRow, '上传检测报告');
    const expectedOrder = [
      { name: '苏州智能装备有限公司', due: await dueOf(toConfirm.id) },
      { name: '杭州新材料科技有限公司', due: await dueOf(underTest.id) },
    ]
      .sort((a, b) => a.due.localeCompare(b.due))
      .map((item) => item.name);
    const rowHeaders = await worklist.locator('tbody th').allInnerTexts();
    expect(rowHeaders.map((text) => expectedOrder.find((name) => text.includes(name)))).toEqual(
      expectedOrder,
    );
    const dues: string[] = [];
    for (const time of await worklist.locator('tbody time').all())
      dues.push((await time.getAttribute('datetime'))!);
    expect(dues).toEqual([...dues].sort());
    expect(dues).toContain(await dueOf(toConfirm.id));

    // and what its claims amount to: one under review
    await hasText(page.locator('[data-status-total="PENDING_REVIEW"]'), '1 笔，¥2,500.00', { exact: true });
    await hasText(page.locator('[data-status-total="PAID"]'), '0 笔，¥0.00', { exact: true });
    await expectAccessible(page, 'provider home');
    await screenshot(page, 'provider-home');

    // to the claims by keyboard
    const seeAll = page.getByRole('link', { name: '查看结算与收款' });
    await tabTo(page, seeAll);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/provider/claims');
    await visible(page.getByRole('heading', { name: '结算与收款', level: 1 }));
    const row = page.getByTestId('claims').locator(`[data-claim="${claim.id}"]`);
    await hasText(row, '上海精测电子科技有限公司');
    await hasText(row.locator('[data-status]'), '待审核', { exact: true });
    await hasText(row, '¥2,500.00');
    await hasText(row.locator('[data-risk-flag="PRICE_ABOVE_CATALOG"]'), '报价高于服务目录价格');
    await hasText(row.locator('[data-risk-flag="PRICE_ABOVE_CATALOG"]'), '报价 ¥5,000.00，目录价 ¥900.00');
    await hasText(row, '尚未拨付');
    await visible(page.getByText('还没有拨付转账。'));
    await expectAccessible(page, 'claims under review');

    // the list by status: nothing paid yet
    await page.getByRole('button', { name: /按状态筛选/ }).click();
    await page.getByRole('option', { name: '已拨付' }).click();
    await visible(page.getByText('没有这个状态的申领。'));
    await page.getByRole('button', { name: /按状态筛选/ }).click();
    await page.getByRole('option', { name: '全部状态' }).click();
    await visible(row);

    // an administrator approves it; the page follows
    await step(admin.token, `/claims/${claim.id}/decision`, { decision: 'APPROVE', note: '报价有合同依据' });
    await hasText(row.locator('[data-status]'), '已批准', { exact: true, timeout: 60_000 });
    await hasText(row, '审核意见：报价有合同依据');

    // the payout run pays it by a transfer, listed with its remittance
    await runPayout(api, admin, await givenAdmin(api), programmeId);
    await hasText(row.locator('[data-status]'), '已拨付', { exact: true, timeout: 60_000 });
    const paid = await api.call<{
      transfer: { reference: string };
      paidAt: string;
      contract: { voucherCode: string };
    }>('GET', `/api/v1/claims/${claim.id}`, { token: lab.token });
    const reference = paid.body.transfer.reference;
    await hasText(row.getByTestId('claim-transfer'), `转账 ${reference}`, { exact: true });
    const transfer = page.getByTestId('transfers').getByRole('row').filter({ hasText: reference });
    await hasText(transfer, '已转账');
    await hasText(transfer, '¥2,500.00');
    await hasText(transfer, `上海精测电子科技有限公司 · ${paid.body.contract.voucherCode}`);
    await hasText(page.getByTestId('claim-totals').locator('[data-status-row="PAID"]'), '1 笔');
    await expectAccessible(page, 'claim paid');
    await screenshot(page, 'provider-claims');

    // the payments export: the file the lab keeps for its books
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载收款明细（CSV）' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`payments-${lab.creditCode}.csv`);
    const bytes = await readFile(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^paid_at,programme_id,programme_name,provider_name,/);
    expect(lines.slice(1)).toHaveLength(1);
    const cells = lines[1]!.split(',');
    expect(cells).toEqual(
      expect.arrayContaining([
        paid.body.paidAt,
        '上海精测电子科技有限公司',
        paid.body.contract.voucherCode,
        flagged.id,
        claim.id,
        '250000',
        '2500.00',
        reference,
      ]),
    );
    claimed = {
      bookingId: flagged.id,
      enterpriseName: '上海精测电子科技有限公司',
      voucherCode: paid.body.contract.voucherCode,
      claimId: claim.id,
    };
    expect(problems).toEqual([]);
  });
});

describe('the lab’s claims and money, in English', () => {
  it('shows the paid claim, its risk flag, the transfer and the totals in English', async () => {
    expect(claimed, 'the Chinese pass paid a claim first').toBeDefined();
    const user = await api.givenUser('PROVIDER', { providerId: lab.providerId, locale: 'en' });
    const { page, problems } = await openPortal(browser, api.url, 'en');
    onTestFailed(() => screenshot(page, 'failed-provider-claims-en'));
    await page.goto('/provider/claims');
    await page.waitForURL('**/sign-in?**');
    await signIn(page, user.email);
    await page.waitForURL('**/provider/claims');

    await visible(page.getByRole('heading', { name: 'Claims and payments', level: 1 }));
    const row = page.getByTestId('claims').locator(`[data-claim="${claimed.claimId}"]`);
    await hasText(row.locator('[data-status]'), 'Paid', { exact: true });
    await hasText(row, 'CNY 2,500.00');
    await hasText(row.locator('[data-risk-flag="PRICE_ABOVE_CATALOG"]'), 'Quoted above the catalog price');
    await hasText(
      row.locator('[data-risk-flag="PRICE_ABOVE_CATALOG"]'),
      'quoted CNY 5,000.00, catalog CNY 900.00',
    );
    await hasText(row.getByTestId('claim-transfer'), 'transfer GW-');
    await hasText(row, 'Decision: 报价有合同依据');
    await visible(page.getByRole('heading', { name: 'Payout transfers and remittances' }));
    const transfer = page.getByTestId('transfers').getByRole('row').filter({ hasText: claimed.voucherCode });
    await hasText(transfer, 'Transferred');
    await visible(page.getByRole('button', { name: 'Download the payments (CSV)' }));
    await expectAccessible(page, 'claims (English)');

    await page.getByRole('navigation').getByRole('link', { name: 'My tasks' }).click();
    await page.waitForURL('**/provider');
    await hasText(page.locator('[data-status-total="PAID"]'), '1 claim, CNY 2,500.00', { exact: true });
    await hasText(page.locator('[data-status-total="APPROVED"]'), '0 claims, CNY 0.00', { exact: true });
    await visible(page.getByRole('row').filter({ hasText: 'upload the test report' }));
    await expectAccessible(page, 'provider home (English)');
    expect(problems).toEqual([]);
  });
});
