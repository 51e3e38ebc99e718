import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startTestApi, type TestApi } from './support/api';
import {
  expectAccessible,
  gone,
  hasText,
  launchBrowser,
  openPortal,
  screenshot,
  tabTo,
  visible,
} from './support/browser';
import type { ApprovalBody } from './support/four-eyes';
import { givenApprovedClaim } from './support/journeys';
import { givenListedProvider, type ProviderFixture } from './support/providers';
import { givenAdmin, givenProgramme, until, type Caller } from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;
let browser: Browser;
/** proposes, and approves a claim first */
let first: Caller & { email: string };
/** approves from the queue */
let second: Caller & { email: string };
let lab: ProviderFixture;
let programmeId: string;

const PASSWORD = 'correct horse battery staple';
const NAME = `上海市中小企业检测券（四眼）${Date.now() % 10000}`;

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  [worker, api, browser] = await Promise.all([
    startTestWorker({ taskQueue }),
    startTestApi({ taskQueue }),
    launchBrowser(),
  ]);
  [first, second] = await Promise.all([givenAdmin(api), givenAdmin(api)]);
  lab = await givenListedProvider(api, {
    name: `上海复核检测所 ${Date.now() % 10000}`,
    services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000 }],
  });
  programmeId = (
    await givenProgramme(api, first, {
      name: NAME,
      budgetFen: 10_000_000,
      // every claim needs two administrators: a big claim, in the small amounts of a test
      policy: {
        secondApprovalAboveFen: 1,
        autoApproveClaimsBelowFen: 0,
        payoutSchedule: '24h',
        voucherValidity: '30d',
      },
    })
  ).id;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await worker?.stop();
});

async function signedIn(locale: 'zh-CN' | 'en', email: string, path: string): Promise<Page> {
  const { page, problems } = await openPortal(browser, api.url, locale);
  onTestFailed(async () => {
    await screenshot(page, `failed-four-eyes-${email.slice(0, 8)}`);
    expect(problems).toEqual([]);
  });
  await page.goto(path);
  await page.waitForURL('**/sign-in?**');
  await page.getByRole('textbox', { name: /电子邮箱|E-mail/ }).fill(email);
  await page.getByLabel(/密码|Password/).fill(PASSWORD);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.waitForURL(`**${path.split('?')[0]}*`);
  return page;
}

/** Opens a proposal from the queue and approves it, with the keyboard alone. */
async function approveFromQueue(page: Page, row: string, approve: string) {
  await page.goto('/admin/approvals');
  const link = page.getByTestId('approvals-queue').locator(row).getByRole('link');
  await visible(link);
  await tabTo(page, link, 150);
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('approval-detail');
  await visible(detail);
  await tabTo(page, detail.getByRole('button', { name: approve, exact: true }));
  await page.keyboard.press('Enter');
  await hasText(detail.locator('dd[data-status]'), approve === 'Approve' ? 'Approved' : '已批准', {
    exact: true,
  });
}

const account = (page: Page, name: string) =>
  page.getByTestId('ledger-bar').locator('..').locator(`tr[data-account="${name}"] td[data-amount]`);

