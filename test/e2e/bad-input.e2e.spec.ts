import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Response } from 'supertest';
import { GO_LIVE_ROLES, STAGES, ATTRIBUTIONS, COST_BEARERS, MAX_NAME_LENGTH, MAX_TEXT_LENGTH, WITHDRAWAL_CATEGORIES } from '../../libs/domain/index.js';
import { LessonReadModel } from '../../libs/projections/index.js';
import { WebhookNotifier } from '../../libs/temporal/index.js';
import {
  badCodes,
  badIdentifiers,
  catalogue,
  departmentCodeRefusal,
  INVALID_CHARACTERS,
  identifierRefusal,
  malformedRequests,
  pathOf,
  type BadRequest,
  type EndpointSpec,
  type PathParam,
} from '../support/malformed-requests.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { eventually } from '../support/operations.js';
import { servedRoutes } from '../support/routes.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * Every POST endpoint gets malformed requests while its target is in the one state where
 * the endpoint's valid body is accepted: a catalogue sent in full (every listed breakage of
 * every field, body, header and path value) and fast-check properties that mix it with
 * random breakages. Each must meet its one documented refusal (status and code) in the one
 * error shape; not one event may be appended, no workflow history may grow and no workflow
 * may start; then the valid body itself is accepted, in the same test. So an endpoint that
 * lost its input validation fails here: its malformed bodies would reach the workflow,
 * which accepts them (2xx) or refuses them with a business code, never the input's code.
 *
 * FAST_CHECK_SEED=<n> explores other random inputs; BAD_INPUT_REPORT=<file> records every
 * answer there (for diagnosis).
 */

const RUNS_PER_ENDPOINT = 30;
/** Fixed so that a failure is reproducible; FAST_CHECK_SEED explores other inputs. */
const SEED = Number(process.env.FAST_CHECK_SEED ?? 20261130);

/** What a prepared target holds: the department, and the lesson, deviation or digest the valid body names. */
interface Target {
  code: string;
  savingId?: string;
  lessonId?: string;
  deviationId?: string;
  digest?: unknown;
}

const targets = new Map<string, Target>();
function target(route: string): Target {
  const prepared = targets.get(route);
  if (!prepared) throw new Error(`${route}: no target prepared`);
  return prepared;
}

const reason = { name: 'reason', type: { kind: 'text', max: 2000 } } as const;
const codeOf = (route: string): Record<string, PathParam> => ({ code: { good: () => target(route).code, bad: badCodes, refusal: departmentCodeRefusal } });
const ZERO_DURATIONS = new Set(['P0D', 'PT0S', 'P0Y0M']);
const freshCode = uniqueCode('BADIN');

/** How a department reaches the state where an endpoint accepts its valid body. */
type Preparation = (department: OnboardingDriver, stack: Stack) => Promise<Partial<Target> | void>;

interface Endpoint extends EndpointSpec {
  /** Answer to the valid body: 201 for creations, 200 otherwise. */
  readonly accepted?: number;
  /** A department is registered and brought to this state before the malformed requests. */
  readonly prepare?: Preparation;
  /** The workflow whose history must not grow, when there is no department in the path. */
  readonly startsWorkflow?: true;
}

const acknowledgeMandatoryLessons = async (department: OnboardingDriver, stack: Stack) => {
  const centre = (await department.get()).body.centre as string;
  for (const lessonId of await new LessonReadModel(stack.db).mandatoryLessonIds(centre)) {
    await department.expectOk(department.command(`lessons/${lessonId}/acknowledge`, department.lead));
  }
};
const inLessonsWithGatesMet: Preparation = async (department, stack) => {
  await department.expectOk(department.command('assessment', department.lead, { sro: 'Jane Smith', score: 4, contractManagementFte: 3 }));
  await acknowledgeMandatoryLessons(department, stack);
};
const inReadiness: Preparation = async (department, stack) => {
  await inLessonsWithGatesMet(department, stack);
  await department.expectOk(department.advance('LESSONS'));
};
const inMigration: Preparation = async (department, stack) => {
  await inReadiness(department, stack);
  await department.passReadiness();
};
const inGoLive: Preparation = async (department, stack) => {
  await inMigration(department, stack);
  await department.passMigration();
};
const inLive: Preparation = async (department, stack) => {
  await inGoLive(department, stack);
  await department.passGoLive();
};
const registered: Preparation = async () => undefined;

