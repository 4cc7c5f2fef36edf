import type { Request } from 'express';

/** The JSON API and the machine endpoints; everything else is the console. */
const MACHINE_PATHS = /^\/(api|health|metrics|docs)(\/|$)/;

export function isConsoleRequest(request: Pick<Request, 'path'>): boolean {
  return !MACHINE_PATHS.test(request.path);
}
