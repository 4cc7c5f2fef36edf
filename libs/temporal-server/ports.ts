import { createServer } from 'node:net';

/** Asks the OS for a port that is free right now on `ip`. */
export async function findFreePort(ip: string): Promise<number> {
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

/** True when nothing listens on `ip:port`, i.e. we could bind it ourselves. */
export async function isPortFree(ip: string, port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host: ip, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
