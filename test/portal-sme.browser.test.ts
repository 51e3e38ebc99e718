import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { creditCodeCheckCharacter } from '../domain/credit-code';
import { startTestApi, type TestApi } from './support/api';
import { runPayout } from './support/four-eyes';
import {
  expectAccessible,
  gone,
  hasText,
  idInUrl,
  launchBrowser,
  openPortal,
  screenshot,
  typeDate,
  visible,
} from './support/browser';
import { mailbox } from './support/mailbox';
import { mailedLink } from './support/mail-links';
import { givenListedProvider, pdfReport, type ProviderFixture } from './support/providers';
import { creditCodeFor, givenAdmin, givenProgramme, type Caller } from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;
let browser: Browser;
let admin: Caller;

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  [worker, api, browser] = await Promise.all([
    startTestWorker({ taskQueue }),
    startTestApi({ taskQueue }),
    launchBrowser(),
  ]);
  admin = await givenAdmin(api);
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await worker?.stop();
});

/** A step of another party, through the API: what the portal then shows is the SME's side of it. */
async function asOther(token: string, path: string, body: object = {}) {
  const res = await api.call('POST', `/api/v1${path}`, { token, body });
  expect(res.status, res.text).toBeLessThan(300);
}

/** A credit code with the right shape and a wrong check character: what a typing slip produces. */
function mistyped(code: string): string {
  const right = creditCodeCheckCharacter(code.slice(0, 17));
  return code.slice(0, 17) + (right === '1' ? '2' : '1');
}

async function registerAndEnterprise(page: Page, email: string) {
  await page.goto('/register');
  await expectAccessible(page, 'registration');
  await page.getByLabel('姓名').fill('刘晓');
  await page.getByLabel('电子邮箱').fill(email);
  await page.getByLabel('密码').fill('correct horse battery staple');
  await page.getByRole('button', { name: '注册并登录' }).click();
  await page.waitForURL('**/sme/enterprise');
  await hasText(page.getByRole('heading', { level: 1 }), '登记企业信息', { exact: true });

  const code = creditCodeFor('310115');
  const creditCode = page.getByLabel('统一社会信用代码');
  await creditCode.fill(mistyped(code));
  await visible(page.getByText('校验码（第 18 位）不符合 GB 32100-2015，可能有字符输错'));
  await expectAccessible(page, 'enterprise registration with a credit-code error');
  await creditCode.fill(code);
  await visible(page.getByText('校验通过'));
  await page.getByLabel('企业名称').fill('上海精测电子科技有限公司');
  await page.getByLabel('所在地区代码').fill('310115');
  await page.getByLabel('行业代码').fill('C3989');
  await page.getByLabel('从业人数').fill('85');
  await page.getByLabel('上年营业收入（元）').fill('45000000');
  await page.getByText('专精特新', { exact: true }).click();
  await page.getByLabel('法定代表人').fill('陈立');
  await page.getByLabel('联系电话').fill('021-62345678');
  await page.getByLabel('地址').fill('上海市浦东新区张江路 88 号');
  await page.getByRole('button', { name: '登记企业' }).click();
  await page.waitForURL('**/sme');

  // the first application waits for the address: the person follows the link mailed at registration
  await visible(page.getByText(`我们已向 ${email} 发送了确认链接`, { exact: false }));
  await page.goto(await mailedLink(mailbox(inject('services').mailApiUrl), email, '/verify-email'));
  await visible(page.getByText('您的电子邮箱已确认。'));
  await page.getByRole('link', { name: '继续' }).click();
  await page.waitForURL('**/sme');
}

