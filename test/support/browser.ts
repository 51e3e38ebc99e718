import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/temporal-cli';

/** Debian's chromium package; a test tool's own browser download never runs here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Screenshots of the pages the tests visit; git-ignored, three are copied into docs/screenshots. */
export const SCREENSHOTS = path.join(PROJECT_ROOT, '.screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/**
 * A page of the portal in a fresh browser context (its own session storage), in the given language,
 * with a clock in another zone than Shanghai so that the portal's own time zone is what shows. Every
 * script error and every content-security-policy violation fails the test.
 */
export async function openPortal(
  browser: Browser,
  baseUrl: string,
  locale: 'zh-CN' | 'en' = 'zh-CN',
): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale,
    timezoneId: 'Europe/Berlin',
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text()))
      problems.push(`CSP: ${message.text()}`);
  });
  // names what the policy refused (the console says only that something was)
  await page.exposeFunction('reportViolation', (what: string) => problems.push(`CSP violation: ${what}`));
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (event) =>
    window.reportViolation(event.violatedDirective + ' ' + event.sourceFile + ':' + event.lineNumber + ' ' +
      String(event.target && event.target.outerHTML).slice(0, 200)))`);
  page.on('request', (request) => {
    if (
      !request.url().startsWith(baseUrl) &&
      !request.url().startsWith('blob:') &&
      !request.url().startsWith('data:')
    )
      problems.push(`request to another host: ${request.url()}`);
  });
  await page.addInitScript((lang) => localStorage.setItem('vouchers.locale', lang), locale);

  return { page, problems };
}

/** axe-core on the page as it stands: no serious or critical violation of WCAG 2.1 A/AA. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    // React Aria's visually hidden live region: a finished action's announcement lingers there for a few
    // seconds pointing at the progress indicator that has already gone; it is speech, not page content
    .exclude('[data-live-announcer]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const grave = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const described = grave.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 200)}`).join(', ')}`,
  );
  expect(described, `accessibility of ${what}`).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

interface Focusable {
  ownerDocument: { activeElement: unknown };
}

/**
 * Moves focus with the Tab key alone until the element has it, then returns: proof that a keyboard
 * user reaches it. Fails after `max` presses.
 */
export async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  const handle = await target.elementHandle();
  if (!handle) throw new Error('tabTo: the target is not on the page');
  for (let i = 0; i < max; i += 1) {
    if (await handle.evaluate((el) => (el as unknown as Focusable).ownerDocument.activeElement === el))
      return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`tabTo: not reached with ${max} presses of Tab`);
}

/** Types a date into a React Aria date field, segment by segment, as a keyboard user does. */
export async function typeDate(page: Page, field: Locator, digits: string): Promise<void> {
  await field.getByRole('spinbutton').first().focus();
  await page.keyboard.type(digits);
}

/** The id in the page's path after `/<kind>/`. */
export function idInUrl(page: Page, kind: string): string {
  const match = new RegExp(`/${kind}/([0-9a-f-]{36})`).exec(page.url());
  if (!match) throw new Error(`no ${kind} id in ${page.url()}`);
  return match[1]!;
}

/*
 * Waiting assertions on what a person sees (vitest's expect has no retrying matchers for pages):
 * each waits up to its timeout for the page to get there, and fails with what it saw instead.
 */
// generous: CI runs the other tiers on the same two cores at the same time
const WAIT_MS = 30_000;

export async function visible(target: Locator, timeout = WAIT_MS): Promise<void> {
  await target.first().waitFor({ state: 'visible', timeout });
}

export async function gone(target: Locator, timeout = WAIT_MS): Promise<void> {
  await target.first().waitFor({ state: 'detached', timeout });
}

/** The element's text contains `text` (or equals it, with `exact`). */
export async function hasText(
  target: Locator,
  text: string,
  options: { exact?: boolean; timeout?: number } = {},
) {
  const deadline = Date.now() + (options.timeout ?? WAIT_MS);
  let seen: string;
  for (;;) {
    seen = (
      await target
        .first()
        .innerText({ timeout: options.timeout ?? WAIT_MS })
        .catch(() => '')
    ).trim();
    if (options.exact ? seen === text : seen.includes(text)) return;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(seen, `text of ${target.toString()}`).toBe(options.exact ? text : `…${text}…`);
}
