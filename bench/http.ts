import { Agent, request } from 'node:http';
import type { BenchEnvironment } from './environment.js';

export interface ApiResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * Kept-alive connections for every call the bench makes. The client runs in the same
 * process as the API, so its CPU is counted in every API figure: node:http costs a fraction
 * of what Node's fetch does (WHATWG streams and Headers per request, ~2.2 ms of CPU each on
 * the bench machine), and adds no dependency (undici itself is not installed).
 */
const agent = new Agent({ keepAlive: true });

/** One JSON request to the listening API, over a kept-alive connection. */
export async function callApi(env: BenchEnvironment, method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<ApiResponse> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string | number> = { authorization: `Bearer ${token}` };
  if (payload !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  const { status, text } = await send(env, method, path, headers, payload);
  return { status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/**
 * A console page with a session cookie, through the same client as callApi: a figure that
 * compares a page with a JSON read must not time the two through different clients.
 */
export function getPage(env: BenchEnvironment, path: string, cookie: string): Promise<{ readonly status: number; readonly text: string }> {
  return send(env, 'GET', path, { cookie });
}

/** A kept-alive connection the server closed while it sat idle: the request never reached it. */
class StaleConnection extends Error {}

/**
 * One request; sent again on a fresh connection when the kept-alive one it went out on turns
 * out to have been closed by the server meanwhile (its idle timeout, 5 s in Node, passes
 * between two figures): Node's documented answer to that race, safe for a POST too, since
 * the server had closed the connection before the request could reach it.
 */
async function send(
  env: BenchEnvironment,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string | number>,
  payload?: string,
): Promise<{ readonly status: number; readonly text: string }> {
  const once = () =>
    new Promise<{ readonly status: number; readonly text: string }>((resolve, reject) => {
      const outgoing = request(`${env.apiUrl}${path}`, { method, headers, agent }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      });
      outgoing.on('error', (error: NodeJS.ErrnoException) =>
        reject(outgoing.reusedSocket && error.code === 'ECONNRESET' ? new StaleConnection(error.message) : error),
      );
      outgoing.end(payload);
    });
  try {
    return await once();
  } catch (error) {
    if (!(error instanceof StaleConnection)) throw error;
    return once();
  }
}

/** The bench times only the operation it means to: anything else stops it. */
export function expectResponse(response: ApiResponse, status: number, what: string, code?: string): void {
  if (response.status !== status || (code !== undefined && response.body.code !== code)) {
    throw new Error(`${what}: expected ${status}${code ? ` ${code}` : ''}, got ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`);
  }
}
