import { randomUUID } from 'node:crypto';
import { openDatabase, type SqlClient } from '../../libs/database/index.js';
import type { OnboardingEvent } from '../../libs/domain/index.js';
import { EventStore, type NewEvent } from '../../libs/event-store/index.js';
import { INLINE_PROJECTIONS, MAX_STUCK_PAGE, StuckReadModel, type StuckFilter } from '../../libs/projections/index.js';
import { benchCodes, prepareAll } from '../departments.js';
import type { BenchEnvironment } from '../environment.js';
import { callApi, expectResponse } from '../http.js';
import { pairedRun, samplesForP99 } from '../stats.js';
import { pairedFigure, type Figure, type FigureContext } from './figure.js';

const DEPARTMENTS = 10_000;
const CENTRES = ['BENCH-C1', 'BENCH-C2', 'BENCH-C3', 'BENCH-C4'];
const DAY = 86_400_000;

/**
 * GET /api/operations/stuck with 10,000 departments, a third of them stuck, against the
 * same read on PostgreSQL directly: what the HTTP layer, auth and JSON add to an indexed
 * read, and that the list does not grow with the number of onboardings.
 *
 * The departments are appended straight to the event store (no workflows: 10,000 of them
 * would take the bench an hour to start), so the inline projections build the departments
 * and stuck read models exactly as live appends do; the failing activities and workflow
 * tasks a worker's sweep would observe are saved as the sweep saves them.
 */
export const stuckListLatency: Figure = {
  name: 'stuck-list-10k',
  measure: (context) => measureStuckList(context, 'stuck-list-10k', {}),
};

export const stuckListFilteredLatency: Figure = {
  name: 'stuck-list-10k-filtered',
  measure: (context) => measureStuckList(context, 'stuck-list-10k-filtered', { reason: 'deadline-missed', centre: 'BENCH-C2' }),
};

let seeded: Promise<void> | undefined;

/** How many entries the list holds for this filter, page by page. */
async function countListed(stuck: StuckReadModel, filter: StuckFilter): Promise<number> {
  let total = 0;
  for (let offset = 0; ; offset += MAX_STUCK_PAGE) {
    const page = await stuck.list({ ...filter, limit: MAX_STUCK_PAGE, offset });
    total += page.length;
    if (page.length < MAX_STUCK_PAGE) return total;
  }
}

async function measureStuckList(context: FigureContext, name: string, filter: StuckFilter) {
  const { env, warmup, signal, log } = context;
  // Judged on its p99 too.
  const samples = samplesForP99(context.samples);
  const db = await openDatabase({ postgresUrl: requireDatabaseUrl(env) });
  try {
    seeded ??= seedDepartments(db, log);
    await seeded;
    const stuck = new StuckReadModel(db, env.config.decisionWaitLimitMs);
    const token = env.token('operations');
    const query = new URLSearchParams({ limit: '100', ...(filter as Record<string, string>) }).toString();
    // Counted before timing, so the description says what the timed reads return.
    const [all, matching] = [await countListed(stuck, {}), await countListed(stuck, filter)];
    const conditions = Object.entries(filter).map(([key, value]) => `${key} = ${String(value)}`);
    const selection = conditions.length === 0 ? `all ${all} stuck` : `the ${matching} stuck with ${conditions.join(' and ')} (of ${all} stuck)`;
    log(`${name}: ${warmup} + ${samples} pairs`);
    const series = await pairedRun(
      async () => {
        const response = await callApi(env, 'GET', `/api/operations/stuck?${query}`, token);
        expectResponse(response, 200, 'the stuck list');
        if (!Array.isArray(response.body) || response.body.length === 0) throw new Error('the stuck list came back empty');
      },
      async () => {
        await stuck.list({ limit: 100, ...filter });
      },
      { samples, warmup, signal },
    );
    return pairedFigure(
      name,
      {
        api: `GET /api/operations/stuck?${query}: the oldest ${Math.min(100, matching)} of ${selection}, among ${DEPARTMENTS} departments`,
        baseline: 'the same indexed read of stuck_onboardings joined to departments, on PostgreSQL directly (StuckReadModel.list)',
      },
      series,
    );
  } finally {
    await db.close();
  }
}

