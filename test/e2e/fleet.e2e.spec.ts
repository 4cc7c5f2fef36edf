import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { startFleet, type Fleet } from '../../apps/fleet/fleet.js';
import { JOURNEY_LENGTH, driveDepartment, type Attempt } from '../../apps/fleet/journey.js';
import { IntegrityChecker, matchesReadModel } from '../../libs/audit/index.js';
import { openDatabase, type SqlClient } from '../../libs/database/index.js';
import { streamIdFor } from '../../libs/domain/index.js';
import { EventStore } from '../../libs/event-store/index.js';
import { foldStored } from '../../libs/projections/index.js';
import { stateQuery } from '../../workflows/contract.js';
import { ThrowawayPostgres } from '../support/audit-tamper.js';
import { uniqueSuffix } from '../support/databases.js';
import { testDatabaseUrl } from '../support/env.js';
import { eventually } from '../support/operations.js';
import { TEST_JWT_SECRET } from '../support/stack.js';
import { requireBuiltWorker } from '../support/worker-process.js';

const DEPARTMENTS = 50;
/** Journeys driven at once: enough to keep both workers busy on a two-core CI machine. */
const CONCURRENCY = 10;
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The event types a journey appends, in order, one per command. */
const JOURNEY_EVENTS = [
  'DepartmentRegistered',
  'AssessmentRecorded',
  'StageAdvanced',
  'BaselineRecorded',
  'StageAdvanced',
  ...Array(4).fill('MigrationWorkstreamRecorded'),
  'StageAdvanced',
  ...Array(3).fill('GoLiveDecisionRecorded'),
  'StageAdvanced',
  'SavingsRecorded',
];

/**
 * The product as a fleet: 2 API processes and 2 workers on one task queue, a production
 * Temporal server on PostgreSQL, 50 departments driven from registration to LIVE through
 * both APIs in turn, and one worker SIGKILLed mid-load and started again. Every client
 * repeats a command with its Idempotency-Key while the answer is 503. Afterwards: every
 * command answered 2xx is in the event store exactly once, no stream has a gap or a
 * duplicate, every hash chain verifies, every workflow is running and holds what its
 * stream holds, and the read models equal a fold of the events. A database of its own.
 */
