import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { addDays, localDate } from '../domain/calendar';
import { startTestApi, type TestApi } from './support/api';
import {
  expectAccessible,
  gone,
  hasText,
  launchBrowser,
  openPortal,
  screenshot,
  tabTo,
  typeDate,
  visible,
} from './support/browser';
import { mailbox } from './support/mailbox';
import { mailedLink } from './support/mail-links';
import { givenRegisteredProvider, registrationBody } from './support/provider-fixtures';
import { creditCodeFor, givenAdmin, type Caller } from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;
let browser: Browser;
let admin: Caller;

const PASSWORD = 'correct horse battery staple';

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

/** The administrator's verification, through the API: the portal then shows the provider's side of it. */
async function approve(providerId: string) {
  const res = await api.call<{ status: string }>('POST', `/api/v1/providers/${providerId}/verification`, {
    token: admin.token,
    body: { decision: 'APPROVE' },
  });
  expect(res.status, res.text).toBe(200);
}

/** `YYYY-MM-DD` some days from today (Shanghai) as the digits typed into a date field. */
const daysAhead = (days: number) => addDays(localDate(new Date()), days);
const digits = (date: string) => date.replaceAll('-', '');

/** The error shown under a field of the form, found through the field's own label. */
const errorAt = (page: Page, field: Locator) =>
  page.locator('.field', { has: field }).locator('.field-error');

/** The accreditation of the form (`资质 2`) whose certificate number field holds `number`. */
async function accreditationGroup(page: Page, legend: string, number: string): Promise<Locator> {
  const groups = page.getByRole('group', { name: new RegExp(`^${legend} \\d+$`) });
  for (let i = 0; i < (await groups.count()); i += 1) {
    const group = groups.nth(i);
    if ((await group.getByLabel('证书编号').inputValue()) === number) return group;
  }
  throw new Error(`no accreditation ${number} in the form`);
}

interface Focusable {
  ownerDocument: { activeElement: unknown };
}

/** Whether the keyboard is at this element now. */
async function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((el) => (el as unknown as Focusable).ownerDocument.activeElement === el);
}