describe('four eyes in the administrators’ console, in Chinese', () => {
  it('a big claim gets two approvals; a payout run and a budget change proposed by one administrator are approved by another from the queue', async () => {
    const { claimId, amountFen } = await givenApprovedClaim(
      api,
      first,
      programmeId,
      lab,
      {},
      'PENDING_REVIEW',
    );
    const claimYuan = `¥${(amountFen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;

    // the first administrator approves the claim: it waits for a second one
    const a = await signedIn('zh-CN', first.email, `/admin/claims?claim=${claimId}`);
    const review = a.getByTestId('claim-review');
    await hasText(review.getByTestId('second-approval'), '须由两位不同的管理员批准');
    await tabTo(a, review.getByRole('button', { name: '提交审核决定' }));
    await a.keyboard.press('Enter');
    await hasText(review.getByTestId('second-approval'), '已于');
    await hasText(review.getByTestId('second-approval'), '等待另一位管理员批准');
    await visible(review.getByTestId('first-approval-mine'));
    await hasText(review.locator('[data-status]').first(), '待审核', { exact: true });
    // forced again: the service's refusal, in words
    await review.getByRole('button', { name: '提交审核决定' }).click();
    await visible(review.getByRole('alert').filter({ hasText: '须由另一位管理员批准' }));
    await expectAccessible(a, 'claim with its first approval');

    // the second administrator approves it from the queue
    const b = await signedIn('zh-CN', second.email, '/admin/approvals');
    await visible(b.getByRole('heading', { name: '待复核', level: 1 }));
    await approveFromQueue(b, `[data-kind="CLAIM_APPROVAL"]`, '批准');
    await until('the claim approved', async () => {
      const claim = await api.db.claim.findUniqueOrThrow({ where: { id: claimId } });
      return claim.status === 'APPROVED';
    });

    // the first proposes a payout run and a budget change on the programme page, by keyboard
    await a.goto(`/programmes/${programmeId}`);
    await visible(a.getByRole('heading', { name: NAME, level: 1 }));
    await hasText(account(a, 'PAYABLE'), claimYuan, { exact: true });
    await tabTo(a, a.getByRole('button', { name: '提议立即拨付' }), 150);
    await a.keyboard.press('Enter');
    await hasText(a.getByTestId('payout-proposal'), '等待复核');
    await tabTo(a, a.getByRole('textbox', { name: '新预算（元）' }), 150);
    await a.keyboard.type('150000');
    await a.keyboard.press('Tab');
    await a.keyboard.type('追加第二批检测券预算');
    await tabTo(a, a.getByRole('button', { name: '提议调整预算' }));
    await a.keyboard.press('Enter');
    await hasText(a.getByTestId('budget-proposal'), '¥100,000.00 调整为 ¥150,000.00');
    await expectAccessible(a, 'programme page with proposals');

    // its own proposals: marked as waiting for someone else, no approve button
    await a.goto('/admin/approvals');
    const mine = a.getByTestId('approvals-queue').locator('[data-kind="PAYOUT_RUN"]');
    await hasText(mine.getByTestId('yours'), '您提出的，等待另一位管理员复核');
    await tabTo(a, mine.getByRole('link'), 150);
    await a.keyboard.press('Enter');
    const own = a.getByTestId('approval-detail');
    await visible(own.getByTestId('own-proposal'));
    expect(await own.getByRole('button', { name: '批准', exact: true }).count()).toBe(0);
    await visible(own.getByRole('button', { name: '撤回提议' }));
    await expectAccessible(a, 'own proposal');
    await screenshot(a, 'admin-queue-approvals');

    // the second administrator approves both from the queue
    await approveFromQueue(b, `[data-kind="PAYOUT_RUN"]`, '批准');
    await approveFromQueue(b, `[data-kind="BUDGET_CHANGE"]`, '批准');
    await expectAccessible(b, 'approved proposal');

    // the first administrator's programme page follows: paid, and the new budget
    await a.goto(`/programmes/${programmeId}`);
    await hasText(account(a, 'PAID'), claimYuan, { exact: true, timeout: 90_000 });
    await hasText(account(a, 'TOTAL'), '¥150,000.00', { exact: true });
    await gone(a.getByTestId('payout-proposal'));
    await gone(a.getByTestId('budget-proposal'));
    expect((await api.deps.repos.programmes.findById(programmeId))!.budgetFen).toBe(15_000_000);
  }, 300_000);
});

describe('four eyes in the administrators’ console, in English', () => {
  it('shows the queue, a proposal and its decision in English', async () => {
    const proposed = await api.call<ApprovalBody>('POST', `/api/v1/programs/${programmeId}/budget-changes`, {
      token: first.token,
      body: { newBudgetFen: 14_000_000, reason: 'returned to the treasury' },
    });
    expect(proposed.status, proposed.text).toBe(202);
    const reader = await api.givenUser('ADMIN', { locale: 'en' });
    const page = await signedIn('en', reader.email, '/admin/approvals');
    await visible(page.getByRole('heading', { name: 'Second approvals', level: 1 }));
    const row = page.getByTestId('approvals-queue').locator(`[data-approval="${proposed.body.id}"]`);
    await hasText(row, 'budget CNY 150,000.00 → CNY 140,000.00');
    await hasText(row.locator('[data-status]'), 'Awaiting approval', { exact: true });
    await expectAccessible(page, 'second approvals (English)');
    await approveFromQueue(page, `[data-approval="${proposed.body.id}"]`, 'Approve');
    await hasText(page.getByTestId('approval-detail'), 'Budget after');
    expect((await api.deps.repos.programmes.findById(programmeId))!.budgetFen).toBe(14_000_000);
  }, 120_000);
});
