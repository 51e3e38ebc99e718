import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { createTokenService } from '../api/http/auth';
import { userView } from '../api/routes/auth';
import { startTestApi, TEST_JWT_SECRET, type TestApi } from './support/api';
import {
  expectAccessible,
  hasText,
  idInUrl,
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
let lab: ProviderFixture;

const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  [worker, api, browser] = await Promise.all([
    startTestWorker({ taskQueue }),
    startTestApi({ taskQueue }),
    launchBrowser(),
  ]);
  admin = await givenAdmin(api);
  const programme = await givenProgramme(api, admin, {
    name: 'Shanghai SME testing vouchers (portal, English)',
    policy: {
      providerConfirmWithin: '1h',
      reportGrace: '1h',
      acceptanceWithin: '1h',
      dayLength: '1s',
      payoutSchedule: '24h',
      voucherValidity: '30d',
    },
  });
  programmeId = programme.id;
  lab = await givenListedProvider(api, {
    name: `Pudong EMC Laboratory ${Date.now() % 10000}`,
    services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000, turnaroundDays: 2 }],
  });
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await worker?.stop();
});

async function asOther(token: string, path: string, body: object = {}) {
  const res = await api.call<{ id: string }>('POST', `/api/v1${path}`, { token, body });
  expect(res.status, res.text).toBeLessThan(300);
  return res.body;
}

