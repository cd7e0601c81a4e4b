import { z } from 'zod';

/**
 * Context that travels with a chat message: what the user @-mentioned, what an editor action sent,
 * and pasted images. Two ways, chosen per kind:
 *
 * - Files and folders are REFERENCES (a path). The agent reads them with its own tools (read_file,
 *   list_files, grep), which already page, cap and stay current; the workspace lives in the sandbox,
 *   so a copy taken in the editor could only be staler and larger. The server checks each path
 *   against the sandbox when the message is sent and tells the model what it found.
 * - The editor's selection, the Problems of the open files and a terminal's last output are CONTENT,
 *   attached with caps: they exist only in the editor (an unsaved selection, VS Code's diagnostics,
 *   what the user saw), and the agent has no tool that could read them.
 * - Images are data: base64 in the message, capped by type and size, persisted with the chat's events.
 *
 * Every cap is checked here, so the webview, the extension and the server refuse the same things.
 */
export const CONTEXT_LIMITS = {
  attachments: 20,
  selectionChars: 20_000,
  terminalChars: 16_000,
  problems: 100,
  problemChars: 1_000,
  images: 4,
  /** Decoded bytes of one image, and of all images of one message (a message must fit one WebSocket frame). */
  imageBytes: 512 * 1024,
  imageTotalBytes: 640 * 1024,
} as const;

/** A workspace-relative path: no absolute paths, no `..`, no NUL, not inside `.git`. */
export const MentionPath = z.string().min(1).max(1024).refine(
  (p) => !p.startsWith('/') && !p.includes('\0') && !p.includes('\\') && !p.split('/').some((part) => part === '..' || part === '.git'),
  'a path inside the workspace',
);

export const ImageMediaType = z.enum(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
export type ImageMediaType = z.infer<typeof ImageMediaType>;

/** How each type's bytes begin, compared on the base64 text (aligned to whole 3-byte groups). */
const SIGNATURES: Record<ImageMediaType, (b64: string) => boolean> = {
  'image/png': (b) => b.startsWith('iVBORw0KGgo'),
  'image/jpeg': (b) => b.startsWith('/9j/'),
  'image/gif': (b) => b.startsWith('R0lGODdh') || b.startsWith('R0lGODlh'),
  // "RIFF" …size… "WEBP": bytes 0-2 are "RIF", bytes 9-11 "EBP".
  'image/webp': (b) => b.startsWith('UklG') && b.slice(12, 16) === 'RUJQ',
};

/** Decoded size of canonical base64 text. */
export const base64Bytes = (b64: string): number => (b64.length / 4) * 3 - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);

const Base64 = z.string().min(8).max(Math.ceil(CONTEXT_LIMITS.imageBytes / 3) * 4).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64').refine((s) => s.length % 4 === 0, 'base64');

export const ImageAttachment = z.object({
  kind: z.literal('image'),
  mediaType: ImageMediaType,
  data: Base64,
  name: z.string().max(200).optional(),
})
  .refine((i) => SIGNATURES[i.mediaType](i.data), { message: 'the image bytes are not of its type', path: ['data'] })
  .refine((i) => base64Bytes(i.data) <= CONTEXT_LIMITS.imageBytes, { message: `an image may have ${CONTEXT_LIMITS.imageBytes / 1024} KiB at most`, path: ['data'] });
export type ImageAttachment = z.infer<typeof ImageAttachment>;

export const Severity = z.enum(['error', 'warning', 'info', 'hint']);
export const Problem = z.object({
  path: MentionPath,
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  severity: Severity,
  message: z.string().min(1).max(CONTEXT_LIMITS.problemChars),
  source: z.string().max(100).optional(),
});
export type Problem = z.infer<typeof Problem>;

const PathRef = { path: MentionPath };
export const FileMention = z.object({ kind: z.literal('file'), ...PathRef });
export const FolderMention = z.object({ kind: z.literal('folder'), ...PathRef });
export const SelectionAttachment = z.object({
  kind: z.literal('selection'),
  path: MentionPath,
  startLine: z.number().int().min(1),
  endLine: z.number().int().min(1),
  language: z.string().max(50).optional(),
  text: z.string().min(1).max(CONTEXT_LIMITS.selectionChars),
}).refine((s) => s.endLine >= s.startLine, { message: 'endLine before startLine', path: ['endLine'] });
export const ProblemsAttachment = z.object({ kind: z.literal('problems'), problems: z.array(Problem).min(1).max(CONTEXT_LIMITS.problems) });
export const TerminalAttachment = z.object({ kind: z.literal('terminal'), name: z.string().min(1).max(200), output: z.string().max(CONTEXT_LIMITS.terminalChars) });

/** What a client sends with a message. */
export const ChatAttachment = z.union([FileMention, FolderMention, SelectionAttachment, ProblemsAttachment, TerminalAttachment, ImageAttachment]);
export type ChatAttachment = z.infer<typeof ChatAttachment>;
export type AttachmentKind = ChatAttachment['kind'];

/** Limits over a message's attachments as a whole: how many, how many images, their total size. */
function checkTotals(list: { kind: string; data?: string }[], ctx: z.RefinementCtx): void {
  const images = list.filter((a): a is { kind: 'image'; data: string } => a.kind === 'image' && typeof a.data === 'string');
  if (images.length > CONTEXT_LIMITS.images) ctx.addIssue({ code: 'custom', message: `at most ${CONTEXT_LIMITS.images} images per message` });
  const bytes = images.reduce((sum, i) => sum + base64Bytes(i.data), 0);
  if (bytes > CONTEXT_LIMITS.imageTotalBytes) ctx.addIssue({ code: 'custom', message: `the images of one message may have ${CONTEXT_LIMITS.imageTotalBytes / 1024} KiB at most` });
}

export const ChatAttachments = z.array(ChatAttachment).max(CONTEXT_LIMITS.attachments).superRefine(checkTotals);

/**
 * A mentioned path as the server found it in the sandbox when the message was sent: its real kind,
 * its size for files, or `missing`.
 */
export const ResolvedPath = z.object({
  kind: z.enum(['file', 'folder']),
  path: MentionPath,
  missing: z.boolean().default(false),
  bytes: z.number().int().min(0).nullable().default(null),
});
export type ResolvedPath = z.infer<typeof ResolvedPath>;

/** What a user message event keeps: the content attachments as sent, paths as resolved. */
export const StoredAttachment = z.union([ResolvedPath, SelectionAttachment, ProblemsAttachment, TerminalAttachment, ImageAttachment]);
export type StoredAttachment = z.infer<typeof StoredAttachment>;
