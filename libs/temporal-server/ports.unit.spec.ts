import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { findFreePort, isAddressInUse, isPortFree } from './index.js';

function ephemeralRangeStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 32_768;
  }
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve(server));
  });
}

describe('findFreePort', () => {
  it('chooses a port below the range the kernel hands to outgoing connections, and one that can be bound', async () => {
    const ceiling = ephemeralRangeStart();
    const ports = await Promise.all(Array.from({ length: 20 }, () => findFreePort('127.0.0.1')));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(ceiling);
    }
    const server = await listen(ports[0]);
    expect(await isPortFree('127.0.0.1', ports[0])).toBe(false);
    await new Promise((resolve) => server.close(resolve));
    expect(await isPortFree('127.0.0.1', ports[0])).toBe(true);
  });
});

describe('isAddressInUse', () => {
  it("recognises a lost port race in Node's error and in a Go server's output, and nothing else", async () => {
    const taken = await listen(0);
    const port = (taken.address() as { port: number }).port;
    const lost = await listen(port).catch((error: unknown) => error);
    await new Promise((resolve) => taken.close(resolve));
    expect(isAddressInUse(lost)).toBe(true);
    expect(isAddressInUse(new Error('stopped before it was ready (exit code 1). Its output:\n{"message":"listen tcp 127.0.0.1:37123: bind: address already in use"}'))).toBe(true);
    expect(isAddressInUse(new Error('stopped before it was ready (exit code 1). Its output:\nunknown flag --db'))).toBe(false);
  });
});
