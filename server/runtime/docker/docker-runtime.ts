import Docker from 'dockerode';
import type { DatabaseSpec, Runtime, SandboxSpec, SandboxStatus, RuntimeListing } from '../runtime';
import { SandboxFailure } from '../runtime';
import { DAEMON_PORT, LABEL, SANDBOX_CPU_SHARES, containerName, containerOptions, homeVolumeName, labelsOf, volumeName } from './container-spec';
import { isDatabase } from './database-container';
import { ensureVolume, inspectOrMissing, removeVolume, statusCode } from './docker-calls';
import { DockerDatabases } from './docker-database';
import { demuxLogs, tail } from './docker-logs';
import { SandboxFirewall, bridgeOf, type SandboxNetworkInfo } from './sandbox-firewall';

export const SANDBOX_NETWORK = 'slipway-sandboxes';

const hasLimits = (info: Docker.ContainerInspectInfo, spec: SandboxSpec): boolean =>
  info.HostConfig.Memory === spec.limits.memoryMb * 1024 * 1024 &&
  info.HostConfig.NanoCpus === Math.round(spec.limits.cpus * 1e9) &&
  info.HostConfig.PidsLimit === spec.limits.pids &&
  info.HostConfig.CpuShares === SANDBOX_CPU_SHARES;

export interface DockerRuntimeOptions {
  network?: string;
  /** The sandbox firewall (on unless `enabled: false`) and the administrator's exceptions. */
  firewall?: { enabled?: boolean; allow?: string[] };
}

/** Sandboxes as Docker containers with a named volume each, through dockerode. */
export class DockerRuntime implements Runtime {
  readonly kind = 'docker' as const;
  private readonly networkName: string;
  private readonly firewall: SandboxFirewall | undefined;
  private readonly databases: DockerDatabases;

  constructor(readonly docker: Docker = new Docker(), options: DockerRuntimeOptions = {}) {
    this.networkName = options.network ?? SANDBOX_NETWORK;
    this.firewall = options.firewall?.enabled === false ? undefined : new SandboxFirewall(docker, options.firewall?.allow);
    this.databases = new DockerDatabases(docker);
  }

  /** The socket answers? Used to choose the default runtime. */
  static async available(docker: Docker = new Docker()): Promise<boolean> {
    try {
      await docker.ping();
      return true;
    } catch {
      return false;
    }
  }

  async hasImage(image: string): Promise<boolean> {
    try {
      await this.docker.getImage(image).inspect();
      return true;
    } catch (error) {
      if (statusCode(error) === 404) return false;
      throw error;
    }
  }

  private async imageId(image: string): Promise<string | undefined> {
    try {
      return (await this.docker.getImage(image).inspect()).Id;
    } catch (error) {
      if (statusCode(error) === 404) throw new SandboxFailure(`the sandbox image ${image} is missing: build it with "npm run image"`);
      throw error;
    }
  }

  /** The network and its firewall, before any sandbox (re)starts: at server start. */
  async prepare(image: string): Promise<void> {
    await this.ensureNetwork(image);
  }

  async start(spec: SandboxSpec): Promise<{ address: string }> {
    await this.ensureNetwork(spec.image);
    await this.ensureVolumes(spec);
    const container = this.docker.getContainer(containerName(spec.id));
    let info = await container.inspect().catch((error: unknown) => {
      if (statusCode(error) === 404) return undefined;
      throw error;
    });
    if (info && (info.Image !== (await this.imageId(spec.image)) || !hasLimits(info, spec))) {
      // The image (an upgrade) or the team's limits changed: replace the container, keep the workspace
      // (and the database's volume: its container follows the new sandbox container below).
      await this.databases.removeContainer(spec.id);
      await container.remove({ force: true });
      info = undefined;
    }
    if (!info) {
      try {
        await this.docker.createContainer(containerOptions(spec, this.networkName));
      } catch (error) {
        if (statusCode(error) === 404) throw new SandboxFailure(`the sandbox image ${spec.image} is missing: build it with "npm run image"`);
        if (statusCode(error) !== 409) throw error; // 409: created meanwhile by an earlier attempt
      }
    }
    try {
      await container.start();
    } catch (error) {
      if (statusCode(error) !== 304) throw error; // 304: already running
    }
    const address = await this.addressOf(spec.id);
    if (spec.database) await this.databases.ensure(spec as SandboxSpec & { database: DatabaseSpec }, await container.inspect());
    return { address };
  }

  /** The database first: it lives in the sandbox's network namespace. */
  async stop(id: string): Promise<void> {
    await this.databases.stop(id);
    try {
      await this.docker.getContainer(containerName(id)).stop({ t: 5 });
    } catch (error) {
      if (statusCode(error) !== 304 && statusCode(error) !== 404) throw error;
    }
  }

