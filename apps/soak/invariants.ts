import type { Client } from '@temporalio/client';
import { IntegrityChecker, rebuildProjections } from '../../libs/audit/index.js';
import type { SqlClient } from '../../libs/database/index.js';
import { DepartmentReadModel, RECORDED_STUCK_REASONS } from '../../libs/projections/index.js';
import { stateQuery } from '../../workflows/contract.js';
import { streamIdFor, workflowIdFor } from '../../libs/domain/index.js';
import { canonicalJson, EventStore } from '../../libs/event-store/index.js';
import type { Attempt } from '../fleet/journey.js';
import { isSuccess } from './load.js';

/** What must hold after every drill; each list names what broke it and is empty when all is well. */
export interface InvariantReport {
  readonly streamsChecked: number;
  readonly eventsChecked: number;
  /** Acknowledged commands whose events are not all in the event store. */
  readonly lost: readonly string[];
  /** Acknowledged commands with events in the store beyond the ones the client was answered with. */
  readonly duplicated: readonly string[];
  /** Streams with a version gap, a duplicate version or a hash chain that does not verify. */
  readonly brokenStreams: readonly string[];
  /** Workflows neither running nor completed (failed, terminated, timed out, missing), or whose state is not their stream's. */
  readonly badWorkflows: readonly string[];
  /** Read-model rows that differ from what a rebuild from the events writes. */
  readonly readModelMismatches: readonly string[];
}

export function invariantsHold(report: InvariantReport): boolean {
  return [report.lost, report.duplicated, report.brokenStreams, report.badWorkflows, report.readModelMismatches].every((list) => list.length === 0);
}

export interface InvariantInputs {
  readonly db: SqlClient;
  readonly temporal: Client;
  /** The departments the drill drove. */
  readonly codes: readonly string[];
  readonly attempts: readonly Attempt[];
}

export async function checkInvariants(inputs: InvariantInputs): Promise<InvariantReport> {
  const store = new EventStore(inputs.db);
  const integrity = new IntegrityChecker(inputs.db);
  const acknowledged = acknowledgedEvents(inputs.attempts);
  const lost: string[] = [];
  const duplicated: string[] = [];
  const brokenStreams: string[] = [];
  let eventsChecked = 0;
  let streamsChecked = 0;
  for (const code of inputs.codes) {
    const streamId = streamIdFor(code);
    const events = await store.readStream(streamId);
    eventsChecked += events.length;
    const verification = await integrity.verifyStream(streamId);
    if (verification) {
      streamsChecked += 1;
      if (!verification.valid) brokenStreams.push(`${streamId}: ${verification.problem} at version ${verification.firstInvalidVersion}`);
    }
    const versions = events.map((event) => event.version);
    if (new Set(versions).size !== versions.length || versions.some((version, index) => version !== index + 1)) {
      brokenStreams.push(`${streamId}: versions ${versions.join(',')}`);
    }
    const byId = new Map(events.map((event) => [event.eventId, event]));
    /** eventId → the command first answered with it: a later command answered with the same event was not recorded. */
    const answeredWith = new Map<string, string>();
    for (const [key, eventIds] of acknowledged.get(code) ?? []) {
      const found = [...eventIds].map((eventId) => byId.get(eventId));
      const owners = [...eventIds].map((eventId) => answeredWith.get(eventId)).filter((owner) => owner !== undefined);
      for (const eventId of eventIds) if (!answeredWith.has(eventId)) answeredWith.set(eventId, key);
      if (eventIds.size === 0 || found.some((event) => !event)) {
        lost.push(`${code} ${key}: answered with events the store does not hold`);
        continue;
      }
      if (owners.length > 0) {
        lost.push(`${code} ${key}: answered with the events of ${owners[0]}`);
        continue;
      }
      const commandIds = new Set(found.map((event) => (event!.metadata as { commandId?: string }).commandId));
      const sameCommand = events.filter((event) => commandIds.has((event.metadata as { commandId?: string }).commandId));
      if (commandIds.has(undefined) || sameCommand.length !== eventIds.size) duplicated.push(`${code} ${key}: ${sameCommand.length} events, answered with ${eventIds.size}`);
    }
  }
  return {
    streamsChecked,
    eventsChecked,
    lost,
    duplicated,
    brokenStreams,
    badWorkflows: await badWorkflows(inputs.temporal, inputs.db, inputs.codes),
    readModelMismatches: await readModelsAgainstRebuild(inputs.db),
  };
}

