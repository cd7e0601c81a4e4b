import type Docker from 'dockerode';
import { DATABASE_READY_COMMAND } from '../database-server';
import type { ActualState, DatabaseSpec, SandboxSpec } from '../runtime';
import { SandboxFailure } from '../runtime';
import { SHAPE_LABEL, databaseContainerName, databaseLabels, databaseOptions, databaseVolumeName, shapeOf } from './database-container';
import { ensureVolume, inspectOrMissing, nanosOf, removeVolume, statusCode } from './docker-calls';
import { demuxLogs, tail } from './docker-logs';

const READY_TIMEOUT_MS = 60_000;

/**
 * The project databases of the Docker runtime (see database-container.ts): made, started, stopped
 * and removed beside their sandbox containers. A database joins the network namespace its sandbox
 * container has when it starts, so whenever the sandbox container is new or was started after the
 * database, the database is made or started again to follow it.
 */
export class DockerDatabases {
  constructor(private readonly docker: Docker) {}

  /** After the sandbox container runs: the database in its network namespace, running and accepting connections. */
  async ensure(spec: SandboxSpec & { database: DatabaseSpec }, sandbox: Docker.ContainerInspectInfo): Promise<void> {
    await ensureVolume(this.docker, databaseVolumeName(spec.id), databaseLabels(spec));
    const imageId = await this.imageId(spec.database.image);
    const container = this.docker.getContainer(databaseContainerName(spec.id));
    let info = await inspectOrMissing(container);
    if (info && info.Config.Labels?.[SHAPE_LABEL] !== shapeOf(spec.database, imageId, sandbox.Id)) {
      // A new sandbox container, image or limits: a new database container on the same volume.
      await container.remove({ force: true });
      info = undefined;
    }
    if (!info) {
      try {
        await this.docker.createContainer(databaseOptions(spec, imageId, sandbox.Id));
      } catch (error) {
        if (statusCode(error) !== 409) throw error; // made meanwhile by an earlier attempt
      }
    } else if (info.State.Running && nanosOf(info.State.StartedAt) < nanosOf(sandbox.State.StartedAt)) {
      // The sandbox restarted since: the database still listens in the namespace it left.
      await this.stop(spec.id);
    }
    try {
      await container.start();
    } catch (error) {
      if (statusCode(error) !== 304) throw error; // already running
    }
    await this.untilReady(spec.id);
  }

  async stop(id: string): Promise<void> {
    try {
      await this.docker.getContainer(databaseContainerName(id)).stop({ t: 10 });
    } catch (error) {
      if (statusCode(error) !== 304 && statusCode(error) !== 404) throw error;
    }
  }

  /** The container only (the volume stays): before its sandbox container is replaced. */
  async removeContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(databaseContainerName(id)).remove({ force: true, v: false });
    } catch (error) {
      if (statusCode(error) !== 404) throw error;
    }
  }

  /** The container and its volume. */
  async remove(id: string): Promise<void> {
    await this.removeContainer(id);
    await removeVolume(this.docker, databaseVolumeName(id));
  }

  /** Absent when there is no database container. */
  async state(id: string): Promise<ActualState | undefined> {
    const info = await inspectOrMissing(this.docker.getContainer(databaseContainerName(id)));
    return info ? (info.State.Running ? 'running' : 'stopped') : undefined;
  }

  async diagnose(id: string): Promise<string> {
    const container = this.docker.getContainer(databaseContainerName(id));
    try {
      const info = await inspectOrMissing(container);
      if (!info) return 'the database container does not exist';
      const logs = tail(demuxLogs(await container.logs({ stdout: true, stderr: true, tail: 20 }) as unknown as Buffer), 10);
      const state = info.State;
      const why = state.Running ? 'is running but does not accept connections'
        : state.OOMKilled ? 'ran out of memory (its limit is the team\'s database memory limit)'
        : state.Error ? `could not start: ${state.Error}` : `exited with code ${state.ExitCode}`;
      return `the database ${why}${logs ? `; last output:\n${logs}` : ' without output'}`;
    } catch (error) {
      return `the database could not be inspected: ${(error as Error).message}`;
    }
  }

  private async imageId(image: string): Promise<string> {
    try {
      return (await this.docker.getImage(image).inspect()).Id;
    } catch (error) {
      if (statusCode(error) === 404) throw new SandboxFailure(`the database image ${image} is missing: build it with "npm run image"`);
      throw error;
    }
  }

  /** pg_isready inside the database container, until it says yes, the container stops, or the time is up. */
  private async untilReady(id: string): Promise<void> {
    const container = this.docker.getContainer(databaseContainerName(id));
    for (const started = Date.now(); Date.now() - started < READY_TIMEOUT_MS; await new Promise((r) => setTimeout(r, 100))) {
      const info = await inspectOrMissing(container);
      if (!info?.State.Running) throw new SandboxFailure(await this.diagnose(id));
      if (await this.ready(container)) return;
    }
    throw new SandboxFailure(`the database did not accept connections within ${READY_TIMEOUT_MS / 1000} s: ${await this.diagnose(id)}`);
  }

  private async ready(container: Docker.Container): Promise<boolean> {
    try {
      const exec = await container.exec({ Cmd: DATABASE_READY_COMMAND, AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({});
      await new Promise<void>((resolve) => { stream.on('end', resolve); stream.on('close', resolve); stream.on('error', () => resolve()); stream.resume(); });
      return (await exec.inspect()).ExitCode === 0;
    } catch (error) {
      // Stopped meanwhile (the engine answers 404, 409 or, Docker 20.10 on exec start, 500 "container
      // not running"): the caller looks again and says why. Anything else is the engine's own failure.
      if (statusCode(error) === 409 || statusCode(error) === 404 || !(await inspectOrMissing(container))?.State.Running) return false;
      throw error;
    }
  }
}