function requireDatabaseUrl(env: BenchEnvironment): string {
  if (!env.config.databaseUrl) throw new Error('the stuck list figure needs PostgreSQL (DATABASE_URL)');
  return env.config.databaseUrl;
}

/**
 * 10,000 departments: 25% past a stage deadline, 10% owing a deviation decision for a
 * month, and 2% / 1% with a failing activity / workflow task as the sweep records them.
 */
async function seedDepartments(db: SqlClient, log: (line: string) => void): Promise<void> {
  const store = new EventStore(db, INLINE_PROJECTIONS);
  const stuck = new StuckReadModel(db, 0);
  const codes = benchCodes('S', DEPARTMENTS);
  const started = Date.now();
  log(`stuck-list: appending ${DEPARTMENTS} departments to the event store…`);
  await prepareAll(
    codes,
    async (code) => {
      const index = Number.parseInt(code.slice(1), 36);
      const events = historyOf(code, index);
      await store.append(`department-${code}`, 0, events.map((event, position) => toNew(event, code, position)));
      const now = new Date().toISOString();
      if (index % 50 === 7) {
        await stuck.saveObserved(code, 'activity-failing', {
          reason: 'activity-failing',
          since: new Date(Date.now() - (index % 600) * 60_000).toISOString(),
          detail: { activity: 'appendDepartmentEvents', attempts: 5, failedAttempts: 4, lastFailure: 'connect ECONNREFUSED 10.0.0.5:5432' },
        }, now);
      }
      if (index % 100 === 11) {
        await stuck.saveObserved(code, 'workflow-task-failing', {
          reason: 'workflow-task-failing',
          since: new Date(Date.now() - (index % 300) * 60_000).toISOString(),
          detail: { attempts: 3, cause: 'non-deterministic-error', lastFailure: '[TMPRL1100] Nondeterminism error' },
        }, now);
      }
    },
    16,
  );
  // Planner statistics as autovacuum keeps them on a live database, not those of the empty tables.
  await db.query('ANALYZE departments');
  await db.query('ANALYZE stuck_onboardings');
  log(`stuck-list: seeded in ${Math.round((Date.now() - started) / 1000)} s`);
}

function historyOf(code: string, index: number): OnboardingEvent[] {
  const registeredAt = new Date(Date.now() - (60 + (index % 200)) * DAY).toISOString();
  const plus = (days: number) => new Date(Date.parse(registeredAt) + days * DAY).toISOString();
  const registered: OnboardingEvent = {
    type: 'DepartmentRegistered',
    data: {
      code,
      name: `Bench department ${code}`,
      // Not index % 4: the departments past a deadline (every fourth) would all share one centre.
      centre: CENTRES[Math.floor(index / 7) % CENTRES.length],
      plannedGoLive: '2027-06-01',
      deadlines: { LESSONS: 'P30D', READINESS: 'P60D', MIGRATION: 'P120D', GO_LIVE: 'P30D' },
      lead: null,
      stageDeadlineAt: plus(30),
      at: registeredAt,
    },
  };
  if (index % 4 === 0) return [registered, { type: 'StageDeadlineMissed', data: { stage: 'LESSONS', deadline: plus(30), at: plus(30) } }];
  if (index % 10 === 1) {
    return [
      registered,
      { type: 'AssessmentRecorded', data: { sro: 'Bench SRO', score: 4, contractManagementFte: 2, notes: null, at: plus(1) } },
      { type: 'StageAdvanced', data: { from: 'LESSONS', to: 'READINESS', at: plus(2), mandatoryLessonIds: [], stageDeadlineAt: plus(400) } },
      { type: 'DeviationRequested', data: { deviationId: `dev-${code}`, area: 'payroll', description: 'Weekly pay run', justification: 'Union agreement', at: plus(3) } },
    ];
  }
  return [registered];
}

function toNew(event: OnboardingEvent, code: string, position: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: event.type,
    data: event.data,
    metadata: { actor: { sub: 'bench-seed', role: 'system' }, workflowId: `onboarding-${code}`, causationId: `seed-${position}` },
    recordedAt: (event.data as { at: string }).at,
  };
}