/**
 * code → Idempotency-Key → the event ids its 2xx answers carried (a replayed answer carries
 * the same ones), keys in the order they were first acknowledged.
 */
function acknowledgedEvents(attempts: readonly Attempt[]): Map<string, Map<string, Set<string>>> {
  const byCode = new Map<string, Map<string, Set<string>>>();
  const answeredAt = (attempt: Attempt) => attempt.startedAt + attempt.ms;
  for (const attempt of [...attempts].sort((a, b) => answeredAt(a) - answeredAt(b))) {
    if (!isSuccess(attempt.status)) continue;
    const keys = byCode.get(attempt.code) ?? new Map<string, Set<string>>();
    byCode.set(attempt.code, keys);
    const ids = keys.get(attempt.key) ?? new Set<string>();
    keys.set(attempt.key, ids);
    for (const eventId of attempt.eventIds) ids.add(eventId);
  }
  return byCode;
}

/**
 * Each workflow must be running or completed, and a running one must hold exactly the
 * state its stream folds to (the read model): a workflow that missed an append, or
 * folded one the store does not have, decides every later command on a wrong state.
 */
async function badWorkflows(temporal: Client, db: SqlClient, codes: readonly string[]): Promise<string[]> {
  const readModel = new DepartmentReadModel(db);
  const bad: string[] = [];
  const queue = [...codes];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let code = queue.shift(); code !== undefined; code = queue.shift()) {
        const workflowId = workflowIdFor(code);
        try {
          const handle = temporal.workflow.getHandle(workflowId);
          const { status } = await handle.describe();
          if (!['RUNNING', 'COMPLETED', 'CONTINUED_AS_NEW'].includes(status.name)) bad.push(`${workflowId}: ${status.name}`);
          if (status.name !== 'RUNNING') continue;
          const [state, stored] = await Promise.all([handle.query(stateQuery), readModel.get(code)]);
          if (canonicalJson(state) !== canonicalJson(stored ?? null)) {
            bad.push(`${workflowId}: state at version ${state.version} is not its stream's (version ${stored?.version ?? 0}); differs in ${differingKeys(state, stored).join(', ')}`);
          }
        } catch (error) {
          bad.push(`${workflowId}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }),
  );
  return bad.sort();
}

/**
 * Takes the read models as the live appends left them, rebuilds them from the events
 * (every stream, not only the drill's), and names each row that differs. Observed stuck
 * facts come from Temporal, not from events, so only the recorded ones are compared.
 */
async function readModelsAgainstRebuild(db: SqlClient): Promise<string[]> {
  const before = await readModelRows(db);
  const rebuilt = await rebuildProjections(db, { restart: true });
  const after = await readModelRows(db);
  const mismatches = rebuilt.invalidStreams.map((stream) => `${stream.streamId}: chain invalid at version ${stream.firstInvalidVersion}`);
  if (rebuilt.orphansRemoved > 0) mismatches.push(`${rebuilt.orphansRemoved} read-model rows had no stream`);
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(key) !== after.get(key)) mismatches.push(`${key}: live ${before.get(key) ?? 'absent'}, rebuilt ${after.get(key) ?? 'absent'}`);
  }
  return mismatches.sort();
}

async function readModelRows(db: SqlClient): Promise<Map<string, string>> {
  const rows = new Map<string, string>();
  for (const row of await db.query<Record<string, unknown>>(`SELECT * FROM departments`)) rows.set(`departments ${String(row.code)}`, canonicalJson(plain(row)));
  for (const row of await db.query<Record<string, unknown>>(`SELECT * FROM lessons`)) rows.set(`lessons ${String(row.id)}`, canonicalJson(plain(row)));
  const recorded = await db.query<Record<string, unknown>>(
    `SELECT code, reason, since, detail FROM stuck_onboardings WHERE reason IN (${RECORDED_STUCK_REASONS.map((_, index) => `$${index + 1}`).join(', ')})`,
    [...RECORDED_STUCK_REASONS],
  );
  for (const row of recorded) rows.set(`stuck_onboardings ${String(row.code)} ${String(row.reason)}`, canonicalJson(plain(row)));
  return rows;
}

/** Dates as ISO strings, as the rows would be sent anywhere. */
function plain(row: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(row)) as unknown;
}

function differingKeys(a: object, b: object | undefined): string[] {
  const left = a as Record<string, unknown>;
  const right = (b ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(left), ...Object.keys(right)])].filter((key) => canonicalJson(left[key] ?? null) !== canonicalJson(right[key] ?? null)).sort();
}
