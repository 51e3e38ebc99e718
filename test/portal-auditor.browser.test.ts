import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { KpiReport } from '../domain/kpis';
import { startTestApi, type TestApi } from './support/api';
import { runPayout } from './support/four-eyes';
import {
  expectAccessible,
  hasText,
  launchBrowser,
  openPortal,
  screenshot,
  tabTo,
  typeDate,
  visible,
} from './support/browser';
import { ownDatabase } from './support/own-database';
import { givenListedProvider, pdfReport } from './support/providers';
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
let auditor: { token: string; email: string };
let programmeId: string;
let paid: { bookingId: string; applicationId: string; voucherId: string; claimId: string; amountFen: number };

const PASSWORD = 'correct horse battery staple';

interface AuditEntry {
  seq: string;
  id: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

async function ok<T>(pending: Promise<{ status: number; text: string; body: T }>, status = 200): Promise<T> {
  const res = await pending;
  expect(res.status, res.text).toBe(status);
  return res.body;
}

const post = (token: string, path: string, body: object = {}) =>
  api.call<{ id: string; claimId: string | null }>('POST', `/api/v1${path}`, { token, body });

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  [worker, api, browser] = await Promise.all([
    startTestWorker({ taskQueue }),
    startTestApi({ taskQueue }),
    launchBrowser(),
  ]);
  admin = await givenAdmin(api);
  const user = await api.givenUser('AUDITOR');
  auditor = { token: user.token, email: user.email };
  programmeId = (
    await givenProgramme(api, admin, {
      name: `上海市检测券审计 ${randomUUID().slice(0, 6)}`,
      budgetFen: 10_000_000,
      policy: {
        providerConfirmWithin: '1h',
        reportGrace: '1h',
        acceptanceWithin: '1h',
        dayLength: '1s',
        payoutSchedule: '24h',
        voucherValidity: '30d',
      },
    })
  ).id;
  const lab = await givenListedProvider(api, {
    name: `上海电子电器检测所 ${randomUUID().slice(0, 4)}`,
    services: [{ standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000, turnaroundDays: 2 }],
  });
  // one enterprise in Pudong carried to a paid claim; one in Xuhui holding a voucher it has not used
  const pudong = await givenSme(api, {
    regionCode: '310115',
    name: `上海浦东精测电子有限公司 ${randomUUID().slice(0, 4)}`,
  });
  const xuhui = await givenSme(api, {
    regionCode: '310104',
    name: `上海徐汇智能仪器有限公司 ${randomUUID().slice(0, 4)}`,
  });
  const [used] = await Promise.all([
    givenApprovedVoucher(api, admin, pudong, programmeId, 1_000_000),
    givenApprovedVoucher(api, admin, xuhui, programmeId, 500_000),
  ]);
  const booking = await ok(
    post(pudong.token, '/bookings', {
      voucherId: used.voucherId,
      providerId: lab.providerId,
      demand: DEMAND,
    }),
    201,
  );
  const step = (token: string, action: string, body: object = {}) =>
    ok(post(token, `/bookings/${booking.id}/${action}`, body));
  await step(lab.token, 'confirm', { quotedPriceFen: 84_000 });
  await step(lab.token, 'sample-received');
  await step(lab.token, 'report', {
    conclusion: 'PASS',
    fileName: 'report.pdf',
    contentBase64: pdfReport(`Report ${booking.id}`),
  });
  await step(pudong.token, 'accept');
  await step(pudong.token, 'copayment', {
    reference: 'ICBC-20261126-000123',
    paidAt: new Date().toISOString(),
  });
  const claimId = await until('the claim approved', async () => {
    const claim = await api.db.claim.findUnique({ where: { bookingId: booking.id } });
    return claim?.status === 'APPROVED' ? claim.id : null;
  });
  await runPayout(api, admin, await givenAdmin(api), programmeId);
  const claim = await until('the claim paid', async () => {
    const c = await api.db.claim.findUnique({ where: { id: claimId } });
    return c?.status === 'PAID' ? c : null;
  });
  paid = { bookingId: booking.id, ...used, claimId, amountFen: Number(claim.amountFen) };
}, 90_000);
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

