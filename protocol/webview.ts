import { z } from 'zod';
import { describeIssues } from './errors';
import { ProjectStatus } from './rest/projects';
import { AgentMode, ChatEvent, ChatState, SendMessage } from './chat';
import { ChatAttachment, ChatAttachments, CONTEXT_LIMITS } from './chat-context';
import { ModelOption } from './chat-models';

/**
 * The chat webview <-> extension contract (`postMessage`). Every message is `{type, payload}`; both
 * sides validate what they receive against these maps and drop anything else. Names are namespaced
 * (`session.*`, `project.*`, `chat.*`) so the agent's chat messages slot in as more entries.
 */

export const WebviewUser = z.object({ name: z.string(), email: z.string(), serverUrl: z.string() });
export type WebviewUser = z.infer<typeof WebviewUser>;

export const WebviewProject = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  status: ProjectStatus,
  statusMessage: z.string().nullable(),
});
export type WebviewProject = z.infer<typeof WebviewProject>;

export const ConnectionStatus = z.enum(['signedOut', 'connecting', 'open', 'waiting', 'refused', 'stopped']);
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

/** Commands the webview may ask the extension to run (nothing else can be triggered from it). */
export const WebviewCommand = z.enum(['signIn', 'signOut', 'createProject', 'selectProject', 'showLog', 'setTeamModel', 'restoreCheckpoint']);
export type WebviewCommand = z.infer<typeof WebviewCommand>;

/** A chat of the history list. */
export const WebviewChat = z.object({
  id: z.string(), projectId: z.string(), title: z.string().max(500), state: ChatState, lastSeq: z.number().int(), updatedAt: z.string(),
  /** The team model the chat chose (null: the team's default). */
  modelId: z.string().nullable().optional(),
});
export type WebviewChat = z.infer<typeof WebviewChat>;

/** An entry of the chat input's `@` picker: what it shows and what choosing it attaches. */
export const MentionItem = z.object({ label: z.string().max(1024), detail: z.string().max(300), attachment: ChatAttachment });
export type MentionItem = z.infer<typeof MentionItem>;
export const MAX_MENTION_ITEMS = 20_000;

/** Extension -> webview. */
export const toWebview = {
  /** Who is signed in and how the connection is; sent on `ready` and on every change. */
  'session.state': z.object({ user: WebviewUser.nullable(), connection: ConnectionStatus, detail: z.string().max(2000) }),
  /** The project the chat works on (picked in the Projects view), with its live status. */
  'project.selected': z.object({ project: WebviewProject.nullable() }),
  /** Whether the chat input can be used, and why not. */
  'chat.availability': z.object({ enabled: z.boolean(), reason: z.string().max(500) }),
  /** The chats of the selected project, newest first. */
  'chat.history': z.object({ projectId: z.string(), chats: z.array(WebviewChat).max(500) }),
  /**
   * The chat shown from now on. `fromSeq`: the events that follow start after it; 0 (or another chat)
   * means the view starts the transcript over, otherwise it keeps what it has up to `fromSeq`.
   */
  'chat.opened': z.object({ chat: WebviewChat.nullable(), fromSeq: z.number().int().min(0) }),
  /** Events of the open chat in order (replayed, then live); the view drops seqs it already has. */
  'chat.events': z.object({ chatId: z.string(), events: z.array(ChatEvent).max(5000) }),
  /** The model of the selected project's team (`teamId` null: no project, nothing shown). */
  'model.state': z.object({ teamId: z.string().nullable(), label: z.string().max(500) }),
  /** The `@` picker's entries: the editor's context first, then the project's folders and files. */
  'mention.items': z.object({ items: z.array(MentionItem).max(MAX_MENTION_ITEMS), truncated: z.boolean() }),
  /** An editor action ("Ask Slipway about this") puts context, and maybe a prompt, into the input. */
  'composer.attach': z.object({ attachments: ChatAttachments, text: z.string().max(10_000).default('') }),
  /** The models the project's chats can choose (the default first), and the open (or next) chat's choice. */
  'chat.models': z.object({ models: z.array(ModelOption).max(200), selected: z.string().nullable() }),
  /** A request of the view failed (e.g. a turn already runs). */
  'chat.failed': z.object({ message: z.string().max(2000) }),
} as const;

