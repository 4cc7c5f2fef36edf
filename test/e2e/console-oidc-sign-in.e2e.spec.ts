import type { Browser, Page } from 'playwright-core';
import { streamIdFor } from '../../libs/domain/index.js';
import { launchChromium, listen } from '../support/console-browser.js';
import { startIdentityProvider, type TestIdentityProvider, type TestUser } from '../support/identity-provider.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';

const CONSOLE_CLIENT = { clientId: 'ssc-console', clientSecret: 'console-secret-for-the-test-provider-0123456789' };

describe('console sign-in through the organisation identity provider', () => {
  const code = uniqueCode('OC');
  const lead: TestUser = { username: 'lee.lead', password: 'lead password 1', name: 'Lee Lead', groups: ['ssc-department-leads'], departments: [code] };
  const nobody: TestUser = { username: 'nora.nobody', password: 'nobody password 1', name: 'Nora Nobody', groups: ['finance-team'] };
  let provider: TestIdentityProvider;
  let stack: Stack;
  let browser: Browser;
  let baseURL: string;

  beforeAll(async () => {
    provider = await startIdentityProvider({ apiAudience: 'https://api.ssc-onboarding.test', users: [lead, nobody] });
    stack = await startStack({
      database: 'sqlite',
      env: {
        OIDC_ISSUER_URL: provider.issuer,
        OIDC_CLIENT_ID: CONSOLE_CLIENT.clientId,
        OIDC_CLIENT_SECRET: CONSOLE_CLIENT.clientSecret,
        OIDC_SCOPES: 'openid profile ssc',
        OIDC_ROLES_CLAIM: 'groups',
        OIDC_ROLE_MAP: 'ssc-department-leads=lead,ssc-programme-office=programme',
      },
    });
    baseURL = await listen(stack);
    await provider.registerClient({
      ...CONSOLE_CLIENT,
      redirectUris: [`${baseURL}/sign-in/callback`],
      postLogoutRedirectUris: [`${baseURL}/sign-out`],
    });
    const programme = stack.token('programme');
    await stack.http
      .post('/api/departments')
      .set('Authorization', `Bearer ${programme}`)
      .send({ code, name: `Department ${code}`, centre: 'ISSC1', plannedGoLive: '2027-04-01' })
      .expect(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await provider?.close();
  });

  async function atProviderLogin(page: Page, user: TestUser): Promise<void> {
    await page.waitForURL((url) => url.href.startsWith(`${provider.issuer}/interaction/`));
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('signs a lead in at the provider, into the console with their role and departments, and signs them out there too', async () => {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();

    await page.goto('/');
    await atProviderLogin(page, lead);
    await page.waitForURL(`${baseURL}/`);

    await expect(page.getByRole('heading', { level: 1, name: 'Programme overview' }).isVisible()).resolves.toBe(true);
    await expect(page.getByText(`lee.lead (lead: ${code})`).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: code }).isVisible()).resolves.toBe(true);

    // A command through the console is recorded with the provider's subject and the mapped role as actor.
    await page.getByRole('link', { name: code }).click();
    const assessment = page.getByRole('region', { name: 'Record the intelligent-customer capability assessment' });
    await assessment.getByLabel('Senior responsible owner').fill('Sam Senior');
    await assessment.getByLabel('4', { exact: true }).check();
    await assessment.getByLabel('Contract management staff (full-time equivalent)').fill('2');
    await Promise.all([page.waitForNavigation(), assessment.getByRole('button', { name: 'Record assessment' }).click()]);
    expect(new URL(page.url()).pathname).toBe(`/departments/${code}`);
    const recorded = (await stack.store.readStream(streamIdFor(code))).filter((event) => event.type === 'AssessmentRecorded');
    expect(recorded.map((event) => (event.metadata as { actor: { sub: string; role: string } }).actor)).toEqual([
      expect.objectContaining({ sub: 'lee.lead', role: 'lead' }),
    ]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.href.startsWith(provider.issuer));
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${baseURL}/sign-out`);
    await expect(page.getByRole('heading', { level: 1, name: 'You have signed out' }).isVisible()).resolves.toBe(true);

    // Both sessions are over: the console sends the browser to the provider, which asks for the password again.
    await page.goto('/');
    await page.waitForURL((url) => url.href.startsWith(`${provider.issuer}/interaction/`));
    await expect(page.getByLabel('Password').isVisible()).resolves.toBe(true);
    await context.close();
  });

  it('shows a person whose groups map to no role a clear no-access page, and signs nobody in', async () => {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();

    await page.goto('/');
    await atProviderLogin(page, nobody);
    await page.waitForURL((url) => url.pathname === '/sign-in/callback');

    await expect(page.getByRole('heading', { level: 1, name: 'You do not have access to this service' }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('Nora Nobody').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(0);

    // Still signed in at the provider, they are sent through it again and end at the same page, not in the console.
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/sign-in/callback');
    await expect(page.getByRole('heading', { level: 1, name: 'You do not have access to this service' }).isVisible()).resolves.toBe(true);
    await context.close();
  });

  it('refuses a callback that was not started by this browser', async () => {
    const response = await stack.http.get('/sign-in/callback?code=made-up&state=made-up');
    expect(response.status).toBe(400);
  });
});
