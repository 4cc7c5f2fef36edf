import type { BenchEnvironment } from './environment.js';

export interface ApiResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** One JSON request to the listening API, over a kept-alive connection (Node's fetch). */
export async function callApi(env: BenchEnvironment, method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<ApiResponse> {
  const response = await fetch(`${env.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The bench times only the operation it means to: anything else stops it. */
export function expectResponse(response: ApiResponse, status: number, what: string, code?: string): void {
  if (response.status !== status || (code !== undefined && response.body.code !== code)) {
    throw new Error(`${what}: expected ${status}${code ? ` ${code}` : ''}, got ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`);
  }
}
