import { UpdateBaseline } from '../baseline.js';
import { benchCodes, departmentReadyToAdvance, prepareAll, registerDepartment } from '../departments.js';
import { callApi, expectResponse } from '../http.js';
import { pairedRun } from '../stats.js';
import { pairedFigure, type Figure, type FigureContext, type LatencyFigure } from './figure.js';

/**
 * A command through the API, call by call beside a bare Update on the bench's own workflow
 * (same client and server): what HTTP, the token, the lookup and the onboarding workflow add
 * to one Temporal Update round trip.
 */
async function besideBareUpdate(
  { env, samples, warmup, signal, log }: FigureContext,
  name: string,
  operations: LatencyFigure['operations'],
  command: (index: number) => Promise<void>,
  bare: (baseline: UpdateBaseline) => Promise<void>,
): Promise<LatencyFigure> {
  const baseline = await UpdateBaseline.start(env);
  log(`${name}: ${warmup} + ${samples} pairs`);
  const series = await pairedRun(command, () => bare(baseline), { samples, warmup, signal });
  await baseline.finish();
  return pairedFigure(name, operations, series);
}

const BARE_ACCEPTED = 'executeUpdate of a no-op Update accepted and completed (bench/workflows), same client and server';

/**
 * An advance the gates refuse: HTTP, JWT, the read-model lookup, then an Update that the
 * workflow's validator rejects (422 gates-unmet), against an Update the baseline's
 * validator rejects. Neither writes anything, so this is the command path's fixed cost.
 */
export const advanceRefusedLatency: Figure = {
  name: 'advance-refused-latency',
  async measure(context) {
    const code = 'BREFUSED';
    await registerDepartment(context.env, code);
    const token = context.env.token('programme');
    return besideBareUpdate(
      context,
      this.name,
      {
        api: 'POST /api/departments/:code/advance answered 422 gates-unmet: the onboarding Update refused by its validator',
        baseline: 'executeUpdate of a no-op Update refused by its validator (bench/workflows), same client and server',
      },
      async () => expectResponse(await callApi(context.env, 'POST', `/api/departments/${code}/advance`, token, { from: 'LESSONS' }), 422, 'a refused advance', 'gates-unmet'),
      (baseline) => baseline.refused(),
    );
  },
};

/**
 * An advance that happens: LESSONS -> READINESS on a department whose assessment is
 * recorded, so the API reads the centre's mandatory lessons with its lookup and the
 * Update runs its handler, whose one local activity reads the lesson library and appends
 * the event (hash chain and read model), against a no-op Update that is accepted and completed.
 */
export const advanceAcceptedLatency: Figure = {
  name: 'advance-accepted-latency',
  async measure(context) {
    const codes = benchCodes('BACC', context.warmup + context.samples);
    context.log(`${this.name}: preparing ${codes.length} departments with their gate met…`);
    await prepareAll(codes, (code) => departmentReadyToAdvance(context.env, code));
    const token = context.env.token('programme');
    return besideBareUpdate(
      context,
      this.name,
      {
        api: 'POST /api/departments/:code/advance answered 200: LESSONS -> READINESS, the lesson library read and one event appended in one local activity',
        baseline: BARE_ACCEPTED,
      },
      async (index) => expectResponse(await callApi(context.env, 'POST', `/api/departments/${codes[index]}/advance`, token, { from: 'LESSONS' }), 200, 'an accepted advance'),
      (baseline) => baseline.accepted(),
    );
  },
};

/**
 * A one-activity command: handing an onboarding to another lead. HTTP, JWT, the read-model
 * lookup, then an Update whose handler makes one local activity (the append, with the
 * department row), against a no-op Update that is accepted and completed. Every call names
 * a new lead, so each one is accepted and appends one LeadReassigned event.
 */
export const reassignLatency: Figure = {
  name: 'reassign-latency',
  async measure(context) {
    const code = 'BREASSIGN';
    await registerDepartment(context.env, code);
    const token = context.env.token('operations');
    return besideBareUpdate(
      context,
      this.name,
      {
        api: 'POST /api/departments/:code/reassign answered 200: one LeadReassigned event appended (hash chain and read model) in one local activity',
        baseline: BARE_ACCEPTED,
      },
      async (index) => expectResponse(await callApi(context.env, 'POST', `/api/departments/${code}/reassign`, token, { lead: `bench.lead.${index}` }), 200, 'a reassignment'),
      (baseline) => baseline.accepted(),
    );
  },
};
