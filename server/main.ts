import { signInLinkFor } from './auth/bootstrap';
import { isLoopback, loadConfig } from './config';
import { connect } from './db/database';
import { createLogger } from './log';
import { startServer } from './server';

/** `node dist/server.js` starts the server; `node dist/server.js sign-in-link <email>` prints a one-time link. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, process.stdout, config.logFormat);
  const [command, arg] = process.argv.slice(2);
  if (command === 'sign-in-link') {
    if (!arg || !config.databaseUrl) throw new Error('usage: DATABASE_URL=… node dist/server.js sign-in-link <email> (with the embedded database, a running server prints links itself)');
    const sql = connect(config.databaseUrl, { max: 1 });
    console.log(await signInLinkFor(sql, arg));
    await sql.end();
    return;
  }
  if (!isLoopback(config.host)) log.warn({ host: config.host }, 'listening beyond loopback: put TLS in front (see README, self-hosting)');
  const server = await startServer(config, log);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // In order (sandboxes' work, sockets, HTTP, the pool, then PostgreSQL), but never forever.
    setTimeout(() => { log.error({ signal }, 'shutdown took longer than 30 s; exiting now'); process.exit(1); }, 30_000).unref();
    server.close().then(() => { log.info('stopped'); process.exit(0); }, (err: unknown) => { log.error({ err }, 'shutdown failed'); process.exit(1); });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  log.info({ url: server.url, database: config.databaseUrl ? 'external' : 'embedded' }, 'Slipway server is up');
  if (server.firstRun) {
    const { email, token } = server.firstRun;
    process.stdout.write(
      `\n  Slipway is running at ${server.url}\n\n` +
      `  Sign in as ${email} (one-time, 24 h):\n` +
      `    open   ${server.url}/signin#token=${token}\n` +
      `    or in VS Code run "Slipway: Sign In" and paste: ${token}\n` +
      `    or: curl -s -X POST ${server.url}/api/auth/redeem -H 'content-type: application/json' -d '{"token":"${token}"}'\n\n`,
    );
  }
}

main().catch((error: unknown) => {
  // One readable line and a non-zero exit: every start-up failure ends here.
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Slipway could not start: ${message.replace(/\s*\n\s*/g, ' | ')}`);
  process.exit(1);
});
