import { readFile } from 'node:fs/promises';
import type { Browser, Download, Page } from 'playwright-core';
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
import {
  CLIMATE_SERVICE,
  givenRegisteredProvider,
  putServices,
  registrationBody,
  type ProviderCaller,
} from './support/provider-fixtures';
import {
  decide,
  givenAdmin,
  givenApplication,
  givenProgramme,
  givenSme,
  type Caller,
} from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

let api: TestApi;
let worker: TestWorkerHarness;
let browser: Browser;
let admin: Caller & { email: string };
/** an administrator who reads the portal in English */
let adminEn: { email: string };

const PASSWORD = 'correct horse battery staple';
type Sme = Awaited<ReturnType<typeof givenSme>>;
const RUN = String(Date.now() % 100000);

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  [worker, api, browser] = await Promise.all([
    startTestWorker({ taskQueue }),
    startTestApi({ taskQueue }),
    launchBrowser(),
  ]);
  admin = await givenAdmin(api);
  adminEn = await api.givenUser('ADMIN', { locale: 'en' });
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await worker?.stop();
});

async function signIn(page: Page, path: string, email = admin.email) {
  await page.goto(path);
  await page.waitForURL('**/sign-in?**');
  await page.getByRole('textbox', { name: /电子邮箱|E-mail/ }).fill(email);
  await page.getByLabel(/密码|Password/).fill(PASSWORD);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.waitForURL(`**${path}`);
}

