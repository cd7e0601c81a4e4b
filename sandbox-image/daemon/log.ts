/** One JSON line per event on stderr; the sandbox's log collector reads it. Never sent to clients. */
function write(level: 'info' | 'error', message: string, detail?: unknown): void {
  const entry: Record<string, unknown> = { time: new Date().toISOString(), level, msg: message };
  if (detail instanceof Error) entry.err = { message: detail.message, stack: detail.stack };
  else if (detail !== undefined) entry.detail = detail;
  process.stderr.write(`${JSON.stringify(entry)}\n`);
}

export const log = {
  quiet: process.env.SLIPWAY_DAEMON_QUIET === '1',
  info(message: string, detail?: unknown): void {
    if (!log.quiet) write('info', message, detail);
  },
  error(message: string, detail?: unknown): void {
    write('error', message, detail);
  },
};
