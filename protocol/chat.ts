import { z } from 'zod';
import { Timestamp, Uuid } from './common';
import { ChatAttachments, StoredAttachment } from './chat-context';
import { McpStatusReport } from './mcp';

/**
 * Chats with the agent. Everything that happens in a chat is an event with a per-chat sequence
 * number (1, 2, 3…), persisted before any client sees it. A client subscribes from the last
 * sequence number it saw and receives every later event exactly once, replayed then live.
 */

/**
 * `publish` (git push: the project's code leaves the sandbox for a Git host) always asks, whatever the setting.
 * `mcp`: tools of the project's MCP servers that their server does not mark read-only (those are `read`).
 */
export const ApprovalCategory = z.enum(['read', 'write', 'execute', 'network', 'publish', 'mcp']);
export type ApprovalCategory = z.infer<typeof ApprovalCategory>;
export const ApprovalMode = z.enum(['auto', 'ask']);
export type ApprovalMode = z.infer<typeof ApprovalMode>;

export const TodoItem = z.object({
  content: z.string().min(1).max(500),
  status: z.enum(['pending', 'in_progress', 'completed']),
});
export type TodoItem = z.infer<typeof TodoItem>;

/** Per message: `plan` may read and search but not change anything; `act` does the work. */
export const AgentMode = z.enum(['plan', 'act']);
export type AgentMode = z.infer<typeof AgentMode>;
/** A plan the user edited, sent with an `act` message to be carried out. */
export const PlanItems = z.array(TodoItem).max(50);

/** A project rules file (AGENTS.md, .slipway/rules/*.md) as the agent was given it. */
export const RulesFile = z.object({ path: z.string(), bytes: z.number().int().nonnegative(), includedBytes: z.number().int().nonnegative() });

/** A model turn's content as the model produced it: text and tool calls. */
export const AssistantPart = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('tool_call'), id: z.string(), name: z.string(), input: z.record(z.string(), z.unknown()) }),
]);

export const TurnStatus = z.enum(['completed', 'cancelled', 'failed', 'interrupted']);
export type TurnStatus = z.infer<typeof TurnStatus>;