async function signedInAuditor(
  target: TestApi,
  email: string,
  path: string,
  locale: 'zh-CN' | 'en' = 'zh-CN',
) {
  const portal = await openPortal(browser, target.url, locale);
  await portal.page.goto(path);
  await portal.page.waitForURL('**/sign-in?**');
  await signIn(portal.page, email);
  await portal.page.waitForURL(`**${path.split('?')[0]}*`);
  return portal;
}

const kpis = async (query: string) =>
  ok(api.call<KpiReport>('GET', `/api/v1/reports/kpis?${query}`, { token: auditor.token }));

const zhCount = (n: number) => new Intl.NumberFormat('zh-CN').format(n);
const zhYuan = (fen: number) =>
  `¥${new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(fen / 100)}`;
const zhPercent = (share: number | null) =>
  share === null
    ? '—'
    : new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 2 }).format(share);

/** The dashboard shows, figure by figure, what the API reports for the same conditions. */
async function expectDashboardShows(page: Page, report: KpiReport) {
  const dashboard = page.getByTestId('dashboard');
  const summary = (key: string) => dashboard.locator(`[data-summary="${key}"] dd`);
  await hasText(summary('enterprisesServed'), zhCount(report.enterprisesServed), { exact: true });
  await hasText(summary('issued'), zhCount(report.vouchers.issued), { exact: true });
  await hasText(summary('used'), zhCount(report.vouchers.used), { exact: true });
  await hasText(summary('faceValue'), zhYuan(report.vouchers.faceValueFen), { exact: true });
  await hasText(summary('bookings'), zhCount(report.bookings.total), { exact: true });
  await hasText(summary('accepted'), zhCount(report.bookings.accepted), { exact: true });
  await hasText(summary('subsidy'), zhYuan(report.bookings.subsidyFen), { exact: true });

  const months = dashboard.locator('[data-report="vouchers-by-month"] tbody tr');
  expect(await months.count()).toBe(report.vouchers.byMonth.length);
  for (const m of report.vouchers.byMonth) {
    const row = dashboard.locator(`[data-month="${m.month}"]`);
    for (const key of ['issued', 'used', 'expired'] as const)
      await hasText(row.locator(`[data-figure="${key}"]`), zhCount(m[key]), { exact: true });
  }
  for (const [account, fen] of Object.entries(report.budget.accounts))
    expect(await dashboard.locator(`[data-account="${account}"] td`).getAttribute('data-fen')).toBe(
      String(fen),
    );
  await hasText(
    dashboard.locator('[data-account="AVAILABLE"] td'),
    zhYuan(report.budget.accounts.AVAILABLE),
    {
      exact: true,
    },
  );
  for (const c of report.bookings.byCategory) {
    const row = dashboard.locator(`[data-category="${c.category}"]`);
    await hasText(row.locator('[data-figure="bookings"]'), zhCount(c.bookings), { exact: true });
    await hasText(row.locator('[data-figure="accepted"]'), zhCount(c.accepted), { exact: true });
  }
  expect(await dashboard.locator('[data-report="provinces"] tbody tr').count()).toBe(
    report.bookings.byRegion.length,
  );
  for (const r of report.bookings.byRegion) {
    const row = dashboard.locator(`[data-province="${r.provinceCode}"]`);
    await hasText(row.locator('th'), r.name, { exact: true });
    await hasText(row.locator('[data-figure="bookings"]'), zhCount(r.bookings), { exact: true });
    await hasText(row.locator('[data-figure="fen"]'), zhYuan(r.subsidyFen), { exact: true });
  }
  for (const s of report.stages)
    await hasText(dashboard.locator(`[data-stage="${s.stage}"] [data-figure="count"]`), zhCount(s.count), {
      exact: true,
    });
  for (const p of report.providers.top) {
    const row = dashboard.locator(`[data-provider="${p.providerId}"]`);
    await hasText(row.locator('[data-figure="onTimeRate"]'), zhPercent(p.onTimeRate), { exact: true });
    await hasText(row.locator('[data-figure="disputeRate"]'), zhPercent(p.disputeRate), { exact: true });
  }
  for (const target of report.policyTargets) {
    const row = dashboard.locator(`[data-target="${target.key}"]`);
    await hasText(row.locator('[data-figure="value"]'), zhCount(target.value), { exact: true });
    await hasText(row.locator('[data-figure="target"]'), zhCount(target.target), { exact: true });
    await hasText(row.locator('[data-figure="share"]'), zhPercent(target.share), { exact: true });
  }
}

