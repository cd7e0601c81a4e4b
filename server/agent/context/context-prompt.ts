import type { ImageAttachment, StoredAttachment } from '../../../protocol/chat-context';
import type { ImagePart } from '../providers/provider';

/**
 * What the model reads of a message's attachments: mentioned paths as references to open with its
 * tools, editor content (selection, problems, terminal output) inline, fenced. Images are not text:
 * they go to the model as image parts (`imagesOf`).
 */
export function contextText(attachments: readonly StoredAttachment[]): string {
  const sections: string[] = [];
  const paths = attachments.flatMap((a) => ('missing' in a ? [a] : []));
  if (paths.length) {
    const lines = paths.map((p) => `- ${p.kind === 'folder' ? `${p.path}/` : p.path}${p.missing ? ' (not found in the workspace)' : p.bytes !== null ? ` (${p.bytes} bytes)` : ''}`);
    sections.push(`Files and folders the user mentioned (read them with your tools as needed):\n${lines.join('\n')}`);
  }
  for (const a of attachments) {
    if (a.kind === 'selection') sections.push(`Selected in ${a.path}, lines ${a.startLine}-${a.endLine}:\n${fence(a.text, a.language)}`);
    else if (a.kind === 'problems') sections.push(`Problems reported by the editor:\n${a.problems.map((p) => `- ${p.path}:${p.line}:${p.column} ${p.severity}: ${p.message}${p.source ? ` (${p.source})` : ''}`).join('\n')}`);
    else if (a.kind === 'terminal') sections.push(`Last output of the terminal "${a.name}":\n${fence(a.output)}`);
  }
  const images = attachments.filter((a) => a.kind === 'image').length;
  if (images) sections.push(`${images} image${images === 1 ? '' : 's'} attached.`);
  return sections.length ? `\n\n<context from the editor>\n${sections.join('\n\n')}\n</context from the editor>` : '';
}

export function imagesOf(attachments: readonly StoredAttachment[]): ImagePart[] {
  return attachments.filter((a): a is ImageAttachment => a.kind === 'image').map((a) => ({ type: 'image', mediaType: a.mediaType, data: a.data }));
}

/** A code fence longer than any backtick run inside the text, so the text cannot close it. */
function fence(text: string, language = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${language.replace(/[^\w+-]/g, '')}\n${text}\n${ticks}`;
}
