import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the receiver answers: 200, 503 as when the paging service is down, or not yet (held). */
export type ReceiverMode = 'ok' | 'fail' | 'hold';

/**
 * A local stand-in for the chat, paging or ticketing system escalations are posted to.
 * It keeps every body it received; its answer is switched by the test.
 */
export interface WebhookReceiver {
  readonly url: string;
  readonly received: readonly Record<string, unknown>[];
  /** Requests that arrived while failing, too. */
  readonly attempts: number;
  /** Requests being held open right now (mode `hold`). */
  readonly held: number;
  setMode(mode: ReceiverMode): void;
  /** Answers every held request with 200. */
  releaseHeld(): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(mode: ReceiverMode = 'ok'): Promise<WebhookReceiver> {
  let current = mode;
  let attempts = 0;
  const received: Record<string, unknown>[] = [];
  const heldResponses = new Set<ServerResponse>();
  const answer = (response: ServerResponse, status: number) => {
    if (response.writableEnded || response.destroyed) return;
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: status < 300 }));
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      attempts += 1;
      if (current === 'fail') return answer(response, 503);
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      if (current === 'hold') {
        heldResponses.add(response);
        response.on('close', () => heldResponses.delete(response));
        return;
      }
      answer(response, 200);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const releaseHeld = () => {
    for (const response of heldResponses) answer(response, 200);
    heldResponses.clear();
  };
  return {
    url: `http://127.0.0.1:${port}/escalations`,
    received,
    get attempts() {
      return attempts;
    },
    get held() {
      return heldResponses.size;
    },
    setMode(mode) {
      current = mode;
    },
    releaseHeld,
    async close() {
      releaseHeld();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
