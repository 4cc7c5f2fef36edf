import type { Browser } from 'playwright-core';
import { createApp } from '../../apps/api/src/create-app.js';
import { accessibilityViolations, launchChromium, listen, screenshots, signIn } from '../support/console-browser.js';
import { startStack, type Stack } from '../support/stack.js';

describe('console sign-in, session and CSRF', () => {
  let stack: Stack;
  let browser: Browser;
  let baseURL: string;

  beforeAll(async () => {
    stack = await startStack({ withoutWorker: true, env: { CONSOLE_DEV_SIGN_IN: 'true' } });
    baseURL = await listen(stack);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('sends a visitor to sign in, and back to the page they asked for', async () => {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await page.goto('/?status=overdue');
    await page.waitForURL(/\/sign-in\?returnTo=/);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' }).isVisible()).resolves.toBe(true);
    await expect(accessibilityViolations(page)).resolves.toEqual([]);
    await screenshots(page, 'sign-in');

    await signIn(page, { role: 'programme', name: 'pat.office' });
    expect(new URL(page.url()).search).toBe('?status=overdue');
    await expect(page.getByRole('heading', { level: 1, name: 'Programme overview' }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('pat.office (programme)').isVisible()).resolves.toBe(true);
    await expect(accessibilityViolations(page)).resolves.toEqual([]);
    await screenshots(page, 'overview-programme');
    await context.close();
  });

  it('shows what is wrong with the sign-in form, field by field', async () => {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Role').selectOption('lead');
    await page.getByLabel('Name').fill('has spaces');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const summary = page.getByRole('alert');
    await expect(summary.getByText('There is a problem').isVisible()).resolves.toBe(true);
    await expect(summary.getByRole('link', { name: /Name must be/ }).isVisible()).resolves.toBe(true);
    await expect(summary.getByRole('link', { name: /Enter the codes of the departments/ }).isVisible()).resolves.toBe(true);
    await expect(page.title()).resolves.toMatch(/^Error: /);
    await expect(accessibilityViolations(page)).resolves.toEqual([]);
    await screenshots(page, 'sign-in-errors');
    await context.close();
  });

  it('keeps the session in an HttpOnly, SameSite=Lax cookie that another API process honours, and ends it on sign-out', async () => {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await signIn(page, { role: 'auditor', name: 'ada.audit' });
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'ssc.console');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });

    // A second API process on the same database knows the session.
    const other = await createApp({ config: stack.config, db: stack.db, temporal: stack.temporal });
    await other.init();
    try {
      const page2 = await import('supertest').then(({ default: request }) => request(other.getHttpServer()).get('/').set('Cookie', `ssc.console=${cookie.value}`));
      expect(page2.status).toBe(200);
      expect(page2.text).toContain('ada.audit (auditor)');
    } finally {
      await other.close();
    }

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'You have signed out' }).isVisible()).resolves.toBe(true);
    const after = await stack.http.get('/').set('Cookie', `ssc.console=${cookie.value}`);
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/sign-in?returnTo=%2F');
    await context.close();
  });

  it('refuses a form post with a missing or forged CSRF token, signing nobody in', async () => {
    const missing = await stack.http.post('/sign-in').type('form').send({ role: 'admin', name: 'mallory' });
    expect(missing.status).toBe(403);
    expect(missing.text).toContain('The form was out of date or did not come from this service');
    const page = await stack.http.get('/sign-in');
    const cookie = page.headers['set-cookie'];
    const forged = await stack.http.post('/sign-in').set('Cookie', cookie).type('form').send({ role: 'admin', name: 'mallory', _csrf: 'forged' });
    expect(forged.status).toBe(403);
    const home = await stack.http.get('/').set('Cookie', cookie);
    expect(home.status).toBe(303);
  });

  it('answers an unknown page with a GOV.UK 404 page in words, not JSON', async () => {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await signIn(page, { role: 'lead', name: 'lee.lead', departments: 'DFT' });
    const response = await page.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' }).isVisible()).resolves.toBe(true);
    // In people's words, not the web framework's "Cannot GET /no-such-page".
    await page.getByText('There is no page at this web address.').waitFor();
    await expect(page.getByRole('main').innerText()).resolves.not.toMatch(/Cannot GET/);
    await expect(accessibilityViolations(page)).resolves.toEqual([]);
    await context.close();
  });
});
