import type Router from '@koa/router';
import { publicUrl } from '../config';
import { isReachable } from '../db/database';
import { AppError } from '../errors';
import { databaseUnavailable } from './error-middleware';
import type { Services } from '../services';
import { buildOpenApi } from './openapi';

/** Liveness, readiness, metrics and the API description. */
export function systemRoutes(router: Router, services: Pick<Services, 'sql' | 'metrics' | 'config' | 'databaseStatus'>): void {
  let openapi: Record<string, unknown> | undefined;
  // Liveness: false only when this process cannot recover by itself (its embedded PostgreSQL could
  // not be restarted); a database that is down or restarting makes it unready, not dead.
  router.get('/healthz', (ctx) => {
    const database = services.databaseStatus?.() ?? 'external';
    if (database === 'failed') throw new AppError('unavailable', 'the embedded PostgreSQL could not be restarted; restart the server');
    ctx.body = { ok: true };
  });
  router.get('/readyz', async (ctx) => {
    if (!(await isReachable(services.sql, 1000))) throw databaseUnavailable();
    ctx.body = { ok: true };
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = services.metrics.registry.contentType;
    ctx.body = await services.metrics.registry.metrics();
  });
  router.get('/api/openapi.json', (ctx) => {
    ctx.body = openapi ??= buildOpenApi(publicUrl(services.config));
  });
}
