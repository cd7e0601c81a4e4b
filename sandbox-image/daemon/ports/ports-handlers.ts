import { readFile } from 'node:fs/promises';
import type { ListeningPort } from '../../../protocol/daemon/ports';
import type { HandlersFor } from '../rpc/handler';
import { parseProcNetTcp } from './proc-net-tcp';

const sources = [
  { file: '/proc/net/tcp', family: 'ipv4' },
  { file: '/proc/net/tcp6', family: 'ipv6' },
] as const;

/** TCP ports listening in the sandbox's network namespace, without the daemon's own. */
export async function listeningPorts(ownPort: number): Promise<ListeningPort[]> {
  const found = await Promise.all(
    sources.map(async ({ file, family }) => parseProcNetTcp(await readFile(file, 'utf8').catch(() => ''), family)),
  );
  const seen = new Set<string>();
  return found
    .flat()
    .filter((entry) => entry.port !== ownPort)
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
