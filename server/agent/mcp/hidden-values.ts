import { HIDDEN_VALUE, isStdioServer, type McpServerConfig } from '../../../protocol/mcp';
import { AppError } from '../../errors';

type Servers = Record<string, McpServerConfig>;

const mapValues = (record: Record<string, string>, fn: (key: string, value: string) => string) =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(key, value)]));

/** The servers as the API shows them: every env and header value replaced by HIDDEN_VALUE. */
export function hideValues(servers: Servers): Servers {
  return Object.fromEntries(Object.entries(servers).map(([name, server]) => [name, isStdioServer(server)
    ? { ...server, env: mapValues(server.env, () => HIDDEN_VALUE) }
    : { ...server, headers: mapValues(server.headers, () => HIDDEN_VALUE) }]));
}

/** New servers with each HIDDEN_VALUE replaced by the stored value of the same server and key; 400 when there is none. */
export function keepHiddenValues(next: Servers, stored: Servers): Servers {
  const resolve = (name: string, kind: 'env' | 'headers', previous: Record<string, string> | undefined) => (key: string, value: string) => {
    if (value !== HIDDEN_VALUE) return value;
    const kept = previous?.[key];
    if (kept === undefined) throw new AppError('bad_request', `servers.${name}.${kind}.${key}: ${HIDDEN_VALUE} keeps a stored value, and there is none`, { reason: 'invalid_argument' });
    return kept;
  };
  return Object.fromEntries(Object.entries(next).map(([name, server]) => {
    const old = stored[name];
    return [name, isStdioServer(server)
      ? { ...server, env: mapValues(server.env, resolve(name, 'env', old && isStdioServer(old) ? old.env : undefined)) }
      : { ...server, headers: mapValues(server.headers, resolve(name, 'headers', old && !isStdioServer(old) ? old.headers : undefined)) }];
  }));
}
