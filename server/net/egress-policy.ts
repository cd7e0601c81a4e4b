import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';

/** Which hosts a team-set endpoint (their model's baseUrl) may reach, as the server admin configured. */
export interface EgressPolicy {
  /** Everything allowed: loopback, private, link-local (a trusted single-user or lab server). */
  allowPrivate: boolean;
  /** Host names (exact, or `*.suffix`) and CIDRs (`10.1.0.0/16`, `fd00::/8`) allowed even though private. */
  allow: string[];
}

/** Raised at connection time (and at save) for an address the policy refuses. */
export class EgressRefusedError extends Error {
  readonly code = 'ERR_EGRESS_REFUSED';
  constructor(readonly host: string) {
    super(`${host} resolves to a loopback, private, link-local or server address, which team model endpoints may not reach on this server`);
    this.name = 'EgressRefusedError';
  }
}

/** The egress refusal in the error or any error it wraps (fetch, SDK): the host refused (after a redirect, the target's). */
export function egressRefusal(error: unknown): { host: string | undefined } | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof EgressRefusedError) return { host: e.host };
    if ((e as { code?: unknown }).code === 'ERR_EGRESS_REFUSED') return { host: undefined };
  }
  return undefined;
}

export const isEgressRefusal = (error: unknown): boolean => egressRefusal(error) !== undefined;

/** A bare address from a URL host or a resolver answer (`[::1]` → `::1`), or undefined for a name. */
export function literalAddress(host: string): string | undefined {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(bare) ? bare : undefined;
}

/** Decides, per host name and per resolved address, what a team-set endpoint may reach. */
export class EgressGuard {
  private readonly names: string[];
  private readonly cidrs: [ipaddr.IPv4 | ipaddr.IPv6, number][];

  constructor(readonly policy: EgressPolicy) {
    this.names = policy.allow.filter((a) => !a.includes('/')).map((a) => a.toLowerCase());
    this.cidrs = policy.allow.filter((a) => a.includes('/')).map((a) => ipaddr.parseCIDR(a));
  }

  /** Names the admin allowed are trusted whatever they resolve to. */
  allowsName(host: string): boolean {
    const name = host.toLowerCase().replace(/\.$/, '');
    return this.policy.allowPrivate || this.names.some((n) => n === name || (n.startsWith('*.') && name.endsWith(n.slice(1))));
  }

  /** Public unicast addresses pass; loopback, private, link-local, CGNAT, multicast, reserved and this host's own do not. */
  allowsAddress(address: string): boolean {
    if (this.policy.allowPrivate) return true;
    let parsed: ipaddr.IPv4 | ipaddr.IPv6 = ipaddr.parse(address);
    if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    if (this.cidrs.some(([net, bits]) => net.kind() === parsed.kind() && parsed.match(net, bits))) return true;
    if (parsed.range() !== 'unicast') return false;
    return !ownAddresses().has(parsed.toNormalizedString());
  }
}

/** Every address of this machine's interfaces (a public one included), looked up each time: they change. */
function ownAddresses(): Set<string> {
  const own = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) {
      const address = entry.address.split('%')[0]!;
      if (ipaddr.isValid(address)) own.add(ipaddr.parse(address).toNormalizedString());
    }
  }
  return own;
}
