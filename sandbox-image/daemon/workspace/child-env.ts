/**
 * The environment for commands and terminals: the daemon's own, minus its SLIPWAY_DAEMON_*
 * settings (the token must never reach user code), plus what the caller asked for.
 */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('SLIPWAY_DAEMON_')) env[key] = value;
  }
  for (const [key, value] of Object.entries(extra)) {
    if (!key.startsWith('SLIPWAY_DAEMON_')) env[key] = value;
  }
  return env;
}