/** A savings record of a LIVE department, corrected or verified by its savingId. */
function savingsEndpoint(action: 'corrections' | 'verification', fields: Endpoint['fields'], valid: Record<string, unknown>): Endpoint {
  const route = `POST /api/departments/:code/savings/:savingId/${action}`;
  return {
    route,
    fields,
    valid,
    params: { ...codeOf(route), savingId: { good: () => target(route).savingId!, bad: badIdentifiers, refusal: identifierRefusal('unknown-saving') } },
    prepare: async (department, stack) => {
      await inLive(department, stack);
      const recorded = await department.expectOk(department.command('savings', department.lead, { period: '2027-Q3', amountGbp: 1000, attribution: 'programme', evidenceRef: 'ledger://q3' }));
      return { savingId: recorded.body.events[0].eventId as string };
    },
  };
}

/** A cost recorded on a department's, a centre's or the programme's stream. */
function costEndpoint(route: string, extra: Partial<Endpoint>): Endpoint {
  return {
    route,
    fields: [
      { name: 'period', type: { kind: 'period' } },
      { name: 'amountGbp', type: { kind: 'pounds', min: 0.01 } },
      { name: 'borneBy', type: { kind: 'enum', values: COST_BEARERS } },
      { name: 'category', type: { kind: 'text', max: MAX_NAME_LENGTH } },
      { name: 'evidenceRef', type: { kind: 'text', max: MAX_TEXT_LENGTH } },
    ],
    valid: { period: '2027-Q1', amountGbp: 12_500.75, borneBy: 'supplier', category: 'data migration', evidenceRef: 'invoices://42' },
    ...extra,
  };
}

