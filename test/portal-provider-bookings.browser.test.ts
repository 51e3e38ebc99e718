import { createHash } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
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
import { givenListedProvider, pdfReport, type ProviderFixture } from './support/providers';
import {
  DEMAND,
  givenAdmin,
  givenApprovedVoucher,
  givenProgramme,
  givenSme,
  type Caller,
} from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

const PASSWORD = 'correct horse battery staple';

let api: TestApi;
let worker: TestWorkerHarness;
let browser: Browser;
let admin: Caller;
let programmeId: string;

interface BookingBody {
  id: string;
  lines: { serviceId: string; startDate: string }[];
}

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
      name: '上海市中小企业检测券（机构工作台测试）',
      policy: { providerConfirmWithin: '2h', acceptanceWithin: '1h', voucherValidity: '30d' },
    })
  ).id;
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await worker?.stop();
});

/** A lab with one service of ten samples a day, covering the SMEs' demand. */
function givenLab(name: string): Promise<ProviderFixture> {
  return givenListedProvider(api, {
    name: `${name} ${Date.now() % 10000}`,
    services: [
      {
        name: '环境与静电放电抗扰度试验',
        standards: ['GB/T 2423.1', 'IEC 61000-4-2'],
        unitPriceFen: 30_000,
        dailyCapacity: 10,
      },
    ],
  });
}

/** An SME with a voucher books the lab through the API: a booking the lab then handles in the portal. */
async function givenBookingAt(lab: ProviderFixture, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const sme = await givenSme(api, {}, locale);
  const { voucherId } = await givenApprovedVoucher(api, admin, sme, programmeId, 1_000_000);
  const res = await api.call<BookingBody>('POST', '/api/v1/bookings', {
    token: sme.token,
    body: { voucherId, providerId: lab.providerId, demand: DEMAND },
  });
  expect(res.status, res.text).toBe(201);
  return { ...res.body, sme };
}

async function asOther(token: string, path: string, body: object = {}) {
  const res = await api.call('POST', `/api/v1${path}`, { token, body });
  expect(res.status, res.text).toBeLessThan(300);
}

async function signIn(page: Page, email: string, words: { email: string; password: string; submit: string }) {
  await page.goto('/');
  await page.getByLabel(words.email).fill(email);
  await page.getByLabel(words.password).fill(PASSWORD);
  await page.getByRole('button', { name: words.submit }).click();
  await page.waitForURL('**/provider');
}

const ZH = { email: '电子邮箱', password: '密码', submit: '登录' };
const EN = { email: 'E-mail', password: 'Password', submit: 'Sign in' };

/** The calendar's cell for a day, in the grid of the lab's one service. */
const dayCell = (page: Page, date: string): Locator =>
  page.getByRole('gridcell').and(page.locator(`[data-date="${date}"]`));

/** The first short reference of a booking, as the inbox and calendar name it. */
const ref = (id: string) => id.slice(0, 8).toUpperCase();

/**
 * Drops a file on the drop zone as a browser's drag and drop does. A file dragged from the desktop comes
 * with a file-system entry; one made in the page has none, so the page is given the entry a real drop has.
 */
async function dropFile(page: Page, zone: Locator, name: string, content: string, type: string) {
  await page.evaluate(`DataTransferItem.prototype.webkitGetAsEntry = function () {
    return this.kind === 'file' ? { isFile: true, isDirectory: false } : null;
  }`);
  const dataTransfer = await page.evaluateHandle(`(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([${JSON.stringify(content)}], ${JSON.stringify(name)}, { type: ${JSON.stringify(type)} }));
    return transfer;
  })()`);
  for (const event of ['dragenter', 'dragover', 'drop']) await zone.dispatchEvent(event, { dataTransfer });
}

