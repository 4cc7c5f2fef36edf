import { randomUUID } from 'node:crypto';
import { ROLES, SCOPED_ROLES, type Role } from '../../apps/api/src/auth/roles.js';
import { signToken } from '../../apps/api/src/auth/tokens.js';
import { streamIdFor } from '../../libs/domain/index.js';
import { servedRoutes } from '../support/routes.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';

/**
 * Who may call what, decided once per route of the running application. The route list
 * comes from the Express router the app really serves, so an endpoint added without a
 * decision here fails this test; the decisions come from SPEC §2 and §5.
 */
interface Decision {
  /**
   * `public`: no token needed. `csrf`: a console form, refused to every caller here because
   * no probe carries the session's CSRF token. Otherwise the roles admitted besides admin.
   */
  readonly access: 'public' | 'csrf' | 'any' | readonly Role[];
  /** A console page: without a session or token it sends the browser to /sign-in (303), and a 403 is an HTML page. */
  readonly console?: boolean;
  /** Leads and centres only for the departments in their token. */
  readonly scoped?: boolean;
  /** What to send: a body that passes validation but changes nothing where that is cheap. */
  readonly body?: (ctx: ProbeContext) => unknown;
  /** Unscoped commands without a harmless body go to an unregistered department (404). */
  readonly target?: 'registered' | 'unregistered';
}

interface ProbeContext {
  readonly code: string;
  readonly role: Role | undefined;
}

const PUBLIC: Decision = { access: 'public' };
const CONSOLE_FORM: Decision = { access: 'csrf' };
const consolePage = (access: 'public' | 'any' | readonly Role[], scoped = false): Decision => ({ access, scoped, console: true });
const reason = () => ({ reason: 'access matrix probe' });
const GO_LIVE_VOICE: Partial<Record<Role, string>> = { lead: 'department-sro', centre: 'centre', programme: 'programme' };

