import type { Browser, Page } from 'playwright-core';
import { launchChromium, listen, signedIn } from '../support/console-browser.js';
import { testDatabaseUrl } from '../support/env.js';
import { EventsTableLock } from '../support/events-table-lock.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';

const COMMAND_TIMEOUT_MS = 5000;

/**
 * The console while the database is too slow to answer within COMMAND_TIMEOUT_MS: the person
 * hears 503 in time, and the work behind that answer, which goes on, leaves the API serving.
 */
describe('console: pages whose answer did not come in time', () => {
  let stack: Stack;
  let browser: Browser;
  let locker: EventsTableLock;
  let lead: Page;
  const code = uniqueCode('CU');

  beforeAll(async () => {
    stack = await startStack({ env: { CONSOLE_DEV_SIGN_IN: 'true', COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS) } });
    locker = await EventsTableLock.connect(testDatabaseUrl());
    browser = await launchChromium();
    await new OnboardingDriver(stack, code).register();
    lead = (await signedIn(browser, await listen(stack), { role: 'lead', name: 'lee.lead', departments: code })).page;
  });
  afterAll(async () => {
    await locker?.close();
    await browser?.close();
    await stack?.close();
  });

  it('answers a page that cannot be read in time 503, and drops the page it finishes once the database is back', async () => {
    await locker.lock();
    try {
      const answer = await lead.goto(`/departments/${code}`);
      expect(answer?.status()).toBe(503);
    } finally {
      await locker.release();
    }
    await lead.getByRole('heading', { level: 1, name: 'Sorry, the service is unavailable' }).waitFor();
    // The page held up by the lock is made now, behind the 503: sending it would throw where nothing catches it.
    const again = await lead.goto(`/departments/${code}`);
    expect(again?.status()).toBe(200);
  });
});
