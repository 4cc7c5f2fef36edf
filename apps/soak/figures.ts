import { percentiles } from '../../bench/stats.js';
import type { Attempt } from '../fleet/journey.js';
import { isSuccess } from './load.js';

/** A window's latency: from a command's first attempt to its last answer, retries included. */
export interface LatencyWindow {
  readonly commands: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface CommandFigures {
  /** Distinct commands (Idempotency-Keys) sent. */
  readonly attempted: number;
  /** Commands answered 2xx, at the first attempt or a retry. */
  readonly acknowledged: number;
  /** Commands whose last answer was a 4xx: the API decided against them. */
  readonly refused: number;
  /** Commands still unanswered (503 or no connection) when their client ran out of patience. */
  readonly unanswered: number;
  readonly http503: number;
  /** 503 answers without a Retry-After header: must be 0. */
  readonly http503WithoutRetryAfter: number;
  /** Attempts that got no HTTP answer at all (connection refused or reset). */
  readonly connectionErrors: number;
  /** 5xx answers other than 503: must be 0. */
  readonly otherServerErrors: number;
  /** Answers other than 2xx, by status and stable code: `503 temporal-unavailable`. */
  readonly answers: Readonly<Record<string, number>>;
  readonly latency: {
    readonly overall: LatencyWindow | null;
    readonly before: LatencyWindow | null;
    readonly during: LatencyWindow | null;
    readonly after: LatencyWindow | null;
  };
}

interface Command {
  readonly code: string;
  readonly key: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly finalStatus: number;
}

function commandsOf(attempts: readonly Attempt[]): Command[] {
  const byKey = new Map<string, Attempt[]>();
  for (const attempt of attempts) byKey.set(attempt.key, [...(byKey.get(attempt.key) ?? []), attempt]);
  return [...byKey.values()].map((tries) => {
    const last = tries.reduce((a, b) => (a.startedAt + a.ms >= b.startedAt + b.ms ? a : b));
    const acknowledged = tries.find((attempt) => isSuccess(attempt.status));
    return {
      code: tries[0].code,
      key: tries[0].key,
      startedAt: Math.min(...tries.map((attempt) => attempt.startedAt)),
      endedAt: last.startedAt + last.ms,
      finalStatus: acknowledged?.status ?? last.status,
    };
  });
}

/** The fault's window: from the fault until the drill recovered. */
export interface FaultWindow {
  readonly faultAt: number;
  readonly recoveredAt: number;
}

export function commandFigures(attempts: readonly Attempt[], window?: FaultWindow): CommandFigures {
  const commands = commandsOf(attempts);
  const answers: Record<string, number> = {};
  for (const attempt of attempts) {
    if (isSuccess(attempt.status)) continue;
    const label = attempt.status === 0 ? 'no connection' : `${attempt.status} ${attempt.errorCode ?? ''}`.trim();
    answers[label] = (answers[label] ?? 0) + 1;
  }
  const latency = (selected: Command[]): LatencyWindow | null => {
    const answered = selected.filter((command) => command.finalStatus !== 0 && command.finalStatus !== 503);
    if (answered.length === 0) return null;
    const { p50, p99 } = percentiles(answered.map((command) => command.endedAt - command.startedAt));
    return { commands: answered.length, p50Ms: Math.round(p50), p99Ms: Math.round(p99) };
  };
  const unavailable = attempts.filter((attempt) => attempt.status === 503);
  return {
    attempted: commands.length,
    acknowledged: commands.filter((command) => isSuccess(command.finalStatus)).length,
    refused: commands.filter((command) => command.finalStatus >= 400 && command.finalStatus < 500).length,
    unanswered: commands.filter((command) => command.finalStatus === 0 || command.finalStatus === 503).length,
    http503: unavailable.length,
    http503WithoutRetryAfter: unavailable.filter((attempt) => !attempt.retryAfter).length,
    connectionErrors: attempts.filter((attempt) => attempt.status === 0).length,
    otherServerErrors: attempts.filter((attempt) => attempt.status >= 500 && attempt.status !== 503).length,
    answers,
    latency: {
      overall: latency(commands),
      before: window ? latency(commands.filter((command) => command.startedAt < window.faultAt)) : null,
      during: window ? latency(commands.filter((command) => command.startedAt >= window.faultAt && command.startedAt < window.recoveredAt)) : null,
      after: window ? latency(commands.filter((command) => command.startedAt >= window.recoveredAt)) : null,
    },
  };
}

/**
 * When the fleet had recovered from a fault at `faultAt`: every department whose journey
 * was under way then has had a command sent after the fault acknowledged (its workflow
 * moves again; an answer already on its way at the fault does not count). Undefined when
 * one of them never had.
 */
export function recoveredAt(attempts: readonly Attempt[], faultAt: number): number | undefined {
  const finishedBefore = new Set(
    attempts.filter((attempt) => attempt.command === 'savings' && isSuccess(attempt.status) && attempt.startedAt + attempt.ms <= faultAt).map((attempt) => attempt.code),
  );
  const underWay = new Set(attempts.filter((attempt) => attempt.startedAt <= faultAt && !finishedBefore.has(attempt.code)).map((attempt) => attempt.code));
  let latest = faultAt;
  for (const code of underWay) {
    const next = attempts
      .filter((attempt) => attempt.code === code && isSuccess(attempt.status) && attempt.startedAt > faultAt)
      .map((attempt) => attempt.startedAt + attempt.ms);
    if (next.length === 0) return undefined;
    latest = Math.max(latest, Math.min(...next));
  }
  return latest;
}
