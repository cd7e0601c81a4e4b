import { randomBytes } from 'node:crypto';
import { installationId } from '../reconcile/sandbox-store';
import { requireDocker } from './docker';
import { removeInstallation } from './docker-cleanup';
import { testDatabase, type TestDatabase } from './postgres';
import { ensureSandboxImage } from './sandbox-image';

/**
 * For tests that run real server processes (main.ts) on Docker: a database of their own, the
 * environment that points processes at it, and a teardown that leaves nothing on the engine.
 */
export interface ProcessFixture {
  db: TestDatabase;
  installation: string;
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function dockerProcessFixture(context: Mocha.Context): Promise<ProcessFixture> {
  await requireDocker(context);
  const image = await ensureSandboxImage();
  const db = await testDatabase();
  const installation = await installationId(db.sql);
  return {
    db, installation,
    env: { DATABASE_URL: db.url, SLIPWAY_SECRET_KEY: randomBytes(32).toString('base64'), SLIPWAY_RUNTIME: 'docker', SLIPWAY_SANDBOX_IMAGE: image },
    async drop() {
      await removeInstallation(installation);
      await db.drop();
    },
  };
}

/** A JSON call to a server process's API. */
export async function callApi(url: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, {
    method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
