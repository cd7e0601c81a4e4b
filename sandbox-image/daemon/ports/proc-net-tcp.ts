import type { ListeningPort } from '../../../protocol/daemon/ports';

const LISTEN = '0A';

/** `0100007F` (one little-endian 32-bit word) -> `127.0.0.1`. */
function ipv4(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  return [bytes[3], bytes[2], bytes[1], bytes[0]].join('.');
}

/** Four little-endian 32-bit words -> a compressed IPv6 address (`::`, `::1`, `fe80::…`). */
function ipv6(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  for (let word = 0; word < 16; word += 4) bytes.subarray(word, word + 4).reverse();
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

/** The listening sockets in the text of /proc/net/tcp or /proc/net/tcp6. */
export function parseProcNetTcp(text: string, family: 'ipv4' | 'ipv6'): ListeningPort[] {
  const ports: ListeningPort[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (!local || fields[3] !== LISTEN) continue;
    const [address = '', port = ''] = local.split(':');
    const expected = family === 'ipv4' ? 8 : 32;
    if (address.length !== expected || !/^[0-9A-Fa-f]+$/.test(address + port)) continue;
    ports.push({ port: Number.parseInt(port, 16), address: family === 'ipv4' ? ipv4(address) : ipv6(address), family });
  }
  return ports;
}
