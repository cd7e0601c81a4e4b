import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import yazl from 'yazl';

/** Never uploaded: version control, installed dependencies, and OS clutter. */
const SKIPPED = new Set(['.git', '.hg', '.svn', 'node_modules', '.DS_Store', '__pycache__', '.venv']);

export interface ZipLimits {
  /** Largest archive the server takes (its `limits.zipBytes`, 50 MB by default). */
  maxBytes: number;
  maxEntries: number;
}
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxBytes: 50 * 1024 * 1024, maxEntries: 20_000 };

/**
 * A ZIP of a local folder for `POST /api/projects/import`: regular files only (symbolic links are
 * skipped, so nothing outside the folder goes along), paths relative to the folder with `/`.
 */
export async function zipFolder(root: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<{ bytes: Uint8Array<ArrayBuffer>; files: number }> {
  const zip = new yazl.ZipFile();
  let files = 0;
  let total = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      if (SKIPPED.has(name)) continue;
      const full = join(dir, name);
      const info = await lstat(full);
      if (info.isDirectory()) await walk(full);
      else if (info.isFile()) {
        if (++files > limits.maxEntries) throw new Error(`The folder has more than ${limits.maxEntries} files; the server does not take that many.`);
        total += info.size;
        if (total > limits.maxBytes * 4) throw new Error(`The folder is too large to import (more than ${Math.round((limits.maxBytes * 4) / 1024 / 1024)} MB of files).`);
        zip.addBuffer(await readFile(full), relative(root, full).split(sep).join('/'), { mtime: info.mtime, mode: info.mode });
      }
    }
  };
  await walk(root);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  const bytes = new Uint8Array(Buffer.concat(chunks));
  if (bytes.byteLength > limits.maxBytes) throw new Error(`The compressed folder is ${Math.round(bytes.byteLength / 1024 / 1024)} MB; the server takes at most ${Math.round(limits.maxBytes / 1024 / 1024)} MB.`);
  return { bytes, files };
}
