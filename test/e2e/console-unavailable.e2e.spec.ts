import type { Browser, Page } from 'playwright-core';
import { streamIdFor } from '../../libs/domain/index.js';
import { launchChromium, listen, lookAt, signedIn } from '../support/console-browser.js';
import { testDatabaseUrl } from '../support/env.js';
import { EventsTableLock } from '../support/events-table-lock.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { eventually } from '../support/operations.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';

const COMMAND_TIMEOUT_MS = 5000;

/**
 * The console while the database is too slow to answer within COMMAND_TIMEOUT_MS. A lead who
 * sends a form then cannot be told whether the change was made: the page says so in plain
 * words, says where to look and offers the same form again, which records the change once
 * whether or not the first went through behind the error. A page that cannot be read says
 * to try again later; the work behind either answer, which goes on, leaves the API serving.
 */
describe('console: pages whose answer did not come in time', () => {
  let stack: Stack;
  let browser: Browser;
  let locker: EventsTableLock;
  let lead: Page;
  const code = uniqueCode('CU');

  const assessments = async () => (await stack.store.readStream(streamIdFor(code))).filter((event) => event.type === 'AssessmentRecorded');
  const paragraphs = (page: Page) => page.locator('main').innerText();

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

  it('says the change may or may not have been saved and where to check, never how the API retries, and sending the form again records it once', async () => {
    await lead.goto(`/departments/${code}`);
    const form = lead.getByRole('region', { name: 'Record the intelligent-customer capability assessment' });
    await form.getByLabel('Senior responsible owner').fill('Sam Senior');
    await form.getByLabel('4').check();
    await form.getByLabel('Contract management staff (full-time equivalent)').fill('2.5');

    await locker.lock();
    const [answer] = await Promise.all([lead.waitForNavigation(), form.getByRole('button', { name: 'Record assessment' }).click()]);
    expect(answer?.status()).toBe(503);
    await lead.getByRole('heading', { level: 1, name: 'Your change may not have been saved' }).waitFor();
    const text = await paragraphs(lead);
    expect(text).toContain('Your change may or may not have been saved.');
    expect(text).toContain('If it was not, send the form again. You can do this safely: if your change was saved, sending the same form again will not make it twice.');
    expect(text).not.toMatch(/idempotency|retry it/i);
    await expect(lead.getByRole('link', { name: `the page for ${code}` }).getAttribute('href')).resolves.toBe(`/departments/${code}`);
    await expect(lookAt(lead, 'form-unanswered-lead')).resolves.toEqual([]);

    // The change went through behind the error once the database was back.
    await locker.release();
    await eventually(async () => (await assessments()).length === 1, 'the assessment sent before the error to be recorded', 30_000, 200);

    await Promise.all([lead.waitForURL(`**/departments/${code}`), lead.getByRole('button', { name: 'Send the form again' }).click()]);
    await lead.getByRole('alert', { name: 'Success' }).getByRole('heading', { name: 'Assessment recorded' }).waitFor();
    expect((await assessments()).map((event) => event.data)).toEqual([expect.objectContaining({ sro: 'Sam Senior', score: 4, contractManagementFte: 2.5 })]);
  });

  it('offers a lesson recorded while the database is held the same way back: the library to check, and the form again, which records one lesson', async () => {
    const title = `Keep the payroll team on until cut-over ${code}`;
    const recorded = async () => (await stack.store.readAll(0, 100_000)).filter((event) => event.type === 'LessonRecorded' && (event.data as { title: string }).title === title);
    await lead.goto('/lessons/new');
    await lead.getByLabel('Title').fill(title);
    await lead.getByLabel('What happened and what to do differently').fill('The old team answered the questions the new centre could not.');
    await lead.getByLabel('Tags (optional)').fill('payroll, cut-over');

    await locker.lock();
    const [answer] = await Promise.all([lead.waitForNavigation(), lead.getByRole('button', { name: 'Record lesson' }).click()]);
    expect(answer?.status()).toBe(503);
    await lead.getByRole('heading', { level: 1, name: 'Your change may not have been saved' }).waitFor();
    await expect(lead.getByRole('link', { name: 'the lessons library' }).getAttribute('href')).resolves.toBe('/lessons');
    await locker.release();

    await Promise.all([lead.waitForURL('**/lessons'), lead.getByRole('button', { name: 'Send the form again' }).click()]);
    await lead.getByRole('alert', { name: 'Success' }).getByRole('heading', { name: 'Lesson recorded' }).waitFor();
    expect((await recorded()).map((event) => event.data)).toEqual([expect.objectContaining({ title, tags: ['payroll', 'cut-over'], sourceDepartment: code })]);
  });

  it('answers a page that cannot be read in time 503 with "try again later", saying nothing about changes, and drops the page it finishes later', async () => {
    await locker.lock();
    try {
      const answer = await lead.goto(`/departments/${code}`);
      expect(answer?.status()).toBe(503);
    } finally {
      await locker.release();
    }
    await lead.getByRole('heading', { level: 1, name: 'Sorry, the service is unavailable' }).waitFor();
    const text = await paragraphs(lead);
    expect(text).toContain('Try again later.');
    expect(text).not.toMatch(/saved|idempotency|retry it/i);
    await expect(lead.getByRole('button', { name: 'Send the form again' }).count()).resolves.toBe(0);
    await expect(lookAt(lead, 'page-unavailable-lead')).resolves.toEqual([]);
    // The page held up by the lock is made now, behind the 503: sending it would throw where nothing catches it.
    const again = await lead.goto(`/departments/${code}`);
    expect(again?.status()).toBe(200);
  });
});
