import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Stack } from './stack.js';

/** Debian's Chromium unless CHROMIUM_PATH names another; `.ci/run` installs it when missing. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The stack's app on a real port, for a real browser; answers its base URL. */
export async function listen(stack: Stack): Promise<string> {
  await stack.app.listen(0, '127.0.0.1');
  const address = stack.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

export interface Person {
  readonly role: string;
  readonly name: string;
  readonly departments?: string;
}

/** A browser context per person, so each has their own session cookie. */
export async function signedIn(browser: Browser, baseURL: string, person: Person): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, person);
  return { context, page };
}

/** Signs in on the sign-in page the browser is on (keeping where it was going), or opens it. */
export async function signIn(page: Page, person: Person): Promise<void> {
  if (!new URL(page.url(), 'http://x').pathname.startsWith('/sign-in')) await page.goto('/sign-in');
  await page.getByLabel('Role').selectOption(person.role);
  await page.getByLabel('Name').fill(person.name);
  await page.getByLabel('Departments').fill(person.departments ?? '');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

/** WCAG 2.2 A and AA: the rule ids of every violation on the page as it is now. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']).analyze();
  return results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

/** Full-page screenshots at desktop and mobile widths into test-results/screenshots (git-ignored). */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}

/** Accessibility and screenshots of the page as the user sees it now. */
export async function lookAt(page: Page, name: string): Promise<string[]> {
  await screenshots(page, name);
  return accessibilityViolations(page);
}
