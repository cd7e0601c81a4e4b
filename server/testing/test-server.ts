import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session } from '../../protocol/rest/auth';
import { loadConfig, type ConfigInput } from '../config';
import { createLogger, silentLogger } from '../log';
import { startServer, type RunningServer } from '../server';
import type { Runtime } from '../runtime/runtime';
import { testDatabase, type TestDatabase } from './postgres';

export interface TestServer extends RunningServer {
  db: TestDatabase;
  /** fetch against the server with JSON in and out. */
  call(method: string, path: string, options?: { token?: string; body?: unknown; raw?: BodyInit; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  /** Signs up a new user with a personal team; returns the session and the team id. */
  signUp(name?: string): Promise<{ session: Session; token: string; teamId: string; email: string }>;
  /** Invites `invitee` into the team and accepts as them: the way people join a team. */
  addMember(admin: { token: string }, teamId: string, invitee: { token: string; email: string }, role?: 'owner' | 'admin' | 'member'): Promise<void>;
}

/** A real server (HTTP + WebSocket) on a random loopback port, on its own database. */
export async function startTestServer(overrides: ConfigInput = {}, options: { runtime?: Runtime | null } = {}): Promise<TestServer> {
  const db = await testDatabase();
  const config = loadConfig({}, {
    host: '127.0.0.1', port: 0, signup: 'open',
    dataDir: mkdtempSync(join(tmpdir(), 'slipway-test-data-')),
    secretKey: randomBytes(32).toString('base64'),
    logLevel: 'silent',
    buildImage: false,
    // Suites sign many users up from one address; the rate-limit suite sets its own.
    rateLimits: { auth: { limit: 10_000, windowSeconds: 60 }, create: { limit: 10_000, windowSeconds: 60 }, import: { limit: 10_000, windowSeconds: 60 }, prompt: { limit: 10_000, windowSeconds: 60 } },
    ...overrides,
  });
  // SLIPWAY_TEST_LOG=debug shows a suite's server logs.
  const log = process.env.SLIPWAY_TEST_LOG ? createLogger(process.env.SLIPWAY_TEST_LOG, process.stderr) : silentLogger();
  const server = await startServer(config, log, { sql: db.sql, runtime: options.runtime ?? null });
  const call: TestServer['call'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: BodyInit | undefined = options.raw;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.body);
    }
    const res = await fetch(`${server.url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  let n = 0;
  const signUp: TestServer['signUp'] = async (name = 'user') => {
    const email = `${name}-${++n}-${randomBytes(3).toString('hex')}@example.com`;
    const res = await call('POST', '/api/auth/signup', { body: { email, password: 'correct horse battery', name } });
    if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
    const me = await call('GET', '/api/me', { token: res.body.accessToken });
    return { session: res.body, token: res.body.accessToken, teamId: me.body.teams[0].id, email };
  };
  const addMember: TestServer['addMember'] = async (admin, teamId, invitee, role = 'member') => {
    const invited = await call('POST', `/api/teams/${teamId}/members`, { token: admin.token, body: { email: invitee.email, role } });
    if (invited.status !== 202) throw new Error(`invitation failed: ${invited.status} ${JSON.stringify(invited.body)}`);
    const { items } = (await call('GET', '/api/invitations', { token: invitee.token })).body as { items: { id: string; teamId: string }[] };
    const invitation = items.find((i) => i.teamId === teamId);
    const accepted = invitation && await call('POST', `/api/invitations/${invitation.id}/accept`, { token: invitee.token });
    if (accepted?.status !== 200) throw new Error(`accepting failed: ${accepted?.status} ${JSON.stringify(accepted?.body)}`);
  };
  return {
    ...server, db, call, signUp, addMember,
    async close() {
      await server.close();
      await db.drop();
    },
  };
}
