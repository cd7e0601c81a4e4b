import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import { EgressGuard, EgressRefusedError, type EgressPolicy } from './egress-policy';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type Lookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/**
 * A `lookup` for net/tls/undici connections that checks, at connect time, every address the name
 * resolves to against the policy, so a name that rebinds after a check to a refused address
 * (loopback, private, metadata…) is refused rather than connected. Literal IPs never reach a lookup:
 * callers check those themselves.
 */
export function guardedLookup(policy: EgressPolicy): Lookup {
  const guard = new EgressGuard(policy);
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      if (!guard.allowsName(hostname) && addresses.some((a) => !guard.allowsAddress(a.address))) return callback(new EgressRefusedError(hostname), []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}
