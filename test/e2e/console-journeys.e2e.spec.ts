import type { Browser, Page } from 'playwright-core';
import { streamIdFor } from '../../libs/domain/index.js';
import { accessibilityViolations, launchChromium, listen, lookAt, signedIn } from '../support/console-browser.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';

/**
 * The whole onboarding through the console's pages only, as the people who do it: the
 * programme office, the department's lead and the centre, each signed in as themselves.
 */
describe('console journeys: a department from registration to closed, through the pages', () => {
  let stack: Stack;
  let browser: Browser;
  let baseURL: string;
  const code = uniqueCode('CJ');
  let programme: Page;
  let lead: Page;
  let centre: Page;

  beforeAll(async () => {
    stack = await startStack({ env: { CONSOLE_DEV_SIGN_IN: 'true' } });
    baseURL = await listen(stack);
    browser = await launchChromium();
    programme = (await signedIn(browser, baseURL, { role: 'programme', name: 'pat.programme' })).page;
    lead = (await signedIn(browser, baseURL, { role: 'lead', name: 'lee.lead', departments: code })).page;
    centre = (await signedIn(browser, baseURL, { role: 'centre', name: 'cat.centre', departments: code })).page;
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const form = (page: Page, heading: string | RegExp) => page.getByRole('region', { name: heading });
  /** Accepted: back on the department page (a refused form is shown again at its own address, with its errors). */
  const expectAccepted = (page: Page) => expect(new URL(page.url()).pathname).toBe(`/departments/${code}`);
  const events = async () => (await stack.store.readStream(streamIdFor(code))).map((event) => event.type);
  const historyLength = async () => (await stack.temporal.workflow.getHandle(`onboarding-${code}`).fetchHistory()).events?.length ?? 0;

  async function submit(page: Page, heading: string | RegExp, button: string, fill: (region: ReturnType<typeof form>) => Promise<void> = async () => undefined) {
    const region = form(page, heading);
    await fill(region);
    await Promise.all([page.waitForNavigation(), region.getByRole('button', { name: button }).click()]);
  }

  async function openDepartment(page: Page) {
    await page.goto(`/departments/${code}`);
  }

  it('the programme registers the department', async () => {
    await programme.goto('/');
    await programme.getByRole('link', { name: 'Register a department' }).click();
    await programme.getByLabel('Department code').fill(code);
    await programme.getByLabel('Department name').fill('Department for Console Journeys');
    await programme.getByLabel('Shared services centre').fill('ISSC1');
    await programme.getByLabel('Day').fill('1');
    await programme.getByLabel('Month').fill('4');
    await programme.getByLabel('Year').fill('2027');
    await Promise.all([programme.waitForURL(`**/departments/${code}`), programme.getByRole('button', { name: 'Register department' }).click()]);
    expectAccepted(programme);
    await expect(lookAt(programme, 'department-registered-programme')).resolves.toEqual([]);
    expect(await events()).toEqual(['DepartmentRegistered']);
  });

  it('refuses a bad assessment with the error summary and field errors, appending nothing and leaving the workflow history as it was', async () => {
    await openDepartment(lead);
    const before = await historyLength();
    await submit(lead, 'Record the intelligent-customer capability assessment', 'Record assessment', async (region) => {
      await region.getByLabel('Contract management staff (full-time equivalent)').fill('lots');
    });
    expect(lead.url()).toContain(`/departments/${code}`);
    const summary = lead.getByRole('alert');
    await summary.getByText('There is a problem').waitFor();
    await summary.getByRole('link', { name: 'Enter the name of the senior responsible owner' }).waitFor();
    await summary.getByRole('link', { name: 'Select a score from 1 to 5' }).waitFor();
    await summary.getByRole('link', { name: /Enter the full-time equivalent staff/ }).waitFor();
    await expect(form(lead, 'Record the intelligent-customer capability assessment').getByLabel('Contract management staff (full-time equivalent)').inputValue()).resolves.toBe('lots');
    await expect(lookAt(lead, 'department-lessons-errors-lead')).resolves.toEqual([]);

    // A refusal by the rules, not the form: advancing with every gate unmet.
    await submit(lead, /^Advance to Readiness/, 'Advance to Readiness');
    await lead.getByRole('alert').getByRole('link', { name: /You cannot advance yet\. Still needed: an intelligent-customer capability assessment is recorded/ }).waitFor();
    expect(await events()).toEqual(['DepartmentRegistered']);
    expect(await historyLength()).toBe(before);
  });

  it('the lead records the assessment with the keyboard alone, then advances to readiness', async () => {
    await openDepartment(lead);
    const region = form(lead, 'Record the intelligent-customer capability assessment');
    await region.getByLabel('Senior responsible owner').focus();
    await lead.keyboard.type('Sam Senior');
    await lead.keyboard.press('Tab'); // to the first score radio
    await lead.keyboard.press('ArrowRight'); // 2
    await lead.keyboard.press('ArrowRight'); // 3
    await lead.keyboard.press('ArrowRight'); // 4
    await lead.keyboard.press('Tab');
    await lead.keyboard.type('2.5');
    await lead.keyboard.press('Tab');
    await lead.keyboard.type('Strong contract team');
    await lead.keyboard.press('Tab');
    await Promise.all([lead.waitForNavigation(), lead.keyboard.press('Enter')]);
    expectAccepted(lead);

    await submit(lead, /^Advance to Readiness/, 'Advance to Readiness');
    expectAccepted(lead);
    await lead.getByRole('heading', { name: 'What is needed to leave Readiness' }).waitFor();
  });

  it('the lead records a baseline and raises a deviation that the programme approves', async () => {
    await submit(lead, 'Record the cost baseline', 'Record baseline', async (region) => {
      await region.getByLabel('Annual cost of the back-office functions today').fill('1,200,000');
      await region.getByLabel('Expected cost of implementing the move').fill('£250,000.50');
      await region.getByLabel('Staff served').fill('4000');
    });
    expectAccepted(lead);
    await submit(lead, 'Request a deviation from the standard operating model', 'Request deviation', async (region) => {
      await region.getByLabel('Area').fill('payroll');
      await region.getByLabel('What would differ').fill('A weekly pay run for field staff');
      await region.getByLabel('Why the department needs it').fill('Agreed with the unions');
    });
    expectAccepted(lead);

    await openDepartment(programme);
    await expect(lookAt(programme, 'department-readiness-programme')).resolves.toEqual([]);
    await submit(programme, 'Decide the deviation: payroll', 'Record decision', async (region) => {
      await region.getByLabel('Approve').check();
      await region.getByLabel('Reason').fill('Costed and accepted');
    });
    expectAccepted(programme);

    await openDepartment(lead);
    await submit(lead, /^Advance to Migration/, 'Advance to Migration');
    expectAccepted(lead);
  });

  it('the centre records all four workstreams, and the lead advances to go-live', async () => {
    await openDepartment(centre);
    for (const workstream of ['HR', 'Finance', 'Payroll', 'Procurement']) {
      await submit(centre, 'Record a migration workstream', 'Record workstream', async (region) => {
        await region.getByLabel(workstream, { exact: true }).check();
        await region.getByLabel('Records extracted').fill('1000');
        await region.getByLabel('Records loaded').fill('1000');
        await region.getByLabel('Reconciliation evidence').fill(`evidence://${workstream.toLowerCase()}`);
      });
      expectAccepted(centre);
    }
    await expect(lookAt(centre, 'department-migration-centre')).resolves.toEqual([]);
    await openDepartment(lead);
    await submit(lead, /^Advance to Go live/, 'Advance to Go live');
    expectAccepted(lead);
  });

  it('the three voices say go, and the lead takes the department live and records savings', async () => {
    const say = async (page: Page, voice: string) => {
      await openDepartment(page);
      await submit(page, 'Give a go or no-go decision', 'Record decision', async (region) => {
        await region.getByLabel(voice, { exact: true }).check();
        await region.getByLabel('Go', { exact: true }).check();
        await region.getByLabel('Reason').fill(`${voice} is ready`);
      });
      expectAccepted(page);
    };
    await say(lead, 'Department SRO');
    await say(centre, 'Centre');
    await say(programme, 'Programme');

    await openDepartment(lead);
    await submit(lead, /^Advance to Live/, 'Advance to Live');
    expectAccepted(lead);
    await submit(lead, 'Record savings', 'Record savings', async (region) => {
      await region.getByLabel('Quarter').fill('2027-Q3');
      await region.getByLabel('Amount').fill('125000.25');
      await region.getByLabel('The programme').check();
      await region.getByLabel('Evidence').fill('finance://ledger/2027-Q3');
    });
    expectAccepted(lead);
    await expect(lookAt(lead, 'department-live-lead')).resolves.toEqual([]);
  });

  it('the programme closes it; every event is in the store with the signed-in person and role as actor', async () => {
    await openDepartment(programme);
    await submit(programme, 'Close benefits tracking', 'Close', async (region) => {
      await region.getByLabel('Reason').fill('Benefits realised and handed to business as usual');
    });
    expectAccepted(programme);
    await expect(lookAt(programme, 'department-closed-programme')).resolves.toEqual([]);

    const stored = await stack.store.readStream(streamIdFor(code));
    const actors = stored.map((event) => [event.type, (event.metadata as { actor: { sub: string; role: string } }).actor]);
    expect(actors).toEqual([
      ['DepartmentRegistered', { sub: 'pat.programme', role: 'programme' }],
      ['AssessmentRecorded', { sub: 'lee.lead', role: 'lead' }],
      ['StageAdvanced', { sub: 'lee.lead', role: 'lead' }],
      ['BaselineRecorded', { sub: 'lee.lead', role: 'lead' }],
      ['DeviationRequested', { sub: 'lee.lead', role: 'lead' }],
      ['DeviationDecided', { sub: 'pat.programme', role: 'programme' }],
      ['StageAdvanced', { sub: 'lee.lead', role: 'lead' }],
      ['MigrationWorkstreamRecorded', { sub: 'cat.centre', role: 'centre' }],
      ['MigrationWorkstreamRecorded', { sub: 'cat.centre', role: 'centre' }],
      ['MigrationWorkstreamRecorded', { sub: 'cat.centre', role: 'centre' }],
      ['MigrationWorkstreamRecorded', { sub: 'cat.centre', role: 'centre' }],
      ['StageAdvanced', { sub: 'lee.lead', role: 'lead' }],
      ['GoLiveDecisionRecorded', { sub: 'lee.lead', role: 'lead' }],
      ['GoLiveDecisionRecorded', { sub: 'cat.centre', role: 'centre' }],
      ['GoLiveDecisionRecorded', { sub: 'pat.programme', role: 'programme' }],
      ['StageAdvanced', { sub: 'lee.lead', role: 'lead' }],
      ['SavingsRecorded', { sub: 'lee.lead', role: 'lead' }],
      ['OnboardingClosed', { sub: 'pat.programme', role: 'programme' }],
    ]);
  });

  it('shows a lead a GOV.UK 403 page for a department that is not theirs', async () => {
    const response = await lead.goto('/departments/OTHERDEPT');
    expect(response?.status()).toBe(403);
    await lead.getByRole('heading', { level: 1, name: 'You do not have access to this page' }).waitFor();
    await expect(accessibilityViolations(lead)).resolves.toEqual([]);
  });
});
