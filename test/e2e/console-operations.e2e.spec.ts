import type { Browser, Page } from 'playwright-core';
import { streamIdFor } from '../../libs/domain/index.js';
import { operationsStreamId } from '../../libs/operations/index.js';
import { WebhookNotifier } from '../../libs/temporal/index.js';
import { launchChromium, listen, lookAt, signIn, signedIn } from '../support/console-browser.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { eventually, stuckList, sweepStuck } from '../support/operations.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const OPERATOR = { role: 'operations', name: 'olu.operator' };
const OPERATOR_ACTOR = { sub: 'olu.operator', role: 'operations' };

/**
 * An operator on call, through the Operations page only: a department missed its deadline and
 * the escalation cannot reach the paging service; the operator retries the delivery once the
 * service is back, escalates again, pauses and resumes the onboarding.
 */
describe('console operations: the stuck list, retry, escalate, pause and resume through the pages', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let baseURL: string;
  let operator: Page;
  const department = { code: uniqueCode('OP'), centre: '' };
  const serverErrors: string[] = [];

  const watch = (page: Page) => page.on('response', (response) => void (response.status() >= 500 && serverErrors.push(`${response.status()} ${response.url()}`)));
  const departmentEvents = async () => stack.store.readStream(streamIdFor(department.code));
  const operationsEvents = async () => stack.store.readStream(operationsStreamId(department.code));
  const historyLength = async () => (await stack.temporal.workflow.getHandle(`onboarding-${department.code}`).fetchHistory()).events?.length ?? 0;
  /** GOV.UK's success banner is announced as an alert. */
  const banner = (page: Page) => page.getByRole('alert').filter({ hasText: 'Success' });
  const row = (page: Page) => page.getByRole('row').filter({ hasText: `(${department.code})` });

  async function click(page: Page, name: string | RegExp, role: 'link' | 'button' = 'link') {
    await Promise.all([page.waitForNavigation(), page.getByRole(role, { name }).first().click()]);
  }

  beforeAll(async () => {
    receiver = await startWebhookReceiver('fail');
    stack = await startStack({ env: { CONSOLE_DEV_SIGN_IN: 'true' }, notifier: new WebhookNotifier(receiver.url, 2000) });
    baseURL = await listen(stack);
    browser = await launchChromium();
    // Its own centre, so the page can be filtered down to it on a database other tests share.
    department.centre = `ISSC-${department.code}`;
    const driver = new OnboardingDriver(stack, department.code);
    await driver.register({ centre: department.centre, deadlines: { LESSONS: 'PT2S' } });
    // The deadline passes, the workflow escalates, and the paging service answers 503 to every delivery.
    await eventually(async () => {
      await sweepStuck(stack);
      return (await stuckList(stack, [department.code], { reason: 'activity-failing' })).length > 0;
    }, 'the failing escalation delivery to be listed', 60_000, 500);
    operator = (await signedIn(browser, baseURL, OPERATOR)).page;
    watch(operator);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await receiver?.close();
  });

  it('answers a role without access with the GOV.UK 403 page, and offers it no link', async () => {
    const { page: lead } = await signedIn(browser, baseURL, { role: 'lead', name: 'lee.lead', departments: department.code });
    watch(lead);
    await expect(lead.getByRole('link', { name: 'Operations' }).count()).resolves.toBe(0);
    const answer = await lead.goto('/operations');
    expect(answer?.status()).toBe(403);
    await lead.getByRole('heading', { name: 'You do not have access to this page' }).waitFor();
    const confirm = await lead.goto(`/operations/departments/${department.code}/retry`);
    expect(confirm?.status()).toBe(403);
    await expect(lookAt(lead, 'operations-forbidden-lead')).resolves.toEqual([]);
    await lead.context().close();
  });

  it('answers an unknown department or action with a GOV.UK page, never a 500', async () => {
    const answers = [];
    for (const path of ['/operations/departments/NOSUCH1/escalate', `/operations/departments/${department.code}/delete`, '/operations/departments/no%20such/retry']) {
      answers.push((await operator.goto(path))?.status());
    }
    expect(answers).toEqual([404, 404, 400]);
    await operator.getByRole('heading', { name: 'There is a problem with your request' }).waitFor();
  });

  it('shows the operator the failing step, with its attempts and last failure, under filters that work without JavaScript', async () => {
    await operator.goto('/');
    await click(operator, 'Operations');
    await operator.getByRole('heading', { name: 'Operations', level: 1 }).waitFor();
    await operator.getByLabel('Reason').selectOption({ label: 'Step failing' });
    await operator.getByLabel('Centre').selectOption(department.centre);
    await click(operator, 'Apply filters', 'button');
    const search = new URL(operator.url()).searchParams;
    expect([search.get('reason'), search.get('centre')]).toEqual(['activity-failing', department.centre]);

    const failing = row(operator);
    await expect(failing.count()).resolves.toBe(1);
    const cells = await failing.getByRole('cell').allInnerTexts();
    expect(cells[0]).toContain(`Department ${department.code} (${department.code})`);
    expect(cells.slice(1, 4)).toEqual(['Lessons', department.centre, 'Step failing']);
    expect(Number(cells[5])).toBeGreaterThanOrEqual(2);
    expect(cells[6]).toBe('Sending the escalation to the people on call: escalation webhook answered 503');
    await expect(lookAt(operator, 'operations-stuck-operations')).resolves.toEqual([]);

    const badFilter = await operator.goto('/operations?reason=sleepy');
    expect(badFilter?.status()).toBe(400);
    await operator.getByRole('alert').getByRole('link', { name: 'Select a reason from the list' }).waitFor();
    await expect(lookAt(operator, 'operations-filter-error-operations')).resolves.toEqual([]);
  });

  it('filters the same with JavaScript turned off', async () => {
    const noScript = await browser.newContext({ baseURL, javaScriptEnabled: false });
    const page = await noScript.newPage();
    watch(page);
    await signIn(page, OPERATOR);
    await page.goto('/operations');
    await page.getByLabel('Reason').selectOption({ label: 'Step failing' });
    await page.getByLabel('Centre').selectOption(department.centre);
    await click(page, 'Apply filters', 'button');
    await expect(row(page).getByRole('cell').nth(3).innerText()).resolves.toBe('Step failing');
    await expect(page.getByRole('row').count()).resolves.toBe(2);
    await noScript.close();
  });

  it('retries the failing step through its confirmation page, which delivers the escalation at once', async () => {
    await operator.goto(`/operations?reason=activity-failing&centre=${department.centre}`);
    await click(operator, `Retry the failing step for ${department.code}`);
    await operator.getByRole('heading', { name: `Retry the failing step for Department ${department.code} (${department.code})?` }).waitFor();
    await expect(operator.getByRole('link', { name: 'Operations', exact: true }).getAttribute('aria-current')).resolves.toBe('page');
    await expect(lookAt(operator, 'operations-retry-confirm-operations')).resolves.toEqual([]);
    await operator.getByLabel('Why retry now (optional)').fill('The paging service is back');
    // Right after a delivery attempt fails on its own backoff, the next is at least twice the last
    // interval away (10 s or more): only then is the paging service mended and the retry confirmed,
    // so a delivery that succeeds by itself cannot leave nothing to retry, however loaded the machine.
    const attemptsSoFar = receiver.attempts;
    await eventually(async () => receiver.attempts > attemptsSoFar, 'the next delivery attempt to fail', 60_000, 50);
    receiver.setMode('ok');
    await click(operator, 'Yes, retry now', 'button');

    expect(new URL(operator.url()).search).toBe(`?reason=activity-failing&centre=${department.centre}`);
    await banner(operator).getByText(`Retry started for ${department.code}`).waitFor();
    await banner(operator).getByText('Sending the escalation to the people on call runs again now').waitFor();
    await expect(lookAt(operator, 'operations-retried-operations')).resolves.toEqual([]);
    await eventually(async () => receiver.received.some((body) => body.code === department.code), 'the escalation to reach the paging service');
    expect((await operationsEvents()).map((event) => [event.type, (event.data as { reason?: string }).reason])).toEqual([['RetryRequested', 'The paging service is back']]);
  });

  it('says so on the confirmation page when nothing is failing any more, recording nothing', async () => {
    await eventually(async () => {
      await sweepStuck(stack);
      return (await stuckList(stack, [department.code], { reason: 'activity-failing' })).length === 0;
    }, 'the delivered step to leave the list');
    await operator.goto(`/operations/departments/${department.code}/retry`);
    const answer = await Promise.all([operator.waitForNavigation(), operator.getByRole('button', { name: 'Yes, retry now' }).click()]);
    expect(answer[0]?.status()).toBe(409);
    await operator.getByRole('alert').getByRole('link', { name: /^Nothing is failing for this department now/ }).waitFor();
    await expect(lookAt(operator, 'operations-nothing-to-retry-operations')).resolves.toEqual([]);
    await expect(operationsEvents()).resolves.toHaveLength(1);
  });

  it('escalates the missed deadline: refused without a reason, with nothing appended, then recorded and delivered', async () => {
    await operator.goto(`/operations?reason=deadline-missed&centre=${department.centre}`);
    await expect(row(operator).getByRole('cell').nth(6).innerText()).resolves.toMatch(/^The Lessons deadline of .* passed; escalated once$/);
    await click(operator, `Escalate ${department.code}`);
    const [before, historyBefore] = [(await departmentEvents()).length, await historyLength()];
    await click(operator, 'Escalate', 'button');
    await operator.getByRole('alert').getByRole('link', { name: 'Enter why it needs escalating' }).waitFor();
    await expect(lookAt(operator, 'operations-escalate-errors-operations')).resolves.toEqual([]);
    expect((await departmentEvents()).length).toBe(before);
    expect(await historyLength()).toBe(historyBefore);

    await operator.getByLabel('Why it needs escalating').fill('Lessons stalled for two weeks; the lead does not answer');
    await click(operator, 'Escalate', 'button');
    await banner(operator).getByText(`Onboarding escalated: ${department.code}`).waitFor();
    await eventually(
      async () => receiver.received.some((body) => body.code === department.code && body.actor === OPERATOR.name),
      'the operator’s escalation to reach the paging service',
    );
  });

  it('pauses the onboarding with a reason and resumes it', async () => {
    await operator.goto(`/operations?centre=${department.centre}`);
    await click(operator, `Pause ${department.code}`);
    await operator.getByRole('heading', { name: `Pause the onboarding of Department ${department.code} (${department.code})?` }).waitFor();
    await operator.getByLabel('Reason').fill('Waiting for the department’s new lead');
    await click(operator, 'Pause', 'button');
    await banner(operator).getByText(`Onboarding paused: ${department.code}`).waitFor();
    await row(operator).first().getByText('Paused', { exact: true }).waitFor();
    await expect(lookAt(operator, 'operations-paused-operations')).resolves.toEqual([]);

    await click(operator, `Resume ${department.code}`);
    await operator.getByLabel('Reason').fill('New lead in post');
    await click(operator, 'Resume', 'button');
    await banner(operator).getByText(`Onboarding resumed: ${department.code}`).waitFor();
    await expect(row(operator).first().getByText('Paused', { exact: true }).count()).resolves.toBe(0);
  });

  it('records one command for a form rendering sent twice at once and again, and refuses a forged or missing CSRF token with nothing written', async () => {
    const action = `/operations/departments/${department.code}/pause`;
    await operator.goto(action);
    const hidden = (name: string) => operator.locator(`form[action="${action}"] input[type=hidden][name="${name}"]`).inputValue();
    // A return address off the Operations page is never followed.
    const form = { _csrf: await hidden('_csrf'), idempotencyKey: await hidden('idempotencyKey'), returnTo: 'https://elsewhere.example/', reason: 'Audit of the payroll data' };
    const before = (await departmentEvents()).length;

    // Sent twice at once (a double click that got past the button's guard), then once more after both answered.
    const [first, second] = await Promise.all([operator.request.post(action, { form, maxRedirects: 0 }), operator.request.post(action, { form, maxRedirects: 0 })]);
    const third = await operator.request.post(action, { form, maxRedirects: 0 });
    expect([first.status(), second.status(), third.status()]).toEqual([303, 303, 303]);
    expect([first.headers().location, second.headers().location, third.headers().location]).toEqual(['/operations', '/operations', '/operations']);
    expect((await departmentEvents()).slice(before).map((event) => event.type)).toEqual(['OnboardingPaused']);

    const after = (await departmentEvents()).length;
    const forged = await operator.request.post(action.replace('pause', 'resume'), { form: { ...form, _csrf: 'forged', idempotencyKey: 'another' }, maxRedirects: 0 });
    const missing = await operator.request.post(action.replace('pause', 'resume'), { form: { reason: 'no token', returnTo: '/operations' }, maxRedirects: 0 });
    expect([forged.status(), missing.status()]).toEqual([403, 403]);
    expect(await forged.text()).toContain('The form was out of date or did not come from this service');
    expect((await departmentEvents()).length).toBe(after);
  });

  it('leaves every event in the store with the signed-in operator and role as actor, and no page answered 500', async () => {
    const actors = (await departmentEvents()).map((event) => [event.type, (event.metadata as { actor: unknown }).actor]);
    expect(actors.slice(3)).toEqual([
      ['OnboardingEscalated', OPERATOR_ACTOR],
      ['OnboardingPaused', OPERATOR_ACTOR],
      ['OnboardingResumed', OPERATOR_ACTOR],
      ['OnboardingPaused', OPERATOR_ACTOR],
    ]);
    expect(actors.slice(0, 3).map(([type]) => type)).toEqual(['DepartmentRegistered', 'StageDeadlineMissed', 'OnboardingEscalated']);
    const [retry] = await operationsEvents();
    expect([retry.type, retry.metadata]).toEqual(['RetryRequested', expect.objectContaining({ actor: OPERATOR_ACTOR })]);
    expect(serverErrors).toEqual([]);
  });
});
