import type { INestApplication } from '@nestjs/common';

interface RouteLayer {
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
}

/**
 * Method and path of every endpoint the Express app really serves, as `GET /api/x/:id`.
 * A layer mounted for every HTTP method is middleware that Nest applies with forRoutes
 * (request logging, say), not an endpoint anyone can call for its own sake.
 */
export function servedRoutes(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: RouteLayer[] } };
  const routes = express.router.stack.flatMap((layer) => {
    if (!layer.route) return [];
    const methods = Object.entries(layer.route.methods).filter(([, enabled]) => enabled).map(([method]) => method);
    if (methods.length > 20 || methods.includes('_all')) return [];
    return methods.map((method) => `${method.toUpperCase()} ${layer.route!.path}`);
  });
  return [...new Set(routes)].sort();
}
