import type { ChatAttachment, StoredAttachment } from '../../../protocol/chat-context';
import { DaemonClientError, type DaemonClient } from '../../daemon-client';

/** How many mentioned paths are checked at once. */
const PARALLEL = 8;

/**
 * Turns what a client sent into what the chat keeps: each mentioned file or folder is looked up in
 * the sandbox (its real kind, a file's size, or `missing`); content attachments are kept as sent
 * (already capped by the protocol). `client` is undefined when the sandbox cannot be reached now:
 * the paths are then kept unchecked (the agent looks with its tools anyway).
 */
export async function resolveAttachments(attachments: ChatAttachment[], client: DaemonClient | undefined): Promise<StoredAttachment[]> {
  const out: StoredAttachment[] = [];
  for (let at = 0; at < attachments.length; at += PARALLEL) {
    out.push(...(await Promise.all(attachments.slice(at, at + PARALLEL).map((a) => resolveOne(a, client)))));
  }
  return out;
}

async function resolveOne(attachment: ChatAttachment, client: DaemonClient | undefined): Promise<StoredAttachment> {
  if (attachment.kind !== 'file' && attachment.kind !== 'folder') return attachment;
  const unchecked = { kind: attachment.kind, path: attachment.path, missing: false, bytes: null };
  if (!client) return unchecked;
  try {
    const entry = await client.call('fs.stat', { path: attachment.path });
    if (entry.type === 'directory') return { kind: 'folder', path: attachment.path, missing: false, bytes: null };
    return { kind: 'file', path: attachment.path, missing: false, bytes: entry.size };
  } catch (error) {
    // Only "no such path" (or one the daemon refuses) is a fact about the path; anything else leaves it unchecked.
    if (error instanceof DaemonClientError && (error.code === 'not_found' || error.code === 'bad_request' || error.code === 'forbidden')) return { ...unchecked, missing: true };
    return unchecked;
  }
}
