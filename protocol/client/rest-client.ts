import type { z } from 'zod';
import { ErrorBody, describeIssues } from '../errors';
import { restRoutes, type RestRoutes, type RouteName, type RouteResponse } from '../rest/routes';
import type { RouteDef } from '../rest/route';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../version';
import { ClientError } from './client-error';

/** The part of `fetch` the client uses, so any implementation (or a test double) fits. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string | Uint8Array<ArrayBuffer>; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string>; arrayBuffer(): Promise<ArrayBuffer> }>;

type Input<S> = S extends z.ZodType ? z.input<S> : never;
type Part<R, K extends string> = R extends Record<K, z.ZodType> ? { [P in K]: Input<R[K]> } : { [P in K]?: undefined };
/** What a call needs: `params`, `query` and `body` exactly where the route has them (input types: defaults optional). */
export type RouteInput<N extends RouteName> = Part<RestRoutes[N], 'params'> &
  Part<RestRoutes[N], 'query'> &
  (RestRoutes[N] extends { bodyType: 'zip' | 'bytes' } ? { body: Uint8Array } : Part<RestRoutes[N], 'body'>);

/** What a call returns: the validated answer, or the raw bytes of a `bytes` route. */
export type RouteResult<N extends RouteName> = RestRoutes[N] extends { responseType: 'bytes' } ? Uint8Array : RouteResponse<N>;

export interface RestClientOptions {
  /** e.g. `http://127.0.0.1:7777` (a trailing slash is fine). */
  baseUrl: string;
  fetch: FetchLike;
  /** Bearer token sent with routes whose auth is `user`. */
  token?: () => string | undefined;
  /** Per-request time limit; ZIP uploads and file bytes get ten times as long. */
  timeoutMs?: number;
}

export interface CallOptions {
  /** Overrides the client's token for this call (e.g. a token being tried out). */
  token?: string;
  signal?: AbortSignal;
}

export type RestClient = <N extends RouteName>(name: N, input: RouteInput<N>, options?: CallOptions) => Promise<RouteResult<N>>;

/**
 * A typed client for every route of the protocol's REST map. Inputs are checked against the route's
 * schemas before sending, and every response is validated (and stripped) by the response schema, so
 * callers only ever see data that matches the contract. Raw routes (a ZIP upload, a workspace file's
 * bytes) send and receive bytes as they are: neither base64'd nor parsed as JSON.
 */
export function createRestClient(options: RestClientOptions): RestClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  return async (name, input, callOptions = {}) => {
    const def: RouteDef = restRoutes[name];
    const { params, query, body } = input as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
    check(name, 'params', def.params, params);
    check(name, 'query', def.query, query);
    const raw = def.bodyType === 'zip' || def.bodyType === 'bytes';
    if (!raw) check(name, 'body', def.body, body);

    const url = base + fillPath(def.path, params) + queryString(query);
    const headers: Record<string, string> = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), accept: 'application/json' };
    const token = callOptions.token ?? (def.auth === 'user' ? options.token?.() : undefined);
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | Uint8Array<ArrayBuffer> | undefined;
    if (raw) {
      headers['content-type'] = def.bodyType === 'zip' ? 'application/zip' : 'application/octet-stream';
      payload = body as Uint8Array<ArrayBuffer>;
    } else if (def.body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body ?? {});
    }
    const bytesOut = def.responseType === 'bytes';
    const timeout = AbortSignal.timeout(raw || bytesOut ? timeoutMs * 10 : timeoutMs);
    const signal = callOptions.signal ? AbortSignal.any([callOptions.signal, timeout]) : timeout;

    let status: number;
    let text: string;
    try {
      const res = await options.fetch(url, { method: def.method, headers, body: payload, signal });
      status = res.status;
      if (bytesOut && status >= 200 && status <= 299) return new Uint8Array(await res.arrayBuffer()) as RouteResult<typeof name>;
      text = await res.text();
    } catch (caught) {
      throw new ClientError('network', `cannot reach the Slipway server at ${base}: ${reason(caught)}`);
    }
    return readResponse(name, def, status, text) as RouteResult<typeof name>;
  };
}

function check(name: string, where: string, schema: z.ZodType | undefined, value: unknown): void {
  if (!schema) return;
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new ClientError('request', `invalid ${where} for ${name}: ${describeIssues(parsed.error)}`, 'validation_failed');
}

function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z]+)/g, (_, key: string) => encodeURIComponent(String(params?.[key] ?? '')));
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

function readResponse(name: string, def: RouteDef, status: number, text: string): unknown {
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ClientError('invalid', `the server answered ${name} with HTTP ${status} and no JSON; is this a Slipway server?`, undefined, status);
  }
  if (status < 200 || status > 299) {
    const error = ErrorBody.safeParse(json);
    if (error.success) throw ClientError.fromServer(error.data.error, status);
    throw new ClientError('invalid', `the server answered ${name} with HTTP ${status} and no Slipway error; is this a Slipway server?`, undefined, status);
  }
  const parsed = def.response.safeParse(json);
  if (!parsed.success) throw new ClientError('invalid', `the server's answer to ${name} does not match the protocol: ${describeIssues(parsed.error)}`, undefined, status);
  return parsed.data;
}

function reason(caught: unknown): string {
  if (caught instanceof Error) {
    if (caught.name === 'TimeoutError') return 'it did not answer in time';
    const cause = (caught as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? caught.message;
  }
  return String(caught);
}
