import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { join, relative } from 'node:path';
import type { DaemonClient } from '../daemon-client';
import { resourcePath } from '../resources';
import { databaseContainerName, databaseVolumeName } from '../runtime/docker/database-container';
import { ensureDatabaseImage } from '../testing/database-image';
import { waitFor } from '../testing/wait-for';
import { onDocker } from './lifecycle.suite';
import { sandboxOfProject } from './sandbox-store';

/**
 * A project's database driven by the real reconciler on real Docker, through the API, as a user and
 * their app use it: the template's app writes rows through DATABASE_URL; stop/start keep them;
 * another project cannot reach them; dump/restore round-trip; removing the database or the project
 * removes its container and volume.
 */
describe('project databases on Docker (reconciler)', function () {
  this.timeout(240_000);
  let databaseImage = '';
  before(async function () {
    this.timeout(20 * 60_000);
    databaseImage = await ensureDatabaseImage();
  });
  const on = onDocker(() => ({ databaseImage, sandboxLimits: { cpus: 1, memoryMb: 512, pids: 256 } }));
  const api = (method: string, path: string, body?: unknown) => on.h.s.call(method, path, { token: on.h.user.token, body });

  /** psql in the project's sandbox, with nothing but the sandbox's own environment. */
  const psql = async (daemon: DaemonClient, query: string) => {
    const run = await daemon.call('exec.run', { command: ['psql', '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', query], timeoutMs: 20_000 });
    if (run.exitCode !== 0) throw new Error(`psql failed (${run.exitCode}): ${run.stderr}`);
    return run.stdout.trim();
  };
  /** The `postgres` package the template depends on, copied from ours (a test does not hang on the registry). */
  const installPostgresPackage = async (daemon: DaemonClient) => {
    const root = resourcePath('node_modules', 'postgres');
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? walk(join(dir, e)) : [join(dir, e)]));
    for (const file of [join(root, 'package.json'), ...walk(join(root, 'src'))]) {
      await daemon.writeFile(`node_modules/postgres/${relative(root, file)}`, readFileSync(file), { createParents: true });
    }
  };
  /** A request to the app through the server's preview proxy (the preview host as a browser sends it). */
  const viaPreview = (link: URL, method: string, path: string, options: { cookie?: string; body?: string } = {}) => new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const server = new URL(on.h.s.url);
    const req = request({ host: server.hostname, port: server.port, method, path, headers: { host: link.host, ...(options.cookie && { cookie: options.cookie }) } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject).end(options.body);
  });
  const volumeExists = (name: string) => on.docker.getVolume(name).inspect().then(() => true, () => false);
  const containerExists = (name: string) => on.docker.getContainer(name).inspect().then(() => true, () => false);

  it('creates a project with a database from the template: RUNNING, its app (used through the preview) stores rows through DATABASE_URL, kept across stop/start', async () => {
    const project = await on.h.create({ template: 'web-app-postgres' });
    const running = await on.h.waitStatus(project.id, 'RUNNING', 120_000);
    assert.deepEqual(running.database, { status: 'RUNNING', statusMessage: null });
    const info = (await api('GET', `/api/projects/${project.id}/database`)).body;
    assert.equal(info.reachable, true);
    assert.match(info.version, /^\d+\.\d+/);

    const daemon = await on.h.daemonOf(project.id);
    await installPostgresPackage(daemon);
    const app = await daemon.call('exec.start', { command: ['node', 'server.js'], label: 'app' });
    await waitFor(async () => (await daemon.call('ports.list', {})).ports.some((p) => p.port === 3000), { what: 'the app to listen', timeoutMs: 20_000 });
    // Through the preview, as the user's browser uses the app: the one-time link becomes a cookie.
    const link = new URL((await api('POST', `/api/projects/${project.id}/preview`, { port: 3000 })).body.url);
    const opened = await viaPreview(link, 'GET', `${link.pathname}${link.search}`);
    assert.equal(opened.status, 302);
    const cookie = String(opened.headers['set-cookie']).split(';')[0]!;
    const posted = await viaPreview(link, 'POST', '/api/notes', { cookie, body: '{"text":"first note"}' });
    assert.equal(posted.status, 201, posted.body);
    assert.equal(JSON.parse(posted.body).text, 'first note');
    const listed = await viaPreview(link, 'GET', '/api/notes', { cookie });
    assert.deepEqual(JSON.parse(listed.body).map((n: { text: string }) => n.text), ['first note']);
    assert.equal(await psql(daemon, 'SELECT text FROM notes'), 'first note', 'the row is in the project\'s database');
    await daemon.call('exec.kill', { processId: app.processId, signal: 'SIGKILL' });

    await api('POST', `/api/projects/${project.id}/stop`);
    const stopped = await on.h.waitStatus(project.id, 'STOPPED');
    assert.deepEqual(stopped.database, { status: 'STOPPED', statusMessage: null });
    const sandbox = (await sandboxOfProject(on.h.s.db.sql, project.id))!;
    assert.equal((await on.h.s.runtime!.inspect(sandbox.id)).database, 'stopped');
    await api('POST', `/api/projects/${project.id}/start`);
    await on.h.waitStatus(project.id, 'RUNNING');
    assert.equal(await psql(await on.h.daemonOf(project.id), 'SELECT text FROM notes'), 'first note');
  });

  it('gives new processes DATABASE_URL and PG* when a database is added to a running project, and takes them away when it is removed', async () => {
    const project = await on.h.create({ template: 'empty' });
    await on.h.waitStatus(project.id, 'RUNNING');
    const daemon = await on.h.daemonOf(project.id);
    const env = async () => (await daemon.call('exec.run', { command: 'echo "${DATABASE_URL:-none}|${PGHOST:-}|${PGUSER:-}|${PGDATABASE:-}"' })).stdout.trim();
    assert.equal(await env(), 'none|||');

    assert.equal((await api('PUT', `/api/projects/${project.id}/database`)).status, 202);
    // The database's status is written a moment before the project's (which follows it): both, in the end.
    await waitFor(async () => {
      const { body } = await api('GET', `/api/projects/${project.id}`);
      return body.database?.status === 'RUNNING' && body.status === 'RUNNING';
    }, { what: 'the database and the project to run', timeoutMs: 90_000 });
    const { url } = (await api('GET', `/api/projects/${project.id}/database/connection`)).body;
    assert.equal(await env(), `${url}|127.0.0.1|app|app`, 'a new process sees it, without a rebuild');
    await psql(daemon, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)');
    const sandbox = (await sandboxOfProject(on.h.s.db.sql, project.id))!;
    assert.ok(await volumeExists(databaseVolumeName(sandbox.id)));

    assert.equal((await api('DELETE', `/api/projects/${project.id}/database`)).status, 202);
    await waitFor(async () => (await api('GET', `/api/projects/${project.id}`)).body.database === null, { what: 'the database to go', timeoutMs: 60_000 });
    await waitFor(async () => (await env()) === 'none|||', { what: 'the variables to go', timeoutMs: 15_000 });
    assert.equal(await containerExists(databaseContainerName(sandbox.id)), false);
    assert.equal(await volumeExists(databaseVolumeName(sandbox.id)), false, 'its data went with it');
    assert.equal((await api('GET', `/api/projects/${project.id}`)).body.status, 'RUNNING', 'the sandbox stays');

    await api('PUT', `/api/projects/${project.id}/database`);
    await waitFor(async () => (await api('GET', `/api/projects/${project.id}`)).body.database?.status === 'RUNNING', { what: 'a new database', timeoutMs: 90_000 });
    assert.equal(await psql(daemon, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), '0', 'a new, empty database');
  });

  it('keeps each project\'s database to itself: another project\'s sandbox cannot connect to it', async () => {
    const mine = await on.h.create({ template: 'empty', database: true });
    const theirs = await on.h.create({ template: 'empty', database: true });
    await on.h.waitStatus(mine.id, 'RUNNING', 120_000);
    await on.h.waitStatus(theirs.id, 'RUNNING', 120_000);
    await psql(await on.h.daemonOf(mine.id), "CREATE TABLE secret (s text); INSERT INTO secret VALUES ('mine')");
    const { password } = (await api('GET', `/api/projects/${mine.id}/database/connection`)).body;
    const myAddress = new URL((await sandboxOfProject(on.h.s.db.sql, mine.id))!.address!).hostname;
    const other = await on.h.daemonOf(theirs.id);
    for (const host of [myAddress, '127.0.0.1']) {
      const url = `postgres://app:${password}@${host}:5432/app?connect_timeout=3`;
      const attempt = await other.call('exec.run', { command: ['psql', url, '-XAtqc', 'SELECT s FROM secret'], timeoutMs: 20_000 });
      assert.notEqual(attempt.exitCode, 0, `another project's sandbox connected through ${host}`);
      assert.doesNotMatch(attempt.stdout, /mine/);
    }
    assert.equal(await psql(other, "SELECT count(*) FROM pg_tables WHERE tablename = 'secret'"), '0', 'its own database is another one');
  });

  it('dumps the database into the workspace and restores it from there', async () => {
    const project = await on.h.create({ template: 'empty', database: true });
    await on.h.waitStatus(project.id, 'RUNNING', 120_000);
    const daemon = await on.h.daemonOf(project.id);
    await psql(daemon, "CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders VALUES (1, 'tea'), (2, 'cake')");
    const dump = await api('POST', `/api/projects/${project.id}/database/dump`, { path: 'backups/shop.pgdump' });
    assert.equal(dump.status, 200, JSON.stringify(dump.body));
    assert.equal(dump.body.path, 'backups/shop.pgdump');
    assert.ok(dump.body.bytes > 0);
    assert.equal((await daemon.readFile('backups/shop.pgdump')).subarray(0, 5).toString(), 'PGDMP', 'a pg_dump custom-format archive in the workspace');

    await psql(daemon, "DELETE FROM orders WHERE id = 1; INSERT INTO orders VALUES (3, 'scone')");
    const restored = await api('POST', `/api/projects/${project.id}/database/restore`, { path: 'backups/shop.pgdump' });
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    assert.equal(await psql(daemon, 'SELECT string_agg(item, \',\' ORDER BY id) FROM orders'), 'tea,cake');

    const missing = await api('POST', `/api/projects/${project.id}/database/restore`, { path: 'backups/none.pgdump' });
    assert.equal(missing.status, 404);
    await daemon.writeFile('backups/junk.pgdump', 'not a dump');
    const junk = await api('POST', `/api/projects/${project.id}/database/restore`, { path: 'backups/junk.pgdump' });
    assert.equal(junk.status, 400);
    assert.match(junk.body.error.message, /pg_restore failed in the sandbox/);
  });

  it('keeps the rows when the team\'s new limits replace the sandbox and database containers', async () => {
    const project = await on.h.create({ template: 'empty', database: true });
    await on.h.waitStatus(project.id, 'RUNNING', 120_000);
    await psql(await on.h.daemonOf(project.id), "CREATE TABLE kept (s text); INSERT INTO kept VALUES ('before')");
    const sandbox = (await sandboxOfProject(on.h.s.db.sql, project.id))!;
    const before = (await on.docker.getContainer(databaseContainerName(sandbox.id)).inspect()).Id;
    await on.h.s.call('PATCH', `/api/teams/${on.h.user.teamId}`, { token: on.h.user.token, body: { sandboxLimits: { memoryMb: 640, cpus: 0.75, pids: 300 } } });
    try {
      assert.equal((await api('POST', `/api/projects/${project.id}/restart`)).status, 202);
      await on.h.waitStatus(project.id, 'RUNNING', 120_000);
      const replaced = await on.docker.getContainer(databaseContainerName(sandbox.id)).inspect();
      assert.notEqual(replaced.Id, before, 'a new database container');
      assert.equal(replaced.HostConfig.Memory, 640 * 1024 * 1024, 'with the team\'s limits');
      assert.equal(await psql(await on.h.daemonOf(project.id), 'SELECT s FROM kept'), 'before');
    } finally {
      await on.h.s.call('PATCH', `/api/teams/${on.h.user.teamId}`, { token: on.h.user.token, body: { sandboxLimits: null } });
    }
  });

  it('restarts a project whose database died, saying why', async () => {
    const project = await on.h.create({ template: 'empty', database: true });
    await on.h.waitStatus(project.id, 'RUNNING', 120_000);
    await psql(await on.h.daemonOf(project.id), 'CREATE TABLE survived (n int)');
    const sandbox = (await sandboxOfProject(on.h.s.db.sql, project.id))!;
    await on.docker.getContainer(databaseContainerName(sandbox.id)).kill({ signal: 'SIGKILL' });
    await waitFor(async () => /restarting: the database/.test((await api('GET', `/api/projects/${project.id}`)).body.statusMessage ?? ''), { what: 'the death to be noticed', timeoutMs: 30_000, intervalMs: 20 });
    await on.h.waitStatus(project.id, 'RUNNING', 120_000);
    assert.equal(await psql(await on.h.daemonOf(project.id), "SELECT count(*) FROM pg_tables WHERE tablename = 'survived'"), '1');
  });

  it('removes the database\'s container and volume with the project; the API said so first', async () => {
    const project = await on.h.create({ template: 'empty', database: true });
    await on.h.waitStatus(project.id, 'RUNNING', 120_000);
    const sandbox = (await sandboxOfProject(on.h.s.db.sql, project.id))!;
    assert.equal((await api('GET', `/api/projects/${project.id}/deletion`)).body.database, true);
    await api('DELETE', `/api/projects/${project.id}`);
    await waitFor(async () => (await on.h.s.db.sql`SELECT status FROM projects WHERE id = ${project.id}`)[0]!.status === 'TERMINATED', { what: 'TERMINATED' });
    assert.equal(await containerExists(databaseContainerName(sandbox.id)), false);
    assert.equal(await volumeExists(databaseVolumeName(sandbox.id)), false);
    assert.equal((await on.h.s.db.sql`SELECT 1 FROM project_databases WHERE project_id = ${project.id}`).length, 0, 'its sealed password is gone too');
  });
});

describe('project databases on Docker: a database that cannot start', function () {
  this.timeout(240_000);
  const on = onDocker(() => ({ databaseImage: 'slipway-postgres:does-not-exist' }));

  it('puts the database and the project in ERROR with the diagnosis as the status message', async () => {
    const project = await on.h.create({ template: 'empty', database: true });
    const failed = await on.h.waitStatus(project.id, 'ERROR', 120_000);
    assert.match(failed.statusMessage ?? '', /the database image slipway-postgres:does-not-exist is missing: build it with "npm run image"/);
    assert.equal(failed.database?.status, 'ERROR');
    assert.equal(failed.database?.statusMessage, failed.statusMessage);
  });
});