async function choose(page: Page, select: Locator, option: string) {
  await select.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('the KPI dashboard, in Chinese', () => {
  it('shows the API’s figures as charts and tables, narrows them by region and industry, and downloads the settlements', async () => {
    const { page, problems } = await signedInAuditor(
      api,
      auditor.email,
      `/reports?programmeId=${programmeId}`,
    );
    onTestFailed(() => screenshot(page, 'failed-auditor-dashboard'));
    await visible(page.getByRole('heading', { name: '统计报表', level: 1 }));

    const all = await kpis(`programmeId=${programmeId}`);
    expect(all).toMatchObject({
      enterprisesServed: 2,
      vouchers: { issued: 2, used: 1 },
      bookings: { total: 1 },
    });
    await expectDashboardShows(page, all);
    // every chart is drawn, and described by the table beside it
    expect(await page.locator('[data-report] .recharts-wrapper').count()).toBe(7);
    await visible(page.getByRole('table', { name: '预算执行（按账户）（数据表）' }));
    await expectAccessible(page, 'KPI dashboard');
    await screenshot(page, 'auditor-dashboard');

    // Pudong alone: one enterprise served, the same booking
    await page.getByRole('textbox', { name: '地区代码' }).fill('310115');
    await page.getByRole('button', { name: '按条件统计' }).click();
    // the router writes a value that reads as a number in quotes
    await page.waitForURL(/regionCode=(%22)?310115/);
    const pudong = await kpis(`programmeId=${programmeId}&regionCode=310115`);
    expect(pudong.enterprisesServed).toBe(1);
    await expectDashboardShows(page, pudong);

    // textiles: nobody in this programme
    await choose(page, page.getByRole('button', { name: /行业/ }), '纺织');
    await page.getByRole('button', { name: '按条件统计' }).click();
    await page.waitForURL(/industry=textiles/);
    const textiles = await kpis(`programmeId=${programmeId}&regionCode=310115&industry=textiles`);
    expect(textiles.enterprisesServed).toBe(0);
    await expectDashboardShows(page, textiles);
    await visible(page.getByText('所选条件下没有预约。'));

    // a region code the service does not know is refused in words
    await page.getByRole('textbox', { name: '地区代码' }).fill('99');
    await page.getByRole('button', { name: '按条件统计' }).click();
    await hasText(page.getByRole('alert'), 'regionCode');
    await page.getByRole('button', { name: '清除条件' }).click();
    await page.waitForURL((url) => url.search === '');

    // the settlements of the programme, as the service writes them
    await page.goto(`/reports?programmeId=${programmeId}`);
    const download = page.getByRole('button', { name: '下载结算明细（CSV）' });
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toBe(`settlements-${programmeId}.csv`);
    const bytes = await readFile(await file.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^paid_at,programme_id,/);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.split(',')).toEqual(
      expect.arrayContaining([programmeId, paid.bookingId, paid.claimId, String(paid.amountFen)]),
    );
    const fromApi = await api.call<string>(
      'GET',
      `/api/v1/reports/settlements.csv?programmeId=${programmeId}`,
      { token: auditor.token },
    );
    expect(bytes.subarray(3).toString('utf8')).toBe(fromApi.text.replace(/^\uFEFF/, ''));
    await hasText(page.getByRole('status'), `已下载 settlements-${programmeId}.csv`);

    // paid until a day in 2020: nothing
    await typeDate(page, page.getByRole('group', { name: '拨付日期至（含）' }), '20200101');
    const [none] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect((await readFile(await none.path())).subarray(3).toString('utf8').trim().split('\n')).toHaveLength(
      1,
    );
    expect(problems).toEqual([]);
  });
});

