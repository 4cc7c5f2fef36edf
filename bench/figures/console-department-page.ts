import type { BenchEnvironment } from '../environment.js';
import { callApi, expectResponse, getPage } from '../http.js';
import { pairedRun, samplesForP99 } from '../stats.js';
import { pairedFigure, type Figure } from './figure.js';

const CODE = 'BCONSOLE';
// A centre of its own: the mandatory lesson recorded here must not gate other figures' departments.
const CENTRE = 'BENCH-CONSOLE';
const PERSON = { role: 'programme', name: 'bench-programme' };

/**
 * The department page a person sees in the console, against the JSON the API gives a
 * program for the same department: what the page's other reads (gates, lessons, events),
 * its access rules for every form and rendering GOV.UK templates cost on top of one read.
 * Both are asked as the programme office; the page with a real signed-in session cookie.
 */
export const consoleDepartmentPage: Figure = {
  name: 'console-department-page',
  async measure({ env, samples: requested, warmup, signal, log }) {
    // Judged on its p99 too.
    const samples = samplesForP99(requested);
    await prepareDepartment(env);
    const cookie = await signIn(env);
    const token = env.token('programme');
    log(`${this.name}: ${warmup} + ${samples} pairs`);
    const series = await pairedRun(
      async () => {
        const { status, text: html } = await getPage(env, `/departments/${CODE}`, cookie);
        if (status !== 200 || !html.includes(`(${CODE})</h1>`)) throw new Error(`the department page: expected 200 with its heading, got ${status} ${html.slice(0, 300)}`);
      },
      async () => {
        expectResponse(await callApi(env, 'GET', `/api/departments/${CODE}`, token), 200, 'the department');
      },
      { samples, warmup, signal },
    );
    return pairedFigure(
      this.name,
      {
        api: `GET /departments/${CODE} (HTML, signed-in session): the department, its gates, the centre's lessons, its events and every form the programme office may use, rendered with GOV.UK Frontend`,
        baseline: `GET /api/departments/${CODE} (JSON, bearer token): the department as the read model holds it`,
      },
      series,
    );
  },
};

/** A department in Lessons with an assessment and a mandatory lesson to acknowledge: a page with a timeline, gates and forms. */
async function prepareDepartment(env: BenchEnvironment): Promise<void> {
  const programme = env.token('programme');
  expectResponse(
    await callApi(env, 'POST', '/api/departments', programme, { code: CODE, name: 'Bench department for the console', centre: CENTRE, plannedGoLive: '2027-06-01' }),
    201,
    `registering ${CODE}`,
  );
  expectResponse(
    await callApi(env, 'POST', `/api/departments/${CODE}/assessment`, env.token('lead', [CODE]), { sro: 'Bench SRO', score: 4, contractManagementFte: 2 }),
    200,
    `recording the assessment of ${CODE}`,
  );
  expectResponse(
    await callApi(env, 'POST', '/api/lessons', programme, {
      title: 'Run two payrolls in parallel',
      body: 'Run the old and the new payroll side by side for one cycle.',
      tags: ['payroll'],
      centre: CENTRE,
      mandatory: true,
      sourceDepartment: 'HMRC',
    }),
    201,
    'recording a lesson',
  );
}

function sessionCookie(response: Response): string {
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('ssc.console='));
  if (!cookie) throw new Error(`expected a session cookie from ${response.url}, got status ${response.status}`);
  return cookie.split(';')[0];
}

/** Signs in through the development sign-in form, as the browser tests do; answers the session cookie. */
async function signIn(env: BenchEnvironment): Promise<string> {
  const page = await fetch(`${env.apiUrl}/sign-in`);
  const form = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1];
  if (page.status !== 200 || !csrf) throw new Error(`the sign-in page: expected 200 with a form, got ${page.status}`);
  const response = await fetch(`${env.apiUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: sessionCookie(page), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...PERSON, departments: '', _csrf: csrf }).toString(),
  });
  if (response.status !== 303) throw new Error(`signing in: expected 303, got ${response.status} ${(await response.text()).slice(0, 300)}`);
  return sessionCookie(response);
}
