import { DaemonClientError } from '../../../daemon-client';
import type { DaemonClient } from '../../../daemon-client';
import { ToolFailure } from '../tool';

export const MAX_TEXT_BYTES = 5 * 1024 * 1024;

/** The file's text, or null when it does not exist. Directories and binary files are refused. */
export async function readTextOrNull(client: DaemonClient, path: string): Promise<string | null> {
  let entry;
  try {
    entry = await client.call('fs.stat', { path });
  } catch (error) {
    if (error instanceof DaemonClientError && error.code === 'not_found') return null;
    throw error;
  }
  if (entry.type === 'directory') throw new ToolFailure(`${path} is a directory; use list_files to see what is in it`);
  if (entry.size > MAX_TEXT_BYTES) throw new ToolFailure(`${path} is ${entry.size} bytes, too large to handle as text here (limit ${MAX_TEXT_BYTES}); use run_command with head, sed or similar`);
  const bytes = await client.readFile(path);
  if (bytes.subarray(0, 8000).includes(0)) throw new ToolFailure(`${path} looks like a binary file (${entry.size} bytes); it cannot be read or edited as text`);
  return bytes.toString('utf8');
}
