import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { previewTarget } from '../reconcile/sandbox-store';
import type { Duplex } from 'node:stream';
import type { Middleware } from 'koa';
import { resolveBearer, bearerFrom, credentialActive, type Credential } from '../auth/authenticate';
import type { CredentialWatch } from '../auth/credential-watch';
import { isLoopback } from '../config';
import { connectionVia } from '../daemon-client/dial';
import { mayPreview } from '../access/access';
import type { Services } from '../services';
import { parsePreviewHost } from './preview-host';
import { redeemLaunch } from './preview-launch-store';
import { PREVIEW_COOKIE, PREVIEW_QUERY, cookieValue, signPreviewToken, verifyPreviewToken, withoutCookie } from './preview-tokens';

const COOKIE_SECONDS = 12 * 3600;

type Resolution =
  | { kind: 'proxy'; host: string; port: number; sandboxId: string; userId: string; credential: Credential; teamId: string }
  | { kind: 'redirect'; location: string; cookie?: string }
  | { kind: 'refuse'; status: number; message: string };

/**
 * Serves `<port>-<slug>.<previewDomain>`: HTTP and WebSocket (HMR) traffic to that port of the
 * project's sandbox, for members of the project's team only. It never reaches the daemon's port or
 * any address but the project's own sandbox, and never forwards Slipway's credentials to the app.
 */
export class PreviewProxy {
  constructor(private readonly services: Pick<Services, 'sql' | 'config' | 'jwtKey' | 'daemons'>, private readonly watch: CredentialWatch) {}

