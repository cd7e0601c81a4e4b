import type { Checkpoint } from '../../protocol/chat';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `14:05` today, `Nov 21 14:05` this year, `Nov 21 2025 14:05` before (local time). */
export function checkpointTime(at: string, now = new Date()): string {
  const d = new Date(at);
  const clock = `${two(d.getHours())}:${two(d.getMinutes())}`;
  if (d.toDateString() === now.toDateString()) return clock;
  const day = `${MONTHS[d.getMonth()]} ${d.getDate()}`;
  return d.getFullYear() === now.getFullYear() ? `${day} ${clock}` : `${day} ${d.getFullYear()} ${clock}`;
}

/** The first line of the checkpoint's message, shortened. */
export function checkpointSummary(c: Checkpoint): string {
  const line = c.message.split('\n').find((l) => l.trim())?.trim() ?? '';
  const text = line || 'Checkpoint';
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

export interface CheckpointItem { label: string; description: string; detail: string; checkpoint: Checkpoint }

/** Quick pick items, newest first: the open chat's checkpoints (and the project's own) when a chat is open. */
export function checkpointItems(checkpoints: Checkpoint[], openChatId: string | null, now = new Date()): CheckpointItem[] {
  return checkpoints
    .filter((c) => !openChatId || c.chatId === null || c.chatId === openChatId)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((checkpoint) => {
      const files = checkpoint.files;
      const shown = files.slice(0, 5).join(', ') + (files.length > 5 ? `, +${files.length - 5} more` : '');
      return {
        label: `${checkpointTime(checkpoint.createdAt, now)}  ${checkpointSummary(checkpoint)}`,
        description: `${files.length} file${files.length === 1 ? '' : 's'} · ${checkpoint.commit.slice(0, 7)}`,
        detail: shown,
        checkpoint,
      };
    });
}

export interface RestoreChoice { label: string; detail: string; conversation: boolean }

/** "Files only", and "Files and conversation" when the checkpoint belongs to a point of a chat. */
export function restoreChoices(c: Checkpoint): RestoreChoice[] {
  const choices: RestoreChoice[] = [{ label: 'Files only', detail: 'The project\'s files go back to this checkpoint; the chat stays as it is.', conversation: false }];
  if (c.chatId !== null && c.seq !== null) {
    choices.push({ label: 'Files and conversation', detail: 'The agent also forgets what was said after this checkpoint.', conversation: true });
  }
  return choices;
}

/** The modal confirmation's question. */
export function restoreQuestion(c: Checkpoint, conversation: boolean, now = new Date()): string {
  const what = conversation ? 'the files and the conversation' : 'the files';
  return `Restore ${what} to the checkpoint of ${checkpointTime(c.createdAt, now)} ("${checkpointSummary(c)}")? Changes made since are first saved in a backup checkpoint.`;
}

/** The read-only diff document's text: a header, then the unified diff. */
export function diffDocument(c: Checkpoint, diff: { diff: string; files: string[]; truncated: boolean }, now = new Date()): string {
  const header = [
    `# Changes since checkpoint ${c.commit.slice(0, 7)} (${checkpointTime(c.createdAt, now)}: ${checkpointSummary(c)})`,
    `# ${diff.files.length} file${diff.files.length === 1 ? '' : 's'} changed${diff.truncated ? ' (diff truncated)' : ''}`,
    '',
  ];
  return header.join('\n') + (diff.diff || '# No changes: the files are as at this checkpoint.\n');
}