describe('the lab’s bookings and capacity in the portal', () => {
  it('confirms with a quote, declines, records samples, uploads the report and the co-payment (zh-CN)', async () => {
    const lab = await givenLab('上海环境与电磁兼容检测中心');
    const first = await givenBookingAt(lab);
    const second = await givenBookingAt(lab);
    const day = first.lines[0]!.startDate;
    expect(second.lines[0]!.startDate).toBe(day);

    const { page, problems } = await openPortal(browser, api.url, 'zh-CN');
    onTestFailed(() => screenshot(page, 'failed-provider-bookings'));
    await signIn(page, lab.email, ZH);

    // the inbox: both bookings wait for the lab, with the time left to confirm
    await page.getByRole('navigation').getByRole('link', { name: '预约', exact: true }).click();
    await visible(page.getByRole('heading', { name: '预约收件箱', level: 1 }));
    await visible(page.getByRole('heading', { name: '待机构确认（2）' }));
    const firstRow = page.getByRole('row').filter({ hasText: ref(first.id) });
    await hasText(firstRow, '待本机构处理 · 确认预约并报价');
    await hasText(firstRow, '剩余 1 小时');
    await expectAccessible(page, 'provider inbox');

    // the calendar: the day holds both bookings' samples; the day's bookings one keystroke away
    await page.getByRole('navigation').getByRole('link', { name: '能力日历' }).click();
    const grid = page.getByRole('grid', { name: '环境与静电放电抗扰度试验：每日 10 件' });
    await visible(grid);
    await hasText(dayCell(page, day), '空余 4');
    await hasText(dayCell(page, day), '预留 6');
    await expectAccessible(page, 'capacity calendar');
    // keyboard: into the grid, along the days with the arrow keys, Enter shows the day's bookings
    await tabTo(page, grid.locator('[tabindex="0"]'));
    const focusedDate = () =>
      page.evaluate<string | null>(`document.activeElement?.getAttribute('data-date')`);
    const start = (await focusedDate())!;
    await page.keyboard.press('ArrowRight');
    expect(await focusedDate()).not.toBe(start);
    await page.keyboard.press('ArrowLeft');
    expect(await focusedDate()).toBe(start);
    await dayCell(page, day).focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('region', { name: /环境与静电放电抗扰度试验$/ });
    await visible(panel.getByRole('link', { name: `预约 ${ref(first.id)}：3 件样品` }));
    await visible(panel.getByRole('link', { name: `预约 ${ref(second.id)}：3 件样品` }));

    // the day in the inbox, then the first booking
    await panel.getByRole('link', { name: '在预约收件箱中查看这一天' }).click();
    await visible(page.getByText('占用“环境与静电放电抗扰度试验”检测能力的预约'));
    await page.getByRole('link', { name: new RegExp(`^预约 ${ref(first.id)}`) }).click();
    await page.waitForURL(`**/bookings/${first.id}`);

    // confirm: a quote the service refuses shows its words beside the field; the split follows the quote
    const quote = page.getByLabel('报价（元）');
    await quote.fill('0');
    await page.getByRole('button', { name: '确认预约' }).click();
    await visible(page.locator('.problem').filter({ hasText: 'quotedPriceFen' }));
    await quote.fill('900.5');
    await hasText(page.getByTestId('preview-subsidy'), '¥450.25', { exact: true });
    await hasText(page.getByTestId('preview-copayment'), '¥450.25', { exact: true });
    await expectAccessible(page, 'booking to confirm');
    await page.getByRole('button', { name: '确认预约' }).click();
    await visible(page.locator('.now [data-status="CONFIRMED"]'));
    await hasText(page.getByTestId('booking-subsidy'), '¥450.25', { exact: true });

    // the calendar: the first booking's hold has become a booking
    await page.getByRole('navigation').getByRole('link', { name: '能力日历' }).click();
    await hasText(dayCell(page, day), '预留 3');
    await hasText(dayCell(page, day), '已订 3');
    await screenshot(page, 'provider-calendar');

    // samples, then the report: a wrong file is refused before any upload, the PDF goes with its progress
    await page.goto(`/bookings/${first.id}`);
    await page.getByRole('button', { name: '登记样品已收到' }).click();
    await visible(page.locator('.now [data-status="SAMPLE_RECEIVED"]'));
    const zone = page.locator('.drop-zone');
    await dropFile(page, zone, 'notes.txt', 'not a report', 'text/plain');
    await visible(page.getByText('“notes.txt”不是 PDF 文件，请选择以 .pdf 结尾的文件'));
    await dropFile(page, zone, 'fake.pdf', 'PK not a pdf', 'application/pdf');
    await visible(page.getByText('“fake.pdf”的内容不是 PDF，请检查文件是否正确'));
    await expectAccessible(page, 'report upload with a refused file');

    await page.getByRole('button', { name: /检测结论/ }).click();
    await page.getByRole('option', { name: '合格', exact: true }).click();
    const pdf = Buffer.from(pdfReport(`report ${first.id}`), 'base64');
    const chooser = page.getByRole('button', { name: '选择 PDF 文件' });
    await tabTo(page, chooser);
    const [fileChooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Enter')]);
    await fileChooser.setFiles({ name: 'report-2026.pdf', mimeType: 'application/pdf', buffer: pdf });
    await visible(page.getByText('已选择：report-2026.pdf'));
    await page.getByRole('button', { name: '上传报告' }).click();
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    await hasText(page.getByTestId('local-sha256'), sha256, { exact: true });
    await visible(page.getByText('两者一致：服务收到的正是所选文件。'));
    await visible(page.locator('.now [data-status="REPORTED"]'));
    await expectAccessible(page, 'report uploaded');

    // the SME accepts through the API; the lab records the co-payment it received
    await asOther(first.sme.token, `/bookings/${first.id}/accept`);
    await page.reload();
    await visible(page.getByRole('heading', { name: '登记收到企业自付款' }));
    await page.getByLabel('收款流水号').fill('ICBC-20261123-000777');
    await page.getByRole('button', { name: '登记收款' }).click();
    await gone(page.getByRole('heading', { name: '登记收到企业自付款' }));
    await visible(page.getByText('ICBC-20261123-000777'));

    // decline the second: too short a reason is refused beside the field, a real one declines it
    await page.goto(`/bookings/${second.id}`);
    const reason = page.getByLabel('拒绝原因');
    await reason.fill('无');
    await page.getByRole('button', { name: '拒绝预约' }).click();
    await visible(page.locator('.problem').filter({ hasText: 'reason' }));
    await reason.fill('该日设备检修，无法按期检测');
    await page.getByRole('button', { name: '拒绝预约' }).click();
    await visible(page.locator('.now [data-status="DECLINED"]'));

    // the inbox, grouped by status, a new booking first; the filter keeps one status
    const third = await givenBookingAt(lab);
    await page.getByRole('navigation').getByRole('link', { name: '预约', exact: true }).click();
    await visible(page.getByRole('heading', { name: '待机构确认（1）' }));
    await visible(page.getByRole('row').filter({ hasText: ref(third.id) }));
    await visible(page.getByRole('heading', { name: '机构已拒绝（1）' }));
    await visible(page.getByRole('heading', { name: /^已确认报告（1）$/ }));
    await screenshot(page, 'provider-inbox');
    await page.getByRole('button', { name: /按状态筛选/ }).click();
    await page.getByRole('option', { name: '机构已拒绝' }).click();
    await gone(page.getByRole('heading', { name: /^已确认报告/ }));
    await visible(page.getByRole('heading', { name: '机构已拒绝（1）' }));
    await expectAccessible(page, 'provider inbox filtered');
    expect(problems).toEqual([]);
  });

  it('in English: the hold on a day becomes a booking once the lab confirms', async () => {
    const lab = await givenLab('Pudong EMC laboratory');
    const booking = await givenBookingAt(lab, 'en');
    const day = booking.lines[0]!.startDate;
    const labUser = await api.givenUser('PROVIDER', { locale: 'en', providerId: lab.providerId });

    const { page, problems } = await openPortal(browser, api.url, 'en');
    onTestFailed(() => screenshot(page, 'failed-provider-bookings-en'));
    await signIn(page, labUser.email, EN);
    await page.getByRole('navigation').getByRole('link', { name: 'Calendar' }).click();
    await hasText(dayCell(page, day), '3 held');
    await hasText(dayCell(page, day), '7 free');
    await expectAccessible(page, 'capacity calendar in English');
    await dayCell(page, day).click();
    await page.getByRole('link', { name: `Booking ${ref(booking.id)}: 3 samples` }).click();
    await page.waitForURL(`**/bookings/${booking.id}`);

    await page.getByLabel('Quote (yuan)').fill('1,000');
    await hasText(page.getByTestId('preview-subsidy'), 'CNY 500.00', { exact: true });
    await hasText(page.getByTestId('preview-copayment'), 'CNY 500.00', { exact: true });
    await expectAccessible(page, 'booking to confirm in English');
    await page.getByRole('button', { name: 'Confirm the booking' }).click();
    await visible(page.locator('.now [data-status="CONFIRMED"]'));

    await page.getByRole('navigation').getByRole('link', { name: 'Bookings' }).click();
    await visible(page.getByRole('heading', { name: 'Confirmed (1)' }));
    const row = page.getByRole('row').filter({ hasText: ref(booking.id) });
    await hasText(row, 'the enterprise · send the samples');
    await hasText(row, 'left');
    await expectAccessible(page, 'inbox in English');
    await page.getByRole('navigation').getByRole('link', { name: 'Calendar' }).click();
    await hasText(dayCell(page, day), '3 booked');
    await gone(dayCell(page, day).getByText('held'));
    expect(problems).toEqual([]);
  });
});
