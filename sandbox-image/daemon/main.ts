import { configFromEnv } from './config';
import { startDaemon } from './daemon';
import { log } from './log';

/** The sandbox daemon's entry (bundled to dist/daemon.cjs). Configured by environment only. */
async function main(): Promise<void> {
  let config;
  try {
    config = configFromEnv(process.env);
  } catch (error) {
    log.error(error instanceof Error ? error.message : 'bad configuration');
    process.exit(2);
  }
  // User code started by the daemon must not see the token (child envs drop it too).
  delete process.env.SLIPWAY_DAEMON_TOKEN;
  // The image tunes the daemon's own malloc (see the Dockerfile's CMD); user code keeps glibc's defaults.
  delete process.env.MALLOC_ARENA_MAX;
  delete process.env.MALLOC_TRIM_THRESHOLD_;
  const daemon = await startDaemon(config);
  const stop = (signal: NodeJS.Signals): void => {
    log.info('daemon stopping', { signal });
    void daemon.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.on('uncaughtException', (error) => log.error('uncaught exception', error));
  process.on('unhandledRejection', (error) => log.error('unhandled rejection', error));
}

main().catch((error: unknown) => {
  log.error('daemon failed to start', error);
  process.exit(1);
});
