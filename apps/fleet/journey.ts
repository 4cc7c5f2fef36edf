import { signToken } from '../api/src/auth/tokens.js';
import type { Role } from '../api/src/auth/roles.js';

/** One HTTP call as a client saw it: retried calls with the same key count once each. */
export interface Attempt {
  readonly code: string;
  readonly command: string;
  readonly key: string;
  readonly status: number;
  readonly startedAt: number;
  readonly ms: number;
  readonly errorCode?: string;
  readonly retryAfter?: string;
  readonly eventIds: readonly string[];
  /** With status 0: why no answer came (the connection refused or reset, the client's timeout…). */
  readonly failure?: string;
}

export interface JourneyOptions {
  /** The API processes, used in turn. */
  readonly apiUrls: () => readonly string[];
  readonly jwtSecret: string;
  readonly record: (attempt: Attempt) => void;
  /** Give up a command (and the journey) after this long of 503s and connection errors. */
  readonly patienceMs?: number;
  /** A time limit (the soak's): the journey stops there, between commands or, later, mid-retry. */
  readonly cutoff?: Cutoff;
  /** How requests go out; `fetch` unless a test scripts the API's answers. */
  readonly fetch?: typeof fetch;
}

/**
 * From `sendUntil` a journey sends no command it had not sent before; a command it had,
 * still unanswered (503, no connection), is retried with its key until `answerUntil` and
 * then given up, like one that ran out of patience: it was never acknowledged, so it
 * cannot be lost, but it may or may not have been recorded.
 */
export interface Cutoff {
  readonly sendUntil: number;
  readonly answerUntil: number;
}

/** A command's last answer; `cutShort` when the cutoff stopped the journey at it. */
export interface Outcome {
  readonly command: string;
  readonly status: number;
  readonly errorCode?: string;
  /** not-sent: the journey stopped before it; abandoned: it was given up unanswered. */
  readonly cutShort?: 'not-sent' | 'abandoned';
}

interface Step {
  readonly command: string;
  readonly path: string;
  readonly role: Role;
  readonly body: object;
}

function steps(code: string): Step[] {
  const department = (path: string) => `/api/departments/${code}/${path}`;
  const migration = (workstream: string): Step => ({
    command: `migration-${workstream}`,
    path: department(`migration/${workstream}`),
    role: 'centre',
    body: { recordsExtracted: 1000, recordsLoaded: 1000, evidenceRef: `recon/${workstream}` },
  });
  return [
    { command: 'register', path: '/api/departments', role: 'programme', body: { code, name: `Department ${code}`, centre: 'ISSC1', plannedGoLive: '2027-04-01' } },
    { command: 'assessment', path: department('assessment'), role: 'lead', body: { sro: 'Jane Smith', score: 4, contractManagementFte: 3 } },
    { command: 'advance-LESSONS', path: department('advance'), role: 'lead', body: { from: 'LESSONS' } },
    { command: 'baseline', path: department('baseline'), role: 'lead', body: { annualCostGbp: 1_250_000.5, implementationCostGbp: 200_000, headcountServed: 400 } },
    { command: 'advance-READINESS', path: department('advance'), role: 'lead', body: { from: 'READINESS' } },
    ...['hr', 'finance', 'payroll', 'procurement'].map(migration),
    { command: 'advance-MIGRATION', path: department('advance'), role: 'lead', body: { from: 'MIGRATION' } },
    { command: 'go-sro', path: department('go-live/decisions'), role: 'lead', body: { as: 'department-sro', decision: 'go', reason: 'parallel run clean' } },
    { command: 'go-centre', path: department('go-live/decisions'), role: 'centre', body: { as: 'centre', decision: 'go', reason: 'capacity ready' } },
    { command: 'go-programme', path: department('go-live/decisions'), role: 'programme', body: { as: 'programme', decision: 'go', reason: 'on plan' } },
    { command: 'advance-GO_LIVE', path: department('advance'), role: 'lead', body: { from: 'GO_LIVE' } },
    { command: 'savings', path: department('savings'), role: 'lead', body: { period: '2027-Q3', amountGbp: 125_000.25, attribution: 'programme', evidenceRef: 'ledger/2027-Q3' } },
  ];
}

export const JOURNEY_LENGTH = steps('X').length;

/**
 * A department driven from registration to LIVE (and its first savings) as its people
 * would, each command with its own Idempotency-Key, repeated with that key after a 503 or
 * a dropped connection until it is answered. Returns the final status of each command.
 */
export async function driveDepartment(code: string, options: JourneyOptions): Promise<Outcome[]> {
  const { cutoff } = options;
  const send = options.fetch ?? fetch;
  const tokens = new Map<Role, string>();
  const tokenFor = (role: Role) => {
    if (!tokens.has(role)) tokens.set(role, signToken({ sub: `${role}-of-${code}`, roles: [role], departments: [code] }, { secret: options.jwtSecret }));
    return tokens.get(role)!;
  };
  const outcomes: Outcome[] = [];
  let turn = code.length;
  for (const step of steps(code)) {
    if (cutoff && Date.now() >= cutoff.sendUntil) {
      outcomes.push({ command: step.command, status: 0, cutShort: 'not-sent' });
      return outcomes;
    }
    const key = `${code}-${step.command}`;
    const giveUpAt = Date.now() + (options.patienceMs ?? 120_000);
    for (;;) {
      const urls = options.apiUrls();
      const url = urls[turn++ % urls.length];
      const startedAt = Date.now();
      let status = 0;
      let body: { code?: string; events?: { eventId: string }[] } = {};
      let retryAfter: string | undefined;
      let failure: string | undefined;
      try {
        const response = await send(`${url}${step.path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokenFor(step.role)}`, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify(step.body),
          signal: AbortSignal.timeout(cutoff ? Math.max(1000, Math.min(60_000, cutoff.answerUntil - startedAt)) : 60_000),
        });
        status = response.status;
        retryAfter = response.headers.get('retry-after') ?? undefined;
        body = (await response.json().catch(() => ({}))) as typeof body;
      } catch (error) {
        status = 0; // connection refused or reset: the API process is gone
        failure = describeFailure(error);
      }
      const ms = Date.now() - startedAt;
      const eventIds = status >= 200 && status < 300 ? (body.events ?? []).map((event) => event.eventId) : [];
      options.record({ code, command: step.command, key, status, startedAt, ms, errorCode: body.code, retryAfter, eventIds, ...(failure ? { failure } : {}) });
      const retryable = status === 0 || status === 503;
      const retryDelay = status === 0 ? 200 : 500;
      // No retry starts after answerUntil.
      const abandoned = retryable && cutoff !== undefined && Date.now() + retryDelay >= cutoff.answerUntil;
      if (!retryable || Date.now() > giveUpAt || abandoned) {
        outcomes.push({ command: step.command, status, ...(body.code ? { errorCode: body.code } : {}), ...(abandoned ? { cutShort: 'abandoned' as const } : {}) });
        if (status < 200 || status >= 300) return outcomes;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, retryDelay));
    }
  }
  return outcomes;
}

/** fetch's own message is "fetch failed"; what failed is in its cause (ECONNREFUSED, UND_ERR_SOCKET…). */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = cause && 'code' in cause ? ` ${String(cause.code)}` : '';
  return cause ? `${error.message}: ${cause.message}${code}` : `${error.name}: ${error.message}`;
}
