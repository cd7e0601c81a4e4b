import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One REST route: everything a server needs to validate it and a client needs to call it. */
export interface RouteDef {
  method: HttpMethod;
  /** Koa-style path, `:name` for parameters. */
  path: string;
  summary: string;
  /** `none`: public. `user`: a bearer access token or API token. */
  auth: 'none' | 'user';
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** `json` (default), a raw `application/zip` upload, or raw bytes (`application/octet-stream`). */
  bodyType?: 'json' | 'zip' | 'bytes';
  /** `json` (default) or raw bytes; for bytes, `response` only documents the type. */
  responseType?: 'json' | 'bytes';
  body?: z.ZodType;
  response: z.ZodType;
  /** Success status; 200 when absent. */
  status?: 200 | 201 | 202;
  /** Name of the rate-limit bucket that guards this route, if any. */
  rateLimit?: 'auth' | 'create' | 'import' | 'invite';
}

export const route = <const T extends RouteDef>(def: T): T => def;
