import postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, never>>;
export type Tx = postgres.TransactionSql<Record<string, never>>;

/** One pool per process. Columns come back in camelCase. */
export function connect(url: string, options: { max?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // Column names only: JSON values (chat events, audit detail) keep their own keys.
    transform: { column: { from: postgres.toCamel, to: postgres.fromCamel } },
    connection: { application_name: 'slipway' },
    // A database that is down answers "refused" at once; one that does not answer at all is given up
    // on quickly too, so requests fail fast (503) instead of waiting.
    connect_timeout: 3,
  }) as unknown as Sql;
}

/** Connection-level failures (the database is down, restarting or unreachable), as opposed to bad SQL. */
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED']);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    // SQLSTATE 57P01-03 (shutting down, crashed, starting up), class 08 (connection exceptions).
    if (typeof code === 'string' && (UNAVAILABLE.has(code) || /^57P0[123]$/.test(code) || /^08/.test(code))) return true;
  }
  return false;
}

/** True when the database answers a trivial query within the timeout. */
export async function isReachable(sql: Sql, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`SELECT 1`,
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), timeoutMs); }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