/** Every POST route of the application, the state it accepts its valid body in, and the kind of each field. */
const DESCRIBED: readonly Endpoint[] = [
  {
    route: 'POST /api/departments',
    fields: [
      { name: 'code', type: { kind: 'code' } },
      { name: 'name', type: { kind: 'text', max: 200 } },
      { name: 'centre', type: { kind: 'text', max: 100 } },
      { name: 'plannedGoLive', type: { kind: 'date' } },
      { name: 'deadlines', type: { kind: 'deadlines' }, optional: true },
    ],
    valid: { code: freshCode, name: 'Department for Bad Input', centre: 'ISSC1', plannedGoLive: '2027-04-01', deadlines: { LESSONS: 'P45D' } },
    // A zero deadline is well-formed but the domain refuses it, with its own code.
    refusalOf: (body) =>
      Object.values((body.deadlines ?? {}) as Record<string, unknown>).some((value) => typeof value === 'string' && ZERO_DURATIONS.has(value))
        ? { status: 400, code: 'invalid-command' }
        : undefined,
    accepted: 201,
    startsWorkflow: true,
  },
  {
    route: 'POST /api/lessons',
    fields: [
      { name: 'title', type: { kind: 'text', max: 200 } },
      { name: 'body', type: { kind: 'text', max: 10_000 } },
      { name: 'tags', type: { kind: 'tags' } },
      { name: 'centre', type: { kind: 'text', max: 100 }, optional: true },
      { name: 'mandatory', type: { kind: 'bool' }, optional: true },
      { name: 'sourceDepartment', type: { kind: 'code' } },
    ],
    valid: { title: 'Write exit clauses first', body: 'What happened', tags: ['payroll'], centre: 'ISSC1', mandatory: false, sourceDepartment: 'HMRC' },
    accepted: 201,
  },
  {
    route: 'POST /api/lessons/:lessonId/mandatory',
    fields: [
      { name: 'mandatory', type: { kind: 'bool' } },
      { name: 'reason', type: { kind: 'text', max: 2000 } },
    ],
    // Made optional by the valid body, so the lesson's only mandatory moment is its recording here.
    valid: { mandatory: false, reason: 'Not needed for this centre after all' },
    params: {
      lessonId: { good: () => target('POST /api/lessons/:lessonId/mandatory').lessonId!, bad: badIdentifiers, refusal: identifierRefusal('lesson-not-found') },
    },
    prepare: async (department) => {
      const lesson = await department.expectOk(
        department.post('/api/lessons', department.programme, { title: 'A lesson to make optional', body: 'Read it', tags: ['test'], centre: `BAD-${department.code}`, mandatory: true, sourceDepartment: 'HMRC' }),
      );
      return { lessonId: lesson.body.lesson.id as string };
    },
  },
  {
    route: 'POST /api/departments/:code/lessons/:lessonId/acknowledge',
    fields: [],
    valid: {},
    noBody: true,
    params: {
      ...codeOf('POST /api/departments/:code/lessons/:lessonId/acknowledge'),
      lessonId: { good: () => target('POST /api/departments/:code/lessons/:lessonId/acknowledge').lessonId!, bad: badIdentifiers, refusal: identifierRefusal('lesson-not-found') },
    },
    prepare: async (department) => {
      const lesson = await department.expectOk(
        department.post('/api/lessons', department.programme, { title: 'A lesson to acknowledge', body: 'Read before migrating', tags: ['test'], sourceDepartment: 'HMRC' }),
      );
      return { lessonId: lesson.body.lesson.id as string };
    },
  },
  {
    route: 'POST /api/departments/:code/assessment',
    fields: [
      { name: 'sro', type: { kind: 'text', max: 200 } },
      { name: 'score', type: { kind: 'int', min: 1, max: 5 } },
      { name: 'contractManagementFte', type: { kind: 'decimal', min: 0, max: 100_000 } },
      { name: 'notes', type: { kind: 'text', max: 2000 }, optional: true },
    ],
    valid: { sro: 'Jane Smith', score: 4, contractManagementFte: 3.5, notes: 'fine' },
    prepare: registered,
  },
  {
    route: 'POST /api/departments/:code/baseline',
    fields: [
      { name: 'annualCostGbp', type: { kind: 'pounds', min: 0 } },
      { name: 'implementationCostGbp', type: { kind: 'pounds', min: 0 } },
      { name: 'headcountServed', type: { kind: 'int', min: 0, max: 10_000_000 } },
      { name: 'expectedAnnualSavingGbp', type: { kind: 'pounds', min: 0 }, optional: true },
    ],
    valid: { annualCostGbp: 1_250_000.5, implementationCostGbp: 300_000, headcountServed: 4000, expectedAnnualSavingGbp: 250_000 },
    prepare: inReadiness,
  },
  {
    route: 'POST /api/departments/:code/deviations',
    fields: [
      { name: 'area', type: { kind: 'text', max: 200 } },
      { name: 'description', type: { kind: 'text', max: 2000 } },
      { name: 'justification', type: { kind: 'text', max: 2000 } },
      { name: 'oneOffCostGbp', type: { kind: 'pounds', min: 0 }, optional: true },
      { name: 'annualCostGbp', type: { kind: 'pounds', min: 0 }, optional: true },
    ],
    valid: { area: 'payroll', description: 'Own payroll calendar', justification: 'Statutory', oneOffCostGbp: 25_000, annualCostGbp: 4_000.5 },
    prepare: inReadiness,
  },
  {
    route: 'POST /api/departments/:code/deviations/:id/decision',
    fields: [{ name: 'decision', type: { kind: 'enum', values: ['approved', 'rejected'] } }, reason],
    valid: { decision: 'approved', reason: 'Cheaper overall' },
    params: {
      ...codeOf('POST /api/departments/:code/deviations/:id/decision'),
      id: { good: () => target('POST /api/departments/:code/deviations/:id/decision').deviationId!, bad: badIdentifiers, refusal: identifierRefusal('unknown-deviation') },
    },
    prepare: async (department, stack) => {
      await inReadiness(department, stack);
      const requested = await department.expectOk(
        department.command('deviations', department.lead, { area: 'payroll', description: 'Weekly pay run', justification: 'Union agreement' }),
      );
      return { deviationId: requested.body.department.deviations[0].id as string };
    },
  },
  {
    route: 'POST /api/departments/:code/migration/:workstream',
    fields: [
      { name: 'recordsExtracted', type: { kind: 'int', min: 0, max: 1e12 } },
      { name: 'recordsLoaded', type: { kind: 'int', min: 0, max: 1e12 } },
      { name: 'evidenceRef', type: { kind: 'text', max: MAX_TEXT_LENGTH } },
    ],
    valid: { recordsExtracted: 100, recordsLoaded: 100, evidenceRef: 'sharepoint://recon.xlsx' },
    params: {
      ...codeOf('POST /api/departments/:code/migration/:workstream'),
      workstream: {
        good: () => 'hr',
        bad: ['HR', 'payroll2', 'h r', 'hr;', "hr'--", '..%2Fhr', 'pay\u200Broll'],
        refusal: () => ({ status: 400, code: 'unknown-workstream' }),
      },
    },
    prepare: inMigration,
  },
  {
    route: 'POST /api/departments/:code/go-live/decisions',
    fields: [
      { name: 'as', type: { kind: 'enum', values: GO_LIVE_ROLES } },
      { name: 'decision', type: { kind: 'enum', values: ['go', 'no-go'] } },
      reason,
    ],
    valid: { as: 'programme', decision: 'go', reason: 'Ready' },
    prepare: inGoLive,
  },
  {
    route: 'POST /api/departments/:code/advance',
    fields: [{ name: 'from', type: { kind: 'enum', values: STAGES } }],
    valid: { from: 'LESSONS' },
    prepare: inLessonsWithGatesMet,
  },
  {
    route: 'POST /api/departments/:code/savings',
    fields: [
      { name: 'period', type: { kind: 'period' } },
      { name: 'amountGbp', type: { kind: 'pounds', min: 0.01 } },
      { name: 'attribution', type: { kind: 'enum', values: ATTRIBUTIONS } },
      { name: 'evidenceRef', type: { kind: 'text', max: MAX_TEXT_LENGTH } },
    ],
    valid: { period: '2027-Q3', amountGbp: 1000.25, attribution: 'programme', evidenceRef: 'ledger://2027-Q3' },
    prepare: inLive,
  },
  { route: 'POST /api/departments/:code/pause', fields: [reason], valid: { reason: 'Restructuring' }, prepare: registered },
  {
    route: 'POST /api/departments/:code/resume',
    fields: [reason],
    valid: { reason: 'Restructuring over' },
    prepare: async (department) => {
      await department.expectOk(department.command('pause', department.programme, { reason: 'Restructuring' }));
    },
  },
  {
    route: 'POST /api/departments/:code/withdraw',
    fields: [reason, { name: 'category', type: { kind: 'enum', values: WITHDRAWAL_CATEGORIES } }, { name: 'sunkCostGbp', type: { kind: 'pounds', min: 0 }, optional: true }],
    valid: { reason: 'Joining another centre', category: 'other-centre', sunkCostGbp: 150_000 },
    prepare: registered,
  },
  savingsEndpoint('corrections', [{ name: 'amountGbp', type: { kind: 'pounds', min: 0 } }, reason], { amountGbp: 900, reason: 'Credit note' }),
  savingsEndpoint('verification', [{ name: 'note', type: { kind: 'text', max: 2000 }, optional: true }], { note: 'Checked against the ledger' }),
  costEndpoint('POST /api/departments/:code/costs', { prepare: registered }),
  costEndpoint('POST /api/centres/:centre/costs', {
    params: { centre: { good: () => 'ISSC1', bad: badIdentifiers, refusal: (value) => (value.includes('\u0000') ? INVALID_CHARACTERS : { status: 400, code: 'invalid-centre' }) } },
  }),
  costEndpoint('POST /api/programme/costs', {}),
  {
    route: 'POST /api/departments/:code/replan',
    fields: [{ name: 'plannedGoLive', type: { kind: 'date' }, optional: true }, { name: 'extendStage', type: { kind: 'object' }, optional: true }, reason],
    valid: { plannedGoLive: '2028-01-31', extendStage: { stage: 'LESSONS', by: 'P14D' }, reason: 'Supplier slipped' },
    prepare: registered,
  },
  { route: 'POST /api/departments/:code/close', fields: [reason], valid: { reason: 'Benefits tracked' }, prepare: inLive },
  {
    route: 'POST /api/departments/:code/reassign',
    fields: [{ name: 'lead', type: { kind: 'text', max: 200 } }],
    valid: { lead: 'j.smith' },
    prepare: registered,
  },
  {
    route: 'POST /api/operations/departments/:code/escalate',
    fields: [reason],
    valid: { reason: 'Stuck for a week' },
    prepare: registered,
  },
  {
    route: 'POST /api/operations/departments/:code/retry',
    fields: [{ ...reason, optional: true }],
    valid: { reason: 'Paging service is back' },
    idempotencyKey: false,
    // Only a failing step can be retried: an escalation whose webhook answers 503.
    prepare: async (department, stack) => {
      await department.expectOk(department.post(`/api/operations/departments/${department.code}/escalate`, department.operations, { reason: 'No answer for weeks' }));
      await eventually(async () => {
        const description = await stack.temporal.workflow.getHandle(`onboarding-${department.code}`).describe();
        return description.raw.pendingActivities?.some((activity) => (activity.attempt ?? 0) >= 2);
      }, 'the escalation webhook to fail twice');
    },
  },
  {
    route: 'POST /api/audit/replay',
    fields: [{ name: 'departments', type: { kind: 'codes' }, optional: true }],
    get valid() {
      return { departments: [target('POST /api/audit/replay').code] };
    },
    idempotencyKey: false,
  },
  {
    route: 'POST /api/audit/digest/verify',
    fields: [{ name: 'digest', type: { kind: 'object' } }],
    get valid() {
      return { digest: target('POST /api/audit/digest/verify').digest };
    },
    idempotencyKey: false,
  },
  {
    route: 'POST /api/admin/projections/rebuild',
    fields: [{ name: 'restart', type: { kind: 'bool' }, optional: true }],
    valid: { restart: false },
    idempotencyKey: false,
  },
];