describe('the provider’s onboarding and catalog in the portal, in Chinese', () => {
  it('registers the lab, is listed once verified, renews an expiring accreditation and keeps its catalog', async () => {
    const { page, problems } = await openPortal(browser, api.url, 'zh-CN');
    onTestFailed(() => screenshot(page, 'failed-provider-onboarding'));

    // a new user of a lab: the home says there is no provider yet and leads to onboarding
    await page.goto('/register');
    await page.getByText('检验检测服务机构', { exact: true }).click();
    await page.getByLabel('姓名').fill('周敏');
    const email = `zhou.min.${Date.now()}@vouchers.test`;
    await page.getByLabel('电子邮箱').fill(email);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '注册并登录' }).click();
    await page.waitForURL('**/provider');
    // the catalog waits for a confirmed address: the person follows the link mailed at registration
    await page.goto(await mailedLink(mailbox(inject('services').mailApiUrl), email, '/verify-email'));
    await visible(page.getByText('您的电子邮箱已确认。'));
    await page.getByRole('link', { name: '继续' }).click();
    await page.waitForURL('**/provider');
    await visible(page.getByText('您的账号尚未关联服务机构。'));
    await expectAccessible(page, 'provider home without a provider');
    await page.getByRole('link', { name: '登记服务机构' }).click();
    await page.waitForURL('**/provider/onboarding');

    // the organisation and two accreditations; the CNAS one lapses within the warning period
    const creditCode = creditCodeFor('310115');
    const name = `上海精科检测技术中心 ${Date.now() % 10_000}`;
    const cnasNumber = `CNAS L${String(10_000 + Math.floor(Math.random() * 89_999))}`;
    const soon = daysAhead(20);
    await page.getByLabel('统一社会信用代码').fill(creditCode);
    await visible(page.getByText('校验通过'));
    await page.getByLabel('机构名称').fill(name);
    await page.getByLabel('所在地区代码').fill('310115');
    await page.getByLabel('法定代表人').fill('周敏');
    await page.getByLabel('联系电话').fill('021-50801234');
    await page.getByLabel('地址').fill('上海市浦东新区龙东大道 3000 号');
    const first = page.getByRole('group', { name: '资质 1' });
    await first.getByLabel('证书编号').fill(cnasNumber);
    await first.getByLabel('认可范围（标准）').fill('GB/T 2423.1, GB/T 2423.2');
    await typeDate(page, first.getByRole('group', { name: '有效期至' }), digits(soon));
    await page.getByRole('button', { name: '添加一项资质' }).click();
    const second = page.getByRole('group', { name: '资质 2' });
    await second.getByRole('button', { name: /资质类别/ }).click();
    await page.getByRole('option', { name: 'CMA 资质认定' }).click();
    await second.getByLabel('证书编号').fill(`2015${String(Date.now()).slice(-8)}`);
    await second.getByLabel('认可范围（标准）').fill('IEC 61000-4-2');
    await typeDate(page, second.getByRole('group', { name: '有效期至' }), digits(daysAhead(700)));
    await expectAccessible(page, 'provider registration');
    await page.getByRole('button', { name: '提交登记' }).click();

    // pending verification, and the expiring accreditation is warned about in words
    const verification = page.getByTestId('verification');
    await visible(verification.locator('[data-status="PENDING_VERIFICATION"]'));
    await hasText(verification, '资质已提交，等待管理员核验。');
    await hasText(page.getByTestId('expiry-warnings'), `资质 ${cnasNumber} 将于`);
    await hasText(page.getByTestId('expiry-warnings'), '请在到期前提交续期后的证书');
    await expectAccessible(page, 'provider pending verification');

    // an administrator verifies it through the API: the page shows it listed
    const provider = await api.db.provider.findUniqueOrThrow({ where: { creditCode } });
    await approve(provider.id);
    await page.reload();
    await visible(verification.locator('[data-status="LISTED"]'));
    await hasText(verification, '已通过核验并入库');
    const verified = page.getByTestId('accreditations-verified');
    await hasText(verified.getByRole('row', { name: new RegExp(cnasNumber) }), '即将到期，请续期');
    await hasText(verified.getByRole('row', { name: /^CMA / }), '起提醒续期');
    await hasText(page.getByTestId('expiry-warnings'), `资质 ${cnasNumber} 将于`);
    await expectAccessible(page, 'provider listed with an accreditation to renew');
    await screenshot(page, 'provider-onboarding');

    // the renewed certificate, submitted from the form filled with what is held now
    const renewal = await accreditationGroup(page, '资质', cnasNumber);
    await typeDate(page, renewal.getByRole('group', { name: '有效期至' }), digits(daysAhead(900)));
    await page.getByRole('button', { name: '提交资质' }).click();
    await visible(page.getByRole('heading', { name: '等待核验的资质' }));
    await visible(verification.locator('[data-status="LISTED"]'));
    await approve(provider.id);
    await page.reload();
    await visible(page.getByTestId('accreditations-verified'));
    await gone(page.getByTestId('expiry-warnings'));
    await gone(page.getByRole('heading', { name: '等待核验的资质' }));
    await hasText(page.locator('.timeline'), '续期资质已核验生效');

    // the catalog, keyboard only: a service claiming a standard outside the accredited scope
    await page.getByRole('navigation').getByRole('link', { name: '服务目录' }).click();
    await page.waitForURL('**/provider/catalog');
    await visible(page.getByText('目录中还没有服务，请添加。'));
    await visible(page.getByText('资质认可范围：GB/T 2423.1, GB/T 2423.2, IEC 61000-4-2'));
    await expectAccessible(page, 'empty catalog');
    await tabTo(page, page.getByRole('button', { name: '添加服务' }));
    await page.keyboard.press('Enter');
    const serviceName = page.getByLabel('第 1 项服务：名称');
    await visible(serviceName);
    expect(await isFocused(serviceName)).toBe(true);
    await page.keyboard.type('高低温与盐雾试验');
    await tabTo(page, page.getByLabel('第 1 项服务：标准 1'));
    await page.keyboard.type('GB/T 2423.1');
    await tabTo(page, page.getByRole('button', { name: '为第 1 项服务添加标准' }));
    await page.keyboard.press('Enter');
    const secondStandard = page.getByLabel('第 1 项服务：标准 2');
    await visible(secondStandard);
    expect(await isFocused(secondStandard)).toBe(true);
    await page.keyboard.type('GB/T 2423.17');
    await tabTo(page, page.getByLabel('第 1 项服务：单价（元）'));
    await page.keyboard.type('1800.50');
    await tabTo(page, page.getByLabel('第 1 项服务：周期（天）'));
    await page.keyboard.type('5');
    await tabTo(page, page.getByLabel('第 1 项服务：日接样能力'));
    await page.keyboard.type('4');
    await tabTo(page, page.getByRole('button', { name: '保存目录' }));
    await page.keyboard.press('Enter');

    // refused: the service's reason at the standard it concerns, and the keyboard is taken there
    await hasText(
      errorAt(page, secondStandard),
      'GB/T 2423.17 is not covered by any accreditation of the provider',
    );
    expect(await secondStandard.getAttribute('aria-invalid')).toBe('true');
    expect(await isFocused(secondStandard)).toBe(true);
    await hasText(page.getByRole('alert'), 'SERVICE_OUT_OF_SCOPE');
    expect(await errorAt(page, page.getByLabel('第 1 项服务：标准 1')).count()).toBe(0);
    await expectAccessible(page, 'catalog refused for an out-of-scope standard');
    await screenshot(page, 'provider-catalog-refused');

    // corrected to a standard of the scope, and saved with Enter
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('GB/T 2423.2');
    await page.keyboard.press('Enter');
    await visible(page.getByText('服务目录已保存'));
    await gone(page.getByRole('alert'));

    // after a reload the saved catalog is what the page shows; the price is exact in fen
    await page.reload();
    await expect(page.getByLabel('第 1 项服务：名称').inputValue()).resolves.toBe('高低温与盐雾试验');
    await expect(page.getByLabel('第 1 项服务：标准 1').inputValue()).resolves.toBe('GB/T 2423.1');
    await expect(page.getByLabel('第 1 项服务：标准 2').inputValue()).resolves.toBe('GB/T 2423.2');
    await expect(page.getByLabel('第 1 项服务：单价（元）').inputValue()).resolves.toBe('1800.50');
    await expect(page.getByLabel('第 1 项服务：周期（天）').inputValue()).resolves.toBe('5');
    await expect(page.getByLabel('第 1 项服务：日接样能力').inputValue()).resolves.toBe('4');
    const saved = await api.db.service.findMany({ where: { providerId: provider.id, active: true } });
    expect(saved.map((s) => [s.name, s.standards, s.unitPriceFen, s.inScope])).toEqual([
      ['高低温与盐雾试验', ['GB/T 2423.1', 'GB/T 2423.2'], 180_050n, true],
    ]);
    await expectAccessible(page, 'saved catalog');
    expect(problems).toEqual([]);
  });
});

