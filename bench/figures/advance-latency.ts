import { UpdateBaseline } from '../baseline.js';
import { benchCodes, departmentReadyToAdvance, prepareAll, registerDepartment } from '../departments.js';
import { callApi, expectResponse } from '../http.js';
import { pairedRun } from '../stats.js';
import { pairedFigure, type Figure } from './figure.js';

/**
 * An advance the gates refuse: HTTP, JWT, the read-model lookup, then an Update that the
 * workflow's validator rejects (422 gates-unmet), against an Update the baseline's
 * validator rejects. Neither writes anything, so this is the command path's fixed cost.
 */
export const advanceRefusedLatency: Figure = {
  name: 'advance-refused-latency',
  async measure({ env, samples, warmup, signal, log }) {
    const code = 'BREFUSED';
    await registerDepartment(env, code);
    const token = env.token('programme');
    const baseline = await UpdateBaseline.start(env);
    log(`${this.name}: ${warmup} + ${samples} pairs`);
    const series = await pairedRun(
      async () => {
        const response = await callApi(env, 'POST', `/api/departments/${code}/advance`, token, { from: 'LESSONS' });
        expectResponse(response, 422, 'a refused advance', 'gates-unmet');
      },
      () => baseline.refused(),
      { samples, warmup, signal },
    );
    await baseline.finish();
    return pairedFigure(
      this.name,
      {
        api: 'POST /api/departments/:code/advance answered 422 gates-unmet: the onboarding Update refused by its validator',
        baseline: 'executeUpdate of a no-op Update refused by its validator (bench/workflows), same client and server',
      },
      series,
    );
  },
};

/**
 * An advance that happens: LESSONS -> READINESS on a department whose assessment is
 * recorded, so the API reads the centre's mandatory lessons beside its lookup and the
 * Update runs its handler, whose one local activity reads the lesson library and appends
 * the event (hash chain and read model), against a no-op Update that is accepted and completed.
 */
export const advanceAcceptedLatency: Figure = {
  name: 'advance-accepted-latency',
  async measure({ env, samples, warmup, signal, log }) {
    const codes = benchCodes('BACC', warmup + samples);
    log(`${this.name}: preparing ${codes.length} departments with their gate met…`);
    await prepareAll(codes, (code) => departmentReadyToAdvance(env, code));
    const token = env.token('programme');
    const baseline = await UpdateBaseline.start(env);
    log(`${this.name}: ${warmup} + ${samples} pairs`);
    const series = await pairedRun(
      async (index) => {
        const response = await callApi(env, 'POST', `/api/departments/${codes[index]}/advance`, token, { from: 'LESSONS' });
        expectResponse(response, 200, 'an accepted advance');
      },
      () => baseline.accepted(),
      { samples, warmup, signal },
    );
    await baseline.finish();
    return pairedFigure(
      this.name,
      {
        api: 'POST /api/departments/:code/advance answered 200: LESSONS -> READINESS, the lesson library read and one event appended in one local activity',
        baseline: 'executeUpdate of a no-op Update accepted and completed (bench/workflows), same client and server',
      },
      series,
    );
  },
};
