import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startTestApi, type TestApi } from './support/api';
import {
  expectAccessible,
  gone,
  hasText,
  idInUrl,
  launchBrowser,
  openPortal,
  screenshot,
  tabTo,
  visible,
} from './support/browser';
import { givenApprovedClaim } from './support/journeys';
import { givenListedProvider, type ProviderFixture } from './support/providers';
import { givenAdmin, type Caller } from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;
let browser: Browser;
let admin: Caller & { email: string };
let lab: ProviderFixture;
/** the programme the administrator creates through the form */
let programmeId: string;

const PASSWORD = 'correct horse battery staple';
const NAME = `上海市中小企业检测券（管理端）${randomUUID().slice(0, 4)}`;

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  [worker, api, browser] = await Promise.all([
    startTestWorker({ taskQueue }),
    startTestApi({ taskQueue }),
    launchBrowser(),
  ]);
  admin = await givenAdmin(api);
  lab = await givenListedProvider(api, {
    name: `上海电器检测所 ${Date.now() % 10000}`,
    services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000 }],
  });
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await worker?.stop();
});

async function signIn(page: Page, email: string) {
  await page.getByRole('textbox', { name: /电子邮箱|E-mail/ }).fill(email);
  await page.getByLabel(/密码|Password/).fill(PASSWORD);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
}

