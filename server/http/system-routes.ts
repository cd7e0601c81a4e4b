import type Router from '@koa/router';
import { publicUrl } from '../config';
import { isReachable } from '../db/database';
import { AppError } from '../errors';
import type { Services } from '../services';
import { buildOpenApi } from './openapi';

/** Liveness, readiness, metrics and the API description. */
export function systemRoutes(router: Router, services: Services): void {
  let openapi: Record<string, unknown> | undefined;
  router.get('/healthz', (ctx) => {
    ctx.body = { ok: true };
  });
  router.get('/readyz', async (ctx) => {
    if (!(await isReachable(services.sql))) throw new AppError('unavailable', 'the database does not answer');
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