describe('the audit explorer, in Chinese', () => {
  it('filters by item, shows each change’s before and after, verifies the chain by keyboard and exports', async () => {
    const { page, problems } = await signedInAuditor(api, auditor.email, '/audit');
    onTestFailed(() => screenshot(page, 'failed-auditor-audit'));
    await visible(page.getByRole('heading', { name: '审计日志', level: 1 }));

    // the booking's trail, by the form
    await choose(page, page.getByRole('button', { name: /对象类型/ }), '预约');
    await page.getByRole('textbox', { name: '对象编号' }).fill(paid.bookingId);
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    await page.waitForURL(new RegExp(`entityId=${paid.bookingId}`));
    const trail = (
      await ok(
        api.call<{ items: AuditEntry[] }>(
          'GET',
          `/api/v1/audit?entityType=booking&entityId=${paid.bookingId}&limit=100`,
          { token: auditor.token },
        ),
      )
    ).items;
    expect(trail.map((e) => e.action)).toEqual(
      expect.arrayContaining(['BOOKING_REQUESTED', 'BOOKING_CONFIRMED', 'REPORT_ACCEPTED']),
    );
    const rows = page.locator('[data-testid="audit-entries"] > tbody > tr');
    await hasText(rows.last().locator('th').first(), trail[trail.length - 1]!.seq, { exact: true });
    expect(await rows.count()).toBe(trail.length);
    for (const row of await rows.all())
      expect(await row.getAttribute('data-entity')).toBe(`booking/${paid.bookingId}`);

    // the confirmation, field by field: the status it left and the one it reached
    const confirmed = trail.find((e) => e.action === 'BOOKING_CONFIRMED')!;
    const confirmedRow = page.locator(`[data-seq="${confirmed.seq}"]`);
    await hasText(confirmedRow, '机构确认预约并报价');
    const before = confirmed.before as Record<string, unknown>;
    const after = confirmed.after as Record<string, unknown>;
    expect(after.status).toBe('CONFIRMED');
    const status = confirmedRow.locator('[data-changes] [data-field="status"]');
    await hasText(status.locator('[data-side="before"]'), String(before.status), { exact: true });
    await hasText(status.locator('[data-side="after"]'), 'CONFIRMED', { exact: true });
    await confirmedRow.getByRole('button', { name: /完整内容（JSON）/ }).click();
    await hasText(confirmedRow.locator('.json-pair pre').last(), '"status": "CONFIRMED"');
    await expectAccessible(page, 'audit explorer');

    // verified by keyboard
    const verify = page.getByRole('button', { name: '核验审计链' });
    await tabTo(page, verify);
    await page.keyboard.press('Enter');
    const verdict = page.locator('[data-chain]');
    await hasText(verdict, '审计链完整');
    expect(await verdict.getAttribute('data-chain')).toBe('intact');
    await hasText(page.locator('[data-verified-range]'), '本次核验了');

    // the whole chain, in the background, started by keyboard and followed until it says what it found
    const whole = page.getByRole('button', { name: '在后台核验整条审计链' });
    await tabTo(page, whole);
    await page.keyboard.press('Enter');
    await hasText(page.locator('[data-run-state]'), '完整', { exact: true });
    await hasText(page.locator('[data-whole-chain="VALID"]'), '整条审计链完整');
    await hasText(page.locator('[data-whole-chain] dl'), '审计员或管理员');
    await expectAccessible(page, 'audit explorer after a whole-chain verification');

    // the same entries exported, one JSON a line
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出审计日志（NDJSON）' }).click(),
    ]);
    expect(file.suggestedFilename()).toBe('audit-log.ndjson');
    const exported = (await readFile(await file.path(), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEntry);
    expect(exported.map((e) => e.seq)).toEqual(trail.map((e) => e.seq));
    expect(problems).toEqual([]);
  });
});

