import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import postgres from 'postgres';
import { ensureSandboxImage } from '../../server/testing/sandbox-image';
import { waitFor } from '../../server/testing/wait-for';
import { requireImageInCluster, type KubeClient } from '../../server/testing/kubernetes';
import { kubectl, kubectlJson } from './kubectl';
import { ensureK8sImages, writeTestOverlay, type TestInstall } from './overlay';

export const LABEL = { project: 'dev.slipway.project', team: 'dev.slipway.team' };

export type Pod = { metadata: { name: string; namespace: string; deletionTimestamp?: string; labels?: Record<string, string> }; status?: { phase?: string; podIP?: string; conditions?: { type: string; status: string }[] } };
export const ready = (pod: Pod): boolean => !pod.metadata.deletionTimestamp && Boolean(pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));

/**
 * The server deployed from k8s/ into the cluster through a test overlay (images built offline and
 * imported), reached from the host through the Service's ClusterIP, with the reconcile leases sampled
 * through PostgreSQL's ClusterIP. `close()` removes everything it created.
 */
export class DeployedSlipway {
  base = '';
  token = '';
  teamId = '';
  readonly projects: string[] = [];
  /** Project id -> the server pods seen holding its reconcile lease. */
  readonly leaseHolders = new Map<string, Set<string>>();
  private database: postgres.Sql | undefined;
  private sampling: NodeJS.Timeout | undefined;

  private constructor(readonly install: TestInstall) {}

  static async deploy(kube: KubeClient, options: { oneNamespace: boolean; settings?: Record<string, string>; secrets?: Record<string, string> }): Promise<DeployedSlipway> {
    const [images, sandbox] = await Promise.all([ensureK8sImages(), ensureSandboxImage()]);
    for (const image of [images.server, images.postgres, sandbox]) await requireImageInCluster(kube, image);
    const install = writeTestOverlay({
      id: `d${randomBytes(3).toString('hex')}`,
      images,
      oneNamespace: options.oneNamespace,
      secretKey: randomBytes(32).toString('base64'),
      postgresPassword: randomBytes(18).toString('hex'),
      settings: {
        SLIPWAY_PUBLIC_URL: 'http://slipway.test',
        SLIPWAY_PREVIEW_DOMAIN: 'preview.slipway.test',
        SLIPWAY_WARM_POOL: '0',
        SLIPWAY_SANDBOX_IMAGE: sandbox,
        SLIPWAY_DATABASE_IMAGE: images.postgres,
        ...options.settings,
      },
      secrets: options.secrets,
    });
    const deployed = new DeployedSlipway(install);
    try {
      await deployed.start();
    } catch (error) {
      await deployed.close();
      throw error;
    }
    return deployed;
  }

  private async start(): Promise<void> {
    const { namespace, names, dir } = this.install;
    await kubectl(['apply', '-k', dir]);
    await kubectl(['rollout', 'status', '-n', namespace, `statefulset/${names.postgres}`, '--timeout=180s'], { timeoutMs: 200_000 });
    await kubectl(['rollout', 'status', '-n', namespace, `deployment/${names.server}`, '--timeout=240s'], { timeoutMs: 260_000 })
      .catch(async (error: Error) => {
        const logs = await kubectl(['logs', '-n', namespace, '-l', 'app.kubernetes.io/name=slipway-server', '--tail=30', '--all-containers']).catch((e: Error) => e.message);
        throw new Error(`${error.message}\nserver logs:\n${logs}`);
      });
    const clusterIp = async (service: string) => (await kubectlJson<{ spec: { clusterIP: string } }>(['get', 'service', '-n', namespace, service])).spec.clusterIP;
    this.base = `http://${await clusterIp(names.server)}:80`;
    // Ready pods are not yet a routed Service: kube-proxy writes the ClusterIP's rules a moment after
    // the endpoints change (a refused connection meanwhile, as CI once saw). Deployed means reachable.
    await this.apiRetrying('GET', '/healthz');
    // locked_by is `<hostname = pod name>:<pid>:<random>`.
    const database = postgres(`postgres://slipway:${this.install.postgresPassword}@${await clusterIp(names.postgres)}:5432/slipway`, { max: 1, onnotice: () => {} });
    this.database = database;
    let busy = false;
    this.sampling = setInterval(() => {
      if (busy) return;
      busy = true;
      database<{ id: string; locked_by: string }[]>`SELECT id, locked_by FROM projects WHERE locked_by IS NOT NULL AND locked_until > now()`
        .then((rows) => { for (const row of rows) this.leaseHolders.set(row.id, (this.leaseHolders.get(row.id) ?? new Set()).add(row.locked_by.split(':')[0]!)); }, () => {})
        .finally(() => { busy = false; });
    }, 25);
  }

