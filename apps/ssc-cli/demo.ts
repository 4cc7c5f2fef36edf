import { signToken } from '../api/src/auth/tokens.js';
import {
  DEMO_CENTRES,
  DEMO_DEPARTMENTS,
  LIBRARY_STEPS,
  departmentSteps,
  mandatoryLessonFor,
  type DemoResult,
  type DemoRole,
  type DemoStep,
} from './demo-programme.js';

export interface DemoOptions {
  /** The API's base address, e.g. http://localhost:3000. */
  readonly url: string;
  /** Signs the demo's tokens: the API's AUTH_JWT_SECRET (embedded mode: DATA_DIR/jwt-secret). */
  readonly secret: string;
  readonly issuer?: string;
  readonly audience?: string;
  /** Departments built at once; each department's own steps stay in order. */
  readonly concurrency?: number;
  readonly onStart?: (totalSteps: number) => void;
  readonly onStep?: (step: DemoStep, result: DemoResult) => void;
}

export interface DemoFailure {
  readonly key: string;
  readonly path: string;
  readonly status: number;
  readonly code: string | undefined;
  readonly message: string | undefined;
}

export interface DemoSummary {
  readonly url: string;
  readonly departments: number;
  readonly centres: readonly string[];
  readonly steps: number;
  readonly succeeded: number;
  readonly failures: readonly DemoFailure[];
}

const DEMO_CODES = DEMO_DEPARTMENTS.map((department) => department.code);

/** The demo's people: stable names, so a second run's Idempotency-Keys find the first run's answers. */
function demoTokens(options: DemoOptions): Record<DemoRole, string> {
  const sign = (sub: string, role: DemoRole, departments: readonly string[]) =>
    signToken({ sub, roles: [role], departments: [...departments] }, { secret: options.secret, issuer: options.issuer, audience: options.audience, expiresInSeconds: 3600 });
  return {
    programme: sign('demo-programme-office', 'programme', []),
    lead: sign('demo-onboarding-lead', 'lead', DEMO_CODES),
    centre: sign('demo-centre-manager', 'centre', [...DEMO_CODES, ...DEMO_CENTRES]),
  };
}

/**
 * Registers the demo programme through the public API, as its people would. Every call
 * carries an Idempotency-Key, so running it again answers from the first run and appends
 * nothing; a step that failed the first time is tried again.
 */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const url = options.url.replace(/\/$/, '');
  const tokens = demoTokens(options);
  const results = new Map<string, DemoResult>();
  const failures: DemoFailure[] = [];
  const plans = DEMO_DEPARTMENTS.map((department) => departmentSteps(department, mandatoryLessonFor));
  const total = LIBRARY_STEPS.length + plans.reduce((sum, steps) => sum + steps.length, 0);
  options.onStart?.(total);
  let succeeded = 0;

  const send = async (step: DemoStep): Promise<boolean> => {
    const path = typeof step.path === 'string' ? step.path : step.path(results);
    const response = await post(`${url}${path}`, tokens[step.role], step);
    const body = (await response.json().catch(() => ({}))) as DemoResult['body'];
    const result = { status: response.status, body };
    results.set(step.key, result);
    options.onStep?.(step, result);
    if (response.ok) {
      succeeded += 1;
      return true;
    }
    failures.push({ key: step.key, path, status: response.status, code: body.code as string | undefined, message: body.message as string | undefined });
    return false;
  };

  for (const step of LIBRARY_STEPS) await send(step);
  const queue = [...plans];
  const worker = async (): Promise<void> => {
    for (let steps = queue.shift(); steps; steps = queue.shift()) {
      // A department's later steps depend on its earlier ones: stop it at its first failure.
      for (const step of steps) if (!(await send(step))) break;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return { url, departments: DEMO_DEPARTMENTS.length, centres: DEMO_CENTRES, steps: total, succeeded, failures };
}

/** A rate-limited answer (429) waits as long as the API asks and tries again. */
async function post(address: string, token: string, step: DemoStep): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    const response = await fetch(address, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': step.key },
      body: JSON.stringify(step.body),
    });
    if (response.status !== 429 || attempt >= 20) return response;
    const wait = Number(response.headers.get('retry-after') ?? '1');
    await new Promise((resolve) => setTimeout(resolve, Math.min(Number.isFinite(wait) ? wait : 1, 60) * 1000));
  }
}

/** Is an API answering at this address? */
export async function apiIsUp(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url.replace(/\/$/, '')}/health`, { signal: AbortSignal.timeout(3000) });
    return response.ok;
  } catch {
    return false;
  }
}
