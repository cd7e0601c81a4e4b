import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * Files the server reads at run time (migrations, templates) live in the source tree. This finds
 * them both from the TypeScript sources and from the esbuild bundle in dist/.
 */
export function resourcePath(...parts: string[]): string {
  if (!root) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, 'server', 'db', 'migrations'))) {
      const parent = dirname(dir);
      if (parent === dir) throw new Error('cannot find the Slipway installation (server/db/migrations)');
      dir = parent;
    }
    root = dir;
  }
  return join(root, ...parts);
}
