import { signToken } from '../api/src/auth/tokens.js';

export interface ReadFigures {
  readonly attempted: number;
  readonly ok: number;
  readonly http503: number;
  readonly http503WithoutRetryAfter: number;
  readonly connectionErrors: number;
  /** 5xx answers other than 503: must be 0, whatever is down. */
  readonly otherServerErrors: number;
  /** Non-2xx answers by path pattern, status and stable code. */
  readonly answers: Readonly<Record<string, number>>;
}

/**
 * What people reading the programme meet during a drill: a department's page, the stuck
 * list and /health, asked of both APIs in turn every `intervalMs` while the load runs.
 * Reads must answer 503 with Retry-After while a dependency is down, never another 5xx.
 */
export class ReadProbe {
  private readonly figures = { attempted: 0, ok: 0, http503: 0, http503WithoutRetryAfter: 0, connectionErrors: 0, otherServerErrors: 0 };
  private readonly answers: Record<string, number> = {};
  private readonly timer: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<void>>();
  private turn = 0;

  constructor(
    private readonly apiUrls: () => readonly string[],
    private readonly codes: readonly string[],
    jwtSecret: string,
    intervalMs = 500,
  ) {
    const token = signToken({ sub: 'soak-reader', roles: ['programme', 'operations'] }, { secret: jwtSecret });
    this.timer = setInterval(() => {
      const probe = this.probe(token).finally(() => this.inFlight.delete(probe));
      this.inFlight.add(probe);
    }, intervalMs);
  }

  async stop(): Promise<ReadFigures> {
    clearInterval(this.timer);
    await Promise.all(this.inFlight);
    return { ...this.figures, answers: { ...this.answers } };
  }

  private async probe(token: string): Promise<void> {
    const urls = this.apiUrls();
    const turn = this.turn++;
    const code = this.codes[turn % this.codes.length];
    const paths = [`/api/departments/${code}`, '/api/operations/stuck?limit=20', '/health'];
    const path = paths[turn % paths.length];
    const label = path.replace(code, ':code').replace(/\?.*$/, '');
    this.figures.attempted += 1;
    try {
      const response = await fetch(`${urls[turn % urls.length]}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(60_000) });
      const body = (await response.json().catch(() => ({}))) as { code?: string; status?: string };
      // A department the load has not registered yet is a 404, as it should be.
      if (response.ok || response.status === 404) {
        this.figures.ok += 1;
        return;
      }
      const key = `${label} ${response.status} ${body.code ?? body.status ?? ''}`.trim();
      this.answers[key] = (this.answers[key] ?? 0) + 1;
      if (response.status === 503) {
        this.figures.http503 += 1;
        if (!response.headers.get('retry-after') && label !== '/health') this.figures.http503WithoutRetryAfter += 1;
      } else if (response.status >= 500) this.figures.otherServerErrors += 1;
    } catch {
      this.figures.connectionErrors += 1;
    }
  }
}
