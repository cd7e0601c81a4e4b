import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { DaemonClient } from '../../daemon-client';
import { ensureDatabaseImage } from '../../testing/database-image';
import { requireDocker } from '../../testing/docker';
import { removeInstallation } from '../../testing/docker-cleanup';
import { ensureSandboxImage } from '../../testing/sandbox-image';
import { waitFor } from '../../testing/wait-for';
import { databaseEnv, newDatabasePassword } from '../database-env';
import type { SandboxSpec } from '../runtime';
import { SandboxFailure } from '../runtime';
import { containerName } from './container-spec';
import { databaseContainerName, databaseVolumeName } from './database-container';
import { DockerRuntime } from './docker-runtime';

const run = promisify(execFile);

/**
 * A project's PostgreSQL on real Docker, used as a sandbox's processes use it: psql with
 * DATABASE_URL through the sandbox daemon's exec. Reached by its own sandbox only.
 */
describe('project database on Docker', function () {
  this.timeout(180_000);
  const docker = new Docker();
  const installation = `db-test-${randomUUID()}`;
  let image: string;
  let databaseImage: string;
  let runtime: DockerRuntime;

  const specOf = (id: string, password = newDatabasePassword(), memoryMb = 256): SandboxSpec => ({
    id, image, token: `t-${id}`, limits: { cpus: 0.5, memoryMb: 512, pids: 256 }, labels: { installation, project: `p-${id}` },
    database: { image: databaseImage, password, limits: { cpus: 0.5, memoryMb } },
  });
  const daemonOf = async (spec: SandboxSpec) => {
    const { address } = await runtime.start(spec);
    const daemon = new DaemonClient({ baseUrl: address, token: spec.token });
    await waitFor(() => daemon.call('health', {}, { timeoutMs: 2000 }).then(() => true, () => false), { what: 'the daemon to answer', timeoutMs: 20_000 });
    return daemon;
  };
  /** psql in the sandbox with the project's DATABASE_URL. */
  const psql = async (daemon: DaemonClient, spec: SandboxSpec, sql: string) => {
    const result = await daemon.call('exec.run', { command: ['bash', '-c', 'psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -XAtqc "$1"', 'psql', sql], env: databaseEnv(spec.database!.password), timeoutMs: 20_000 });
    if (result.exitCode !== 0) throw new Error(`psql failed (${result.exitCode}): ${result.stderr}`);
    return result.stdout.trim();
  };
  const volumeExists = (name: string) => docker.getVolume(name).inspect().then(() => true, () => false);

  before(async function () {
    this.timeout(20 * 60_000);
    await requireDocker(this);
    [image, databaseImage] = await Promise.all([ensureSandboxImage(), ensureDatabaseImage()]);
    runtime = new DockerRuntime(docker);
  });

  after(async () => {
    if (image) await removeInstallation(installation, docker);
  });

  it('starts with its sandbox, hardened, and the sandbox writes and reads rows through DATABASE_URL', async () => {
    const spec = specOf(randomUUID());
    const daemon = await daemonOf(spec);
    await psql(daemon, spec, 'CREATE TABLE notes (body text); INSERT INTO notes VALUES ($$kept$$)');
    assert.equal(await psql(daemon, spec, 'SELECT body FROM notes'), 'kept');
    assert.equal(await psql(daemon, spec, 'SELECT current_user || $$/$$ || current_database()'), 'app/app');
    assert.deepEqual(await runtime.inspect(spec.id), { id: spec.id, state: 'running', database: 'running' });

    const db = await docker.getContainer(databaseContainerName(spec.id)).inspect();
    const sandbox = await docker.getContainer(containerName(spec.id)).inspect();
    assert.equal(db.Config.User, '999:999');
    assert.equal(db.HostConfig.NetworkMode, `container:${sandbox.Id}`);
    assert.deepEqual(db.HostConfig.CapDrop, ['ALL']);
    assert.deepEqual(db.HostConfig.SecurityOpt, ['no-new-privileges']);
    assert.equal(db.HostConfig.ReadonlyRootfs, true);
    assert.equal(db.HostConfig.Memory, 256 * 1024 * 1024);
    assert.ok((db.HostConfig.PidsLimit ?? 0) > 0);
    assert.deepEqual(db.HostConfig.PortBindings ?? {}, {});
    const { stdout } = await run('docker', ['exec', databaseContainerName(spec.id), 'bash', '-c', 'id -u; grep CapEff /proc/1/status']);
    assert.match(stdout, /^999\nCapEff:\s+0+\n$/);
    await runtime.remove(spec.id);
  });

  it('gives the project\'s user its own database and no more: no superuser, no programs or server files, no login as postgres', async () => {
    const spec = specOf(randomUUID(), "pa'ss-" + newDatabasePassword()); // a quote in the password is taken literally
    const daemon = await daemonOf(spec);
    assert.equal(await psql(daemon, spec, 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user'), 'f');
    assert.equal(await psql(daemon, spec, 'SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()'), 'app');
    // What an app needs: tables, schemas, trusted extensions.
    await psql(daemon, spec, 'CREATE SCHEMA billing; CREATE TABLE billing.items (id int); CREATE EXTENSION pgcrypto');
    assert.equal(await psql(daemon, spec, 'SELECT length(gen_random_uuid()::text)'), '36');
    // What reaches past the database: refused.
    await assert.rejects(psql(daemon, spec, 'COPY (SELECT 1) TO PROGRAM $$id$$'), /permission denied|must be superuser|pg_execute_server_program/);
    await assert.rejects(psql(daemon, spec, 'SELECT pg_read_file($$/etc/passwd$$)'), /permission denied/);
    await assert.rejects(psql(daemon, spec, 'ALTER ROLE app SUPERUSER'), /permission denied|must be superuser/);
    const asPostgres = await daemon.call('exec.run', { command: ['psql', '-XAtqc', 'SELECT 1'], env: { ...databaseEnv(spec.database!.password), PGUSER: 'postgres' }, timeoutMs: 20_000 });
    assert.notEqual(asPostgres.exitCode, 0, 'postgres cannot log in, with any password');
    await runtime.remove(spec.id);
  });

  it('keeps its rows across stop/start, a sandbox restarted on its own, and sandbox container replacement', async () => {
    const spec = specOf(randomUUID());
    let daemon = await daemonOf(spec);
    await psql(daemon, spec, 'CREATE TABLE t (n int); INSERT INTO t VALUES (1)');

    await runtime.stop(spec.id);
    const stopped = await runtime.inspect(spec.id);
    assert.deepEqual([stopped.state, stopped.database], ['stopped', 'stopped']);
    daemon = await daemonOf(spec);
    assert.equal(await psql(daemon, spec, 'INSERT INTO t VALUES (2); SELECT count(*) FROM t'), '2');

    // The sandbox container alone stops and starts again: the database must follow its new network namespace.
    await docker.getContainer(containerName(spec.id)).stop({ t: 1 });
    daemon = await daemonOf(spec);
    assert.equal(await psql(daemon, spec, 'INSERT INTO t VALUES (3); SELECT count(*) FROM t'), '3');

    // New limits replace the sandbox container (and so the database's): same rows.
    const before = (await docker.getContainer(databaseContainerName(spec.id)).inspect()).Id;
    const replaced = { ...spec, limits: { ...spec.limits, memoryMb: 640 } };
    daemon = await daemonOf(replaced);
    assert.notEqual((await docker.getContainer(databaseContainerName(spec.id)).inspect()).Id, before, 'a new database container');
    assert.equal(await psql(daemon, spec, 'SELECT string_agg(n::text, $$,$$ ORDER BY n) FROM t'), '1,2,3');
    await runtime.remove(spec.id);
  });

  it('cannot be reached by another sandbox or by the host, at any address', async () => {
    const a = specOf(randomUUID());
    const b = { ...specOf(randomUUID()), database: undefined };
    await daemonOf(a);
    const other = await daemonOf(b);
    const ipOfA = (await docker.getContainer(containerName(a.id)).inspect()).NetworkSettings.Networks['slipway-sandboxes']!.IPAddress;
    assert.ok(ipOfA);
    for (const host of [ipOfA, '127.0.0.1']) {
      const url = `postgres://app:${a.database!.password}@${host}:5432/app?connect_timeout=3`;
      const attempt = await other.call('exec.run', { command: ['psql', url, '-XAtqc', 'SELECT 1'], timeoutMs: 20_000 });
      assert.notEqual(attempt.exitCode, 0, `another sandbox connected to ${host}:5432`);
      assert.match(attempt.stderr, /refused|timeout|timed out|could not connect/i);
    }
    // The host reaches the sandbox's daemon at that address, but no database listens there.
    const reach = (port: number) => new Promise<string>((resolve) => {
      const socket = connect({ host: ipOfA, port, timeout: 3000 });
      socket.on('connect', () => { socket.destroy(); resolve('open'); });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      socket.on('timeout', () => { socket.destroy(); resolve('timeout'); });
    });
    assert.equal(await reach(7070), 'open');
    assert.equal(await reach(5432), 'ECONNREFUSED');
    await runtime.remove(a.id);
    await runtime.remove(b.id);
  });

  it('removeDatabase drops the database and its volume and keeps the sandbox and its workspace; remove drops everything', async () => {
    const spec = specOf(randomUUID());
    const daemon = await daemonOf(spec);
    await daemon.call('exec.run', { command: ['bash', '-c', 'echo kept > kept.txt'] });
    await runtime.removeDatabase(spec.id);
    assert.deepEqual(await runtime.inspect(spec.id), { id: spec.id, state: 'running' });
    assert.equal(await volumeExists(databaseVolumeName(spec.id)), false);
    assert.equal((await daemon.call('exec.run', { command: ['cat', 'kept.txt'] })).stdout, 'kept\n');

    await runtime.start(spec); // turned on again: a new, empty database
    assert.equal(await psql(daemon, spec, 'SELECT count(*) FROM pg_tables WHERE schemaname = $$public$$'), '0');
    await runtime.remove(spec.id);
    assert.deepEqual(await runtime.inspect(spec.id), { id: spec.id, state: 'missing' });
    assert.equal(await volumeExists(databaseVolumeName(spec.id)), false);
  });

  it('lists database containers and volumes, also without their sandbox, so orphans are collected', async () => {
    const spec = specOf(randomUUID());
    await daemonOf(spec);
    let listing = await runtime.list(installation);
    assert.deepEqual(listing.sandboxes.filter((s) => s.id === spec.id), [{ id: spec.id, state: 'running', database: 'running' }], 'one sandbox entry, not one per container');
    assert.ok(listing.databases?.includes(spec.id));

    await docker.getContainer(containerName(spec.id)).remove({ force: true }); // a crash left the database behind
    listing = await runtime.list(installation);
    assert.ok(!listing.sandboxes.some((s) => s.id === spec.id));
    assert.ok(listing.databases?.includes(spec.id), 'the database container is listed');
    await runtime.remove(spec.id); // what orphan GC does with a listed id
    listing = await runtime.list(installation);
    assert.ok(!listing.databases?.includes(spec.id) && !listing.workspaces.includes(spec.id));
    assert.equal(await volumeExists(databaseVolumeName(spec.id)), false);
  });

  it('comes up after its first start was killed half-way through making the cluster', async () => {
    const spec = specOf(randomUUID());
    const starting = runtime.start(spec).then(() => 'started', (error: Error) => error.message);
    const db = databaseContainerName(spec.id);
    // Killed once initdb has written the cluster's first files (PG_VERSION among them), before it is complete.
    await waitFor(async () => /running bootstrap script/.test((await run('docker', ['logs', db]).catch(() => ({ stderr: '' }))).stderr), { what: 'initdb to be half-way', timeoutMs: 60_000, intervalMs: 10 });
    await run('docker', ['kill', db]);
    assert.match(await starting, /the database exited with code 137/);
    const daemon = await daemonOf(spec);
    assert.equal(await psql(daemon, spec, 'SELECT current_database()'), 'app');
    await runtime.remove(spec.id);
  });

  it('diagnoses a database that cannot start, in plain words', async () => {
    const spec = specOf(randomUUID(), '');
    await assert.rejects(runtime.start(spec), (error: unknown) => error instanceof SandboxFailure && /the database exited with code 1/.test(error.message) && /POSTGRES_PASSWORD/.test(error.message));
    const why = await runtime.diagnoseDatabase(spec.id);
    assert.match(why, /^the database exited with code 1; last output:\n.*POSTGRES_PASSWORD/s);
    assert.equal((await runtime.inspect(spec.id)).database, 'stopped');
    await runtime.remove(spec.id);
  });

  it('refuses a database image that does not exist with a message that says how to build it', async () => {
    const spec = specOf(randomUUID());
    spec.database!.image = 'slipway-postgres:does-not-exist';
    await assert.rejects(runtime.start(spec), /the database image slipway-postgres:does-not-exist is missing: build it with "npm run image"/);
    await runtime.remove(spec.id);
  });
});
