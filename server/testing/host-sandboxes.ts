import { readdirSync, rmSync } from 'node:fs';
import { HostRuntime } from '../runtime/host/host-runtime';

/** Stops every host-runtime daemon under `dir` and removes the directory (test teardown). */
export async function removeHostSandboxes(dir: string): Promise<void> {
  const runtime = new HostRuntime(dir);
  for (const id of readdirSync(dir)) await runtime.remove(id);
  rmSync(dir, { recursive: true, force: true });
}
