import type { BenchEnvironment } from './environment.js';
import { callApi, expectResponse } from './http.js';

/** Registers a department in LESSONS through the API. */
export async function registerDepartment(env: BenchEnvironment, code: string): Promise<void> {
  const response = await callApi(env, 'POST', '/api/departments', env.token('programme'), {
    code,
    name: `Bench department ${code}`,
    centre: 'BENCH',
    plannedGoLive: '2027-06-01',
  });
  expectResponse(response, 201, `registering ${code}`);
}

/** Registers a department and records its assessment: its advance out of LESSONS is then accepted. */
export async function departmentReadyToAdvance(env: BenchEnvironment, code: string): Promise<void> {
  await registerDepartment(env, code);
  const response = await callApi(env, 'POST', `/api/departments/${code}/assessment`, env.token('lead', [code]), {
    sro: 'Bench SRO',
    score: 4,
    contractManagementFte: 2,
  });
  expectResponse(response, 200, `recording the assessment of ${code}`);
}

/** Runs `prepare` for every code, a few at a time, so setup does not dominate the run. */
export async function prepareAll(codes: readonly string[], prepare: (code: string) => Promise<void>, concurrency = 8): Promise<void> {
  const queue = [...codes];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let code = queue.shift(); code !== undefined; code = queue.shift()) await prepare(code);
    }),
  );
}

/** Codes that fit the department code rule (a letter, then 1-9 letters or digits). */
export function benchCodes(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${index.toString(36).toUpperCase().padStart(4, '0')}`);
}
