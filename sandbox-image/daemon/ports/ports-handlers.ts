import { readFile } from 'node:fs/promises';
import type { ListeningPort } from '../../../protocol/daemon/ports';
import type { HandlersFor } from '../rpc/handler';
import { parseProcNetTcp } from './proc-net-tcp';

const sources = [
  { file: '/proc/net/tcp', family: 'ipv4' },
  { file: '/proc/net/tcp6', family: 'ipv6' },
] as const;

/**
 * Whether a listening address is one a user's app serves on: a wildcard, 127.0.0.1/::1 or an
 * interface address. Other loopback addresses are infrastructure (Docker's embedded DNS resolver
 * listens on 127.0.0.11 in every container), never an app a preview could show.
 */
export function isAppAddress(address: string): boolean {
  if (address.startsWith('127.')) return address === '127.0.0.1';
  if (address.startsWith('::ffff:7f')) return address === '::ffff:7f00:1';
  return true;
}

/** TCP ports listening in the sandbox's network namespace that an app could serve: not the daemon's own, not the resolver's. */
export async function listeningPorts(ownPort: number): Promise<ListeningPort[]> {
  const found = await Promise.all(
    sources.map(async ({ file, family }) => parseProcNetTcp(await readFile(file, 'utf8').catch(() => ''), family)),
  );
  const seen = new Set<string>();
  return found
    .flat()
    .filter((entry) => entry.port !== ownPort && isAppAddress(entry.address))
    .filter((entry) => {
      const key = `${entry.family}/${entry.address}/${entry.port}`;
      return !seen.has(key) && seen.add(key) !== undefined;
    })
    .sort((a, b) => a.port - b.port || a.family.localeCompare(b.family));
}

export function portsHandlers(ownPort: () => number): HandlersFor<'ports'> {
  return {
    'ports.list': async () => ({ ports: await listeningPorts(ownPort()) }),
  };
}
