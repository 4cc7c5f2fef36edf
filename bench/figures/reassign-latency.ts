import { UpdateBaseline } from '../baseline.js';
import { registerDepartment } from '../departments.js';
import { callApi, expectResponse } from '../http.js';
import { pairedRun } from '../stats.js';
import { pairedFigure, type Figure } from './figure.js';

/**
 * A one-activity command: handing an onboarding to another lead. HTTP, JWT, the read-model
 * lookup, then an Update whose handler makes one local activity (the append, with the
 * department row), against a no-op Update that is accepted and completed. Every call names
 * a new lead, so each one is accepted and appends one LeadReassigned event.
 */
export const reassignLatency: Figure = {
  name: 'reassign-latency',
  async measure({ env, samples, warmup, signal, log }) {
    const code = 'BREASSIGN';
    await registerDepartment(env, code);
    const token = env.token('operations');
    const baseline = await UpdateBaseline.start(env);
    log(`${this.name}: ${warmup} + ${samples} pairs`);
    const series = await pairedRun(
      async (index) => {
        const response = await callApi(env, 'POST', `/api/departments/${code}/reassign`, token, { lead: `bench.lead.${index}` });
        expectResponse(response, 200, 'a reassignment');
      },
      () => baseline.accepted(),
      { samples, warmup, signal },
    );
    await baseline.finish();
    return pairedFigure(
      this.name,
      {
        api: 'POST /api/departments/:code/reassign answered 200: one LeadReassigned event appended (hash chain and read model) in one local activity',
        baseline: 'executeUpdate of a no-op Update accepted and completed (bench/workflows), same client and server',
      },
      series,
    );
  },
};