  async remove(id: string): Promise<void> {
    await this.databases.remove(id);
    try {
      await this.docker.getContainer(containerName(id)).remove({ force: true, v: false });
    } catch (error) {
      if (statusCode(error) !== 404) throw error;
    }
    for (const name of [volumeName(id), homeVolumeName(id)]) await removeVolume(this.docker, name);
  }

  /** The database's container and volume; the sandbox and its workspace stay. */
  async removeDatabase(id: string): Promise<void> {
    await this.databases.remove(id);
  }

  async inspect(id: string): Promise<SandboxStatus> {
    const [info, database] = await Promise.all([inspectOrMissing(this.docker.getContainer(containerName(id))), this.databases.state(id)]);
    const withDatabase = database ? { database } : {};
    if (!info) return { id, state: 'missing', ...withDatabase };
    if (info.State.Running) return { id, state: 'running', ...withDatabase };
    return { id, state: 'stopped', exitCode: info.State.ExitCode, ...withDatabase };
  }

  async list(installation: string): Promise<RuntimeListing> {
    const filters = JSON.stringify({ label: [`${LABEL.installation}=${installation}`] });
    const [containers, volumes] = await Promise.all([
      this.docker.listContainers({ all: true, filters }),
      this.docker.listVolumes({ filters }),
    ]);
    const stateOf = (c: Docker.ContainerInfo) => (c.State === 'running' ? 'running' as const : 'stopped' as const);
    const databases = new Map(containers.filter((c) => isDatabase(c.Labels) && c.Labels[LABEL.sandbox]).map((c) => [c.Labels[LABEL.sandbox]!, stateOf(c)]));
    return {
      sandboxes: containers.filter((c) => !isDatabase(c.Labels) && c.Labels[LABEL.sandbox]).map((c) => {
        const id = c.Labels[LABEL.sandbox]!;
        const database = databases.get(id);
        return { id, state: stateOf(c), ...(database ? { database } : {}) };
      }),
      // Any volume (workspace, home, database) keeps its sandbox's id listed until it is removed.
      workspaces: [...new Set((volumes.Volumes ?? []).map((v) => v.Labels?.[LABEL.sandbox] ?? '').filter(Boolean))],
      databases: [...databases.keys()],
    };
  }

  diagnoseDatabase(id: string): Promise<string> {
    return this.databases.diagnose(id);
  }

  async diagnose(id: string): Promise<string> {
    const container = this.docker.getContainer(containerName(id));
    try {
      const info = await container.inspect();
      const logs = tail(demuxLogs(await container.logs({ stdout: true, stderr: true, tail: 20 }) as unknown as Buffer), 10);
      const state = info.State;
      const why = state.OOMKilled ? 'ran out of memory' : state.Error ? state.Error : `exited with code ${state.ExitCode}`;
      return `the sandbox ${why}${logs ? `; last output:\n${logs}` : ' without output'}`;
    } catch (error) {
      if (statusCode(error) === 404) return 'the sandbox container does not exist';
      return `the sandbox could not be inspected: ${(error as Error).message}`;
    }
  }

  private async addressOf(id: string): Promise<string> {
    const info = await this.docker.getContainer(containerName(id)).inspect();
    const ip = info.NetworkSettings.Networks[this.networkName]?.IPAddress;
    if (!ip) throw new SandboxFailure('the sandbox started without an address on the sandbox network');
    return `http://${ip}:${DAEMON_PORT}`;
  }

  private async ensureVolumes(spec: SandboxSpec): Promise<void> {
    for (const name of [volumeName(spec.id), homeVolumeName(spec.id)]) await ensureVolume(this.docker, name, labelsOf(spec));
  }

  /**
   * A bridge with inter-container traffic disabled (sandboxes cannot reach each other), and the
   * firewall for it. Inspected on every start (a few ms): a network that was removed and recreated
   * has a new bridge, and gets the rules again before a sandbox starts on it.
   */
  private async ensureNetwork(image: string): Promise<void> {
    const network = await this.sandboxNetwork();
    await this.firewall?.ensure(network, image);
  }

  private async sandboxNetwork(): Promise<SandboxNetworkInfo> {
    const describe = (info: Docker.NetworkInspectInfo) => ({ id: info.Id, bridge: bridgeOf(info), ipv6: Boolean(info.EnableIPv6) });
    try {
      return describe(await this.docker.getNetwork(this.networkName).inspect() as Docker.NetworkInspectInfo);
    } catch (error) {
      if (statusCode(error) !== 404) throw error;
    }
    try {
      await this.docker.createNetwork({
        Name: this.networkName,
        Driver: 'bridge',
        CheckDuplicate: true,
        Labels: { 'dev.slipway.network': 'sandboxes' },
        Options: { 'com.docker.network.bridge.enable_icc': 'false' },
      });
    } catch (createError) {
      if (statusCode(createError) !== 409) throw createError;
    }
    return describe(await this.docker.getNetwork(this.networkName).inspect() as Docker.NetworkInspectInfo);
  }
}
