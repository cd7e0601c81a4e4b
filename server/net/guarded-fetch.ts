import { lookup } from 'node:dns';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { EgressGuard, EgressRefusedError, literalAddress, type EgressPolicy } from './egress-policy';
import { guardedLookup } from './guarded-lookup';

/**
 * A `fetch` whose every connection is checked where it is made: each address a name resolves to
 * (so DNS rebinding between a check and the request gains nothing), literal IPs, and every hop of a
 * redirect, since all of them connect through the same guarded connector.
 */
export function guardedFetch(policy: EgressPolicy): typeof fetch {
  const guard = new EgressGuard(policy);
  const connect = buildConnector({ lookup: guardedLookup(policy) as never });
  const dispatcher = new Agent({
    connect: (options, callback) => {
      const address = literalAddress(options.hostname);
      if (address && !guard.allowsName(options.hostname) && !guard.allowsAddress(address)) return callback(new EgressRefusedError(options.hostname), null);
      connect(options, callback);
    },
  });
  return ((input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, { ...init, dispatcher })) as unknown as typeof fetch;
}

/** At save: refuses a URL whose host is, or resolves now to, an address the policy refuses. Unresolvable names pass (checked again at use). */
export async function checkEgressUrl(url: string, policy: EgressPolicy): Promise<void> {
  const guard = new EgressGuard(policy);
  const { hostname } = new URL(url);
  if (guard.allowsName(hostname)) return;
  const address = literalAddress(hostname);
  const addresses = address ? [address] : await lookupAll(hostname);
  if (addresses.some((a) => !guard.allowsAddress(a))) throw new EgressRefusedError(hostname);
}

/** The name's addresses now; none when it does not resolve within a few seconds (an offline resolver must not hold the request). */
function lookupAll(hostname: string, timeoutMs = 3000): Promise<string[]> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve([]), timeoutMs);
    lookup(hostname, { all: true }, (err, addresses) => {
      clearTimeout(timer);
      resolve(err ? [] : addresses.map((a) => a.address));
    });
  });
}
