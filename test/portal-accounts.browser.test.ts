import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import type { Problem } from '../api/http/problem';
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
import { mailbox } from './support/mailbox';
import { mailedLink } from './support/mail-links';
import { givenSme } from './support/scenarios';
import { uniqueTaskQueue } from './support/worker';

let api: TestApi;
let browser: Browser;
const mail = mailbox(inject('services').mailApiUrl);

beforeAll(async () => {
  [api, browser] = await Promise.all([
    startTestApi({ taskQueue: uniqueTaskQueue(import.meta.url) }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

const NEW_PASSWORD = 'amber lantern quietly orbits';

/** Tab to the field and type, as a keyboard user does. */
async function typeInto(page: Page, label: string, text: string): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  await tabTo(page, field);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(text);
}

async function signIn(page: Page, email: string, password: string, home: string) {
  await page.goto('/sign-in');
  await page.getByRole('textbox', { name: /电子邮箱|E-mail/ }).fill(email);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.waitForURL(`**${home}`);
}

const meWith = (token: string) => api.call<Problem>('GET', '/api/v1/me', { token });

describe('a forgotten password, in Chinese and by keyboard', () => {
  it('asks for a link, follows it from the mail, chooses a new password and signs in with it', async () => {
    const owner = await api.givenUser('SME');
    const { page, problems } = await openPortal(browser, api.url, 'zh-CN');
    onTestFailed(() => screenshot(page, 'failed-forgot-password'));
    await page.goto('/sign-in');
    await tabTo(page, page.getByRole('link', { name: '忘记密码？' }));
    await page.keyboard.press('Enter');
    await page.waitForURL('**/forgot-password');
    await visible(page.getByRole('heading', { name: '找回密码', level: 1 }));
    await typeInto(page, '电子邮箱', owner.email);
    await page.keyboard.press('Enter');
    await visible(page.getByRole('status').filter({ hasText: '设置新密码的链接已发出' }));
    await expectAccessible(page, 'password reset asked for (zh-CN)');

    await page.goto(await mailedLink(mail, owner.email, '/reset-password'));
    await visible(page.getByRole('heading', { name: '设置新密码', level: 1 }));
    await typeInto(page, '新密码', '123456789012');
    await page.keyboard.press('Enter');
    await visible(page.getByText('密码太容易被猜中：', { exact: false }));
    await expectAccessible(page, 'new password refused (zh-CN)');
    await typeInto(page, '新密码', NEW_PASSWORD);
    await page.keyboard.press('Enter');
    await visible(page.getByRole('status').filter({ hasText: '新密码已设置，请用新密码登录。' }));
    await screenshot(page, 'reset-password-done-zh');

    await tabTo(page, page.getByRole('link', { name: '登录', exact: true }));
    await page.keyboard.press('Enter');
    await page.waitForURL('**/sign-in');
    await typeInto(page, '电子邮箱', owner.email);
    await typeInto(page, '密码', NEW_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/sme**');
    // the token held before the reset ended with it
    expect((await meWith(owner.token)).body.code).toBe('TOKEN_REVOKED');
    expect(problems).toEqual([]);
  });
});

describe('the account page, in English', () => {
  it('changes the password and signs out everywhere: every session, on any device, ends', async () => {
    const user = await api.givenUser('AUDITOR', { locale: 'en' });
    const { page, problems } = await openPortal(browser, api.url, 'en');
    onTestFailed(() => screenshot(page, 'failed-account-page'));
    await signIn(page, user.email, user.password, '/auditor');
    await page.getByRole('link', { name: 'My account' }).click();
    await page.waitForURL('**/account');
    await visible(page.getByRole('heading', { name: 'My account', level: 1 }));
    await expectAccessible(page, 'account page (en)');

    await page.getByLabel('Current password').fill('not my password at all');
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await visible(page.getByRole('alert').filter({ hasText: 'The current password is wrong.' }));
    await page.getByLabel('Current password').fill(user.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await visible(page.getByText('Your password is changed; other devices are signed out.'));
    expect((await meWith(user.token)).body.code).toBe('TOKEN_REVOKED');

    // a second device signed in with the new password
    const other = await api.call<{ token: string }>('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: NEW_PASSWORD },
    });
    expect((await meWith(other.body.token)).status).toBe(200);
    await screenshot(page, 'account-page-en');
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL('**/sign-in');
    await visible(page.getByText('You have signed out', { exact: false }));
    expect((await meWith(other.body.token)).body.code).toBe('TOKEN_REVOKED');
    expect(problems).toEqual([]);
  });
});

describe('colleagues by invitation', () => {
  it('the SME invites a colleague, who accepts in another browser and joins the enterprise', async () => {
    const owner = await givenSme(api);
    const colleague = `wu.fang.${randomUUID().slice(0, 8)}@vouchers.test`;
    const { page, problems } = await openPortal(browser, api.url, 'zh-CN');
    onTestFailed(() => screenshot(page, 'failed-invitation'));
    await signIn(page, owner.email, 'correct horse battery staple', '/sme');
    await page.getByRole('navigation').getByRole('link', { name: '企业与同事' }).click();
    await page.waitForURL('**/sme/enterprise');
    await visible(page.getByRole('heading', { name: '同事', level: 2 }));
    await typeInto(page, '同事的电子邮箱', colleague);
    await typeInto(page, '同事的姓名（可选）', '吴芳');
    await page.keyboard.press('Enter');
    await visible(page.getByText(`邀请已发往 ${colleague}。`));
    await visible(page.getByRole('row').filter({ hasText: colleague }));
    await expectAccessible(page, 'colleagues with an open invitation (zh-CN)');
    await screenshot(page, 'colleagues-zh');

    // the colleague, in English, in a browser of their own
    const invited = await openPortal(browser, api.url, 'en');
    await invited.page.goto(await mailedLink(mail, colleague, '/invitation'));
    await visible(invited.page.getByRole('heading', { name: 'Join your organisation', level: 1 }));
    await expectAccessible(invited.page, 'invitation (en)');
    await invited.page.getByLabel('Name', { exact: true }).fill('Wu Fang');
    await invited.page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await invited.page.getByRole('button', { name: 'Accept and join' }).click();
    await invited.page.waitForURL('**/sme');
    await visible(invited.page.getByText('Welcome, Wu Fang.'));
    const joined = await api.db.user.findUniqueOrThrow({ where: { email: colleague } });
    expect(joined).toMatchObject({ enterpriseId: owner.enterpriseId, locale: 'en' });
    expect(joined.emailVerifiedAt).not.toBeNull();

    await page.reload();
    const row = page.getByRole('row').filter({ hasText: 'Wu Fang' });
    await visible(row);
    await row.getByRole('button', { name: '移除 Wu Fang' }).click();
    await page.getByRole('button', { name: '确定移除' }).click();
    await visible(page.getByText('已移除 Wu Fang，其登录已立即失效。'));
    // the colleague's next request finds the account disabled: the portal asks to sign in again
    await invited.page.reload();
    await invited.page.waitForURL('**/sign-in**');
    expect(problems).toEqual([]);
    expect(invited.problems).toEqual([]);
  });
});

describe('an administrator manages accounts', () => {
  it('creates an auditor, who chooses a password from the mail, and disables an SME user at once', async () => {
    const admin = await api.givenUser('ADMIN');
    const sme = await api.givenUser('SME');
    const name = `停用测试 ${randomUUID().slice(0, 6)}`;
    await api.db.user.update({ where: { id: sme.user.id }, data: { displayName: name } });
    const auditor = `zhao.min.${randomUUID().slice(0, 8)}@vouchers.test`;

    const { page, problems } = await openPortal(browser, api.url, 'zh-CN');
    onTestFailed(() => screenshot(page, 'failed-admin-users'));
    await signIn(page, admin.email, admin.password, '/admin');
    await page.getByRole('navigation').getByRole('link', { name: '账户管理' }).click();
    await page.waitForURL('**/admin/users');
    await visible(page.getByRole('heading', { name: '账户管理', level: 1 }));
    await expectAccessible(page, 'accounts (zh-CN)');

    const create = page.getByRole('region', { name: '创建管理员或审计人员' });
    await create.getByLabel('电子邮箱').fill(auditor);
    await create.getByLabel('姓名').fill('赵敏');
    await create.getByRole('button', { name: '创建账户' }).click();
    await visible(page.getByText(`已创建 ${auditor} 的账户，设置密码的邮件已发出。`));

    await page.getByLabel('邮箱或姓名包含').fill(sme.email);
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: sme.email });
    await visible(row);
    await row.getByRole('button', { name: `停用 ${name}` }).click();
    await visible(page.getByText(`已停用 ${name}，其登录已立即失效。`));
    await hasText(page.getByRole('row').filter({ hasText: sme.email }), '已停用');
    expect((await meWith(sme.token)).body.code).toBe('ACCOUNT_DISABLED');
    await expectAccessible(page, 'accounts after disabling one (zh-CN)');
    await screenshot(page, 'admin-users-zh');

    // the new auditor chooses a password with the mailed link and signs in
    const setup = await openPortal(browser, api.url, 'zh-CN');
    await setup.page.goto(await mailedLink(mail, auditor, '/reset-password'));
    await setup.page.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
    await setup.page.getByRole('button', { name: '设置密码' }).click();
    await visible(setup.page.getByText('新密码已设置，请用新密码登录。'));
    await signIn(setup.page, auditor, NEW_PASSWORD, '/auditor');
    expect(problems).toEqual([]);
    expect(setup.problems).toEqual([]);
  });
});
