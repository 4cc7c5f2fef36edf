import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signToken } from '../../apps/api/src/auth/tokens.js';
import { FleetProcess } from '../../apps/fleet/processes.js';
import { ThrowawayPostgres } from '../support/audit-tamper.js';
import { testTemporalAddress } from '../support/env.js';
import { TEST_JWT_SECRET } from '../support/stack.js';
import { requireBuiltWorker } from '../support/worker-process.js';

const PER_SUBJECT = 4;
const PER_ADDRESS = 60;

/**
 * Rate limits are one budget for the whole deployment, not one per API replica: two API
 * processes on one PostgreSQL database, asked in turn, allow a token subject (and a client
 * address) the configured number of requests between them, then both answer 429 with
 * Retry-After. A database of its own, so no other test's requests count.
 */
describe('rate limits shared by two API processes through PostgreSQL', () => {
  let database: ThrowawayPostgres;
  const apis: FleetProcess[] = [];

  beforeAll(async () => {
    requireBuiltWorker();
    database = await ThrowawayPostgres.create();
    const env = {
      PATH: process.env.PATH ?? '',
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_TASK_QUEUE: 'shared-rate-limit',
      DATABASE_URL: database.url,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'ssc-rate-')),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: String(PER_SUBJECT),
      RATE_LIMIT_PER_ADDRESS_PER_MINUTE: String(PER_ADDRESS),
    };
    const root = fileURLToPath(new URL('../..', import.meta.url));
    for (const name of ['api-1', 'api-2']) apis.push(await FleetProcess.create(root, 'api', name, env));
  });
  afterAll(async () => {
    for (const api of apis) await api.stop();
    await database?.drop();
  });

  const list = (api: FleetProcess, token?: string) =>
    fetch(`${api.url}/api/departments`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('allows a subject, and an address, their budget once across both replicas', async () => {
    // Keep clear of a minute's edge, where the sliding window starts to forget the last minute.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 100));
    const alice = signToken({ sub: 'alice', roles: ['programme'], departments: [] }, { secret: TEST_JWT_SECRET });
    const bob = signToken({ sub: 'bob', roles: ['programme'], departments: [] }, { secret: TEST_JWT_SECRET });

    const statuses: number[] = [];
    for (let i = 0; i < PER_SUBJECT; i++) statuses.push((await list(apis[i % 2], alice)).status);
    expect(statuses).toEqual(Array(PER_SUBJECT).fill(200));
    for (const api of apis) {
      const refused = await list(api, alice);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toMatchObject({ code: 'rate-limited' });
    }
    // Another subject has its own budget.
    expect((await list(apis[1], bob)).status).toBe(200);

    // The address's budget is shared too (the replicas' start-up health checks from this
    // address are not counted). Anonymous requests (401 while allowed) in turn until refused:
    // per-process budgets would allow nearly twice the limit between the two, and claims
    // left unused on one replica would refuse early.
    let allowed = 0;
    for (let i = 0; i < 2 * PER_ADDRESS; i++) {
      const status = (await list(apis[i % 2])).status;
      if (status === 429) break;
      expect(status).toBe(401);
      allowed += 1;
    }
    const byAliceAndBob = PER_SUBJECT + 2 + 1;
    expect(allowed).toBeGreaterThan(0);
    expect(byAliceAndBob + allowed).toBe(PER_ADDRESS);
    expect([(await list(apis[0])).status, (await list(apis[1])).status]).toEqual([429, 429]);
  });
});