describe('the provider’s onboarding and catalog in English', () => {
  it('shows why a provider was delisted, and checks an amount before saving the catalog', async () => {
    const registered = await givenRegisteredProvider(api, registrationBody(), 'en');
    const reason = 'CNAS accreditation CNAS L2041 expired on 2026-01-31';
    // the delisting itself has its own end-to-end test; here the page only has to show it
    await api.db.provider.update({
      where: { id: registered.providerId },
      data: { status: 'DELISTED', statusReason: reason },
    });
    const { page, problems } = await openPortal(browser, api.url, 'en');
    onTestFailed(() => screenshot(page, 'failed-provider-english'));
    await page.goto('/provider/onboarding');
    await page.getByLabel('E-mail').fill(registered.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/provider/onboarding');

    const verification = page.getByTestId('verification');
    await visible(verification.locator('[data-status="DELISTED"]'));
    await hasText(verification, 'The provider has been delisted and cannot be booked for now.');
    await hasText(verification, 'Why it was delisted');
    await hasText(verification, reason);
    await visible(page.getByRole('heading', { name: 'Renew or correct accreditations' }));
    await expectAccessible(page, 'delisted provider (English)');

    await page.getByRole('navigation').getByRole('link', { name: 'Catalog' }).click();
    await page.waitForURL('**/provider/catalog');
    await tabTo(page, page.getByRole('button', { name: 'Add service' }));
    await page.keyboard.press('Enter');
    await page.keyboard.type('Electrostatic discharge immunity');
    await tabTo(page, page.getByLabel('Service 1: standard 1'));
    await page.keyboard.type('IEC 61000-4-2');
    const price = page.getByLabel('Service 1: unit price (CNY)');
    await tabTo(page, price);
    await page.keyboard.type('12.345');
    await hasText(errorAt(page, price), 'Enter an amount in yuan with at most two decimals');
    await tabTo(page, page.getByRole('button', { name: 'Save catalog' }));
    await page.keyboard.press('Enter');
    // nothing is sent while the page shows a field as wrong; the empty ones say so too
    await hasText(errorAt(page, page.getByLabel('Service 1: turnaround (days)')), 'Fill this in');
    expect(await isFocused(price)).toBe(true);
    await expectAccessible(page, 'catalog with fields to correct (English)');
    expect(await api.db.service.count({ where: { providerId: registered.providerId } })).toBe(0);

    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('120.35');
    await tabTo(page, page.getByLabel('Service 1: turnaround (days)'));
    await page.keyboard.type('3');
    await tabTo(page, page.getByLabel('Service 1: daily capacity'));
    await page.keyboard.type('10');
    await page.keyboard.press('Enter');
    await visible(page.getByText('Catalog saved'));
    const [service] = await api.db.service.findMany({ where: { providerId: registered.providerId } });
    expect(service).toMatchObject({ standards: ['IEC 61000-4-2'], unitPriceFen: 12_035n, dailyCapacity: 10 });
    expect(problems).toEqual([]);
  });
});
