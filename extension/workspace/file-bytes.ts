import { ClientError } from '../../protocol/client/client-error';
import { Entry } from '../../protocol/daemon/fs';
import { ErrorBody } from '../../protocol/errors';
import { restRoutes } from '../../protocol/rest/routes';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../protocol/version';

type Fetch = typeof globalThis.fetch;

/**
 * A workspace file's bytes over HTTP (`files.read` / `files.write`): raw bodies both ways, so a
 * large file is neither base64'd nor parsed as JSON. Errors are the server's, as ClientErrors.
 */
export class FileBytes {
  private readonly base: string;

  constructor(baseUrl: string, private readonly token: () => string | undefined, private readonly fetchImpl: Fetch = globalThis.fetch) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  async read(projectId: string, path: string, range?: { offset: number; length: number }): Promise<Uint8Array> {
    const query: Record<string, string> = { path };
    if (range) Object.assign(query, { offset: String(range.offset), length: String(range.length) });
    const res = await this.send('files.read', projectId, query, { method: 'GET' });
    return new Uint8Array(await res.arrayBuffer());
  }

  async write(projectId: string, path: string, data: Uint8Array, createParents = false): Promise<Entry> {
    const res = await this.send('files.write', projectId, { path, createParents: String(createParents) }, {
      method: 'PUT',
      body: data as Uint8Array<ArrayBuffer>,
      headers: { 'content-type': 'application/octet-stream' },
    });
    const parsed = Entry.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new ClientError('invalid', 'the server\'s answer to files.write is not a file entry', undefined, res.status);
    return parsed.data;
  }

  private async send(route: 'files.read' | 'files.write', projectId: string, query: Record<string, string>, init: RequestInit): Promise<Response> {
    const url = `${this.base}${restRoutes[route].path.replace(':projectId', encodeURIComponent(projectId))}?${new URLSearchParams(query)}`;
    const headers: Record<string, string> = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), ...(init.headers as Record<string, string>) };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await this.fetchImpl(url, { ...init, headers, signal: AbortSignal.timeout(5 * 60_000) });
    } catch (caught) {
      const cause = (caught as { cause?: { code?: string } }).cause?.code;
      throw new ClientError('network', `cannot reach the Slipway server at ${this.base}: ${cause ?? (caught as Error).message}`);
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let body: unknown;
    try { body = JSON.parse(text); } catch { /* not JSON */ }
    const error = ErrorBody.safeParse(body);
    if (error.success) throw ClientError.fromServer(error.data.error, res.status);
    throw new ClientError('invalid', `the server answered ${route} with HTTP ${res.status}; is this a Slipway server?`, undefined, res.status);
  }
}
