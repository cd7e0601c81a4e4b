import { stopTestCluster } from './postgres';

/** Mocha global fixture: the shared test PostgreSQL stops when the run ends. */
export async function mochaGlobalTeardown(): Promise<void> {
  await stopTestCluster();
}