  async api(method: string, path: string, body?: unknown, raw?: string): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = this.token ? { authorization: `Bearer ${this.token}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.base}${path}`, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)), signal: AbortSignal.timeout(20_000) });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* bytes */ }
    return { status: res.status, body: parsed };
  }

  /** Through the Service while a replica may be going away: a refused or reset connection is retried. */
  apiRetrying(method: string, path: string, body?: unknown, raw?: string): Promise<{ status: number; body: any }> {
    return waitFor(() => this.api(method, path, body, raw).catch(() => undefined), { timeoutMs: 60_000, intervalMs: 500, what: `${method} ${path}` });
  }

  /** Signs the administrator in with a token from `kubectl exec … node dist/server.js sign-in-link`. */
  async signIn(): Promise<string> {
    const out = await kubectl(['exec', '-n', this.install.namespace, `deploy/${this.install.names.server}`, '--', 'node', 'dist/server.js', 'sign-in-link', 'admin@slipway.local']);
    const signInToken = out.trim().split('\n').pop()!;
    const session = await this.api('POST', '/api/auth/redeem', { token: signInToken });
    assert.equal(session.status, 200, JSON.stringify(session.body));
    this.token = session.body.accessToken;
    const me = await this.api('GET', '/api/me');
    assert.equal(me.body.user.email, 'admin@slipway.local');
    this.teamId = me.body.teams[0].id;
    return signInToken;
  }

  async serverPods(): Promise<Pod[]> {
    return (await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-n', this.install.namespace, '-l', 'app.kubernetes.io/name=slipway-server'])).items;
  }

  async projectPods(projectId: string): Promise<Pod[]> {
    return (await kubectlJson<{ items: Pod[] }>(['get', 'pods', '--all-namespaces', '-l', `${LABEL.project}=${projectId}`])).items.filter((p) => !p.metadata.deletionTimestamp);
  }

  /** ERROR on the way is tolerated (the reconciler retries, e.g. while a claim waits for a volume). */
  waitStatus(projectId: string, status: string, timeoutMs = 180_000): Promise<true> {
    let last = '';
    return waitFor(async () => {
      const res = await this.apiRetrying('GET', `/api/projects/${projectId}`);
      // A deleted project is gone from the API once its sandbox is.
      if (res.status === 404) return status === 'TERMINATED';
      last = `${res.body.status}${res.body.statusMessage ? `: ${res.body.statusMessage}` : ''}`;
      return res.body.status === status;
    }, { timeoutMs, intervalMs: 500, what: `project ${projectId} ${status}` })
      .catch((error: Error) => { throw new Error(`${error.message}; last ${last}`); });
  }

  async createProject(name: string): Promise<string> {
    const res = await this.apiRetrying('POST', '/api/projects', { teamId: this.teamId, name, template: 'empty' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    this.projects.push(res.body.id);
    return res.body.id as string;
  }

  /** A file written through the API (server -> pod -> daemon) reads back. */
  async roundTrip(projectId: string, text: string): Promise<void> {
    const put = await this.api('PUT', `/api/projects/${projectId}/files?path=hello.txt`, undefined, text);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal((await this.api('GET', `/api/projects/${projectId}/files?path=hello.txt`)).body, text);
  }

  async close(): Promise<void> {
    clearInterval(this.sampling);
    await this.database?.end({ timeout: 5 });
    // Projects first, through the API, so the runtime removes their pods and claims; then whatever is left.
    await Promise.all(this.projects.map((id) => this.api('DELETE', `/api/projects/${id}`).catch(() => undefined)));
    await Promise.all(this.projects.map((id) => this.waitStatus(id, 'TERMINATED', 90_000).catch(() => undefined)));
    if (this.teamId) await kubectl(['delete', 'namespace', '-l', `${LABEL.team}=${this.teamId}`, '--ignore-not-found', '--wait=false']).catch(() => {});
    await kubectl(['delete', '-k', this.install.dir, '--ignore-not-found', '--wait=false']).catch(() => {});
    await kubectl(['delete', 'namespace', this.install.namespace, '--ignore-not-found', '--timeout=180s'], { timeoutMs: 200_000 }).catch(() => {});
    rmSync(this.install.dir, { recursive: true, force: true });
  }
}
