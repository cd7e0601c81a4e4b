import { z } from 'zod';
import { ErrorBody } from '../../protocol/errors';
import { PROTOCOL_VERSION } from '../../protocol/version';
import { restRoutes } from '../../protocol/rest/routes';
import type { RouteDef } from '../../protocol/rest/route';

type Json = Record<string, unknown>;
const schema = (s: z.ZodType, io: 'input' | 'output'): Json => z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;

/** The OpenAPI 3.1 document, generated from the same route map the server validates with. */
export function buildOpenApi(serverUrl: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const [name, route] of Object.entries(restRoutes) as [string, RouteDef][]) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const parameters: Json[] = [];
    for (const [where, obj] of [['path', route.params], ['query', route.query]] as const) {
      if (!obj) continue;
      const shape = schema(obj, 'input') as { properties?: Record<string, Json>; required?: string[] };
      for (const [key, prop] of Object.entries(shape.properties ?? {})) {
        parameters.push({ name: key, in: where, required: where === 'path' || (shape.required ?? []).includes(key), schema: prop });
      }
    }
    const operation: Json = {
      operationId: name,
      summary: route.summary,
      parameters,
      responses: {
        [String(route.status ?? 200)]: {
          description: 'success',
          content: route.responseType === 'bytes'
            ? { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } }
            : { 'application/json': { schema: schema(route.response, 'output') } },
        },
        default: { description: 'error', content: { 'application/json': { schema: schema(ErrorBody, 'output') } } },
      },
    };
    if (route.auth === 'user') operation.security = [{ bearer: [] }];
    if (route.bodyType === 'zip' || route.bodyType === 'bytes') {
      const type = route.bodyType === 'zip' ? 'application/zip' : 'application/octet-stream';
      operation.requestBody = { required: true, content: { [type]: { schema: { type: 'string', format: 'binary' } } } };
    } else if (route.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: schema(route.body, 'input') } } };
    }
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Slipway API', version: String(PROTOCOL_VERSION) },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'access token (JWT) or API token (slp_pat_…)' } } },
    paths,
  };
}
