import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

/** Where chosen ports start: above the well-known services a machine may run (PostgreSQL, Redis, RabbitMQ…). */
const LOWEST_CHOSEN_PORT = 20_000;
/** Where the kernel's ephemeral range starts when it cannot be read (Linux's default; macOS and Windows start higher). */
const DEFAULT_EPHEMERAL_LOW = 32_768;
const RANDOM_TRIES = 20;

/**
 * A port that is free right now on `ip`, for a server started a moment later.
 *
 * Chosen below the kernel's ephemeral range: a port that bind(0) hands out is one the kernel
 * hands out again, to the next outgoing connection or bind(0), as soon as it is released, and
 * on a busy machine (a test suite, its databases, its Temporal servers) something takes it
 * before the server binds it ("address already in use"). Nothing takes a port below that range
 * unless asked for it by number. Falls back to bind(0) when no port there is free.
 */
export async function findFreePort(ip: string): Promise<number> {
  const ceiling = await ephemeralRangeStart();
  for (let attempt = 0; attempt < RANDOM_TRIES && ceiling > LOWEST_CHOSEN_PORT; attempt += 1) {
    const port = LOWEST_CHOSEN_PORT + Math.floor(Math.random() * (ceiling - LOWEST_CHOSEN_PORT));
    if (await isPortFree(ip, port)) return port;
  }
  return await portFromKernel(ip);
}

/** True when nothing listens on `ip:port`, i.e. we could bind it ourselves. */
export async function isPortFree(ip: string, port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host: ip, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** True when `error` (or the output a server printed before it exited) says it lost a race for its port. */
export function isAddressInUse(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /address already in use|EADDRINUSE/i.test(text);
}

async function ephemeralRangeStart(): Promise<number> {
  try {
    const range = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    const low = Number(range.trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : DEFAULT_EPHEMERAL_LOW;
  } catch {
    return DEFAULT_EPHEMERAL_LOW;
  }
}

async function portFromKernel(ip: string): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: ip, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => (port ? resolve(port) : reject(new Error(`no free port on ${ip}`))));
    });
  });
}
