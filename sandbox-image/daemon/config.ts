export interface DaemonConfig {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  workspace: string;
  token: string;
  /** Largest PUT /files body; default MAX_FILE_WRITE_BYTES. */
  maxFileBytes?: number;
  /** How long a terminal nobody is attached to keeps running (its shell and what it started); default 1 h. */
  detachedTerminalSeconds?: number;
}

/** Reads SLIPWAY_DAEMON_HOST/PORT/TOKEN, SLIPWAY_WORKSPACE and SLIPWAY_DETACHED_TERMINAL_SECONDS. Throws without a usable token or port. */
export function configFromEnv(env: NodeJS.ProcessEnv): DaemonConfig {
  const token = env.SLIPWAY_DAEMON_TOKEN ?? '';
  if (token.length < 16) throw new Error('SLIPWAY_DAEMON_TOKEN must be set (16 characters or more)');
  const port = Number(env.SLIPWAY_DAEMON_PORT ?? 7070);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('SLIPWAY_DAEMON_PORT must be a port number');
  const keep = env.SLIPWAY_DETACHED_TERMINAL_SECONDS;
  const detachedTerminalSeconds = keep ? Number(keep) : undefined;
  if (detachedTerminalSeconds !== undefined && !(Number.isFinite(detachedTerminalSeconds) && detachedTerminalSeconds > 0)) {
    throw new Error('SLIPWAY_DETACHED_TERMINAL_SECONDS must be a positive number of seconds');
  }
  return {
    ...(detachedTerminalSeconds ? { detachedTerminalSeconds } : {}),
    host: env.SLIPWAY_DAEMON_HOST || '0.0.0.0',
    port,
    workspace: env.SLIPWAY_WORKSPACE || '/workspace',
    token,
  };
}
