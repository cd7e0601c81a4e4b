import type { DaemonClient } from '../daemon-client';

export interface DatabaseProbe {
  reachable: boolean;
  version?: string;
  /** `schema.table`, user tables only (with `tables`). */
  tables?: string[];
  /** Why it is not reachable (psql's own words). */
  error?: string;
}

const TABLES = "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1";

/**
 * Asks the database from inside the sandbox, as the project's own code would: `psql` with the
 * sandbox's PG* variables. Proves the sandbox reaches it; says its version (and tables).
 */
export async function probeDatabase(client: DaemonClient, options: { tables?: boolean; timeoutMs?: number } = {}): Promise<DatabaseProbe> {
  const command = ['psql', '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', 'SHOW server_version', ...(options.tables ? ['-c', TABLES] : [])];
  const run = await client.call('exec.run', { command, timeoutMs: options.timeoutMs ?? 5000, maxOutputBytes: 64 * 1024 }).catch((error: Error) => ({ exitCode: null, stdout: '', stderr: error.message, timedOut: false }));
  if (run.exitCode !== 0) {
    const why = run.timedOut ? 'psql timed out' : run.stderr.trim().split('\n').slice(-2).join(' ') || `psql exited with ${run.exitCode}`;
    return { reachable: false, error: why.slice(0, 500) };
  }
  const [version, ...tables] = run.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  return { reachable: true, version, ...(options.tables ? { tables } : {}) };
}
