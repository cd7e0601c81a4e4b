import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DaemonError, describing, isErrno } from '../rpc/daemon-error';
import type { Resolved } from '../workspace/workspace';
import { tempPathFor } from '../workspace/temp-names';

export interface WriteOptions {
  createParents: boolean;
  /** Permission bits; default: the existing file's, or 0o644. */
  mode?: number;
  maxBytes: number;
}

/**
 * Writes `body` to a temporary file beside the target, syncs it, then renames it over the target:
 * readers see the old file or the whole new one, never a part. On any failure (including the body
 * being cut off or too large) the temporary file is removed and the target is untouched.
 */
export async function writeAtomically(target: Resolved, body: AsyncIterable<Uint8Array>, options: WriteOptions): Promise<number> {
  const dir = path.dirname(target.real);
  if (options.createParents) await describing(path.dirname(target.rel), () => mkdir(dir, { recursive: true }));
  const existing = await stat(target.real).catch((error: unknown) => {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  });
  if (existing?.isDirectory()) throw new DaemonError('bad_request', `is a directory: ${target.rel}`, 'is_a_directory');
  const mode = options.mode ?? (existing ? existing.mode & 0o7777 : 0o644);
  const temp = tempPathFor(target.real);
  const handle = await describing(path.dirname(target.rel), () => open(temp, 'wx', mode));
  let size = 0;
  try {
    size = await copyInto(handle, body, options.maxBytes);
    await handle.chmod(mode);
    await handle.datasync();
    await handle.close();
    await describing(target.rel, () => rename(temp, target.real));
    return size;
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * How much of the body may wait for the disk. Chunks that arrive while a write is under way go out
 * together in one writev, so the network and the disk overlap; past this the body is paused.
 */
export const WRITE_BUFFER_BYTES = 1024 * 1024;

async function copyInto(handle: FileHandle, body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<number> {
  let size = 0;
  const counted = async function* (source: AsyncIterable<Uint8Array>) {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > maxBytes) throw new DaemonError('payload_too_large', `file is larger than ${maxBytes} bytes`);
      yield chunk;
    }
  };
  // On the handle's descriptor, left open (a FileHandle's own stream would hold it from close()).
  await pipeline(body, counted, createWriteStream('', { fd: handle.fd, autoClose: false, highWaterMark: WRITE_BUFFER_BYTES }));
  return size;
}