describe('both pages, in English', () => {
  it('read the same and pass the accessibility check', async () => {
    const user = await api.givenUser('AUDITOR', { locale: 'en' });
    const { page, problems } = await signedInAuditor(
      api,
      user.email,
      `/reports?programmeId=${programmeId}`,
      'en',
    );
    onTestFailed(() => screenshot(page, 'failed-auditor-en'));
    await visible(page.getByRole('heading', { name: 'Reports', level: 1 }));
    await hasText(page.locator('[data-summary="enterprisesServed"] dd'), '2', { exact: true });
    await hasText(page.locator('[data-account="PAID"] th'), 'Paid', { exact: true });
    await hasText(page.locator('[data-province="31"] th'), 'Shanghai', { exact: true });
    await visible(page.getByRole('button', { name: 'Download the settlements (CSV)' }));
    await expectAccessible(page, 'KPI dashboard (English)');

    await page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL('**/audit');
    await page.goto(`/audit?entityType=booking&entityId=${paid.bookingId}`);
    await visible(page.getByRole('heading', { name: 'Audit log', level: 1 }));
    await visible(page.getByRole('button', { name: 'Verify the audit chain' }));
    await visible(page.getByRole('button', { name: 'Verify the whole audit chain in the background' }));
    await visible(page.getByTestId('audit-entries'));
    await expectAccessible(page, 'audit explorer (English)');
    expect(problems).toEqual([]);
  });
});

/**
 * What an auditor may press: reading, filtering, verifying, downloading, language and sign-out.
 * Anything else on a page an auditor reaches would be a way to change something.
 */
const READ_ONLY = [
  /^核验审计链$/,
  // a verification reads the log; it changes no business state (its start and result are logged)
  /^在后台核验整条审计链$/,
  /^查看正在运行的全链核验$/,
  /^按条件统计$/,
  /^清除条件$/,
  /^筛选$/,
  /^清除筛选$/,
  /^加载更多条目$/,
  /^下载结算明细（CSV）$/,
  /^导出审计日志（NDJSON）$/,
  /^下载报告（PDF）$/,
  /^完整内容（JSON）/,
  /^打开日历\s/,
  /^切换语言为English$/,
  /^退出登录$/,
  // the choices of a filter (its value, then its name): the button opens its list
  /\s(项目|行业|对象类型|操作)$/,
];

