import type Router from '@koa/router';
import type { IncomingMessage } from 'node:http';
import type { Context } from 'koa';
import type { z } from 'zod';
import { restRoutes, type RouteBody, type RouteName, type RouteParams, type RouteQuery, type RouteResponse } from '../../protocol/rest/routes';
import { findNul, nulMessage } from '../../protocol/nul-check';
import type { RouteDef } from '../../protocol/rest/route';
import { authenticateRequest, type AuthUser } from '../auth/authenticate';
import { AppError } from '../errors';
import { enforceRateLimit } from '../ratelimit/rate-limit';
import type { Services } from '../services';
import { ConcurrencyGate } from './concurrency-gate';
import { limitedBody, readBody, readJson } from './read-body';

export interface HandlerInput<N extends RouteName> {
  params: RouteParams<N>;
  query: RouteQuery<N>;
  body: RouteBody<N>;
  /** Present on every route whose auth is `user`. */
  user: RestRouteUser<N>;
  ctx: Context;
}
type RestRouteUser<N extends RouteName> = (typeof restRoutes)[N] extends { auth: 'user' } ? AuthUser : undefined;

export type Handler<N extends RouteName> = (input: HandlerInput<N>) => Promise<RouteResponse<N>>;
export type Handlers = { [N in RouteName]: Handler<N> };

/**
 * Reads a hot route starts beside the check of the caller's session, with the user id its verified
 * access token names (never with anything unverified). The handler still runs only after the
 * session holds, and decides whether the read applies (`ctx.state.early`).
 */
export type EarlyReads = Partial<Record<RouteName, (claimedUserId: string, ctx: Context) => void>>;

/**
 * Registers every route of the protocol's map on the router. For each request: authenticate,
 * rate-limit, validate params/query/body against the route's schemas, run the handler, and
 * pass the result through the response schema (which also strips anything not in the contract).
 */
export function bindRoutes(router: Router, services: Pick<Services, 'sql' | 'config' | 'jwtKey'>, handlers: Handlers, earlyReads: EarlyReads = {}): void {
  for (const name of Object.keys(restRoutes) as RouteName[]) {
    const def: RouteDef = restRoutes[name];
    const handler = handlers[name] as unknown as (input: Record<string, unknown>) => Promise<unknown>;
    const method = def.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    // Archives are read whole and inflated: a few at a time per process, whoever sends them.
    const gate = def.bodyType === 'zip' ? new ConcurrencyGate(services.config.limits.concurrentImports, 'archive imports') : undefined;
    const early = earlyReads[name];
    router[method](name, def.path, async (ctx) => {
      const user = def.auth === 'user' ? await authenticateRequest(ctx, services, early && ((claimed) => early(claimed, ctx))) : undefined;
      if (def.rateLimit) {
        const subject = user ? `user:${user.id}` : `ip:${ctx.ip}`;
        await enforceRateLimit(services.sql, def.rateLimit, subject, services.config.rateLimits[def.rateLimit]);
      }
      const params = def.params ? parse(def.params, ctx.params, 'path') : {};
      const query = def.query ? parse(def.query, ctx.query, 'query') : {};
      const release = gate?.enter();
      let result: unknown;
      try {
        let body: unknown;
        if (def.bodyType === 'zip') {
          if (!ctx.is('application/zip', 'application/octet-stream')) throw new AppError('unsupported_media_type', 'send the archive as application/zip');
          body = await readBody(ctx, services.config.limits.zipBytes);
        } else if (def.bodyType === 'bytes') {
          // Passed on as it arrives (a file to the sandbox): never held whole, the limit still enforced.
          body = limitedBody(ctx, services.config.limits.fileBytes);
        } else {
          // Read even when the route takes no body: whatever is sent must still be JSON.
          const json = await readJson(ctx, services.config.limits.jsonBytes);
          if (def.body) body = parse(def.body, json, 'body');
        }
        result = await handler({ params, query, body, user, ctx });
      } finally {
        release?.();
      }
      ctx.status = def.status ?? 200;
      if (def.responseType === 'bytes') {
        ctx.type = 'application/octet-stream';
        if (result instanceof Uint8Array) ctx.body = Buffer.from(result);
        else {
          const stream = result as IncomingMessage;
          const length = stream.headers?.['content-length'];
          ctx.body = stream;
          if (length) ctx.length = Number(length);
        }
      } else {
        ctx.body = def.response.parse(result);
      }
    });
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const nul = findNul(value, where);
  if (nul) throw new AppError('bad_request', nulMessage(nul));
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const first = result.error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : where}: ${i.message}`);
  throw new AppError('validation_failed', `invalid ${where}: ${first.join('; ')}`);
}
