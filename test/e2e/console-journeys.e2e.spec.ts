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
  // A centre of its own: the lessons made mandatory for it here must not hold up other tests' departments.
  const centreName = `ISSC-${code}`;
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

  /** The GOV.UK success banner the page shows after an accepted form. */
  async function expectBanner(page: Page, heading: string) {
    const banner = page.getByRole('alert', { name: 'Success' });
    await banner.getByRole('heading', { name: heading }).waitFor();
  }

  async function openDepartment(page: Page) {
    await page.goto(`/departments/${code}`);
  }

  it('the programme registers the department', async () => {
    await programme.goto('/');
    await programme.getByRole('link', { name: 'Register a department' }).click();
    // A name too long is told so, not "Enter the department's name" as if it were empty.
    await programme.getByLabel('Department name').fill('N'.repeat(201));
    await Promise.all([programme.waitForNavigation(), programme.getByRole('button', { name: 'Register department' }).click()]);
    await programme.getByRole('alert').getByRole('link', { name: 'Department name must be 200 characters or fewer' }).waitFor();
    expect(await events()).toEqual([]);
    await expect(lookAt(programme, 'register-refused-programme')).resolves.toEqual([]);
    await programme.getByLabel('Department code').fill(code);
    await programme.getByLabel('Department name').fill('Department for Console Journeys');
    await programme.getByLabel('Shared services centre').fill(centreName);
    await programme.getByLabel('Day').fill('1');
    await programme.getByLabel('Month').fill('4');
    await programme.getByLabel('Year', { exact: true }).fill('2027');
    await programme.getByLabel('Onboarding lead (optional)').fill('lee.lead');
    await Promise.all([programme.waitForURL(`**/departments/${code}`), programme.getByRole('button', { name: 'Register department' }).click()]);
    expectAccepted(programme);
    await expect(lookAt(programme, 'department-registered-programme')).resolves.toEqual([]);
    expect(await events()).toEqual(['DepartmentRegistered']);
    // Named at registration, not left "Not assigned" until someone reassigns it.
    const leadRow = programme.locator('.govuk-summary-list__row', { hasText: 'Onboarding lead' });
    await expect(leadRow.locator('.govuk-summary-list__value').textContent()).resolves.toContain('lee.lead');
  });

  it('the lead records lessons in the library, one of them mandatory for the centre, after a refused attempt that records nothing', async () => {
    const lessonStreams = async () => (await stack.store.readAll(0, 100_000)).filter((event) => event.streamId.startsWith('lesson-')).length;
    const before = await lessonStreams();
    await lead.goto('/lessons');
    await lead.getByRole('link', { name: 'Record a lesson' }).click();
    await lead.getByLabel('Tags (optional)').fill('Payroll Runs');
    await Promise.all([lead.waitForNavigation(), lead.getByRole('button', { name: 'Record lesson' }).click()]);
    const summary = lead.getByRole('alert');
    await summary.getByRole('link', { name: 'Enter a title' }).waitFor();
    await summary.getByRole('link', { name: 'Enter what happened and what to do differently' }).waitFor();
    await summary.getByRole('link', { name: /Enter tags as lower-case words joined by hyphens/ }).waitFor();
    await expect(lead.getByLabel('Department it was learnt in').inputValue()).resolves.toBe(code);
    await expect(lookAt(lead, 'lesson-new-errors-lead')).resolves.toEqual([]);
    expect(await lessonStreams()).toBe(before);

    const record = async (title: string, body: string, tags: string, mandatory: boolean) => {
      await lead.goto('/lessons/new');
      await lead.getByLabel('Title').fill(title);
      await lead.getByLabel('What happened and what to do differently').fill(body);
      await lead.getByLabel('Tags (optional)').fill(tags);
      await lead.getByLabel('Centre it applies to (optional)').fill(centreName);
      if (mandatory) await lead.getByLabel('Departments must acknowledge this lesson').check();
      await Promise.all([lead.waitForURL('**/lessons'), lead.getByRole('button', { name: 'Record lesson' }).click()]);
      await expectBanner(lead, 'Lesson recorded');
    };
    await record('Run two payrolls in parallel', 'Run the old and new payroll side by side for one cycle.\nStaff must be paid.', 'payroll, parallel-run', true);
    await record('Keep contract managers', 'Departments that kept an intelligent-customer team assured the service better.', 'contract-management', false);
    expect(await lessonStreams()).toBe(before + 2);

    await lead.getByLabel('Words in the title or text').fill('parallel');
    await lead.getByLabel('Centre').selectOption(centreName);
    await Promise.all([lead.waitForNavigation(), lead.getByRole('button', { name: 'Search lessons' }).click()]);
    await lead.getByRole('heading', { name: '1 lesson found' }).waitFor();
    await lead.getByRole('heading', { name: 'Run two payrolls in parallel' }).waitFor();
    await expect(lookAt(lead, 'lessons-search-lead')).resolves.toEqual([]);

    const tooLong = await lead.goto(`/lessons?q=${'x'.repeat(201)}`);
    expect(tooLong?.status()).toBe(400);
    await lead.getByRole('alert').getByRole('link', { name: 'Search words must be 200 characters or fewer' }).waitFor();
    await expect(accessibilityViolations(lead)).resolves.toEqual([]);
  });

  it('the programme makes the other lesson mandatory for the centre, once it gives a reason', async () => {
    await programme.goto('/lessons');
    const lesson = programme.getByRole('region', { name: 'Keep contract managers' });
    await lesson.getByText('Make mandatory: Keep contract managers').click();
    await Promise.all([programme.waitForNavigation(), lesson.getByRole('button', { name: 'Make mandatory', exact: true }).click()]);
    await programme.getByRole('alert').getByRole('link', { name: /Enter why the lesson’s status is changing/ }).waitFor();
    await expect(lookAt(programme, 'lessons-mandatory-errors-programme')).resolves.toEqual([]);

    await lesson.getByLabel('Why').fill('Every department that skipped it struggled to assure the service');
    await Promise.all([programme.waitForNavigation(), lesson.getByRole('button', { name: 'Make mandatory', exact: true }).click()]);
    await expectBanner(programme, 'Lesson made mandatory');
    await lesson.getByText(`Mandatory for departments joining ${centreName}`).waitFor();
    // The centre's name as it is written, not lower-cased by a filter that capitalises the sentence.
    await lesson.getByText('Make optional: Keep contract managers').click();
    await lesson.getByText(new RegExp(`Departments joining ${centreName} will no longer need`)).waitFor(); // case-sensitive, unlike a string
    const all = await stack.store.readAll(0, 100_000);
    const recorded = all.find((event) => event.type === 'LessonRecorded' && (event.data as { centre: string }).centre === centreName && (event.data as { title: string }).title === 'Keep contract managers');
    const stream = all.filter((event) => event.streamId === recorded?.streamId);
    expect(stream.map((event) => [event.type, (event.metadata as { actor: unknown }).actor])).toEqual([
      ['LessonRecorded', { sub: 'lee.lead', role: 'lead' }],
      ['LessonMandatoryChanged', { sub: 'pat.programme', role: 'programme' }],
    ]);
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

    // Answers that were given are told the bound they broke, not asked for again as if left empty.
    await submit(lead, 'Record the intelligent-customer capability assessment', 'Record assessment', async (region) => {
      await region.getByLabel('Senior responsible owner').fill('S'.repeat(201));
      await region.getByLabel('3').check();
      await region.getByLabel('Contract management staff (full-time equivalent)').fill('-1');
      await region.getByLabel('Notes (optional)').fill('n'.repeat(2001));
    });
    const bounds = lead.getByRole('alert');
    await bounds.getByRole('link', { name: 'Senior responsible owner must be 200 characters or fewer' }).waitFor();
    await bounds.getByRole('link', { name: 'Contract management staff (full-time equivalent) must be 0 or more' }).waitFor();
    await bounds.getByRole('link', { name: 'Notes must be 2,000 characters or fewer' }).waitFor();

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
    await expectBanner(lead, 'Assessment recorded');

    for (const title of ['Run two payrolls in parallel', 'Keep contract managers']) {
      await submit(lead, `Acknowledge “${title}”`, 'Acknowledge lesson');
      expectAccepted(lead);
      await expectBanner(lead, 'Lesson acknowledged');
    }

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

  it('the three voices say go, each offered only its own, and the lead takes the department live and records savings', async () => {
    const say = async (page: Page, voice: string) => {
      await openDepartment(page);
      await submit(page, 'Give a go or no-go decision', 'Record decision', async (region) => {
        await region.getByLabel(voice, { exact: true }).check();
        await region.getByLabel('Go', { exact: true }).check();
        await region.getByLabel('Reason').fill(`${voice} is ready`);
      });
      expectAccepted(page);
    };
    // Each is offered only the voice they speak for: another one would be refused with a 403 page, losing the form.
    const voices = async (page: Page) => {
      await openDepartment(page);
      return form(page, 'Give a go or no-go decision').getByRole('group', { name: 'Deciding as' }).getByRole('radio').evaluateAll((radios) => radios.map((radio) => radio.labels?.[0]?.textContent?.trim()));
    };
    await expect(voices(lead)).resolves.toEqual(['Department SRO']);
    await lead.getByText(/The department SRO says go/).waitFor(); // a regular expression: text matching by string ignores case
    await expect(voices(centre)).resolves.toEqual(['Centre']);
    await expect(voices(programme)).resolves.toEqual(['Programme']);
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
    // The timeline in words, not the events' values (a lesson's id, "department-sro", "payroll", 4000).
    const timeline = programme.getByRole('heading', { name: 'What has happened' }).locator('xpath=following-sibling::*[1]');
    for (const words of [/Acknowledged the lesson “Run two payrolls in parallel”/, /Cost baseline recorded: .* a year, 4,000 staff served/, /Payroll workstream recorded: 1,000 of 1,000 records loaded/, /Department SRO decided go/]) {
      await timeline.getByText(words).waitFor();
    }
    await expect(timeline.innerText()).resolves.not.toMatch(/department-sro|lesson-|Acknowledged lesson/);

    const stored = await stack.store.readStream(streamIdFor(code));
    const actors = stored.map((event) => [event.type, (event.metadata as { actor: { sub: string; role: string } }).actor]);
    expect(actors).toEqual([
      ['DepartmentRegistered', { sub: 'pat.programme', role: 'programme' }],
      ['AssessmentRecorded', { sub: 'lee.lead', role: 'lead' }],
      ['LessonAcknowledged', { sub: 'lee.lead', role: 'lead' }],
      ['LessonAcknowledged', { sub: 'lee.lead', role: 'lead' }],
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

  it('the programme withdraws another department, saying where it went in words, and the timetable says the same', async () => {
    const leaving = uniqueCode('CW');
    const leavingCentre = `ISSC-${leaving}`;
    await programme.goto('/departments/new');
    await programme.getByLabel('Department code').fill(leaving);
    await programme.getByLabel('Department name').fill('Department for Leaving');
    await programme.getByLabel('Shared services centre').fill(leavingCentre);
    await programme.getByLabel('Day').fill('1');
    await programme.getByLabel('Month').fill('4');
    await programme.getByLabel('Year', { exact: true }).fill('2027');
    await Promise.all([programme.waitForURL(`**/departments/${leaving}`), programme.getByRole('button', { name: 'Register department' }).click()]);

    const withdraw = form(programme, 'Withdraw the department');
    const places = await withdraw.getByRole('group', { name: 'Where the department went' }).getByRole('radio').evaluateAll((radios) => radios.map((radio) => radio.labels?.[0]?.textContent?.trim()));
    expect(places).toEqual(['Joined another shared services centre', 'Kept the work in-house', 'Merged into another department', 'Something else']);
    await withdraw.getByLabel('Reason').fill('The department keeps its back office');
    await withdraw.getByLabel('Kept the work in-house').check();
    await withdraw.getByLabel(/Money already spent/).fill('-5');
    await Promise.all([programme.waitForNavigation(), withdraw.getByRole('button', { name: 'Withdraw' }).click()]);
    await programme.getByRole('alert').getByRole('link', { name: 'Money already spent that the exit writes off must be £0 or more' }).waitFor();
    await withdraw.getByLabel(/Money already spent/).fill('12.345');
    await Promise.all([programme.waitForNavigation(), withdraw.getByRole('button', { name: 'Withdraw' }).click()]);
    await programme.getByRole('alert').getByRole('link', { name: 'Money already spent that the exit writes off must be in pounds and pence, such as 1200.50' }).waitFor();
    await withdraw.getByLabel(/Money already spent/).fill('25000');
    await Promise.all([programme.waitForURL(`**/departments/${leaving}`), withdraw.getByRole('button', { name: 'Withdraw' }).click()]);
    expect((await stack.store.readStream(streamIdFor(leaving))).map((event) => [event.type, (event.data as { category?: string }).category])).toEqual([
      ['DepartmentRegistered', undefined],
      ['DepartmentWithdrawn', 'in-house'],
    ]);

    await programme.goto(`/reports?centre=${encodeURIComponent(leavingCentre)}`);
    await programme.getByText('1 (1 kept the work in-house); £25,000.00 written off').waitFor();
  });

  it('the programme reads the reports for the centre, as tables with charts, and downloads each as CSV', async () => {
    await programme.goto('/reports');
    await programme.getByLabel('Centre', { exact: true }).selectOption(centreName);
    await Promise.all([programme.waitForNavigation(), programme.getByRole('button', { name: 'Show figures' }).click()]);
    await programme.getByRole('img', { name: 'Savings by department' }).waitFor();
    const savings = programme.getByRole('table', { name: 'Savings and cost by department' });
    await savings.getByRole('row', { name: new RegExp(`${code} ${centreName} Closed £125,000\\.25`) }).waitFor();
    await programme.getByRole('img', { name: 'Slippage against the original planned go-live' }).waitFor();
    await programme.getByRole('table', { name: 'Days in each stage by centre' }).getByRole('row', { name: new RegExp(`^${centreName} Lessons 1`) }).waitFor();
    await expect(lookAt(programme, 'reports-programme')).resolves.toEqual([]);

    for (const [link, header] of [
      ['Download the savings report as CSV', 'code,centre,period'],
      ['Download the timetable as CSV', 'code,'],
      ['Download the benchmarks as CSV', 'centre,'],
      ['Download the stage durations as CSV', 'centre,stage'],
    ] as const) {
      const href = await programme.getByRole('link', { name: link }).getAttribute('href');
      const response = await programme.request.get(href!);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toContain('text/csv');
      const csv = await response.text();
      expect(csv.startsWith(header)).toBe(true);
      if (link.includes('savings')) expect(csv).toContain(`${code},${centreName},2027-Q3,125000.25`);
    }
    expect((await programme.request.get('/reports/savings.csv?asOf=yesterday')).status()).toBe(400);
    expect((await programme.request.get('/reports/everything.csv')).status()).toBe(404);

    await programme.getByLabel('Day', { exact: true }).fill('31');
    await programme.getByLabel('Month', { exact: true }).fill('2');
    await programme.getByLabel('Year', { exact: true }).fill('2027');
    const refused = await Promise.all([programme.waitForNavigation(), programme.getByRole('button', { name: 'Show figures' }).click()]);
    expect(refused[0]?.status()).toBe(400);
    await programme.getByRole('alert').getByRole('link', { name: /Enter a real date for “as at”/ }).waitFor();
    await expect(lookAt(programme, 'reports-errors-programme')).resolves.toEqual([]);
  });

  it('shows the lessons library to the centre but not the form to record one', async () => {
    await centre.goto('/lessons');
    await centre.getByRole('heading', { level: 1, name: 'Lessons library' }).waitFor();
    expect(await centre.getByRole('link', { name: 'Record a lesson' }).count()).toBe(0);
    const response = await centre.goto('/lessons/new');
    expect(response?.status()).toBe(403);
    await centre.getByRole('heading', { level: 1, name: 'You do not have access to this page' }).waitFor();
    await centre.getByText('Your role does not let you use this page or make this change.').waitFor();
    await expect(centre.getByRole('main').innerText()).resolves.not.toMatch(/needs one of the roles/);
  });

  it('shows a lead a GOV.UK 403 page for a department that is not theirs', async () => {
    const response = await lead.goto('/departments/OTHERDEPT');
    expect(response?.status()).toBe(403);
    await lead.getByRole('heading', { level: 1, name: 'You do not have access to this page' }).waitFor();
    // Why, in people's words: the API's own message speaks of tokens.
    await lead.getByText('This is for a department you do not work on.').waitFor();
    await expect(lead.getByRole('main').innerText()).resolves.not.toMatch(/token/i);
    await expect(accessibilityViolations(lead)).resolves.toEqual([]);
  });
});
