import { MAX_MENTION_ITEMS, type MentionItem } from '../../protocol/webview';
import { MentionPath, type ChatAttachment } from '../../protocol/chat-context';
import type { ServerConnection } from '../connection/server-connection';
import { whenOpen } from '../connection/when-open';
import { activeEditor, problemsAttachment, selectionAttachment, terminalAttachment } from './editor-context';

/** A listing is reused for this long: typing `@` again right away does not list the tree again. */
const FRESH_MS = 10_000;

/**
 * The entries of the chat input's `@` picker: the editor's context (selection, problems, terminal
 * output, when there is some), then the project's folders and files from the sandbox's listing
 * (`workspace.list`: recursive, `.gitignore`d paths left out), through the server.
 */
export class MentionSource {
  private cache: { projectId: string; at: number; paths: MentionItem[]; truncated: boolean } | undefined;

  constructor(private readonly connection: ServerConnection) {}

  async items(projectId: string): Promise<{ items: MentionItem[]; truncated: boolean }> {
    const listing = await this.listing(projectId);
    const editor = editorItems(projectId);
    return { items: [...editor, ...listing.paths].slice(0, MAX_MENTION_ITEMS), truncated: listing.truncated };
  }

  private async listing(projectId: string): Promise<{ paths: MentionItem[]; truncated: boolean }> {
    if (this.cache?.projectId === projectId && Date.now() - this.cache.at < FRESH_MS) return this.cache;
    const socket = this.connection.socket;
    if (!socket) throw new Error('Sign in to a Slipway server first.');
    await whenOpen(socket);
    const { entries, truncated } = await socket.request('workspace.list', { projectId, path: '.', recursive: true, gitignore: true, maxDepth: 64, limit: MAX_MENTION_ITEMS });
    const paths: MentionItem[] = [];
    for (const entry of entries) {
      const path = entry.path.replace(/^\.\//, '');
      if (!MentionPath.safeParse(path).success || (entry.type !== 'file' && entry.type !== 'directory')) continue;
      const folder = entry.type === 'directory';
      paths.push({ label: folder ? `${path}/` : path, detail: folder ? 'folder' : 'file', attachment: { kind: folder ? 'folder' : 'file', path } });
    }
    paths.sort((a, b) => a.label.localeCompare(b.label));
    this.cache = { projectId, at: Date.now(), paths, truncated };
    return this.cache;
  }
}

function editorItems(projectId: string): MentionItem[] {
  const items: MentionItem[] = [];
  const add = (label: string, detail: string, attachment: ChatAttachment | undefined) => attachment && items.push({ label, detail, attachment });
  const selection = selectionAttachment(activeEditor(), projectId);
  add('selection', selection?.kind === 'selection' ? `${selection.path}:${selection.startLine}-${selection.endLine}` : '', selection);
  const problems = problemsAttachment(projectId);
  add('problems', problems?.kind === 'problems' ? `${problems.problems.length} in the open files` : '', problems);
  const terminal = terminalAttachment(projectId);
  add('terminal', terminal?.kind === 'terminal' ? `last output of ${terminal.name}` : '', terminal);
  return items;
}
