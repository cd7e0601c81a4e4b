import Docker from 'dockerode';
import type { Runtime, SandboxSpec, SandboxStatus, RuntimeListing } from '../runtime';
import { noDatabaseSupport, SandboxFailure } from '../runtime';
import { DAEMON_PORT, LABEL, SANDBOX_CPU_SHARES, containerName, containerOptions, homeVolumeName, labelsOf, volumeName } from './container-spec';
import { demuxLogs, tail } from './docker-logs';
import { SandboxFirewall, bridgeOf, type SandboxNetworkInfo } from './sandbox-firewall';

export const SANDBOX_NETWORK = 'slipway-sandboxes';

const hasLimits = (info: Docker.ContainerInspectInfo, spec: SandboxSpec): boolean =>
  info.HostConfig.Memory === spec.limits.memoryMb * 1024 * 1024 &&
  info.HostConfig.NanoCpus === Math.round(spec.limits.cpus * 1e9) &&
  info.HostConfig.PidsLimit === spec.limits.pids &&
  info.HostConfig.CpuShares === SANDBOX_CPU_SHARES;

const statusCode = (error: unknown): number | undefined => (error as { statusCode?: number }).statusCode;

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

  constructor(readonly docker: Docker = new Docker(), options: DockerRuntimeOptions = {}) {
    this.networkName = options.network ?? SANDBOX_NETWORK;
    this.firewall = options.firewall?.enabled === false ? undefined : new SandboxFirewall(docker, options.firewall?.allow);
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
    if (spec.database) throw noDatabaseSupport(this.kind);
    await this.ensureNetwork(spec.image);
    await this.ensureVolumes(spec);
    const container = this.docker.getContainer(containerName(spec.id));
    let info = await container.inspect().catch((error: unknown) => {
      if (statusCode(error) === 404) return undefined;
      throw error;
    });
    if (info && (info.Image !== (await this.imageId(spec.image)) || !hasLimits(info, spec))) {
      // The image (an upgrade) or the team's limits changed: replace the container, keep the workspace.
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
    return { address: await this.addressOf(spec.id) };
  }

  async stop(id: string): Promise<void> {
    try {
      await this.docker.getContainer(containerName(id)).stop({ t: 5 });
    } catch (error) {
      if (statusCode(error) !== 304 && statusCode(error) !== 404) throw error;
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await this.docker.getContainer(containerName(id)).remove({ force: true, v: false });
    } catch (error) {
      if (statusCode(error) !== 404) throw error;
    }
    for (const name of [volumeName(id), homeVolumeName(id)]) await this.removeVolume(name);
  }

  /** A removal still in progress holds the volume for a moment. */
  private async removeVolume(name: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.docker.getVolume(name).remove();
        return;
      } catch (error) {
        if (statusCode(error) === 404) return;
        if (statusCode(error) !== 409 || attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async inspect(id: string): Promise<SandboxStatus> {
    try {
      const info = await this.docker.getContainer(containerName(id)).inspect();
      if (info.State.Running) return { id, state: 'running' };
      return { id, state: 'stopped', exitCode: info.State.ExitCode };
    } catch (error) {
      if (statusCode(error) === 404) return { id, state: 'missing' };
      throw error;
    }
  }

  async list(installation: string): Promise<RuntimeListing> {
    const filters = JSON.stringify({ label: [`${LABEL.installation}=${installation}`] });
    const [containers, volumes] = await Promise.all([
      this.docker.listContainers({ all: true, filters }),
      this.docker.listVolumes({ filters }),
    ]);
    return {
      sandboxes: containers.map((c) => ({
        id: c.Labels[LABEL.sandbox] ?? '',
        state: c.State === 'running' ? 'running' as const : 'stopped' as const,
      })).filter((s) => s.id),
      workspaces: [...new Set((volumes.Volumes ?? []).map((v) => v.Labels?.[LABEL.sandbox] ?? '').filter(Boolean))],
    };
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
    for (const name of [volumeName(spec.id), homeVolumeName(spec.id)]) {
      try {
        await this.docker.getVolume(name).inspect();
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
        await this.docker.createVolume({ Name: name, Labels: labelsOf(spec) });
      }
    }
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
