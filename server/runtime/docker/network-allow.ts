import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';

/** One exception an administrator makes to the sandbox firewall: a network, optionally one TCP port. */
export interface AllowRule {
  family: 4 | 6;
  /** Address with prefix length, e.g. 10.1.2.3/32. */
  cidr: string;
  port?: number;
}

/**
 * Parses `10.1.2.3`, `10.1.2.3:5432`, `10.0.0.0/8`, `10.1.2.3/32:5432`, `fd00::/8` or
 * `[fd00::5]:5432`. Undefined when it is none of those.
 */
export function parseAllowRule(entry: string): AllowRule | undefined {
  const v6 = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry);
  const [, address = '', port] = v6 ?? /^([^:]+)(?::(\d{1,5}))?$/.exec(entry) ?? (isIPv6(entry.split('/')[0]!) ? [entry, entry] : []);
  const [ip = '', prefix] = address.split('/');
  const family = isIPv4(ip) ? 4 : isIPv6(ip) ? 6 : 0;
  if (!family) return undefined;
  const max = family === 4 ? 32 : 128;
  const bits = prefix === undefined ? max : /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  if (bits < 0 || bits > max) return undefined;
  const portNumber = port === undefined ? undefined : Number(port);
  if (portNumber !== undefined && (portNumber < 1 || portNumber > 65535)) return undefined;
  return { family, cidr: `${ip}/${bits}`, ...(portNumber === undefined ? {} : { port: portNumber }) };
}

export const AllowEntry = z.string().refine((entry) => parseAllowRule(entry) !== undefined,
  'an address or network, optionally with a TCP port: 10.1.2.3/32:5432, 10.0.0.0/8, [fd00::5]:5432');
