import type { Sql } from '../db/database';
import type { DaemonClient } from '../daemon-client';
import type { TemplateCatalog } from '../projects/templates';
import { readZip, type ZipLimits } from '../projects/zip-archive';

const PARALLEL_WRITES = 8;

/**
 * Puts a new project's first files into its workspace through the daemon: the template's files, or
 * the validated archive it was imported from. Writing the same files again is harmless, so a seed
 * interrupted by a crash is simply done again.
 */
export async function seedWorkspace(deps: { sql: Sql; templates: TemplateCatalog; limits: ZipLimits }, client: DaemonClient, project: { id: string; template: string }): Promise<number> {
  const queue: { path: string; data: Buffer }[] = [];
  if (project.template === 'import') {
    const [source] = await deps.sql<{ archive: Buffer }[]>`SELECT archive FROM project_sources WHERE project_id = ${project.id}`;
    if (source) await readZip(source.archive, deps.limits, async (file) => { queue.push(file); });
  } else {
    for (const file of deps.templates.files(project.template)) queue.push({ path: file.path, data: file.content });
  }
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