async function choose(page: Page, field: RegExp, option: string) {
  await page.getByRole('button', { name: field }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The exported file's lines after the byte-order mark (no cell of these rows holds a line break). */
async function csvLines(download: Download): Promise<string[]> {
  const bytes = await readFile(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
}

describe('the administrator’s application queue, in Chinese', () => {
  it('reads the facts, decides one by one and several at once, and sees each refusal', async () => {
    const programme = await givenProgramme(api, admin, {
      name: `上海市中小企业检测券（审核队列 ${RUN}）`,
      policy: { oneOpenPerEnterprise: false, enterpriseAnnualCapFen: 3_000_000 },
    });
    const tight = await givenProgramme(api, admin, {
      name: `嘉定区检测券（预算将尽 ${RUN}）`,
      budgetFen: 500_000,
    });
    const names = [
      '上海精测电子',
      '苏州智能装备',
      '杭州新材料',
      '宁波精密模具',
      '无锡微电子',
      '南京环保科技',
    ];
    const smes = await Promise.all(names.map((name) => givenSme(api, { name: `${name}有限公司 ${RUN}` })));
    const [jingce, suzhou, , ningbo, wuxi, nanjing] = smes as [Sme, Sme, Sme, Sme, Sme, Sme];
    // 上海精测 already holds a ¥5,000 voucher of this programme this year
    const earlier = await givenApplication(api, jingce, programme.id, 500_000);
    expect((await decide(api, admin, earlier.id, { decision: 'APPROVE' })).status).toBe(200);
    const apps: string[] = [];
    for (const [i, sme] of smes.entries()) {
      apps.push((await givenApplication(api, sme, programme.id, 1_000_000 + i * 100_000)).id);
    }
    const overBudget = await givenApplication(api, suzhou, tight.id, 1_000_000);

    const { page, problems } = await openPortal(browser, api.url, 'zh-CN');
    onTestFailed(() => screenshot(page, 'failed-admin-review-applications'));
    await signIn(page, '/admin/applications');
    await visible(page.getByRole('heading', { name: '检测券申请审核', level: 1 }));
    await visible(page.getByRole('navigation', { name: /审核队列/ }));

    // waiting for me, this programme only: the six under review, oldest first
    await choose(page, /项目/, `上海市中小企业检测券（审核队列 ${RUN}）`);
    await hasText(page.getByTestId('queue-count'), '共 6 条');
    const order = await Promise.all(
      (await page.locator('tr[data-application]').all()).map((r) => r.getAttribute('data-application')),
    );
    expect(order).toEqual(apps);
    await choose(page, /排序/, '期限最近优先');
    await hasText(page.getByTestId('queue-count'), '共 6 条');
    await expectAccessible(page, 'the application queue (zh-CN)');

    // the name filter, and the export of what it shows
    await page.getByRole('textbox', { name: '搜索', exact: true }).fill('苏州');
    await hasText(page.getByTestId('queue-count'), '共 1 条');
    const [filtered] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出 CSV（当前筛选结果）' }).click(),
    ]);
    expect(filtered.suggestedFilename()).toBe('检测券申请审核.csv');
    const lines = await csvLines(filtered);
    expect(lines[0]).toBe('企业,项目,状态,申请金额,提交时间,审核期限,编号');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`苏州智能装备有限公司 ${RUN}`);
    expect(lines[1]).toContain(',审核中,11000.00,');
    expect(lines[1]!.endsWith(apps[1]!)).toBe(true);
    await page.getByRole('textbox', { name: '搜索', exact: true }).fill('');
    await hasText(page.getByTestId('queue-count'), '共 6 条');

    // 上海精测: the rules checked, the cap used this year, its history; approved for less, by keyboard
    const review = page.getByRole('button', { name: `审核 上海精测电子有限公司 ${RUN}` });
    await tabTo(page, review);
    await page.keyboard.press('Enter');
    const capRow = page.locator('tr[data-rule="ANNUAL_CAP_EXCEEDED"]');
    await hasText(capRow, '符合');
    await hasText(capRow, '本年度已批准 ¥5,000.00，加上本次 ¥10,000.00，上限 ¥30,000.00');
    await hasText(page.locator('tr[data-rule="EMPLOYEES_OVER_LIMIT"]'), '85 人，上限 300 人');
    await hasText(page.locator('tr[data-rule="PROGRAMME_CLOSED"]'), '项目正在受理申请');
    await hasText(page.getByTestId('cap-granted'), '¥5,000.00');
    await hasText(page.getByTestId('history'), '已批准');
    await screenshot(page, 'admin-queue-applications');
    await expectAccessible(page, 'an application’s review facts (zh-CN)');

    const approve = page.getByRole('radio', { name: '按申请金额批准' });
    await tabTo(page, approve);
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: '核减金额后批准' }).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.type('8000');
    await tabTo(page, page.getByRole('button', { name: '提交决定' }));
    await page.keyboard.press('Enter');
    await hasText(page.getByTestId('queue-count'), '共 5 条');
    const approvedLess = await api.call<{ status: string; approvedAmountFen: number }>(
      'GET',
      `/api/v1/applications/${apps[0]}`,
      { token: admin.token },
    );
    expect(approvedLess.body).toMatchObject({ status: 'APPROVED', approvedAmountFen: 800_000 });

    // 苏州: rejected with a reason (none given is refused by the page first)
    await page.getByRole('button', { name: `审核 苏州智能装备有限公司 ${RUN}` }).click();
    await page.locator('label.radio', { hasText: '不予批准' }).click();
    await page.getByRole('button', { name: '提交决定' }).click();
    await visible(page.getByText('请至少输入 2 个字'));
    await page.getByRole('textbox', { name: /不予批准的理由/ }).fill('检测需求与企业主营产品无关');
    await page.getByRole('button', { name: '提交决定' }).click();
    await hasText(page.getByTestId('queue-count'), '共 4 条');

    // 杭州: asked for information
    await page.getByRole('button', { name: `审核 杭州新材料有限公司 ${RUN}` }).click();
    await page.locator('label.radio', { hasText: '要求补充材料' }).click();
    await page.getByRole('textbox', { name: /需要申请人补充的材料/ }).fill('请补充产品型号和检测标准清单');
    await page.getByRole('button', { name: '提交决定' }).click();
    await hasText(page.getByTestId('queue-count'), '共 3 条');
    const statuses = await Promise.all(
      [apps[1], apps[2]].map(
        async (id) =>
          (
            await api.call<{ status: string; decisionReason: string | null; infoRequest: string | null }>(
              'GET',
              `/api/v1/applications/${id}`,
              { token: admin.token },
            )
          ).body,
      ),
    );
    expect(statuses[0]).toMatchObject({ status: 'REJECTED', decisionReason: '检测需求与企业主营产品无关' });
    expect(statuses[1]).toMatchObject({
      status: 'INFO_REQUESTED',
      infoRequest: '请补充产品型号和检测标准清单',
    });

    // another administrator rejects 南京 meanwhile; three approved at once: two go through, one is refused
    expect((await decide(api, admin, apps[5]!, { decision: 'REJECT', reason: '重复申请' })).status).toBe(200);
    for (const sme of [ningbo, wuxi, nanjing]) {
      const name = names[smes.indexOf(sme)]!;
      await page.getByRole('checkbox', { name: `选择 ${name}有限公司 ${RUN}` }).focus();
      await page.keyboard.press('Space');
    }
    await hasText(page.getByTestId('selected-count'), '已选择 3 条申请');
    await page.getByRole('button', { name: '对所选 3 条申请作出决定' }).click();
    const outcomes = page.getByTestId('outcomes');
    await hasText(outcomes.locator('tr[data-outcome="done"]', { hasText: '宁波精密模具' }), '已处理：已批准');
    await hasText(outcomes.locator('tr[data-outcome="done"]', { hasText: '无锡微电子' }), '已处理：已批准');
    const refused = outcomes.locator('tr[data-outcome="refused"]', { hasText: '南京环保科技' });
    await hasText(refused.getByRole('alert'), 'PROCESS_CLOSED');
    await expectAccessible(page, 'the outcomes of a decision on several applications (zh-CN)');
    // each applicant is mailed by their own process
    for (const sme of [ningbo, wuxi]) {
      await worker.mail.waitFor((m) => m.to.includes(sme.email) && m.subject.includes('申请已批准'));
    }
    expect(await worker.mail.to(nanjing.email, '申请已批准')).toEqual([]);

    // the budget cannot take it: the service's refusal shows beside the decision
    await choose(page, /项目/, `嘉定区检测券（预算将尽 ${RUN}）`);
    await page.getByRole('button', { name: `审核 苏州智能装备有限公司 ${RUN}` }).click();
    await page.getByRole('button', { name: '提交决定' }).click();
    await hasText(page.locator(`#review-${overBudget.id}`).getByRole('alert'), 'BUDGET_EXHAUSTED');
    expect(problems).toEqual([]);
  });

  it('shows the queue in English', async () => {
    const { page, problems } = await openPortal(browser, api.url, 'en');
    onTestFailed(() => screenshot(page, 'failed-admin-review-applications-en'));
    await signIn(page, '/admin/applications', adminEn.email);
    await visible(page.getByRole('heading', { name: 'Voucher applications to review', level: 1 }));
    await choose(page, /Status/, 'All statuses');
    await visible(page.locator('tr[data-application]'));
    await expectAccessible(page, 'the application queue (en)');
    expect(problems).toEqual([]);
  });
});