/** What a chat event says; `type` names it. */
export const ChatEventBody = z.discriminatedUnion('type', [
  /** `source`: typed by a person, or written by the agent's verify step. */
  z.object({
    type: z.literal('user_message'), text: z.string(), source: z.enum(['user', 'verify', 'resume']), author: z.object({ id: Uuid, name: z.string() }).nullable(),
    /** Set on prompts (absent on older events: `act`); a resume keeps the mode of the prompt it resumes. */
    mode: AgentMode.optional(),
    /** The edited plan an `act` message carries out. */
    plan: PlanItems.optional(),
    /** What travelled with the message (protocol/chat-context.ts): mentions as resolved, content, images. */
    attachments: z.array(StoredAttachment).optional(),
  }),
  z.object({ type: z.literal('turn_started'), turnId: Uuid, model: z.string().nullable() }),
  /** Streamed text, possibly several provider deltas coalesced into one. */
  z.object({ type: z.literal('text_delta'), text: z.string() }),
  /** One model step, complete: what goes back to the model in later steps. */
  z.object({ type: z.literal('assistant_message'), content: z.array(AssistantPart), stop: z.string().nullable() }),
  z.object({ type: z.literal('tool_call_start'), callId: z.string(), name: z.string(), input: z.record(z.string(), z.unknown()) }),
  z.object({
    type: z.literal('tool_call_result'), callId: z.string(), name: z.string(), isError: z.boolean(),
    /** What the model was given (capped). */
    output: z.string(),
    durationMs: z.number().nonnegative(),
  }),
  z.object({ type: z.literal('file_change'), path: z.string(), kind: z.enum(['create', 'modify', 'delete']), diff: z.string(), truncated: z.boolean() }),
  z.object({ type: z.literal('todo_update'), todos: z.array(TodoItem) }),
  z.object({ type: z.literal('approval_request'), approvalId: Uuid, callId: z.string(), tool: z.string(), category: ApprovalCategory, summary: z.string() }),
  z.object({ type: z.literal('approval_answer'), approvalId: Uuid, approved: z.boolean(), by: z.object({ id: Uuid, name: z.string() }).nullable() }),
  z.object({
    type: z.literal('usage'), model: z.string(),
    inputTokens: z.number().int(), outputTokens: z.number().int(), cacheReadTokens: z.number().int(), cacheWriteTokens: z.number().int(),
    costUsd: z.number().nullable(),
  }),
  z.object({ type: z.literal('compaction'), summary: z.string(), upToSeq: z.number().int(), tokensBefore: z.number().int(), tokensAfter: z.number().int() }),
  /** Verify and repair: `verify` runs the checks, `repair` hands failures back to the agent. */
  z.object({ type: z.literal('stage'), stage: z.enum(['verify', 'repair', 'verified', 'verify_failed']), round: z.number().int(), message: z.string() }),
  z.object({ type: z.literal('test_result'), name: z.string(), command: z.string(), passed: z.boolean(), exitCode: z.number().int().nullable(), output: z.string(), durationMs: z.number() }),
  z.object({ type: z.literal('checkpoint'), checkpointId: Uuid, commit: z.string(), message: z.string(), files: z.array(z.string()) }),
  z.object({
    type: z.literal('restored'), checkpointId: Uuid,
    /** Set when the conversation was restored too: the model forgets what came after this event. */
    conversationSeq: z.number().int().nullable(),
    /** Set when only these files were restored (undoing the agent's change to them). */
    paths: z.array(z.string()).optional(),
    by: z.object({ id: Uuid, name: z.string() }).nullable() }),
  /** The project rules the agent follows from this turn on (sent when they change); `cut`: what the size cap left out. */
  z.object({ type: z.literal('rules'), files: z.array(RulesFile), cut: z.string().nullable() }),
  /** The project's MCP servers as the turn found them, and again whenever one goes up or down. */
  McpStatusReport.extend({ type: z.literal('mcp_status') }),
  /** Provider retry notices and other information for people, not for the model. */
  z.object({ type: z.literal('notice'), message: z.string() }),
  z.object({ type: z.literal('cancel_requested'), by: z.object({ id: Uuid, name: z.string() }).nullable() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
  z.object({ type: z.literal('done'), turnId: Uuid, status: TurnStatus, message: z.string().nullable() }),
]);
export type ChatEventBody = z.infer<typeof ChatEventBody>;
export type ChatEventType = ChatEventBody['type'];
export type ChatEventOf<T extends ChatEventType> = Extract<ChatEventBody, { type: T }>;

export const ChatEvent = z.object({ seq: z.number().int().positive(), at: Timestamp, body: ChatEventBody });
export type ChatEvent = z.infer<typeof ChatEvent>;

export const ChatState = z.enum(['idle', 'running', 'interrupted']);
export const Chat = z.object({
  id: Uuid,
  projectId: Uuid,
  title: z.string(),
  state: ChatState,
  lastSeq: z.number().int(),
  /** The team model the chat's turns use (protocol/chat-models.ts); null: the team's default. */
  modelId: Uuid.nullable().default(null),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Chat = z.infer<typeof Chat>;

export const Checkpoint = z.object({
  id: Uuid,
  chatId: Uuid.nullable(),
  commit: z.string(),
  message: z.string(),
  files: z.array(z.string()),
  seq: z.number().int().nullable(),
  createdAt: Timestamp,
});
export type Checkpoint = z.infer<typeof Checkpoint>;

const ChatRef = z.object({ chatId: Uuid });
/** A prompt: its text, the mode it runs in, and (acting on a plan) the plan as the user edited it. */
export const SendMessage = z.object({
  text: z.string().trim().min(1).max(100_000), mode: AgentMode.default('act'), plan: PlanItems.optional(),
  /** @-mentions, editor context and images (protocol/chat-context.ts). */
  attachments: ChatAttachments.default([]),
});
export type SendMessage = z.infer<typeof SendMessage>;
/** A workspace-relative file path: no absolute paths, no `..`, no git pathspec magic. */
const CheckpointPath = z.string().min(1).max(4096).refine(
  (p) => !p.startsWith('/') && !p.startsWith(':') && !p.includes('\0') && !p.split('/').some((part) => part === '..' || part === '.git'),
  'a path inside the workspace',
);
const OkResult = z.object({ ok: z.literal(true) });

/** WebSocket methods of chats (merged into protocol/ws.ts). */
export const chatWsMethods = {
  'chats.create': { params: z.object({ projectId: Uuid, title: z.string().trim().min(1).max(200).optional() }), result: z.object({ chat: Chat }) },
  'chats.list': { params: z.object({ projectId: Uuid }), result: z.object({ chats: z.array(Chat) }) },
  /** Sends a prompt; the agent starts a turn (one at a time per chat: `conflict` while one runs). */
  'chat.send': {
    params: ChatRef.extend(SendMessage.shape),
    result: z.object({ turnId: Uuid }),
  },
  /**
   * Replays every event with `seq > fromSeq` as `chat.event` pushes, then keeps pushing live ones.
   * The reply comes first; `lastSeq` is the newest event at that moment.
   */
  'chat.subscribe': { params: ChatRef.extend({ fromSeq: z.number().int().min(0).default(0) }), result: z.object({ chat: Chat, lastSeq: z.number().int() }) },
  'chat.unsubscribe': { params: ChatRef, result: OkResult },
  /** Stops the running turn at once: the model request and any running tool are aborted. */
  'chat.cancel': { params: ChatRef, result: OkResult },
  /** Continues an interrupted (or cancelled / failed) turn from where it stopped. */
  'chat.resume': { params: ChatRef, result: z.object({ turnId: Uuid }) },
  /** Any team member may answer; the first answer wins. `remember` sets the category to auto for the project (an MCP tool: its server alone). */
  'chat.approve': { params: ChatRef.extend({ approvalId: Uuid, approved: z.boolean(), remember: z.boolean().default(false) }), result: OkResult },
  'checkpoints.list': { params: z.object({ projectId: Uuid }), result: z.object({ checkpoints: z.array(Checkpoint) }) },
  /** The workspace now against a checkpoint: a unified diff (capped). */
  'checkpoints.diff': { params: z.object({ checkpointId: Uuid }), result: z.object({ diff: z.string(), files: z.array(z.string()), truncated: z.boolean() }) },
  /**
   * Restores the files (and optionally the chat's conversation) of a checkpoint; with `paths`, only
   * those files (undoing the agent's change to them: a file the checkpoint lacks is removed).
   */
  'checkpoints.restore': {
    params: z.object({ checkpointId: Uuid, conversation: z.boolean().default(false), paths: z.array(CheckpointPath).min(1).max(500).optional() }),
    result: z.object({ ok: z.literal(true), backupCheckpointId: Uuid.nullable() }),
  },
} as const;

export const chatWsEvents = {
  'chat.event': z.object({ chatId: Uuid, event: ChatEvent }),
} as const;

/** REST: the agent settings of a team (model) and a project (approvals, checks). */
export const ProviderKindName = z.enum(['openai', 'anthropic']);
export const ModelSettings = z.object({
  /** Where the model comes from: the team's own settings, the server's default, or nowhere yet. */
  source: z.enum(['team', 'server', 'none']),
  kind: ProviderKindName.nullable(),
  model: z.string().nullable(),
  baseUrl: z.string().nullable(),
  /** Whether a key is stored; the key itself is never returned. */
  hasApiKey: z.boolean(),
  contextTokens: z.number().int().nullable(),
  /** Whether images are sent to this model (the team's setting, else a default by provider and endpoint). */
  supportsImages: z.boolean(),
});
export const PutModelSettingsBody = z.object({
  kind: ProviderKindName,
  model: z.string().trim().min(1).max(200),
  baseUrl: z.url({ protocol: /^https?$/ }).nullable().default(null),
  /** Omit to keep the stored key; empty string for none (local endpoints). */
  apiKey: z.string().max(1000).optional(),
  contextTokens: z.number().int().min(2000).max(10_000_000).nullable().default(null),
  /** Whether the model accepts images; null: the default (yes for OpenAI's and Anthropic's own APIs, no for other endpoints). */
  supportsImages: z.boolean().nullable().default(null),
});

export const Check = z.object({
  name: z.string().trim().min(1).max(80),
  command: z.string().trim().min(1).max(2000),
  timeoutSeconds: z.number().int().min(1).max(3600).default(300),
});
export const ProjectAgentSettings = z.object({
  approvals: z.record(ApprovalCategory, ApprovalMode),
  checks: z.array(Check).max(20),
  maxRepairRounds: z.number().int().min(0).max(10),
});
export type ProjectAgentSettings = z.infer<typeof ProjectAgentSettings>;
export const PutProjectAgentSettingsBody = z.object({
  approvals: z.partialRecord(ApprovalCategory, ApprovalMode).optional(),
  checks: z.array(Check).max(20).optional(),
  maxRepairRounds: z.number().int().min(0).max(10).optional(),
});

export const UsageTotals = z.object({
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cacheReadTokens: z.number().int(),
  cacheWriteTokens: z.number().int(),
  costUsd: z.number(),
  requests: z.number().int(),
});
export const UsageReport = z.object({
  total: UsageTotals,
  byModel: z.array(UsageTotals.extend({ model: z.string() })),
  byChat: z.array(UsageTotals.extend({ chatId: Uuid })),
});
