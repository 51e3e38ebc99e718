import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { uniqueTaskQueue } from './support/worker';

let api: TestApi;
let browser: Browser;

beforeAll(async () => {
  [api, browser] = await Promise.all([
    startTestApi({
      taskQueue: uniqueTaskQueue(import.meta.url),
      env: { SIGN_IN_FAILURES_BEFORE_DELAY: '2', SIGN_IN_FIRST_DELAY: '5m' },
    }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

/** Tab to the field and type, as a keyboard user does. */
async function typeInto(page: Page, label: string, text: string): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  await tabTo(page, field);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(text);
}

describe('registering with a password that is easy to guess', () => {
  it('says why in Chinese beside the field, and accepts a strong one (keyboard only)', async () => {
    const { page, problems } = await openPortal(browser, api.url, 'zh-CN');
    await page.goto('/register');
    await page.getByLabel('姓名', { exact: true }).fill('孙丽');
    await page
      .getByLabel('电子邮箱', { exact: true })
      .fill(`sun.li.${randomUUID().slice(0, 8)}@vouchers.test`);
    await typeInto(page, '密码', '123456789012');
    await page.keyboard.press('Enter');
    await visible(page.getByText('密码太容易被猜中：这是常用密码。', { exact: false }));
    await expectAccessible(page, 'registration with a refused password (zh-CN)');
    await screenshot(page, 'register-weak-password-zh');

    await typeInto(page, '密码', 'quiet velvet harbor 42 pines');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/sme/enterprise');
    expect(problems).toEqual([]);
  });

  it('says why in English', async () => {
    const { page, problems } = await openPortal(browser, api.url, 'en');
    await page.goto('/register');
    const email = `zhou.min.${randomUUID().slice(0, 8)}@vouchers.test`;
    await page.getByLabel('Name', { exact: true }).fill('Zhou Min');
    await page.getByLabel('E-mail', { exact: true }).fill(email);
    await typeInto(page, 'Password', email);
    await page.keyboard.press('Enter');
    await visible(
      page.getByText('should not contain your e-mail, name or other personal details', { exact: false }),
    );
    await expectAccessible(page, 'registration with a refused password (en)');
    expect(problems).toEqual([]);
  });
});

/**
 * Presses Enter in the form and waits for the service's answer to the sign-in, then for the page to show
 * it: until then the form is still busy with the request and a second Enter would not send another.
 */
async function submit(page: Page): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/auth/login')),
    page.keyboard.press('Enter'),
  ]);
  await gone(page.locator('button[type="submit"][data-pending]'));
  await visible(page.getByRole('alert').or(page.getByRole('status')).first());
  return response.status();
}

describe('signing in after failures', () => {
  it('tells the person why to wait and until when, in Chinese and English', async () => {
    const owner = await api.givenUser('SME');
    for (const locale of ['zh-CN', 'en'] as const) {
      const { page, problems } = await openPortal(browser, api.url, locale);
      await page.goto('/sign-in');
      const words =
        locale === 'en'
          ? { email: 'E-mail', password: 'Password', why: 'failed too often', when: 'Try again at' }
          : { email: '电子邮箱', password: '密码', why: '登录失败次数过多', when: '请在' };
      await page.getByLabel(words.email, { exact: true }).fill(owner.email);
      await typeInto(page, words.password, 'not my password');
      // two failures make this address wait; the English page comes from the same address
      const statuses: number[] = [];
      while (!statuses.includes(429) && statuses.length < 3) statuses.push(await submit(page));
      expect(statuses).toEqual(locale === 'zh-CN' ? [401, 401, 429] : [429]);
      const notice = page.getByRole('status').filter({ hasText: words.why });
      await visible(notice);
      await hasText(notice, words.when);
      await expectAccessible(page, `sign-in asking to wait (${locale})`);
      await screenshot(page, `sign-in-wait-${locale}`);
      expect(problems).toEqual([]);
    }
  });
});