/** Every decision; contract routes not served yet are listed too, so they are checked the day they land. */
const DECISIONS: Readonly<Record<string, Decision>> = {
  'GET /health': PUBLIC,
  'GET /metrics': PUBLIC,

  'GET /': consolePage('any'),
  'GET /sign-in': consolePage('public'),
  'GET /sign-in/callback': consolePage('public'),
  'POST /sign-in': CONSOLE_FORM,
  'GET /sign-out': consolePage('public'),
  'POST /sign-out': CONSOLE_FORM,
  'GET /departments/new': consolePage(['programme']),
  'POST /departments': CONSOLE_FORM,
  'GET /departments/:code': consolePage('any', true),
  // Each form applies the access rule of the API route it stands for (console-journeys checks them).
  'POST /departments/:code/commands/:form': CONSOLE_FORM,
  'GET /audit': consolePage(['auditor']),
  'GET /audit/digest': consolePage(['auditor']),
  // Multipart with the CSRF token in the action: refused here like every console form.
  'POST /audit/digest/check': CONSOLE_FORM,
  'GET /audit/evidence': consolePage(['auditor']),
  // The programme sees past states there (GET …/state is theirs too); only auditors verify and replay.
  'GET /departments/:code/audit': consolePage(['auditor', 'programme']),
  'GET /operations': consolePage(['operations']),
  // Probed as the retry confirmation; each action applies the access rule of the API route it stands for.
  'GET /operations/departments/:code/:action': consolePage(['operations']),
  'POST /operations/departments/:code/:action': CONSOLE_FORM,
  'GET /lessons': consolePage('any'),
  'GET /lessons/new': consolePage(['lead', 'programme']),
  'POST /lessons': CONSOLE_FORM,
  'POST /lessons/:lessonId/mandatory': CONSOLE_FORM,
  'GET /reports': consolePage('any'),
  'GET /reports/:file': consolePage('any'),

  'POST /api/departments': {
    access: ['programme'],
    // Already registered: 409 once the guard has let the caller through.
    body: ({ code }) => ({ code, name: 'Probe', centre: 'ISSC1', plannedGoLive: '2027-04-01' }),
  },
  'GET /api/departments': { access: 'any' },
  'GET /api/departments/:code': { access: 'any', scoped: true },
  'GET /api/departments/:code/gates': { access: 'any', scoped: true },
  'GET /api/departments/:code/events': { access: ['auditor', 'programme', 'lead'], scoped: true },
  'GET /api/departments/:code/state': { access: ['auditor', 'programme'] },
  'GET /api/departments/:code/verify': { access: ['auditor'] },
  'GET /api/departments/:code/history': { access: ['auditor'] },
  'GET /api/departments/:code/evidence': { access: ['auditor'] },

  'POST /api/lessons': { access: ['lead', 'programme'], body: () => ({ title: 42 }) },
  'GET /api/lessons': { access: 'any' },
  // An unknown lesson: 404 after the guard.
  'POST /api/lessons/:lessonId/mandatory': { access: ['programme'], body: () => ({ mandatory: true, reason: 'access matrix probe' }) },
  // An unknown lesson: 404 after the guard.
  'POST /api/departments/:code/lessons/:lessonId/acknowledge': { access: ['lead'], scoped: true },
  // A valid assessment would be recorded in LESSONS; an invalid one proves the guard passed.
  'POST /api/departments/:code/assessment': { access: ['lead'], scoped: true, body: () => ({ sro: 'Probe', score: 9 }) },
  // Baselines and deviations belong to READINESS: refused (422) for a department in LESSONS.
  'POST /api/departments/:code/baseline': {
    access: ['lead'],
    scoped: true,
    body: () => ({ annualCostGbp: 1000, implementationCostGbp: 100, headcountServed: 10 }),
  },
  'POST /api/departments/:code/deviations': {
    access: ['lead'],
    scoped: true,
    body: () => ({ area: 'payroll', description: 'probe', justification: 'probe' }),
  },
  'POST /api/departments/:code/deviations/:id/decision': {
    access: ['programme'],
    body: () => ({ decision: 'approved', reason: 'probe' }),
  },
  'POST /api/departments/:code/migration/:workstream': {
    access: ['centre', 'lead'],
    scoped: true,
    body: () => ({ recordsExtracted: 10, recordsLoaded: 10, evidenceRef: 'probe://recon' }),
  },
  'POST /api/departments/:code/go-live/decisions': {
    access: ['lead', 'centre', 'programme'],
    scoped: true,
    body: ({ role }) => ({ as: GO_LIVE_VOICE[role ?? 'programme'] ?? 'programme', decision: 'go', reason: 'probe' }),
  },
  // The department is in LESSONS: 409 stage-mismatch.
  'POST /api/departments/:code/advance': { access: ['lead', 'programme'], scoped: true, body: () => ({ from: 'READINESS' }) },
  'POST /api/departments/:code/savings': {
    access: ['lead'],
    scoped: true,
    body: () => ({ period: '2027-Q3', amountGbp: 10, attribution: 'programme', evidenceRef: 'probe://ledger' }),
  },
  'POST /api/departments/:code/pause': { access: ['operations', 'programme'], body: reason, target: 'unregistered' },
  'POST /api/departments/:code/resume': { access: ['operations', 'programme'], body: reason },
  'POST /api/departments/:code/withdraw': { access: ['programme'], body: () => ({ reason: 'probe', category: 'other' }), target: 'unregistered' },
  // Invalid bodies (a bad period, no amount): the guard decides, then validation refuses.
  'POST /api/departments/:code/costs': { access: ['lead', 'programme', 'centre'], scoped: true, body: () => ({ period: 'soon' }) },
  'POST /api/centres/:centre/costs': { access: ['programme', 'centre'], body: () => ({ period: 'soon' }) },
  'POST /api/programme/costs': { access: ['programme'], body: () => ({ period: 'soon' }) },
  // No such saving: 404 after the guard.
  'POST /api/departments/:code/savings/:savingId/corrections': {
    access: ['lead', 'programme'],
    scoped: true,
    body: () => ({ amountGbp: 1, reason: 'probe' }),
  },
  'POST /api/departments/:code/savings/:savingId/verification': { access: ['programme'], body: () => ({}) },
  // A re-plan that moves nothing is refused by the decider.
  'POST /api/departments/:code/replan': { access: ['programme'], body: () => ({ reason: 'probe' }) },
  'POST /api/departments/:code/close': { access: ['programme'], body: reason },
  'POST /api/departments/:code/reassign': { access: ['operations', 'programme'], body: () => ({ lead: 'probe' }), target: 'unregistered' },

  'POST /api/audit/replay': { access: ['auditor'], body: () => ({ departments: 'not-a-list' }) },
  'GET /api/audit/digest': { access: ['auditor'] },
  'POST /api/audit/digest/verify': { access: ['auditor'], body: () => ({ digest: 42 }) },
  'GET /api/audit/public-key': { access: ['auditor'] },
  'GET /api/audit/verify': { access: ['auditor'] },
  // An invalid body: the guard decides, then validation refuses before any rebuild starts.
  'POST /api/admin/projections/rebuild': { access: [], body: () => ({ restart: 'not-a-boolean' }) },

  'GET /api/operations/stuck': { access: ['operations'] },
  'POST /api/operations/departments/:code/retry': { access: ['operations'], target: 'unregistered' },
  'POST /api/operations/departments/:code/escalate': { access: ['operations'], target: 'unregistered' },

  'GET /api/reports/savings': { access: 'any' },
  'GET /api/reports/benchmarks': { access: 'any' },
  'GET /api/reports/timetable': { access: 'any' },
  'GET /api/reports/stage-durations': { access: 'any' },
};

