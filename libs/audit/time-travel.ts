import type { SqlClient } from '../database/index.js';
import { initialState, streamIdFor, type DepartmentState } from '../domain/index.js';
import { canonicalJson, EventStore, type StoredEvent } from '../event-store/index.js';
import { DepartmentReadModel, foldStored } from '../projections/index.js';
import { IntegrityChecker } from './integrity.js';
import { verifyChain, type ChainVerification } from './verify-chain.js';

/** An instant (events recorded at or before it) or a stream version; neither: the head. */
export type PointInTime = { readonly asOf: string } | { readonly version: number } | Record<string, never>;

export interface HistoricalState {
  readonly code: string;
  readonly streamId: string;
  /** The version the state was folded to; 0 when the department did not exist yet. */
  readonly version: number;
  readonly headVersion: number;
  /** When the last folded event was recorded. */
  readonly recordedAt: string | null;
  readonly state: DepartmentState | null;
  /** The hash chain of the folded events, from the genesis hash. */
  readonly integrity: ChainVerification;
  /** At the head only: whether the read model holds exactly this state. */
  readonly matchesReadModel?: boolean;
}

export class VersionBeyondHead extends Error {
  readonly code = 'version-not-found';
  constructor(
    readonly version: number,
    readonly headVersion: number,
  ) {
    super(`the stream has ${headVersion} events; there is no version ${version}`);
  }
}

/**
 * Rebuilds a department as it stood at a past instant or version from its events alone,
 * with the same `evolve` the workflow uses. Undefined when the department has no events.
 */
export async function departmentStateAt(db: SqlClient, code: string, point: PointInTime): Promise<HistoricalState | undefined> {
  const streamId = streamIdFor(code);
  const all = await new EventStore(db).readStream(streamId);
  if (all.length === 0) return undefined;
  const headVersion = all.at(-1)!.version;
  const events = eventsUpTo(all, point);
  const state = events.length === 0 ? null : foldStored(events, initialState);
  const atHead = events.length === all.length;
  const head = atHead ? await new IntegrityChecker(db).head(streamId) : undefined;
  const result: HistoricalState = {
    code: state?.code ?? code,
    streamId,
    version: events.at(-1)?.version ?? 0,
    headVersion,
    recordedAt: events.at(-1)?.recordedAt ?? null,
    state,
    integrity: verifyChain(events, head),
  };
  if (!atHead || !state) return result;
  return { ...result, matchesReadModel: await matchesReadModel(db, state) };
}

function eventsUpTo(events: readonly StoredEvent[], point: PointInTime): readonly StoredEvent[] {
  if ('version' in point && point.version !== undefined) {
    const headVersion = events.at(-1)?.version ?? 0;
    if (point.version > headVersion) throw new VersionBeyondHead(point.version, headVersion);
    return events.filter((event) => event.version <= point.version);
  }
  if ('asOf' in point && point.asOf !== undefined) {
    const instant = Date.parse(point.asOf);
    const after = events.findIndex((event) => Date.parse(event.recordedAt) > instant);
    return after < 0 ? events : events.slice(0, after);
  }
  return events;
}

/** Compared in canonical form, so key order and absent-versus-undefined members do not matter. */
export async function matchesReadModel(db: SqlClient, state: DepartmentState): Promise<boolean> {
  const stored = await new DepartmentReadModel(db).get(state.code);
  return stored !== undefined && canonicalJson(stored) === canonicalJson(state);
}