describe('a fleet of 2 APIs and 2 workers on a production Temporal server, one worker killed mid-load', () => {
  let events: ThrowawayPostgres;
  let temporalDatabases: string[] = [];
  let fleet: Fleet | undefined;
  let db: SqlClient;
  let temporal: Client;
  let connection: Connection;

  beforeAll(async () => {
    requireBuiltWorker();
    events = await ThrowawayPostgres.create();
    const server = new URL(testDatabaseUrl());
    const suffix = uniqueSuffix().toLowerCase();
    temporalDatabases = [`ssc_fleet_temporal_${suffix}`, `ssc_fleet_visibility_${suffix}`];
    fleet = await startFleet({
      projectRoot: PROJECT_ROOT,
      apis: 2,
      workers: 2,
      databaseUrl: events.url,
      temporalPostgres: {
        host: server.hostname,
        port: Number(server.port || 5432),
        user: decodeURIComponent(server.username),
        password: decodeURIComponent(server.password),
        database: temporalDatabases[0],
        visibilityDatabase: temporalDatabases[1],
      },
      jwtSecret: TEST_JWT_SECRET,
      // Every test client comes from 127.0.0.1 (people come from addresses of their own): on a
      // fast machine the 10 journeys alone would outrun the address's budget.
      env: { COMMAND_TIMEOUT_MS: '5000', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0' },
      log: () => undefined,
    });
    db = await openDatabase({ postgresUrl: events.url });
    connection = await Connection.connect({ address: fleet.temporal.address });
    temporal = new Client({ connection });
  }, 600_000);

  afterAll(async () => {
    await connection?.close();
    await db?.close();
    await fleet?.stop();
    await events?.drop();
    const admin = new URL(testDatabaseUrl());
    admin.pathname = '/postgres';
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    for (const name of temporalDatabases) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  }, 120_000);

  it('loses nothing acknowledged, doubles nothing, and every later command sees the earlier ones', async () => {
    const running = fleet!;
    const attempts: Attempt[] = [];
    const codes = Array.from({ length: DEPARTMENTS }, (_, index) => `FL${suffixOf(index)}`);
    const acknowledged = () => attempts.filter((attempt) => attempt.status >= 200 && attempt.status < 300).length;

    let next = 0;
    const outcomes = new Map<string, Awaited<ReturnType<typeof driveDepartment>>>();
    const drive = async () => {
      while (next < codes.length) {
        const code = codes[next++];
        outcomes.set(
          code,
          await driveDepartment(code, {
            apiUrls: () => running.apis.map((api) => api.url),
            jwtSecret: TEST_JWT_SECRET,
            record: (attempt) => attempts.push(attempt),
          }),
        );
      }
    };
    const load = Promise.all(Array.from({ length: CONCURRENCY }, drive));

    // Mid-load: a third of the commands acknowledged, appends in flight on both workers.
    await eventually(async () => acknowledged() >= (DEPARTMENTS * JOURNEY_LENGTH) / 3, 'a third of the commands to be acknowledged', 300_000, 100);
    const victim = running.workers[0];
    await victim.kill();
    const killedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await victim.start();
    await load;

    // Every journey went through: a command is never refused because of what happened to an earlier one.
    const unfinished = [...outcomes].filter(([, steps]) => steps.length !== JOURNEY_LENGTH || steps.some((step) => step.status < 200 || step.status >= 300));
    expect(unfinished).toEqual([]);
    // A caller is told 2xx, or 503 with Retry-After to repeat it; nothing else.
    expect(attempts.filter((attempt) => !(attempt.status >= 200 && attempt.status < 300) && attempt.status !== 503)).toEqual([]);
    expect(attempts.filter((attempt) => attempt.status === 503 && !attempt.retryAfter)).toEqual([]);
    expect(attempts.some((attempt) => attempt.startedAt + attempt.ms >= killedAt)).toBe(true);

    const store = new EventStore(db);
    const integrity = new IntegrityChecker(db);
    const acknowledgedIds = attempts.filter((attempt) => attempt.status >= 200 && attempt.status < 300).flatMap((attempt) => attempt.eventIds);
    const copies = new Map(
      (await db.query<{ event_id: string; copies: number | string }>(`SELECT event_id, COUNT(*) AS copies FROM events GROUP BY event_id`)).map((row) => [
        row.event_id,
        Number(row.copies),
      ]),
    );
    expect(acknowledgedIds.filter((eventId) => copies.get(eventId) !== 1)).toEqual([]);

    for (const code of codes) {
      const stream = await store.readStream(streamIdFor(code));
      // One event per command, in the journey's order, at versions 1..n.
      expect({ code, versions: stream.map((event) => event.version) }).toEqual({ code, versions: stream.map((_, index) => index + 1) });
      const byPeople = stream.filter((event) => (event.metadata as { actor?: { role?: string } }).actor?.role !== 'system');
      expect({ code, types: byPeople.map((event) => event.type) }).toEqual({ code, types: JOURNEY_EVENTS });
      const commandIds = byPeople.map((event) => (event.metadata as { commandId?: string }).commandId);
      expect(new Set(commandIds).size).toBe(JOURNEY_LENGTH);
      expect(await integrity.verifyStream(streamIdFor(code))).toMatchObject({ valid: true, lastVersion: stream.length });

      const state = foldStored(stream);
      expect({ code, stage: state.stage, readModelMatches: await matchesReadModel(db, state) }).toEqual({ code, stage: 'LIVE', readModelMatches: true });
      const handle = temporal.workflow.getHandle(`onboarding-${code}`);
      const described = await handle.describe();
      expect({ code, status: described.status.name }).toEqual({ code, status: 'RUNNING' });
      expect({ code, version: (await handle.query(stateQuery)).version }).toEqual({ code, version: stream.length });
    }
  }, 900_000);
});

/** Codes unique to this run, so a rerun on the same Temporal databases never meets an old workflow. */
const RUN = uniqueSuffix().slice(-5);
function suffixOf(index: number): string {
  return `${RUN}${index.toString(36).toUpperCase().padStart(2, '0')}`;
}