/** Webview -> extension. */
export const fromWebview = {
  /** The view has loaded its script and wants the current state. */
  ready: z.object({
    /** The chat the view's saved state shows, and the last event it has: the extension resumes after it. */
    chatId: z.string().max(100).nullable().default(null),
    lastSeq: z.number().int().min(0).default(0),
  }),
  'command.run': z.object({ command: WebviewCommand }),
  /** A problem inside the webview, for the output channel. */
  log: z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string().max(4000) }),
  'chat.new': z.object({}),
  'chat.open': z.object({ chatId: z.string().max(100) }),
  'chat.refreshHistory': z.object({}),
  /** A prompt in `plan` or `act` mode; acting on a plan carries the plan as the user edited it. */
  'chat.send': SendMessage,
  /** The input's `@` was typed: the extension answers `mention.items`. */
  'mention.list': z.object({}),
  /** Slash commands: `/compact`, `/checkpoint [message]`, `/model` (null: the team's default). */
  'chat.compact': z.object({}),
  'chat.checkpoint': z.object({ message: z.string().trim().min(1).max(500).optional() }),
  'chat.setModel': z.object({ modelId: z.string().max(100).nullable() }),
  'chat.cancel': z.object({}),
  'chat.resume': z.object({}),
  'chat.approve': z.object({ approvalId: z.string().max(100), approved: z.boolean(), remember: z.boolean().default(false) }),
  /** Opens VS Code's diff editor for a file-change event of the open chat. */
  'chat.openDiff': z.object({ path: z.string().min(1).max(4096), kind: z.enum(['create', 'modify', 'delete']), diff: z.string().max(2_000_000) }),
  'chat.openPreview': z.object({ port: z.number().int().min(1).max(65_535) }),
  /** Undoes the agent's change to files: restores them from the checkpoint before the turn. */
  'chat.undoFiles': z.object({ checkpointId: z.string().max(100), paths: z.array(z.string().min(1).max(4096)).min(1).max(500) }),
  /** A code block of an answer: to the clipboard, or into the active editor at the cursor. */
  'chat.copyCode': z.object({ text: z.string().max(2_000_000) }),
  'chat.insertCode': z.object({ text: z.string().max(2_000_000) }),
} as const;

/** What `vscode.getState()` holds between reloads of the view. */
export const WebviewState = z.object({
  draft: z.string().max(100_000).default(''),
  /** The chips of the draft (mentions, editor context, images): a view rebuilt when shown again keeps them. */
  attachments: z.array(ChatAttachment).max(CONTEXT_LIMITS.attachments).catch([]),
  /** The input's Act | Plan switch: a reloaded view keeps the mode the user chose. */
  mode: AgentMode.catch('act'),
  /** The open chat's events as the view has them (text deltas merged), to resume after a reload. */
  chat: z.object({ chatId: z.string(), projectId: z.string(), events: z.array(ChatEvent) }).nullable().default(null),
});
export type WebviewState = z.infer<typeof WebviewState>;

type MessageMap = Record<string, z.ZodType>;
/** The union of `{type, payload}` messages of a map. */
export type MessageOf<M extends MessageMap> = { [K in keyof M & string]: { type: K; payload: z.infer<M[K]> } }[keyof M & string];
export type ToWebviewMessage = MessageOf<typeof toWebview>;
export type FromWebviewMessage = MessageOf<typeof fromWebview>;
export type PayloadOf<M extends MessageMap, K extends keyof M> = z.infer<M[K]>;

const Envelope = z.object({ type: z.string().max(100), payload: z.unknown() });

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

/** Checks a received message against a map: known name, valid payload. */
export function parseMessage<M extends MessageMap>(map: M, raw: unknown): Parsed<MessageOf<M>> {
  const envelope = Envelope.safeParse(raw);
  if (!envelope.success) return { ok: false, error: `not a message: ${describeIssues(envelope.error)}` };
  const { type } = envelope.data;
  if (!Object.hasOwn(map, type)) return { ok: false, error: `unknown message "${type}"` };
  const payload = map[type]!.safeParse(envelope.data.payload);
  if (!payload.success) return { ok: false, error: `invalid ${type}: ${describeIssues(payload.error)}` };
  return { ok: true, message: { type, payload: payload.data } as MessageOf<M> };
}

export const parseToWebview = (raw: unknown): Parsed<ToWebviewMessage> => parseMessage(toWebview, raw);
export const parseFromWebview = (raw: unknown): Parsed<FromWebviewMessage> => parseMessage(fromWebview, raw);

/** Builds a message, checking its payload before it leaves. */
export function makeMessage<M extends MessageMap, K extends keyof M & string>(map: M, type: K, payload: z.input<M[K]>): MessageOf<M> {
  return { type, payload: map[type]!.parse(payload) } as MessageOf<M>;
}

/** Restores saved view state; anything unreadable gives the defaults. */
export function readWebviewState(raw: unknown): WebviewState {
  const parsed = WebviewState.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  // Keep the draft (and the chips) when only the saved chat is unreadable.
  const draft = z.object({ draft: z.string().max(100_000) }).safeParse(raw);
  const attachments = typeof raw === 'object' && raw !== null ? (raw as { attachments?: unknown }).attachments : undefined;
  const mode = typeof raw === 'object' && raw !== null ? (raw as { mode?: unknown }).mode : undefined;
  return WebviewState.parse({ draft: draft.success ? draft.data.draft : '', attachments, mode });
}