async function signIn(page: Page, email: string) {
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function englishPortal() {
  const portal = await openPortal(browser, api.url, 'en');
  onTestFailed(() => screenshot(portal.page, `failed-${Date.now()}`));
  return portal;
}

describe('the portal in English', () => {
  it('books with the keyboard alone, shows the service’s refusal beside the field, disputes and cancels', async () => {
    const sme = await givenSme(api, {}, 'en');
    const { voucherId } = await givenApprovedVoucher(api, admin, sme, programmeId, 1_000_000);
    const { page, problems } = await englishPortal();

    // a deep link before signing in: sign in first, then the page asked for
    await page.goto(`/vouchers/${voucherId}`);
    await page.waitForURL('**/sign-in?**');
    await expectAccessible(page, 'sign-in');
    await signIn(page, sme.email);
    await page.waitForURL(`**/vouchers/${voucherId}`);
    await hasText(page.getByTestId('voucher-balance'), 'CNY 10,000.00', { exact: true });
    await expectAccessible(page, 'voucher (English)');

    // keyboard only: find providers, read the score, book the lab
    await tabTo(page, page.getByRole('button', { name: 'Find providers' }));
    await page.keyboard.press('Enter');
    const why = page.getByRole('button', { name: `How ${lab.name} scored` });
    await visible(why);
    await tabTo(page, why);
    await page.keyboard.press('Enter');
    await visible(page.getByRole('rowheader', { name: 'On-time rate' }));
    await expectAccessible(page, 'matches (English)');
    await tabTo(page, page.getByRole('button', { name: `Book ${lab.name}` }));
    await page.keyboard.press('Enter');
    await page.waitForURL('**/bookings/*');
    const bookingId = idInUrl(page, 'bookings');
    await hasText(page.locator('.now'), 'Waiting for the provider to confirm the booking with a quote');
    await expectAccessible(page, 'booking requested (English)');

    await asOther(lab.token, `/bookings/${bookingId}/confirm`, { quotedPriceFen: 90_000 });
    await asOther(lab.token, `/bookings/${bookingId}/sample-received`);
    await asOther(lab.token, `/bookings/${bookingId}/report`, {
      conclusion: 'FAIL',
      fileName: 'report.pdf',
      contentBase64: pdfReport(`report ${bookingId}`),
    });
    await visible(page.getByRole('heading', { name: 'Accept or dispute the report' }));

    // a reason the service refuses (too short): its words show beside the field and the action
    const reason = page.getByLabel('Reason for the dispute');
    await reason.fill('x');
    await page.getByRole('button', { name: 'Dispute the report' }).click();
    await visible(page.getByRole('alert').filter({ hasText: 'Something in the form is not right' }));
    await hasText(page.locator('.field', { has: reason }).locator('.field-error'), '2');
    await expectAccessible(page, 'dispute refused (English)');
    await screenshot(page, 'sme-dispute-refused-en');

    await reason.fill('The samples were tested at the wrong temperature (−10 °C instead of −25 °C).');
    await page.getByRole('button', { name: 'Dispute the report' }).click();
    await visible(page.locator('[data-status="DISPUTED"]'));
    await hasText(page.locator('.now'), 'Waiting for an administrator to resolve the dispute');
    await hasText(page.locator('.timeline'), 'Report disputed');

    // a second booking, cancelled while the samples are still with the SME
    const second = await asOther(sme.token, '/bookings', {
      voucherId,
      providerId: lab.providerId,
      demand: DEMAND,
    });
    await page.goto(`/bookings/${second.id}`);
    await page.getByLabel('Reason for cancelling').fill('The product design changed; testing is postponed.');
    await page.getByRole('button', { name: 'Cancel the booking' }).click();
    await visible(page.locator('[data-status="CANCELLED"]').first());
    await hasText(page.locator('.timeline'), 'Booking cancelled');
    await expectAccessible(page, 'booking cancelled (English)');
    expect(problems).toEqual([]);
  });

  it('shows a refused application’s reasons beside the action', async () => {
    const sme = await givenSme(api, { regionCode: '320102', employees: 900 }, 'en');
    const { page, problems } = await englishPortal();
    await page.goto(`/sme/programmes/${programmeId}`);
    await signIn(page, sme.email);
    await page.waitForURL(`**/sme/programmes/${programmeId}`);
    await hasText(page.locator('.policy'), 'The voucher pays 50% of the provider’s quote');
    await page.getByLabel('Amount requested (yuan)').fill('8000.50');
    await page.getByLabel('What the testing is for').fill('Type testing before export');
    await page.getByLabel('Standards or test items').fill('GB/T 2423.1');
    await page.getByLabel('Number of samples').fill('2');
    await page.getByRole('group', { name: 'Latest completion date' }).getByRole('spinbutton').first().focus();
    await page.keyboard.type('06302027');
    await page.getByRole('button', { name: 'Submit application' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Refused by a programme rule' });
    await visible(alert);
    await hasText(alert, 'NOT_ELIGIBLE');
    await hasText(alert, '900');
    await expectAccessible(page, 'application refused (English)');
    await page.getByRole('link', { name: 'See the refused application' }).click();
    await visible(page.locator('[data-status="REJECTED"]'));
    await visible(page.getByRole('heading', { name: 'Why the application is not eligible' }));
    expect(problems).toEqual([]);
  });
});

describe('signing in and out', () => {
  it('an expired token leads back to sign-in with a message, then to the page asked for', async () => {
    const sme = await givenSme(api, {}, 'en');
    const { voucherId } = await givenApprovedVoucher(api, admin, sme, programmeId, 500_000);
    const user = (await api.deps.repos.users.findById(sme.userId))!;
    // a token the service itself signed an hour and a half ago, with an hour to live
    const past = createTokenService({
      secret: TEST_JWT_SECRET,
      issuer: api.deps.env.JWT_ISSUER,
      ttlSeconds: 3600,
      clock: { now: () => new Date(Date.now() - 90 * 60_000) },
    });
    const { token } = await past.issue({ ...user, tokenVersion: 0 });
    const { page, problems } = await englishPortal();
    await page.goto('/sign-in');
    await page.evaluate(
      (stored) => sessionStorage.setItem('vouchers.session', stored),
      JSON.stringify({
        token,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        user: userView(user),
      }),
    );
    await page.goto(`/vouchers/${voucherId}`);
    await visible(
      page.getByText('Your session has expired. Sign in again to return to the page you were on.'),
    );
    await expectAccessible(page, 'sign-in after expiry');
    await signIn(page, sme.email);
    await page.waitForURL(`**/vouchers/${voucherId}`);
    await hasText(page.getByTestId('voucher-balance'), 'CNY 5,000.00', { exact: true });

    // the language switch changes the portal and the user's own language (their e-mails follow it)
    await page.getByRole('button', { name: 'Switch language to 中文' }).click();
    await visible(page.getByRole('heading', { name: '检测券', level: 1 }));
    await until(
      'the user’s language saved',
      async () => (await api.deps.repos.users.findById(sme.userId))?.locale === 'zh-CN',
    );

    await page.getByRole('button', { name: '退出登录' }).click();
    await visible(page.getByText('您已退出登录。'));
    expect(page.url()).not.toContain('redirect');
    expect(problems).toEqual([]);
  });

  it('each role lands on its own home; administrators and auditors see the process in Temporal', async () => {
    const sme = await givenSme(api, {}, 'en');
    const { voucherId } = await givenApprovedVoucher(api, admin, sme, programmeId, 500_000);
    const booking = await asOther(sme.token, '/bookings', {
      voucherId,
      providerId: lab.providerId,
      demand: DEMAND,
    });
    const adminUser = await api.givenUser('ADMIN', { locale: 'en' });
    const auditor = await api.givenUser('AUDITOR', { locale: 'en' });
    const labUser = await api.givenUser('PROVIDER', { locale: 'en', providerId: lab.providerId });

    // the lab: the booking to confirm, with its deadline
    const asLab = await englishPortal();
    await asLab.page.goto('/');
    await signIn(asLab.page, labUser.email);
    await asLab.page.waitForURL('**/provider');
    const row = asLab.page.getByRole('row').filter({ hasText: 'confirm the booking with a quote' });
    await visible(row);
    await expectAccessible(asLab.page, 'provider home');
    await screenshot(asLab.page, 'provider-home-en');

    // the administrator: a booking's page with its workflow in the Temporal UI
    const asAdmin = await englishPortal();
    await asAdmin.page.goto('/');
    await signIn(asAdmin.page, adminUser.email);
    await asAdmin.page.waitForURL('**/admin');
    await visible(asAdmin.page.getByRole('heading', { name: 'Waiting for me' }));
    await expectAccessible(asAdmin.page, 'administrator home');
    await asAdmin.page.goto(`/bookings/${booking.id}`);
    const temporal = asAdmin.page.getByRole('link', { name: 'Open the process history in Temporal' });
    await visible(temporal);
    expect(await temporal.getAttribute('href')).toContain(
      `/workflows/${encodeURIComponent(`booking/${booking.id}`)}`,
    );
    await expectAccessible(asAdmin.page, 'booking seen by an administrator');

    // the auditor: verifies the audit chain from their desk
    const asAuditor = await englishPortal();
    await asAuditor.page.goto('/');
    await signIn(asAuditor.page, auditor.email);
    await asAuditor.page.waitForURL('**/auditor');
    await asAuditor.page.getByRole('button', { name: 'Verify the audit chain' }).click();
    await visible(asAuditor.page.getByText(/The audit chain is intact: \d+ entries verified\./));
    await expectAccessible(asAuditor.page, 'auditor home');
    await asAuditor.page.goto(`/vouchers/${voucherId}`);
    await visible(asAuditor.page.getByRole('link', { name: 'Open the process history in Temporal' }));

    // the SME does not see the Temporal link on its own booking
    const asSme = await englishPortal();
    await asSme.page.goto(`/bookings/${booking.id}`);
    await signIn(asSme.page, sme.email);
    await asSme.page.waitForURL(`**/bookings/${booking.id}`);
    await visible(asSme.page.getByRole('heading', { name: 'Where it stands' }));
    expect(await asSme.page.getByRole('link', { name: 'Open the process history in Temporal' }).count()).toBe(
      0,
    );
    // the API reference is served under the same policy (inline styles allowed there alone)
    await asSme.page.goto('/docs/');
    await visible(asSme.page.getByRole('heading', { name: /SME testing-voucher service API/ }));
    for (const portal of [asLab, asAdmin, asAuditor, asSme]) expect(portal.problems).toEqual([]);
  });
});
