import type { AllowRule } from './network-allow';

/** Where sandboxes must never connect to (besides the Docker host itself, refused whole). */
export const BLOCKED_V4 = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/4', '240.0.0.0/4'];
export const BLOCKED_V6 = ['::1/128', '::ffff:0:0/96', 'fc00::/7', 'fe80::/10', 'ff00::/8'];

/** What the Docker host told the helper about itself. */
export interface HostFacts {
  backend: 'nft' | 'legacy';
  /** Networks the host is directly attached to (its LANs), per family. */
  lan: { 4: string[]; 6: string[] };
  /** The host's DNS servers: Docker's embedded DNS forwards to them from the sandbox's namespace. */
  nameservers: { 4: string[]; 6: string[] };
}

export interface FirewallPlan {
  bridge: string;
  family: 4 | 6;
  host: HostFacts;
  allow: AllowRule[];
}

/** Our two chains for one sandbox bridge (bridge names have at most 15 characters). */
export const chainsFor = (bridge: string) => ({ input: `SLW-IN-${bridge}`, forward: `SLW-FWD-${bridge}` });

/**
 * The rules, as `iptables-restore --noflush` input: declaring a chain there empties and refills it
 * in one transaction, so re-applying never leaves a moment without them.
 *
 * Traffic from a sandbox to any address of the host (bridge gateway, eth0, a 0.0.0.0 listener) is
 * routed locally, so it meets INPUT: everything is refused there except replies to connections the
 * host opened (the server talking to daemons and previews), DNS to the host's resolvers and the
 * administrator's exceptions. Traffic to other machines meets FORWARD (Docker's DOCKER-USER):
 * private, link-local, loopback, multicast and the host's LAN are refused; the rest (the internet)
 * goes on to Docker's own rules.
 */
export function restoreInput(plan: FirewallPlan): string {
  const { input, forward } = chainsFor(plan.bridge);
  const v6 = plan.family === 6;
  const reject = v6 ? 'icmp6-adm-prohibited' : 'icmp-admin-prohibited';
  const exceptions = [
    '-m conntrack --ctstate ESTABLISHED,RELATED',
    ...plan.host.nameservers[plan.family].flatMap((ns) => [`-d ${hostCidr(ns, v6)} -p udp --dport 53`, `-d ${hostCidr(ns, v6)} -p tcp --dport 53`]),
    ...plan.allow.filter((a) => a.family === plan.family).map((a) => `-d ${a.cidr}${a.port ? ` -p tcp --dport ${a.port}` : ''}`),
  ];
  const refuse = (chain: string, match: string) => [`-A ${chain}${match} -p tcp -j REJECT --reject-with tcp-reset`, `-A ${chain}${match} -j REJECT --reject-with ${reject}`];
  const blocked = [...new Set([...(v6 ? BLOCKED_V6 : BLOCKED_V4), ...plan.host.lan[plan.family]])];
  return [
    '*filter',
    `:${input} - [0:0]`,
    `:${forward} - [0:0]`,
    ...exceptions.map((match) => `-A ${input} ${match} -j RETURN`),
    // IPv6 needs neighbour discovery with the host (the gateway's link-local address).
    ...(v6 ? ['133', '135', '136'].map((type) => `-A ${input} -p ipv6-icmp --icmpv6-type ${type} -j RETURN`) : []),
    ...refuse(input, ''),
    ...exceptions.map((match) => `-A ${forward} ${match} -j RETURN`),
    ...blocked.flatMap((cidr) => refuse(forward, ` -d ${cidr}`)),
    'COMMIT',
    '',
  ].join('\n');
}

const hostCidr = (address: string, v6: boolean) => `${address}/${v6 ? 128 : 32}`;

/**
 * A POSIX shell script for the helper: loads the chains, then makes the jump from INPUT and from
 * DOCKER-USER the first rule of each (inserting before removing duplicates, so there is no gap).
 */
export function applyScript(plan: FirewallPlan): string {
  const { input, forward } = chainsFor(plan.bridge);
  const tool = `${plan.family === 6 ? 'ip6tables' : 'iptables'}-${plan.host.backend}`;
  return `set -eu
IPT="${tool} -w 10"
printf '%s' "$SLIPWAY_RULES" | ${tool}-restore -w 10 --noflush
first() {
  chain=$1; shift
  rule="-A $chain $*"
  [ "$($IPT -S "$chain" 1 2>/dev/null)" = "$rule" ] || $IPT -I "$chain" 1 "$@"
  for n in $($IPT -S "$chain" | tail -n +2 | grep -n -x -F -e "$rule" | cut -d: -f1 | sort -rn); do
    [ "$n" -gt 1 ] && $IPT -D "$chain" "$n"
  done
  return 0
}
first INPUT -i ${plan.bridge} -j ${input}
# Docker without ip6tables support has no IPv6 DOCKER-USER: FORWARD itself then.
if $IPT -S DOCKER-USER >/dev/null 2>&1; then first DOCKER-USER -i ${plan.bridge} -j ${forward}
else first FORWARD -i ${plan.bridge} -j ${forward}; fi
# Chains of sandbox networks that no longer exist (removed, recreated) go.
for bridge in $($IPT -S | sed -n 's/^-N SLW-IN-\\(.*\\)$/\\1/p'); do
  ip link show dev "$bridge" >/dev/null 2>&1 && continue
  for jump in "INPUT -i $bridge -j SLW-IN-$bridge" "DOCKER-USER -i $bridge -j SLW-FWD-$bridge" "FORWARD -i $bridge -j SLW-FWD-$bridge"; do
    while $IPT -D $jump 2>/dev/null; do :; done
  done
  for chain in "SLW-IN-$bridge" "SLW-FWD-$bridge"; do $IPT -F "$chain" 2>/dev/null || true; $IPT -X "$chain" 2>/dev/null || true; done
done
echo applied
`;
}

/** What the helper prints about the host: one `key value` per line. */
export const DISCOVER_SCRIPT = `set -u
if iptables-nft -w 10 -S DOCKER-USER >/dev/null 2>&1; then echo "backend nft"
elif iptables-legacy -w 10 -S DOCKER-USER >/dev/null 2>&1; then echo "backend legacy"
else echo "backend none"; fi
ip -4 -o route show table main proto kernel scope link | while read -r net rest; do echo "lan4 $net"; done
ip -6 -o route show table main proto kernel 2>/dev/null | while read -r net rest; do echo "lan6 $net"; done
sed -n 's/^nameserver[[:space:]]*\\([^[:space:]%]*\\).*/ns \\1/p' /etc/resolv.conf
`;

export function parseHostFacts(output: string): HostFacts | 'no-docker-user-chain' {
  const facts: HostFacts = { backend: 'nft', lan: { 4: [], 6: [] }, nameservers: { 4: [], 6: [] } };
  for (const line of output.split('\n')) {
    const [key, value = ''] = line.trim().split(/\s+/);
    if (key === 'backend') {
      if (value !== 'nft' && value !== 'legacy') return 'no-docker-user-chain';
      facts.backend = value;
    } else if (key === 'lan4' && /^[\d.]+(\/\d+)?$/.test(value)) facts.lan[4].push(value);
    else if (key === 'lan6' && /^[\da-f:]+\/\d+$/i.test(value)) facts.lan[6].push(value);
    else if (key === 'ns' && /^[\d.]+$/.test(value)) facts.nameservers[4].push(value);
    else if (key === 'ns' && /^[\da-f:]+$/i.test(value)) facts.nameservers[6].push(value);
  }
  return facts;
}
