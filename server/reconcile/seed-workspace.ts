import type { Sql } from '../db/database';
import { projectSourceArchive } from '../projects/project-source-store';
import type { DaemonClient } from '../daemon-client';
import type { TemplateCatalog } from '../projects/templates';
import { readZip, type ZipLimits } from '../projects/zip-archive';

const PARALLEL_WRITES = 8;

/**
 * Puts a new project's first files into its workspace through the daemon: the template's files, or
 * the validated archive it was imported from, each entry streamed from the archive to the daemon
 * (memory stays small whatever the entries' sizes). Writing the same files again is harmless, so a
 * seed interrupted by a crash is simply done again.
 */
export async function seedWorkspace(deps: { sql: Sql; templates: TemplateCatalog; limits: ZipLimits }, client: DaemonClient, project: { id: string; template: string }): Promise<number> {
  if (project.template === 'import') {
    const archive = await projectSourceArchive(deps.sql, project.id);
    if (!archive) return 0;
    const written = await readZip(archive, deps.limits, async (file) => {
      await client.writeFile(file.path, file.stream, { createParents: true });
    }, { parallel: PARALLEL_WRITES });
    return written.entries;
  }
  const queue = deps.templates.files(project.template).map((file) => ({ path: file.path, data: file.content }));
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const file = queue[next++]!;
      await client.writeFile(file.path, file.data, { createParents: true });
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_WRITES, queue.length) }, worker));
  return queue.length;
}
