import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The API's Prometheus metrics, in a registry of its own so that several apps in one
 * process (tests, the bench) never share or collide on a metric.
 */
export class ApiMetrics {
  readonly registry = new Registry();

  readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly commands = new Counter({
    name: 'onboarding_commands_total',
    help: 'Commands (POST requests) by route and outcome: accepted (2xx), refused (4xx, with its code) or failed (5xx)',
    labelNames: ['route', 'outcome', 'code'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observe(request: { method: string; route: string; status: number; seconds: number; code?: string }): void {
    const status = String(request.status);
    this.requestDuration.observe({ method: request.method, route: request.route, status }, request.seconds);
    if (request.method !== 'POST' || !request.route.startsWith('/api/')) return;
    const outcome = request.status < 400 ? 'accepted' : request.status < 500 ? 'refused' : 'failed';
    this.commands.inc({ route: request.route, outcome, code: request.status < 400 ? 'ok' : (request.code ?? `http-${status}`) });
  }
}