describe('an auditor', () => {
  it('finds no button that changes anything on any page it reaches', async () => {
    const { page, problems } = await signedInAuditor(api, auditor.email, '/auditor');
    onTestFailed(() => screenshot(page, 'failed-auditor-read-only'));
    await visible(page.getByRole('heading', { name: '审计工作台', level: 1 }));
    const nav: string[] = [];
    for (const link of await page.getByRole('navigation', { name: '主导航' }).getByRole('link').all())
      nav.push((await link.getAttribute('href'))!);
    expect(nav).toEqual(['/auditor', '/programmes', '/reports', '/audit']);
    const pages = [
      ...nav,
      `/programmes/${programmeId}`,
      `/reports?programmeId=${programmeId}`,
      `/applications/${paid.applicationId}`,
      `/vouchers/${paid.voucherId}`,
      `/bookings/${paid.bookingId}`,
    ];
    const seen = new Map<string, string[]>();
    for (const path of pages) {
      await page.goto(path);
      await visible(page.getByRole('heading', { level: 1 }));
      await page.waitForLoadState('networkidle');
      await page.locator('[aria-label="正在加载…"]').first().waitFor({ state: 'detached' });
      // every button as assistive technology names it, hidden ones (closed lists) aside
      const tree = await page.locator('body').ariaSnapshot();
      const names = [...tree.matchAll(/^\s*- button(?: "((?:[^"\\]|\\.)*)")?/gm)].map((m) => m[1] ?? '');
      expect(await page.locator('input[type="submit"], input[type="button"]').count()).toBe(0);
      seen.set(path, names);
      // a form an auditor sees is a search, never a submission of data
      for (const form of await page.locator('form').all())
        expect(await form.getAttribute('role'), `a form on ${path}`).toBe('search');
    }
    const unexpected = [...seen].flatMap(([path, names]) =>
      names
        .filter((name) => !READ_ONLY.some((allowed) => allowed.test(name)))
        .map((name) => `${path}: ${name}`),
    );
    expect(unexpected).toEqual([]);
    // the pages were really looked at: the filters and the verification were among what was found
    expect(seen.get('/audit')).toEqual(
      expect.arrayContaining(['核验审计链', '筛选', '导出审计日志（NDJSON）']),
    );
    expect(seen.get(`/reports?programmeId=${programmeId}`)).toContain('下载结算明细（CSV）');
    expect(problems).toEqual([]);
  });
});

// last, and in a database of its own: a tampered chain must not break the verification of other test files
describe('a tampered audit log', () => {
  it('is named in the page: the first entry that does not match, with what it holds now', async () => {
    const database = await ownDatabase('auditor_portal');
    const own = await startTestApi({
      taskQueue: uniqueTaskQueue(import.meta.url),
      env: { DATABASE_URL: database.url },
    });
    try {
      for (let i = 0; i < 3; i += 1)
        await givenSme(own, { employees: 20 + i, name: `上海审计测试企业 ${i}` });
      const user = await own.givenUser('AUDITOR');
      const log = (
        await ok(own.call<{ items: AuditEntry[] }>('GET', '/api/v1/audit?limit=10', { token: user.token }))
      ).items;
      expect(log).toHaveLength(3);
      const target = log[1]!;
      // what someone with direct database access could do: the append-only trigger switched off for it
      await own.db.$transaction([
        own.db.$executeRawUnsafe('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only'),
        own.db.$executeRawUnsafe(
          `UPDATE audit_log SET after = jsonb_set(after, '{name}', '"某某空壳公司"') WHERE seq = ${target.seq}`,
        ),
        own.db.$executeRawUnsafe('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only'),
      ]);

      const { page, problems } = await signedInAuditor(own, user.email, '/audit');
      onTestFailed(() => screenshot(page, 'failed-auditor-tampered'));
      const verify = page.getByRole('button', { name: '核验审计链' });
      await tabTo(page, verify);
      await page.keyboard.press('Enter');
      const verdict = page.locator('[data-chain]');
      await hasText(
        verdict,
        `审计链在第 ${target.seq} 条记录处断裂（内容与哈希不符：该条记录被改动过），此前 1 条记录完好。`,
        { exact: true },
      );
      const broken = page.locator(`[data-broken-seq="${target.seq}"]`);
      await hasText(broken.getByRole('heading'), `第一条不符的记录: 序号 ${target.seq}`);
      await hasText(broken, '企业已登记');
      await hasText(broken.locator('[data-field="name"] [data-side="after"]'), '某某空壳公司', {
        exact: true,
      });
      await expectAccessible(page, 'audit explorer with a broken chain');
      await screenshot(page, 'auditor-chain-broken');

      await broken.getByRole('link', { name: '查看该对象的全部日志' }).click();
      await page.waitForURL(new RegExp(`entityId=${target.entityId}`));
      await visible(page.locator(`[data-seq="${target.seq}"]`));
      expect(await page.locator('[data-testid="audit-entries"] > tbody > tr').count()).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await own.stop();
      await database.drop();
    }
  });
});