/** An endpoint under /departments/:code acts on its own prepared department. */
const ENDPOINTS: readonly Endpoint[] = DESCRIBED.map((endpoint) =>
  endpoint.route.includes(':code') && !endpoint.params ? { ...endpoint, params: codeOf(endpoint.route) } : endpoint,
);

interface Observation {
  readonly label: string;
  readonly route: string;
  readonly status: number;
  readonly code: unknown;
  readonly problem?: string;
  readonly request?: string;
}

describe('malformed requests to every command endpoint, each in the state where its valid body is accepted', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let admin: string;
  let bystander: string;
  const observations: Observation[] = [];

  beforeAll(async () => {
    // Escalation webhooks fail so that retry has a failing step to act on.
    receiver = await startWebhookReceiver('fail');
    // Limits are the subject of another test; here they would only hide what validation does.
    stack = await startStack({
      notifier: new WebhookNotifier(receiver.url, 2000),
      env: { RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0' },
    });
    admin = stack.token('admin', [], 'bad-input-admin');
    // Unique centre: the run's shared database may hold mandatory lessons for ISSC1.
    const centre = `BI${uniqueCode('C')}`.slice(0, 12);
    // A few at a time: the machine is shared, and every command waits for the one worker.
    const queue = ENDPOINTS.filter((endpoint) => endpoint.prepare);
    const prepareNext = async (): Promise<void> => {
      const endpoint = queue.shift();
      if (!endpoint) return;
      const department = new OnboardingDriver(stack, uniqueCode('BAD'));
      await department.register({ centre });
      const extra = await endpoint.prepare!(department, stack);
      targets.set(endpoint.route, { code: department.code, ...extra });
      return prepareNext();
    };
    await Promise.all([prepareNext(), prepareNext(), prepareNext(), prepareNext()]);
    bystander = targets.get('POST /api/departments/:code/assessment')!.code;
    const digest = await stack.http.get('/api/audit/digest').set('Authorization', `Bearer ${stack.token('auditor')}`).expect(200);
    targets.set('POST /api/audit/digest/verify', { code: bystander, digest: digest.body });
    targets.set('POST /api/audit/replay', { code: bystander });
  }, 240_000);

  afterAll(async () => {
    if (process.env.BAD_INPUT_REPORT) writeFileSync(process.env.BAD_INPUT_REPORT, JSON.stringify(observations, null, 1));
    await stack?.close();
    await receiver?.close();
  });

  async function workflowCount(): Promise<number> {
    return (await stack.temporal.workflow.count(`TaskQueue = '${stack.config.temporalTaskQueue}'`)).count;
  }

  async function snapshot(code: string) {
    const [{ count }] = await stack.db.query<{ count: string | number }>('SELECT COUNT(*) AS count FROM events');
    const streams = await stack.db.query<{ stream_id: string; version: number }>('SELECT stream_id, version FROM streams ORDER BY stream_id');
    const history = await stack.temporal.workflow.getHandle(`onboarding-${code}`).fetchHistory();
    return { events: Number(count), streams: JSON.stringify(streams), history: history.events?.length ?? 0, workflows: await workflowCount() };
  }

  async function send(request: Pick<BadRequest, 'path' | 'body' | 'raw' | 'contentType' | 'headers'>): Promise<Response> {
    let call = stack.http.post(request.path).set('Authorization', `Bearer ${admin}`);
    for (const [name, value] of Object.entries(request.headers ?? {})) call = call.set(name, value);
    if (request.raw !== undefined) {
      if (request.contentType) call = call.set('Content-Type', request.contentType);
      else call = call.unset('Content-Type');
      return call.send(request.raw);
    }
    return request.body === undefined ? call : call.send(request.body as object);
  }

  function judge(route: string, request: BadRequest, response: Response): Observation {
    const body = response.body as Record<string, unknown>;
    const base = { label: request.label, route, status: response.status, code: body?.code, request: `${request.path} ${String(request.raw ?? JSON.stringify(request.body)).slice(0, 300)}` };
    if (response.status !== request.expected.status || body?.code !== request.expected.code) {
      return { ...base, problem: `expected ${request.expected.status} ${request.expected.code}` };
    }
    if (body.statusCode !== response.status || typeof body.error !== 'string' || typeof body.message !== 'string') return { ...base, problem: 'not the error shape' };
    if ('stack' in body || JSON.stringify(body).length > 8000) return { ...base, problem: 'leaks internals or echoes input' };
    return base;
  }

  it('covers every POST route the API serves', () => {
    // The console's HTML forms (/sign-in, /sign-out) take form posts with a CSRF token: their own tests cover them.
    const served = servedRoutes(stack.app).filter((route) => route.startsWith('POST /api/'));
    const covered = new Set(ENDPOINTS.map((endpoint) => endpoint.route));
    expect(served.filter((route) => !covered.has(route))).toEqual([]);
  });

  it.each(ENDPOINTS.map((endpoint) => [endpoint.route, endpoint] as const))(
    '%s refuses every malformation with its documented code, writes nothing, then accepts the valid body',
    async (route, endpoint) => {
      const code = targets.get(route)?.code ?? bystander;
      const before = await snapshot(code);

      const problems: Observation[] = [];
      const observe = (request: BadRequest, response: Response) => {
        const observation = judge(route, request, response);
        observations.push(observation);
        if (observation.problem) problems.push(observation);
      };
      for (const request of catalogue(endpoint)) observe(request, await send(request));
      await fc.assert(
        fc.asyncProperty(malformedRequests(endpoint), async (request) => {
          observe(request, await send(request));
        }),
        { numRuns: RUNS_PER_ENDPOINT, seed: SEED },
      );
      expect(problems.map(({ problem, label, status, code: answered }) => `${label} → ${status} ${String(answered)}, ${problem}`)).toEqual([]);
      expect(await snapshot(code)).toEqual(before);

      const accepted = await send({ path: pathOf(endpoint), body: endpoint.noBody ? undefined : endpoint.valid });
      expect({ status: accepted.status, body: accepted.status < 300 ? 'accepted' : accepted.body }).toEqual({ status: endpoint.accepted ?? 200, body: 'accepted' });
      // A registration shows in the visibility count a moment later; the next endpoint's snapshots must not see it arrive.
      if (endpoint.startsWorkflow) await eventually(async () => (await workflowCount()) === before.workflows + 1, 'the registration to be counted');
    },
  );

  it('sent at least 300 malformed requests', () => {
    expect(observations.length).toBeGreaterThanOrEqual(300);
  });
});
