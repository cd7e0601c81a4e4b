import type Docker from 'dockerode';
import { SandboxFailure } from '../runtime';
import { demuxLogs, tail } from './docker-logs';
import { applyScript, DISCOVER_SCRIPT, parseHostFacts, restoreInput, type FirewallPlan } from './firewall-rules';
import { parseAllowRule, type AllowRule } from './network-allow';

export interface SandboxNetworkInfo {
  id: string;
  /** The Linux bridge of the network, e.g. br-7b6ccbab7115. */
  bridge: string;
  ipv6: boolean;
}

/**
 * Keeps sandboxes off the Docker host, its LAN and link-local/metadata addresses while they keep
 * the internet. The rules are applied on the Docker host by a short-lived helper container of the
 * sandbox image (host network, NET_ADMIN and NET_RAW only, root inside it, iptables in the image),
 * so the same path works when the server is root, when it is a user of the docker group, and when
 * the engine is on another machine. Applied once per network id: at start and whenever the network
 * is (re)created. A failure is a SandboxFailure: no sandbox starts unprotected.
 */
export class SandboxFirewall {
  private readonly applied = new Map<string, Promise<void>>();
  private readonly allow: AllowRule[];

  constructor(private readonly docker: Docker, allow: string[] = []) {
    this.allow = allow.map((entry) => {
      const rule = parseAllowRule(entry);
      if (!rule) throw new Error(`sandboxNetwork.allow: "${entry}" is not an address, a network or either with a port`);
      return rule;
    });
  }

  ensure(network: SandboxNetworkInfo, image: string): Promise<void> {
    let done = this.applied.get(network.id);
    if (!done) {
      done = this.apply(network, image).catch((error: unknown) => {
        this.applied.delete(network.id);
        throw error;
      });
      this.applied.set(network.id, done);
    }
    return done;
  }

  private async apply(network: SandboxNetworkInfo, image: string): Promise<void> {
    const facts = parseHostFacts(await this.helper(image, DISCOVER_SCRIPT));
    if (facts === 'no-docker-user-chain') {
      throw new SandboxFailure('the sandbox firewall cannot be applied: Docker\'s DOCKER-USER chain does not exist (is dockerd running with "iptables": false?)', false);
    }
    for (const family of network.ipv6 ? [4, 6] as const : [4] as const) {
      const plan: FirewallPlan = { bridge: network.bridge, family, host: facts, allow: this.allow };
      await this.helper(image, applyScript(plan), { SLIPWAY_RULES: restoreInput(plan) });
    }
  }

  /** Runs `script` as root in a throwaway container on the host's network; returns its stdout. */
  private async helper(image: string, script: string, env: Record<string, string> = {}): Promise<string> {
    const container = await this.docker.createContainer({
      Image: image,
      User: '0:0',
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: [script],
      Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      Labels: { 'dev.slipway.helper': 'firewall' },
      NetworkDisabled: false,
      HostConfig: {
        NetworkMode: 'host',
        CapDrop: ['ALL'],
        CapAdd: ['NET_ADMIN', 'NET_RAW'],
        SecurityOpt: ['no-new-privileges'],
        LogConfig: { Type: 'json-file', Config: {} },
      },
    }).catch((error: unknown) => {
      if ((error as { statusCode?: number }).statusCode === 404) throw new SandboxFailure(`the sandbox image ${image} is missing: build it with "npm run image"`);
      throw error;
    });
    try {
      await container.start();
      const { StatusCode } = await container.wait() as { StatusCode: number };
      const logs = (stdout: boolean, stderr: boolean) => container.logs({ stdout, stderr, follow: false }) as unknown as Promise<Buffer>;
      if (StatusCode !== 0) {
        const output = tail(demuxLogs(await logs(true, true)), 6);
        throw new SandboxFailure(`the sandbox firewall could not be applied (is iptables in the image ${image}?): ${output || `exit code ${StatusCode}`}`, false);
      }
      return demuxLogs(await logs(true, false));
    } finally {
      await container.remove({ force: true }).catch(() => {});
    }
  }
}

/** The Linux bridge Docker made for a network. */
export const bridgeOf = (info: Docker.NetworkInspectInfo): string =>
  info.Options?.['com.docker.network.bridge.name'] ?? `br-${info.Id.slice(0, 12)}`;