describe('the administrator’s provider queue, in English', () => {
  let listedSoon: ProviderCaller;
  let sentBack: ProviderCaller;
  const labName = `Shanghai Precision Testing Centre ${RUN}`;
  const otherName = `Suzhou Metrology Institute ${RUN}`;

  it('checks the accreditations and the catalog, lists one by keyboard and sends one back', async () => {
    listedSoon = await givenRegisteredProvider(api, registrationBody({ name: labName }), 'en');
    expect((await putServices(api, listedSoon, [CLIMATE_SERVICE])).status).toBe(200);
    sentBack = await givenRegisteredProvider(api, registrationBody({ name: otherName }), 'en');

    const { page, problems } = await openPortal(browser, api.url, 'en');
    onTestFailed(() => screenshot(page, 'failed-admin-review-providers'));
    await signIn(page, '/admin/providers', adminEn.email);
    await visible(page.getByRole('heading', { name: 'Providers to verify', level: 1 }));
    await page.getByRole('textbox', { name: 'Search', exact: true }).fill(RUN);
    await hasText(page.getByTestId('queue-count'), '2 in all');
    await expectAccessible(page, 'the provider queue (en)');

    const [exported] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV (as filtered)' }).click(),
    ]);
    const lines = await csvLines(exported);
    expect(lines[0]).toBe(
      'Provider,Unified social credit code,Kind,Region,Status,Accreditations submitted,Verify by,ID',
    );
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual([labName, otherName].sort());
    expect(lines.find((l) => l.startsWith(labName))).toContain(
      'Testing laboratory,310115,Pending verification',
    );

    // the lab: certificates and the catalog in scope, then listed with the keyboard alone
    const open = page.getByRole('button', { name: `Verify ${labName}` });
    await tabTo(page, open);
    await page.keyboard.press('Enter');
    await hasText(page.getByTestId('pending-accreditations'), 'CNAS L');
    await hasText(page.getByTestId('pending-accreditations'), 'GB/T 2423.1');
    await hasText(page.getByTestId('catalog'), CLIMATE_SERVICE.name);
    await expectAccessible(page, 'a provider’s verification (en)');
    await tabTo(page, page.getByRole('button', { name: 'Submit the verification' }));
    await page.keyboard.press('Enter');
    await hasText(page.getByTestId('queue-count'), '1 in all');
    const listed = await api.call<{ status: string }>('GET', `/api/v1/providers/${listedSoon.providerId}`, {
      token: admin.token,
    });
    expect(listed.body.status).toBe('LISTED');

    // the other: sent back with a reason
    await page.getByRole('button', { name: `Verify ${otherName}` }).click();
    await page.locator('label.radio', { hasText: 'Send back' }).click();
    await page
      .getByRole('textbox', { name: /Why it is sent back/ })
      .fill('The CMA certificate number does not match');
    await page.getByRole('button', { name: 'Submit the verification' }).click();
    await hasText(page.getByTestId('queue-count'), '0 in all');
    const rejected = await api.call<{ status: string; statusReason: string }>(
      'GET',
      `/api/v1/providers/${sentBack.providerId}`,
      { token: admin.token },
    );
    expect(rejected.body).toMatchObject({
      status: 'REJECTED',
      statusReason: 'The CMA certificate number does not match',
    });
    expect(problems).toEqual([]);
  });

  it('shows the provider queue in Chinese', async () => {
    const { page, problems } = await openPortal(browser, api.url, 'zh-CN');
    onTestFailed(() => screenshot(page, 'failed-admin-review-providers-zh'));
    await signIn(page, '/admin/providers');
    await visible(page.getByRole('heading', { name: '服务机构资质审核', level: 1 }));
    await choose(page, /状态/, '全部状态');
    await page.getByRole('textbox', { name: '搜索', exact: true }).fill(RUN);
    await hasText(page.getByTestId('queue-count'), '共 2 条');
    await page.getByRole('button', { name: `核验 ${labName}` }).click();
    await visible(page.getByText('该机构目前没有待核验的资质。'));
    await expectAccessible(page, 'the provider queue (zh-CN)');
    expect(problems).toEqual([]);
  });
});