  middleware(): Middleware {
    return async (ctx, next) => {
      if (!parsePreviewHost(ctx.host, this.services.config.previewDomain)) return next();
      ctx.respond = false;
      const outcome = await this.resolve(ctx.req);
      if (outcome.kind === 'proxy') return this.forward(ctx.req, ctx.res, outcome);
      if (outcome.kind === 'redirect') {
        ctx.res.writeHead(302, { location: outcome.location, ...(outcome.cookie && { 'set-cookie': outcome.cookie }), 'cache-control': 'no-store' }).end();
        return;
      }
      ctx.res.writeHead(outcome.status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(`${outcome.message}\n`);
    };
  }

  /** For the HTTP server's `upgrade` event; false when the host is not a preview host. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (!parsePreviewHost(req.headers.host, this.services.config.previewDomain)) return false;
    void this.resolve(req).then((outcome) => {
      if (outcome.kind !== 'proxy') return void socket.end(`HTTP/1.1 ${outcome.kind === 'refuse' ? outcome.status : 401} Preview\r\nConnection: close\r\n\r\n`);
      const upstream = request({ host: outcome.host, port: outcome.port, path: req.url, method: req.method, headers: this.forwardHeaders(req), ...this.via(outcome.sandboxId) });
      upstream.on('upgrade', (res, upstreamSocket, upstreamHead) => {
        const lines = [`HTTP/1.1 ${res.statusCode} ${res.statusMessage}`];
        for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
        socket.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (upstreamHead.length) socket.write(upstreamHead);
        if (head.length) upstreamSocket.write(head);
        upstreamSocket.pipe(socket).pipe(upstreamSocket);
        for (const [a, b] of [[upstreamSocket, socket], [socket, upstreamSocket]] as const) {
          a.on('error', () => b.destroy());
          a.on('close', () => b.destroy());
        }
        // Open only while the credential it was opened with holds and the user is in the team.
        const end = () => { socket.destroy(); upstreamSocket.destroy(); };
        const unwatch = this.watch.add({
          userId: outcome.userId, credential: outcome.credential,
          endCredentials: end,
          accessChanged: (teamId) => { if (teamId === outcome.teamId) end(); },
        });
        socket.once('close', unwatch);
      });
      upstream.on('response', (res) => { socket.end(`HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\nConnection: close\r\n\r\n`); res.resume(); });
      upstream.on('error', () => socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n'));
      upstream.end();
    }, () => socket.destroy());
    return true;
  }

  private async resolve(req: IncomingMessage): Promise<Resolution> {
    const { config, sql, jwtKey } = this.services;
    const target = parsePreviewHost(req.headers.host, config.previewDomain)!;
    // A bad bearer is told so before anything about the project (which would tell whether it exists).
    const bearer = bearerFrom(req.headers.authorization);
    const bearerCaller = bearer ? await resolveBearer(this.services, bearer) : undefined;
    if (bearer && !bearerCaller) return { kind: 'refuse', status: 401, message: 'The token is invalid, expired or revoked.' };
    const byBearer = bearerCaller && { userId: bearerCaller.user.id, credential: bearerCaller.credential };
    const url = new URL(req.url ?? '/', 'http://preview');
    const project = await previewTarget(sql, target.slug);
    const notFound: Resolution = { kind: 'refuse', status: 404, message: 'No such preview, or you are not a member of its team.' };
    const signedOut: Resolution = { kind: 'refuse', status: 401, message: 'The sign-in or token this preview was opened with has ended (signed out, revoked or expired). Open the preview again from Slipway.' };
    if (!project) return notFound;

    const offered = url.searchParams.get(PREVIEW_QUERY);
    if (offered) {
      const claims = await verifyPreviewToken(jwtKey, offered);
      // Only links (they name their launch) open previews this way, each once.
      if (!claims?.launchId || claims.projectId !== project.id || !(await mayPreview(sql, claims.userId, project.teamId))) return notFound;
      if (!(await credentialActive(sql, claims.credential))) return signedOut;
      url.searchParams.delete(PREVIEW_QUERY);
      if (!(await redeemLaunch(sql, claims.launchId))) {
        // The browser that traded it (reloading the link) goes on with its cookie; anyone else is refused.
        const caller = await (byBearer ?? this.cookieCaller(req, project.id));
        if (caller && caller !== 'ended' && caller.userId === claims.userId) return { kind: 'redirect', location: `${url.pathname}${url.search}` };
        return { kind: 'refuse', status: 410, message: 'This preview link was already used. Open the preview again from Slipway.' };
      }
      const session = await signPreviewToken(jwtKey, { userId: claims.userId, projectId: claims.projectId, credential: claims.credential }, COOKIE_SECONDS);
      // *.localhost is a secure context to browsers, so its cookie can be Secure; SameSite=None (and
      // Partitioned) there too: the Simple Browser shows the app in a cross-site iframe.
      const secure = (req.headers['x-forwarded-proto'] ?? '') === 'https' || config.publicUrl?.startsWith('https:') || config.previewDomain === 'localhost';
      const cookie = `${PREVIEW_COOKIE}=${session}; Path=/; HttpOnly; Max-Age=${COOKIE_SECONDS}; ${secure ? 'Secure; SameSite=None; Partitioned' : 'SameSite=Lax'}`;
      return { kind: 'redirect', location: `${url.pathname}${url.search}`, cookie };
    }
    const caller = await (byBearer ?? this.cookieCaller(req, project.id));
    if (caller === 'ended') return signedOut;
    if (!caller || !(await mayPreview(sql, caller.userId, project.teamId))) return notFound;

    if (project.status !== 'RUNNING' || !project.address || !project.sandboxId) return { kind: 'refuse', status: 503, message: `The project is not running (status ${project.status}).` };
    const daemon = new URL(project.address);
    const daemonPort = Number(daemon.port || 80);
    if (target.port === daemonPort) return { kind: 'refuse', status: 403, message: 'That port is reserved.' };
    if (isLoopback(daemon.hostname) && (target.port === config.port || target.port === config.embeddedPostgresPort)) {
      return { kind: 'refuse', status: 403, message: 'That port is reserved.' };
    }
    return { kind: 'proxy', host: daemon.hostname, port: target.port, sandboxId: project.sandboxId, ...caller, teamId: project.teamId };
  }

  /** Who the preview cookie names, with what: 'ended' when its credential was revoked or expired. */
  private async cookieCaller(req: IncomingMessage, projectId: string): Promise<{ userId: string; credential: Credential } | 'ended' | undefined> {
    const cookie = cookieValue(req.headers.cookie, PREVIEW_COOKIE);
    const claims = cookie ? await verifyPreviewToken(this.services.jwtKey, cookie) : undefined;
    if (claims?.projectId !== projectId) return undefined;
    if (!(await credentialActive(this.services.sql, claims.credential))) return 'ended';
    return { userId: claims.userId, credential: claims.credential };
  }

  private forwardHeaders(req: IncomingMessage): Record<string, string | string[]> {
    const headers: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers[key] = value;
    const cookie = withoutCookie(req.headers.cookie, PREVIEW_COOKIE);
    if (cookie) headers.cookie = cookie;
    else delete headers.cookie;
    if (bearerFrom(req.headers.authorization)) delete headers.authorization;
    headers['x-forwarded-host'] = req.headers.host ?? '';
    headers['x-forwarded-proto'] = (req.headers['x-forwarded-proto'] as string | undefined) ?? 'http';
    return headers;
  }

  /** Sandboxes not routable from here (Kubernetes from outside the cluster) are reached the way daemons are. */
  private via(sandboxId: string): { createConnection?: never } {
    const dial = this.services.daemons.dialFor(sandboxId);
    return dial ? { createConnection: connectionVia(dial) as never } : {};
  }

  private forward(req: IncomingMessage, res: ServerResponse, target: { host: string; port: number; sandboxId: string }): void {
    const upstream = request({ host: target.host, port: target.port, path: req.url, method: req.method, headers: this.forwardHeaders(req), ...this.via(target.sandboxId) }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (res.headersSent) return void res.destroy();
      const message = error.code === 'ECONNREFUSED' ? `Nothing is listening on port ${target.port} in the sandbox yet.` : 'The app did not answer.';
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
    });
    req.pipe(upstream);
  }
}