/** Types into a field reached with the Tab key, replacing what it held. */
async function typeInto(page: Page, name: string, text: string) {
  await tabTo(page, page.getByRole('textbox', { name, exact: true }), 120);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

const account = (page: Page, name: string) =>
  page.getByTestId('ledger-bar').locator('..').locator(`tr[data-account="${name}"] td[data-amount]`);

/** How wide the account's part of the ledger bar is drawn, in pixels (0 when it is empty). */
async function segmentWidth(page: Page, name: string): Promise<number> {
  let width = 0;
  for (const path of await page.locator(`.ledger-segment-${name} path`).all())
    width += (await path.boundingBox())?.width ?? 0;
  return width;
}

describe('an administrator’s programmes, in Chinese', () => {
  it('creates a programme through the form by keyboard, then runs a payout and sees the ledger move', async () => {
    const { page, problems } = await openPortal(browser, api.url, 'zh-CN');
    onTestFailed(() => screenshot(page, 'failed-admin-programmes'));
    await page.goto('/programmes');
    await page.waitForURL('**/sign-in?**');
    await signIn(page, admin.email);
    await page.waitForURL('**/programmes');
    await visible(page.getByRole('heading', { name: '项目与预算', level: 1 }));
    await expectAccessible(page, 'programmes list');

    const create = page.getByRole('link', { name: '新建项目' });
    await tabTo(page, create);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/programmes/new');
    await visible(page.getByRole('heading', { name: '新建项目', level: 1 }));
    // every rule starts at the service's default, said in words
    const escalate = page.getByRole('textbox', { name: '审核升级', exact: true });
    expect(await escalate.inputValue()).toBe('5d');
    await hasText(page.locator('.field').filter({ has: escalate }), '默认：5 天');
    expect(await page.getByRole('textbox', { name: '补贴比例（%）' }).inputValue()).toBe('50');
    expect(await page.getByRole('textbox', { name: '每张检测券面额上限（元）' }).inputValue()).toBe('20000');
    await expectAccessible(page, 'programme form');

    await typeInto(page, '项目名称', NAME);
    await typeInto(page, '主管部门', '上海市经济和信息化委员会');
    await typeInto(page, '项目地区代码', '310000');
    await typeInto(page, '预算（元）', '20000');
    // an escalation sooner than the reminder: the service refuses it, at the field
    await typeInto(page, '审核升级', '2d');
    await page.keyboard.press('Enter');
    const escalateField = page.locator('.field').filter({ has: escalate });
    await hasText(
      escalateField.locator('.field-error'),
      'reviewEscalateAfter must be longer than reviewReminderAfter',
    );
    expect(await escalate.getAttribute('aria-invalid')).toBe('true');
    await visible(page.getByRole('alert').filter({ hasText: '提交的内容有误' }));
    expect(await api.db.programme.count({ where: { name: NAME } })).toBe(0);
    expect(page.url()).toMatch(/\/programmes\/new$/);

    await typeInto(page, '审核升级', '6d');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/programmes\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    programmeId = idInUrl(page, 'programmes');
    await visible(page.getByRole('heading', { name: NAME, level: 1 }));
    const saved = await api.deps.repos.programmes.findById(programmeId);
    expect(saved).toMatchObject({ name: NAME, regionCode: '310000', budgetFen: 2_000_000 });
    expect(saved!.policy).toMatchObject({
      reviewEscalateAfter: '6d',
      subsidyRatioBps: 5000,
      voucherValidity: '180d',
    });
    expect(saved!.policy.payoutSchedule).toBeUndefined();

    // the whole budget is available; the rules read back in words
    await hasText(account(page, 'AVAILABLE'), '¥20,000.00', { exact: true });
    await hasText(account(page, 'TOTAL'), '¥20,000.00', { exact: true });
    await hasText(page.locator('[data-rule="reviewEscalateAfter"] dd'), '6 天', { exact: true });
    await hasText(page.getByTestId('payout-schedule'), '（服务默认）');
    await visible(page.getByText('还没有拨付批次。'));

    // an enterprise's small, clean claim in the programme is approved automatically
    const claim = await givenApprovedClaim(api, admin, programmeId, lab);
    const claimYuan = `¥${(claim.amountFen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
    await page.reload();
    await hasText(account(page, 'PAYABLE'), claimYuan, { exact: true });
    await hasText(account(page, 'PAID'), '¥0.00', { exact: true });
    await hasText(account(page, 'TOTAL'), '¥20,000.00', { exact: true });
    const payableBefore = await segmentWidth(page, 'PAYABLE');
    expect(payableBefore).toBeGreaterThan(5);
    expect(await segmentWidth(page, 'PAID')).toBe(0);

    // a payout now, proposed by keyboard; once a second administrator approves it (four eyes) the
    // ledger picture and the batches follow
    const run = page.getByRole('button', { name: '提议立即拨付' });
    await tabTo(page, run);
    await page.keyboard.press('Enter');
    await hasText(page.getByTestId('payout-proposal'), '等待复核');
    const [proposal] = (
      await api.deps.repos.approvals.list({ programmeId, kind: 'PAYOUT_RUN' }, { limit: 1 }, new Date())
    ).items;
    const approved = await api.call('POST', `/api/v1/approvals/${proposal!.id}/decision`, {
      token: (await givenAdmin(api)).token,
      body: { decision: 'APPROVE' },
    });
    expect(approved.status, approved.text).toBe(200);
    await hasText(account(page, 'PAID'), claimYuan, { exact: true, timeout: 60_000 });
    await hasText(account(page, 'PAYABLE'), '¥0.00', { exact: true });
    await hasText(account(page, 'TOTAL'), '¥20,000.00', { exact: true });
    expect(await segmentWidth(page, 'PAYABLE')).toBe(0);
    expect(Math.abs((await segmentWidth(page, 'PAID')) - payableBefore)).toBeLessThan(1);
    const batch = page.getByTestId('payout-batches').locator('tbody tr');
    await hasText(batch.locator('[data-status]'), '已完成', { exact: true });
    await hasText(batch, claimYuan);
    await hasText(batch, '1 / 1');
    await gone(page.getByRole('status').filter({ hasText: '拨付进行中' }));
    await gone(page.getByTestId('payout-proposal'));
    await expectAccessible(page, 'programme page');
    await screenshot(page, 'admin-programme');

    // the list gives the programme's ledger in brief
    await page.getByRole('navigation').getByRole('link', { name: '项目', exact: true }).click();
    await page.waitForURL('**/programmes');
    const row = page.getByTestId('programmes').locator(`[data-programme="${programmeId}"]`);
    await hasText(row.locator('[data-account="PAID"]'), claimYuan, { exact: true });
    await hasText(row.locator('[data-account="AVAILABLE"]'), '¥10,000.00', { exact: true });
    expect(problems).toEqual([]);
  });

  it('shows an auditor the programme and its ledger, with nothing to change', async () => {
    expect(programmeId, 'the administrator created the programme first').toBeDefined();
    const auditor = await api.givenUser('AUDITOR');
    const { page, problems } = await openPortal(browser, api.url, 'zh-CN');
    onTestFailed(() => screenshot(page, 'failed-auditor-programme'));
    await page.goto(`/programmes/${programmeId}`);
    await page.waitForURL('**/sign-in?**');
    await signIn(page, auditor.email);
    await page.waitForURL(`**/programmes/${programmeId}`);
    await visible(page.getByRole('heading', { name: NAME, level: 1 }));
    await hasText(page.getByTestId('payout-batches').locator('[data-status]'), '已完成', { exact: true });
    await hasText(account(page, 'TOTAL'), '¥20,000.00', { exact: true });
    expect(await page.getByRole('button', { name: '提议立即拨付' }).count()).toBe(0);
    expect(await page.getByRole('button').filter({ hasText: '拨付' }).count()).toBe(0);
    await expectAccessible(page, 'programme page (auditor)');

    await page.goto('/programmes');
    await visible(page.getByTestId('programmes').locator(`[data-programme="${programmeId}"]`));
    expect(await page.getByRole('link', { name: '新建项目' }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});

describe('an administrator’s programmes, in English', () => {
  it('reads the list, the form and the programme page in English', async () => {
    expect(programmeId, 'the Chinese pass created the programme first').toBeDefined();
    const user = await api.givenUser('ADMIN', { locale: 'en' });
    const { page, problems } = await openPortal(browser, api.url, 'en');
    onTestFailed(() => screenshot(page, 'failed-admin-programmes-en'));
    await page.goto('/programmes');
    await page.waitForURL('**/sign-in?**');
    await signIn(page, user.email);
    await page.waitForURL('**/programmes');
    await visible(page.getByRole('heading', { name: 'Programmes and budgets', level: 1 }));
    const row = page.getByTestId('programmes').locator(`[data-programme="${programmeId}"]`);
    await hasText(row.locator('[data-status]'), 'Active', { exact: true });
    await expectAccessible(page, 'programmes list (English)');

    await page.getByRole('link', { name: 'New programme' }).click();
    await page.waitForURL('**/programmes/new');
    await hasText(
      page.locator('.field').filter({ has: page.getByRole('textbox', { name: 'Voucher validity' }) }),
      'Default: 180 days',
    );
    await expectAccessible(page, 'programme form (English)');

    await page.goto(`/programmes/${programmeId}`);
    await visible(page.getByRole('heading', { name: NAME, level: 1 }));
    await hasText(page.locator('tr[data-account="PAID"] th'), 'Paid');
    await hasText(page.getByTestId('payout-batches').locator('[data-status]'), 'Completed', { exact: true });
    await visible(page.getByRole('button', { name: 'Propose a payout run' }));
    await hasText(page.locator('[data-rule="subsidyRatioBps"] dd'), '50%', { exact: true });
    await expectAccessible(page, 'programme page (English)');
    expect(problems).toEqual([]);
  });
});
