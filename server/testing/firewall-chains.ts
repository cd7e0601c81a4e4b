import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chainsFor } from '../runtime/docker/firewall-rules';

const run = promisify(execFile);

/** Removes a test bridge's sandbox-firewall chains and the jumps to them (a test network leaves nothing behind). */
export async function dropChains(bridge: string): Promise<void> {
  const { input, forward } = chainsFor(bridge);
  for (const [chain, target] of [['INPUT', input], ['DOCKER-USER', forward]] as const) {
    while (await run('iptables', ['-w', '-D', chain, '-i', bridge, '-j', target]).then(() => true, () => false));
    await run('iptables', ['-w', '-F', target]).catch(() => {});
    await run('iptables', ['-w', '-X', target]).catch(() => {});
  }
}