/** The OpenAPI document and the Swagger UI with its assets are public by decision. */
function decisionFor(route: string): Decision | undefined {
  if (DECISIONS[route]) return DECISIONS[route];
  const [method, path] = route.split(' ');
  if (method === 'GET' && (path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs-'))) return PUBLIC;
  return undefined;
}

interface Caller {
  readonly name: string;
  readonly role?: Role;
  readonly inScope?: boolean;
  readonly authorization?: string;
}

type Expected = 401 | 403 | 'through';

function expectedFor(decision: Decision, caller: Caller): Expected {
  if (decision.access === 'public') return 'through';
  if (decision.access === 'csrf') return 403;
  if (!caller.role) return 401;
  if (caller.role === 'admin') return 'through';
  if (decision.access !== 'any' && !decision.access.includes(caller.role)) return 403;
  if (decision.scoped && SCOPED_ROLES.includes(caller.role) && !caller.inScope) return 403;
  return 'through';
}

/** POSTs that change nothing: the auditor's replay and digest verification. */
const READS_OVER_POST = new Set(['POST /api/audit/replay', 'POST /api/audit/digest/verify']);

function isWrite(route: string): boolean {
  return !route.startsWith('GET ') && !READS_OVER_POST.has(route);
}

describe('access matrix: every served route × every caller', () => {
  let stack: Stack;
  let code: string;
  let routes: string[];

  beforeAll(async () => {
    stack = await startStack();
    code = uniqueCode('ACM');
    await stack.http
      .post('/api/departments')
      .set('Authorization', `Bearer ${stack.token('programme')}`)
      .send({ code, name: 'Access Matrix Department', centre: 'ISSC1', plannedGoLive: '2027-04-01' })
      .expect(201);
    routes = servedRoutes(stack.app);
  });
  afterAll(async () => {
    await stack?.close();
  });

  function callers(): Caller[] {
    const forged = signToken({ sub: 'mallory', roles: ['admin'], departments: [code] }, { secret: 'another-secret-that-is-long-enough-0123456789' });
    return [
      { name: 'no token' },
      { name: 'forged admin token', authorization: `Bearer ${forged}` },
      { name: 'malformed bearer', authorization: 'Bearer not.a.jwt' },
      ...ROLES.flatMap((role) => [
        { name: `${role} in scope`, role, inScope: true, authorization: `Bearer ${stack.token(role, [code])}` },
        { name: `${role} out of scope`, role, inScope: false, authorization: `Bearer ${stack.token(role, ['OTHERDEPT'])}` },
      ]),
    ];
  }

  function concretePath(path: string, decision: Decision): string {
    const target = decision.target === 'unregistered' ? 'NOSUCHDEPT' : code;
    return path
      .replace(':code', target)
      .replace(':lessonId', randomUUID())
      .replace(':id', 'dev-unknown')
      .replace(':savingId', 'saving-unknown')
      .replace(':centre', 'ISSC1')
      .replace(':workstream', 'hr')
      .replace(':action', 'retry');
  }

  it('finds the application routes it is meant to judge', () => {
    expect(routes).toEqual(expect.arrayContaining(['GET /health', 'POST /api/departments', 'POST /api/departments/:code/advance']));
  });

  it('has an access decision for every served route', () => {
    expect(routes.filter((route) => decisionFor(route) === undefined)).toEqual([]);
  });

  it('never lets the auditor, or every role, write', () => {
    const open = Object.entries(DECISIONS).filter(
      ([route, { access }]) => isWrite(route) && (access === 'public' || access === 'any' || access.includes('auditor')),
    );
    expect(open.map(([route]) => route)).toEqual([]);
  });

  it('answers every caller on every route as decided: 401 without a valid token, 403 for a wrong role or scope', async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      const decision = decisionFor(route);
      if (!decision) continue;
      const [method, path] = route.split(' ');
      for (const caller of callers()) {
        const expected = expectedFor(decision, caller);
        const url = concretePath(path, decision);
        let call = stack.http[method.toLowerCase() as 'get' | 'post'](url);
        if (caller.authorization) call = call.set('Authorization', caller.authorization);
        const body = decision.body?.({ code, role: caller.role });
        const response =
          method === 'GET' ? await call : decision.access === 'csrf' ? await call.type('form').send({ probe: 'yes' }) : await call.send((body ?? {}) as object);
        const outcome = `${caller.name}: ${method} ${url} → ${response.status} ${response.body?.code ?? ''}`.trim();
        if (response.status >= 500) mismatches.push(`${outcome} (a 5xx)`);
        else if (decision.access === 'csrf' && response.status !== 403) mismatches.push(`${outcome}, expected a CSRF refusal`);
        else if (decision.access === 'csrf') continue;
        else if (decision.console && expected === 401) {
          if (response.status !== 303 || !String(response.headers.location).startsWith('/sign-in')) mismatches.push(`${outcome}, expected sign-in`);
        } else if (decision.console && expected === 403 && response.status !== 403) mismatches.push(`${outcome}, expected 403`);
        else if (decision.console) continue;
        else if (expected === 'through' && (response.status === 401 || response.status === 403)) mismatches.push(`${outcome}, expected through`);
        else if (expected !== 'through' && response.status !== expected) mismatches.push(`${outcome}, expected ${expected}`);
        else if (expected === 401 && !['unauthenticated', 'invalid-token'].includes(response.body.code)) mismatches.push(`${outcome}, unexpected code`);
        else if (expected === 403 && !['forbidden-role', 'out-of-scope'].includes(response.body.code)) mismatches.push(`${outcome}, unexpected code`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('refuses every write to the auditor, whatever the department', async () => {
    const auditor = stack.token('auditor', [code]);
    const writes = routes.filter((route) => isWrite(route) && decisionFor(route) !== undefined);
    const statuses = await Promise.all(
      writes.map(async (route) => {
        const [method, path] = route.split(' ');
        const call = stack.http[method.toLowerCase() as 'post'](concretePath(path, decisionFor(route)!)).set('Authorization', `Bearer ${auditor}`);
        const response = decisionFor(route)!.access === 'csrf' ? await call.type('form').send({ probe: 'yes' }) : await call.send({});
        return `${route} → ${response.status}`;
      }),
    );
    expect(statuses.filter((line) => !line.endsWith('→ 403'))).toEqual([]);
  });

  it('changed nothing while probing', async () => {
    const events = await stack.store.readStream(streamIdFor(code));
    expect(events.map((event) => event.type)).toEqual(['DepartmentRegistered']);
  });
});
