import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { streamIdFor } from '../../libs/domain/index.js';
import { departmentWithHistory } from '../support/audit-scenario.js';
import { Tamperer } from '../support/audit-tamper.js';
import { accessibilityViolations, launchChromium, listen, lookAt, signedIn, signIn } from '../support/console-browser.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * The auditor's journey through the console's pages only: verify the record, look at a past
 * state, replay the workflow, keep a signed digest and check it back, take the evidence pack.
 * The department is set up through the API; everything the auditor does is read-only.
 */
describe('console audit: an auditor checks a department through the pages', () => {
  let stack: Stack;
  let browser: Browser;
  let baseURL: string;
  let code: string;
  let auditor: Page;
  const serverErrors: string[] = [];
  const work = mkdtempSync(join(tmpdir(), 'console-audit-'));
  let before: { events: number; stream: string[]; history: number };

  const eventCount = async () => Number((await stack.db.query<{ count: number | string }>('SELECT COUNT(*) AS count FROM events'))[0].count);
  const streamTypes = async () => (await stack.store.readStream(streamIdFor(code))).map((event) => event.type);
  const historyLength = async () => (await stack.temporal.workflow.getHandle(`onboarding-${code}`).fetchHistory()).events?.length ?? 0;

  beforeAll(async () => {
    stack = await startStack({ env: { CONSOLE_DEV_SIGN_IN: 'true' } });
    code = await departmentWithHistory(stack, 'CAU');
    baseURL = await listen(stack);
    browser = await launchChromium();
    before = { events: await eventCount(), stream: await streamTypes(), history: await historyLength() };
    auditor = (await signedIn(browser, baseURL, { role: 'auditor', name: 'ada.auditor' })).page;
    auditor.on('response', (response) => {
      if (response.status() >= 500) serverErrors.push(`${response.status()} ${response.url()}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const section = (page: Page, heading: string) => page.locator('form', { has: page.getByRole('button', { name: heading }) });
  const summaryValue = (page: Page, key: string) => page.locator('.govuk-summary-list__row', { has: page.getByText(key, { exact: true }) }).locator('dd');

  it('verifies every record from the Audit page the navigation leads to', async () => {
    await auditor.goto('/');
    await auditor.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit' }).click();
    await auditor.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
    await expect(lookAt(auditor, 'audit-auditor')).resolves.toEqual([]);

    await auditor.getByRole('button', { name: 'Verify every record' }).click();
    await auditor.getByRole('heading', { name: 'Every record is intact' }).waitFor();
    await expect(lookAt(auditor, 'audit-verified-auditor')).resolves.toEqual([]);
  });

  it("verifies the department, and shows its Temporal history and a link to the workflow in Temporal's UI", async () => {
    await auditor.getByRole('link', { name: `Audit Audit ${code}` }).click();
    await auditor.waitForURL(`**/departments/${code}/audit`);
    await auditor.getByRole('heading', { name: 'The record is intact' }).waitFor();
    await auditor.getByText('All 6 events verify, from the first to version 6').waitFor();
    await expect(summaryValue(auditor, 'Workflow').textContent()).resolves.toContain(`onboarding-${code}`);
    await expect(summaryValue(auditor, 'Status').textContent()).resolves.toContain('Running');
    await expect(auditor.getByRole('link', { name: 'Open the workflow in the Temporal UI' }).getAttribute('href')).resolves.toBe(
      `http://127.0.0.1:8233/namespaces/default/workflows/onboarding-${code}`,
    );
    await expect(lookAt(auditor, 'department-audit-auditor')).resolves.toEqual([]);
  });

  it('looks at the department as it stood after a version and on a date, and is told what is wrong with a bad one', async () => {
    await auditor.getByLabel('As it stood after a version').fill('2');
    await auditor.getByRole('button', { name: 'Show state at this version' }).click();
    await auditor.getByRole('heading', { name: 'As it stood after version 2' }).waitFor();
    await expect(summaryValue(auditor, 'Stage').textContent()).resolves.toContain('Lessons');
    await expect(summaryValue(auditor, 'Assessment').textContent()).resolves.toContain('Score 4 of 5');
    await expect(summaryValue(auditor, 'Cost baseline').textContent()).resolves.toContain('Not recorded');
    await expect(lookAt(auditor, 'department-audit-version-auditor')).resolves.toEqual([]);

    await auditor.getByText('The 6 events, with their hashes').click();
    const events = auditor.getByRole('table', { name: 'Events in version order' });
    await expect(events.getByRole('row').count()).resolves.toBe(7);
    await events.getByRole('row', { name: /^4 Cost baseline recorded: £1,250,000\.50 a year/ }).waitFor();
    await expect(lookAt(auditor, 'department-audit-events-auditor')).resolves.toEqual([]);
    await events.getByRole('link', { name: 'State after version 4' }).click();
    await auditor.getByRole('heading', { name: 'As it stood after version 4' }).waitFor();
    await expect(summaryValue(auditor, 'Cost baseline').textContent()).resolves.toContain('£1,250,000.50 a year');

    const dateForm = section(auditor, 'Show state on this date');
    await dateForm.getByLabel('Day').fill('1');
    await dateForm.getByLabel('Month').fill('1');
    await dateForm.getByLabel('Year').fill('2020');
    await dateForm.getByRole('button', { name: 'Show state on this date' }).click();
    await auditor.getByRole('heading', { name: 'As it stood at the end of 1 January 2020 (London time)' }).waitFor();
    await expect(summaryValue(auditor, 'Department').textContent()).resolves.toContain('Not registered yet');

    await auditor.getByLabel('As it stood after a version').fill('99');
    const refused = await Promise.all([auditor.waitForNavigation(), auditor.getByRole('button', { name: 'Show state at this version' }).click()]);
    expect(refused[0]?.status()).toBe(400);
    await auditor.getByRole('alert').getByRole('link', { name: `Enter a version from 1 to 6, the number of events recorded for ${code}` }).waitFor();
    await expect(lookAt(auditor, 'department-audit-version-error-auditor')).resolves.toEqual([]);

    await dateForm.getByLabel('Day').fill('31');
    await dateForm.getByLabel('Month').fill('2');
    await dateForm.getByLabel('Year').fill('2026');
    await dateForm.getByRole('button', { name: 'Show state on this date' }).click();
    await auditor.getByRole('alert').getByRole('link', { name: 'The date must be a real date, for example 31 3 2027' }).waitFor();
    await expect(accessibilityViolations(auditor)).resolves.toEqual([]);
  });

  it("replays the workflow against today's code and shows the verdict", async () => {
    await auditor.getByRole('button', { name: 'Replay the workflow' }).click();
    await auditor.getByRole('heading', { name: 'Same decisions' }).waitFor({ timeout: 60_000 });
    await expect(auditor.getByRole('table', { name: 'Each recorded run' }).getByText('Same', { exact: true }).count()).resolves.toBeGreaterThan(0);
    await expect(lookAt(auditor, 'department-audit-replayed-auditor')).resolves.toEqual([]);
  }, 90_000);

  it('downloads a signed digest that verifies when pasted back and when uploaded', async () => {
    await auditor.goto('/audit');
    const [download] = await Promise.all([auditor.waitForEvent('download'), auditor.getByRole('button', { name: 'Download a signed digest' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^ssc-audit-digest-.+\.json$/);
    const kept = join(work, download.suggestedFilename());
    await download.saveAs(kept);
    const digest = readFileSync(kept, 'utf8');

    await auditor.getByLabel('Paste the digest').fill(digest);
    await auditor.getByRole('button', { name: 'Check digest' }).click();
    await auditor.getByRole('heading', { name: 'The digest verifies' }).waitFor();
    await expect(summaryValue(auditor, 'Checked').textContent()).resolves.toContain('The pasted digest');
    await expect(lookAt(auditor, 'audit-digest-verified-auditor')).resolves.toEqual([]);

    await auditor.getByLabel('Or upload the digest file').setInputFiles(kept);
    await auditor.getByRole('button', { name: 'Check digest' }).click();
    await auditor.getByRole('heading', { name: 'The digest verifies' }).waitFor();
    await expect(summaryValue(auditor, 'Checked').textContent()).resolves.toContain(`The file ${download.suggestedFilename()}`);
  });

  it('reports a tampered digest as not verifying, and a pasted text that is no digest as an error', async () => {
    const kept = readdirSync(work).find((name) => name.startsWith('ssc-audit-digest-'))!;
    const digest = JSON.parse(readFileSync(join(work, kept), 'utf8')) as { payload: { eventCount: number } };
    digest.payload.eventCount -= 1;
    const tampered = join(work, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(digest));
    await auditor.getByLabel('Or upload the digest file').setInputFiles(tampered);
    await auditor.getByRole('button', { name: 'Check digest' }).click();
    await auditor.getByText('The digest does not verify').waitFor();
    await expect(summaryValue(auditor, 'Signature').textContent()).resolves.toContain('Invalid');
    await expect(lookAt(auditor, 'audit-digest-tampered-auditor')).resolves.toEqual([]);

    await auditor.getByLabel('Or upload the digest file').setInputFiles({ name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc(1024 * 1024 + 1, 32) });
    const [tooLarge] = await Promise.all([auditor.waitForNavigation(), auditor.getByRole('button', { name: 'Check digest' }).click()]);
    expect(tooLarge?.status()).toBe(413);
    await auditor.getByRole('alert').getByRole('link', { name: /The selected file must be smaller than 1 MB/ }).waitFor();
    await expect(accessibilityViolations(auditor)).resolves.toEqual([]);

    await auditor.getByLabel('Paste the digest').fill('{ "payload": "not a digest"');
    const [refused] = await Promise.all([auditor.waitForNavigation(), auditor.getByRole('button', { name: 'Check digest' }).click()]);
    expect(refused?.status()).toBe(400);
    await auditor.getByRole('alert').getByRole('link', { name: /What you pasted is not a digest: it is not JSON/ }).waitFor();
    await expect(lookAt(auditor, 'audit-digest-error-auditor')).resolves.toEqual([]);
  });

  it('checks an uploaded digest with JavaScript turned off: a plain multipart form', async () => {
    const noScript = await browser.newContext({ baseURL, javaScriptEnabled: false });
    try {
      const page = await noScript.newPage();
      await signIn(page, { role: 'auditor', name: 'ada.auditor' });
      await page.goto('/audit');
      const kept = readdirSync(work).find((name) => name.startsWith('ssc-audit-digest-'))!;
      await page.getByLabel('Or upload the digest file').setInputFiles(join(work, kept));
      await page.getByRole('button', { name: 'Check digest' }).click();
      await page.getByRole('heading', { name: 'The digest verifies' }).waitFor();
    } finally {
      await noScript.close();
    }
  });

  it('refuses a digest check whose CSRF token is missing, forged or only in the URL, and keeps the token out of the URL', async () => {
    await auditor.goto('/audit');
    const form = auditor.locator('form[enctype="multipart/form-data"]');
    const action = await form.getAttribute('action');
    expect(action).toBe('/audit/digest/check#check');
    const token = await form.locator('input[name="_csrf"]').getAttribute('value');
    expect(token).toBeTruthy();
    const kept = readdirSync(work).find((name) => name.startsWith('ssc-audit-digest-'))!;
    const digest = readFileSync(join(work, kept), 'utf8');
    const post = (url: string, fields: Record<string, string>) => auditor.request.post(url, { multipart: fields, maxRedirects: 0 });
    for (const [why, response] of [
      ['no token', await post('/audit/digest/check', { digest })],
      ['a forged token', await post('/audit/digest/check', { digest, _csrf: 'forged' })],
      ['the token in the URL only', await post(`/audit/digest/check?_csrf=${encodeURIComponent(token!)}`, { digest })],
    ] as const) {
      expect({ why, status: response.status() }).toEqual({ why, status: 403 });
      expect(await response.text()).toContain('The form was out of date');
    }
    const accepted = await post('/audit/digest/check', { digest, _csrf: token! });
    expect(accepted.status()).toBe(200);
    expect(await accepted.text()).toContain('The digest verifies');
  });

  it('downloads the evidence pack as one ZIP file whose own verifier passes', async () => {
    await auditor.getByRole('button', { name: 'Download evidence pack' }).click();
    await auditor.getByRole('alert').getByRole('link', { name: 'Choose the department whose evidence pack you want' }).waitFor();
    await expect(accessibilityViolations(auditor)).resolves.toEqual([]);

    await auditor.getByLabel('Department').selectOption(code);
    const [download] = await Promise.all([auditor.waitForEvent('download'), auditor.getByRole('button', { name: 'Download evidence pack' }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^evidence-${code}-.+\\.zip$`));
    const archive = join(work, download.suggestedFilename());
    await download.saveAs(archive);
    const unpacked = join(work, 'unpacked');
    execFileSync('unzip', ['-q', archive, '-d', unpacked]);
    const [folder] = readdirSync(unpacked);
    expect(readdirSync(join(unpacked, folder)).sort()).toEqual(
      ['README.md', 'digest-heads.json', 'digest-payload.json', 'digest.json', 'digest.sig', 'events.jsonl', 'public-key.pem', 'verify.mjs'].sort(),
    );
    const verdict = execFileSync(process.execPath, [join(unpacked, folder, 'verify.mjs')], { encoding: 'utf8' });
    expect(verdict).toContain('all checks passed');
    expect(readFileSync(join(unpacked, folder, 'events.jsonl'), 'utf8').trim().split('\n')).toHaveLength(6);
  });

  it('wrote nothing during the whole session, and no page answered 500', async () => {
    expect(await eventCount()).toBe(before.events);
    expect(await streamTypes()).toEqual(before.stream);
    expect(await historyLength()).toBe(before.history);
    expect(serverErrors).toEqual([]);
  });

  it('shows other roles the GOV.UK 403 page for the Audit page, and no Audit link', async () => {
    const { page: lead } = await signedIn(browser, baseURL, { role: 'lead', name: 'lee.lead', departments: code });
    await expect(lead.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit' }).count()).resolves.toBe(0);
    const response = await lead.goto('/audit');
    expect(response?.status()).toBe(403);
    await lead.getByRole('heading', { level: 1, name: 'You do not have access to this page' }).waitFor();
    const departmentAudit = await lead.goto(`/departments/${code}/audit`);
    expect(departmentAudit?.status()).toBe(403);
  });

  it('lets the programme office look at past states on a department\'s audit page, but not verify or replay', async () => {
    const { page: programme } = await signedIn(browser, baseURL, { role: 'programme', name: 'pat.programme' });
    await expect(programme.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit' }).count()).resolves.toBe(0);
    await programme.goto(`/departments/${code}`);
    await programme.getByRole('link', { name: 'Audit this department' }).click();
    await programme.getByLabel('As it stood after a version').fill('1');
    await programme.getByRole('button', { name: 'Show state at this version' }).click();
    await programme.getByRole('heading', { name: 'As it stood after version 1' }).waitFor();
    await expect(programme.getByRole('button', { name: 'Replay the workflow' }).count()).resolves.toBe(0);
    await expect(programme.getByRole('heading', { name: 'Integrity' }).count()).resolves.toBe(0);
    await expect(lookAt(programme, 'department-audit-programme')).resolves.toEqual([]);
  });
});

/** Someone with database access changed an event behind the application's back (a SQLite file of this test's own). */
describe('console audit: a record changed behind the application', () => {
  let stack: Stack;
  let browser: Browser;
  let auditor: Page;
  let code: string;

  beforeAll(async () => {
    stack = await startStack({ database: 'sqlite', env: { CONSOLE_DEV_SIGN_IN: 'true' } });
    code = await departmentWithHistory(stack, 'CAT');
    const tamperer = new Tamperer(stack.db);
    await tamperer.liftProtection();
    await tamperer.changePayload(streamIdFor(code), 2, { sro: 'Someone Else', score: 5, contractManagementFte: 9, notes: null, at: '2027-01-01T00:00:00.000Z' });
    browser = await launchChromium();
    auditor = (await signedIn(browser, await listen(stack), { role: 'auditor', name: 'ada.auditor' })).page;
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('names the department, the first invalid version and the problem when verifying everything', async () => {
    await auditor.goto('/audit');
    await auditor.getByRole('button', { name: 'Verify every record' }).click();
    await auditor.getByRole('heading', { name: 'Broken Records that do not verify: 1 of 1' }).waitFor();
    const row = auditor.getByRole('row', { name: new RegExp(`Department ${code}`) });
    await expect(row.getByRole('cell').allTextContents()).resolves.toEqual([`Department ${code}`, '2', 'Its content no longer matches its hash: it was changed after it was recorded']);
    await expect(lookAt(auditor, 'audit-broken-auditor')).resolves.toEqual([]);

    await row.getByRole('link', { name: `Department ${code}` }).click();
    await auditor.getByText('The record does not verify from version 2').waitFor();
    await expect(lookAt(auditor, 'department-audit-broken-auditor')).resolves.toEqual([]);
  });
});
