import type { WsCredentialsCloseReason } from '../../protocol/ws';
import type { Sql } from '../db/database';
import { CREDENTIAL_CHANNEL, parseCredentialRevoked } from '../events/credential-events';
import { MEMBERSHIP_CHANNEL, parseMembershipRevoked } from '../events/membership-events';
import type { Logger } from '../log';
import { credentialActive, type Credential } from './authenticate';

/** Something long-lived (a `/ws` socket, a preview WebSocket) that holds only while its credential does. */
export interface BoundSocket {
  readonly userId: string;
  readonly credential: Credential;
  /** The credential was revoked or expired: close for good. */
  endCredentials(reason: WsCredentialsCloseReason): void;
  /** The user lost access to a team. */
  accessChanged(teamId: string): void;
}

/** Longest timer Node keeps; later expiries are caught by the periodic check. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const RECHECK_MS = 30_000;

/**
 * The one place that ends long-lived connections when their credential ends: every server process
 * hears revocations and membership changes (PostgreSQL NOTIFY), closes at expiry, and checks every
 * bound socket again periodically in case a notification was missed.
 */
export class CredentialWatch {
  private readonly bound = new Set<BoundSocket>();
  private readonly unlisten: (() => Promise<void>)[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly deps: { sql: Sql; log: Logger }, options: { recheckMs?: number } = {}) {
    this.timer = setInterval(() => this.recheckAll(), options.recheckMs ?? RECHECK_MS);
    this.timer.unref();
  }

  async start(): Promise<void> {
    const membership = await this.deps.sql.listen(MEMBERSHIP_CHANNEL, (payload) => {
      const revoked = parseMembershipRevoked(payload);
      if (!revoked) return;
      for (const socket of this.bound) if (socket.userId === revoked.userId) socket.accessChanged(revoked.teamId);
    });
    const credentials = await this.deps.sql.listen(CREDENTIAL_CHANNEL, (payload) => {
      const revoked = parseCredentialRevoked(payload);
      if (!revoked) return;
      for (const socket of this.bound) {
        if (socket.credential.kind === revoked.kind && socket.credential.id === revoked.id) socket.endCredentials('credentials_revoked');
      }
    });
    this.unlisten.push(membership.unlisten, credentials.unlisten);
  }

  /** Watches a socket until the returned function is called (on its close). */
  add(socket: BoundSocket): () => void {
    this.bound.add(socket);
    let timer: NodeJS.Timeout | undefined;
    const expiresAt = socket.credential.expiresAt?.getTime();
    if (expiresAt !== undefined && expiresAt - Date.now() < MAX_TIMER_MS) {
      timer = setTimeout(() => socket.endCredentials('credentials_expired'), Math.max(0, expiresAt - Date.now()));
      timer.unref();
    }
    // A revocation between the caller's check and now was not heard for this socket: look once more.
    this.recheck(socket);
    return () => {
      clearTimeout(timer);
      this.bound.delete(socket);
    };
  }

  /** One look per credential, however many sockets hold it (a user's windows share one token). */
  private recheckAll(): void {
    const byCredential = new Map<string, BoundSocket[]>();
    for (const socket of this.bound) {
      const key = `${socket.credential.kind}:${socket.credential.id}:${socket.credential.expiresAt?.getTime() ?? ''}`;
      byCredential.set(key, [...(byCredential.get(key) ?? []), socket]);
    }
    for (const sockets of byCredential.values()) this.recheck(...sockets);
  }

  private recheck(...sockets: BoundSocket[]): void {
    const { credential } = sockets[0]!;
    void credentialActive(this.deps.sql, credential).then(
      (active) => {
        if (active) return;
        const expired = (credential.expiresAt?.getTime() ?? Infinity) <= Date.now();
        for (const socket of sockets) socket.endCredentials(expired ? 'credentials_expired' : 'credentials_revoked');
      },
      (err: unknown) => this.deps.log.debug({ err }, 'credential check failed'),
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.unlisten.splice(0).map((unlisten) => unlisten().catch(() => {})));
  }
}