describe('the SME’s journey in the portal, in Chinese', () => {
  it('registers, applies, answers the reviewer, books a matched lab, follows the booking to the payout', async () => {
    const programme = await givenProgramme(api, admin, {
      name: '上海市中小企业检测券（门户测试）',
      policy: {
        providerConfirmWithin: '1h',
        reportGrace: '2s',
        acceptanceWithin: '1h',
        dayLength: '1s',
        payoutSchedule: '24h',
        voucherValidity: '30d',
      },
    });
    const lab: ProviderFixture = await givenListedProvider(api, {
      name: `上海环境与电磁兼容检测中心 ${Date.now() % 10000}`,
      services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000, turnaroundDays: 2 }],
    });
    const partial = await givenListedProvider(api, {
      name: `浦东静电放电实验室 ${Date.now() % 10000}`,
      services: [{ standards: ['IEC 61000-4-2'], unitPriceFen: 20_000 }],
    });

    const { page, problems } = await openPortal(browser, api.url, 'zh-CN');
    onTestFailed(() => screenshot(page, 'failed-sme-journey'));
    await registerAndEnterprise(page, `liu.xiao.${Date.now()}@vouchers.test`);
    await visible(page.getByRole('heading', { name: '我的待办', level: 1 }));
    await expectAccessible(page, 'SME home');

    // the open programmes and the rules of this one, in words
    await page.getByRole('navigation').getByRole('link', { name: '检测券项目' }).click();
    await page.getByRole('link', { name: '上海市中小企业检测券（门户测试）' }).click();
    await visible(page.getByText('检测券支付机构报价的 50%，其余由企业自付。'));
    await visible(page.getByText('¥20,000.00'));
    await expectAccessible(page, 'programme and application form');

    // apply: amount, purpose, the demand with its standards, samples and date
    await page.getByLabel('申请金额（元）').fill('10000');
    await page.getByLabel('检测用途').fill('工业控制主板出口前的型式试验');
    await page.getByLabel('检测标准或项目').fill('GB/T 2423.1, IEC 61000-4-2');
    await page.getByLabel('样品数量').fill('3');
    await typeDate(page, page.getByRole('group', { name: '最晚完成日期' }), '20270630');
    await screenshot(page, 'sme-apply');
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.waitForURL('**/applications/*');
    const applicationId = idInUrl(page, 'applications');
    await visible(page.locator('[data-status="UNDER_REVIEW"]'));
    await visible(page.getByText('提交申请'));

    // the reviewer asks for more; the SME answers and the application is back under review
    await asOther(admin.token, `/applications/${applicationId}/decision`, {
      decision: 'REQUEST_INFO',
      message: '请补充产品的出口目的国',
    });
    await page.reload();
    await visible(page.getByText('请补充产品的出口目的国'));
    await expectAccessible(page, 'application with information requested');
    await page.getByLabel('补充说明').fill('出口目的国为德国，适用欧盟 CE 认证。');
    await page.getByRole('button', { name: '重新提交' }).click();
    await visible(page.locator('[data-status="UNDER_REVIEW"]'));

    // approved: the voucher with its balance and validity
    await asOther(admin.token, `/applications/${applicationId}/decision`, { decision: 'APPROVE' });
    await page.reload();
    await page.getByRole('link', { name: '查看检测券' }).click();
    await page.waitForURL('**/vouchers/*');
    await hasText(page.getByTestId('voucher-balance'), '¥10,000.00', { exact: true });
    await expectAccessible(page, 'voucher');

    // matching: the lab ranks, its score broken into parts; the partial lab is a near miss with its reason
    await page.getByRole('button', { name: '查找机构' }).click();
    const bookLab = page.getByRole('button', { name: `预约 ${lab.name}` });
    await visible(bookLab);
    await page.getByRole('button', { name: `${lab.name} 的得分构成` }).click();
    await visible(page.getByRole('rowheader', { name: '价格' }).first());
    const nearMiss = page.locator('.near-misses > li', { hasText: partial.name });
    await hasText(nearMiss, '未提供该标准');
    await hasText(nearMiss, 'GB/T 2423.1');
    await expectAccessible(page, 'matches');
    await screenshot(page, 'sme-matches');

    // book, then follow the booking while the lab takes its steps through the API
    await bookLab.click();
    await page.waitForURL('**/bookings/*');
    const bookingId = idInUrl(page, 'bookings');
    await visible(page.locator('[data-status="REQUESTED"]').first());
    await hasText(page.locator('.now'), '等待服务机构：确认预约并报价');
    await hasText(page.locator('.now'), '截止');
    await visible(page.getByRole('heading', { name: '取消预约' }));
    await expectAccessible(page, 'booking requested');

    await asOther(lab.token, `/bookings/${bookingId}/confirm`, { quotedPriceFen: 90_000 });
    await visible(page.locator('[data-status="CONFIRMED"]').first());
    await hasText(page.getByTestId('booking-subsidy'), '¥450.00', { exact: true });
    await asOther(lab.token, `/bookings/${bookingId}/sample-received`);
    await visible(page.locator('[data-status="SAMPLE_RECEIVED"]').first());
    await gone(page.getByRole('heading', { name: '取消预约' }));
    await asOther(lab.token, `/bookings/${bookingId}/report`, {
      conclusion: 'PASS',
      fileName: 'report.pdf',
      contentBase64: pdfReport(`report ${bookingId}`),
    });
    await visible(page.getByRole('heading', { name: '确认或异议检测报告' }));
    await hasText(page.locator('.timeline'), '机构上传检测报告');
    await expectAccessible(page, 'booking reported');
    await screenshot(page, 'sme-booking');

    // the report downloads as the PDF the lab uploaded
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载报告（PDF）' }).click(),
    ]);
    const pdf = await readFile(await download.path());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    await page.getByRole('button', { name: '确认报告' }).click();
    await visible(page.getByRole('heading', { name: '登记自付款项' }));
    await page.getByLabel('付款流水号').fill('ICBC-20261123-000123');
    await page.getByRole('button', { name: '登记付款' }).click();

    // the claim follows, approved automatically; a payout run pays it
    await visible(page.locator('[data-status="APPROVED"]'), 60_000);
    await runPayout(api, admin, await givenAdmin(api), programme.id);
    await visible(page.locator('[data-status="PAID"]'), 60_000);
    await visible(page.getByText('转账流水号'));
    await expectAccessible(page, 'booking paid');

    // home: the voucher still has a balance to use before it expires
    await page.getByRole('navigation').getByRole('link', { name: '我的待办' }).click();
    await visible(page.getByRole('cell', { name: '在有效期内使用检测券预约检测' }));
    await visible(page.getByRole('link', { name: /^TV\d{4}-/ }));
    await gone(page.locator('.loading'));
    await screenshot(page, 'sme-home');
    expect(problems).toEqual([]);
  });
});
