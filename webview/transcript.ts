import type { AgentMode, ChatEvent, ChatEventBody, TodoItem, TurnStatus } from '../protocol/chat';
import type { StoredAttachment } from '../protocol/chat-context';
import type { McpStatusReport } from '../protocol/mcp';

/** One entry of the conversation as the view shows it. `key`: the seq of the event that made it (of a saved, merged delta: the last one's). */
export type Item =
  | { kind: 'user'; key: number; text: string; source: 'user' | 'verify' | 'resume'; attachments?: StoredAttachment[]; mode?: AgentMode }
  | { kind: 'text'; key: number; text: string; streaming: boolean }
  | { kind: 'tool'; key: number; callId: string; name: string; input: string; output: string | null; isError: boolean; durationMs: number | null }
  | { kind: 'file'; key: number; path: string; change: 'create' | 'modify' | 'delete'; diff: string; truncated: boolean; checkpointId: string | null; undone: boolean }
  /** The files a turn changed, to undo or keep together (after the turn). */
  | { kind: 'changes'; key: number; checkpointId: string | null; paths: string[]; undone: boolean }
  | { kind: 'approval'; key: number; approvalId: string; tool: string; category: string; summary: string; answer: boolean | null }
  | { kind: 'note'; key: number; level: 'info' | 'warn' | 'error'; text: string; action?: 'changeModel' };

export interface Usage { inputTokens: number; outputTokens: number; costUsd: number | null }

/**
 * The open chat folded from its events. Immutable: an update gives new objects only for what
 * changed, so the renderer can redraw just those. `events` is what the view saves to resume from.
 */
export interface Transcript {
  chatId: string | null;
  lastSeq: number;
  items: Item[];
  /** The index of the answer still streaming in `items`. */
  openText: number | null;
  running: boolean;
  lastStatus: TurnStatus | null;
  todos: TodoItem[];
  usage: Usage;
  /** Ports the agent reported listening in the sandbox (preview candidates). */
  ports: number[];
  events: ChatEvent[];
  /** The newest checkpoint so far: the state a turn's changes can be undone to. */
  lastCheckpoint: string | null;
  /** The running turn's changed files and the checkpoint from before them. */
  turn: { checkpointId: string | null; paths: string[]; failed: boolean };
  /** The last turn failed because the team has no model: no Resume, the note offers Change model. */
  needsModel: boolean;
  /** The project's MCP servers as last reported. */
  mcp: McpStatusReport | null;
  /** The mode of the newest prompt: after a completed `plan` turn the view offers its plan to edit and Act. */
  lastMode: AgentMode;
}

export const emptyTranscript = (chatId: string | null = null): Transcript => ({
  chatId, lastSeq: 0, items: [], openText: null, running: false, lastStatus: null, todos: [],
  usage: { inputTokens: 0, outputTokens: 0, costUsd: null }, ports: [], events: [],
  lastCheckpoint: null, turn: { checkpointId: null, paths: [], failed: false }, needsModel: false, mcp: null, lastMode: 'act',
});

/** Adds events in order, ignoring any seq already applied (replays after a reconnect overlap). */
export function applyEvents(transcript: Transcript, events: readonly ChatEvent[]): Transcript {
  const fresh = events.filter((e, i) => e.seq > transcript.lastSeq && events.findIndex((o) => o.seq === e.seq) === i).sort((a, b) => a.seq - b.seq);
  if (!fresh.length) return transcript;
  const t: Transcript = { ...transcript, items: [...transcript.items], events: [...transcript.events] };
  for (const event of fresh) {
    apply(t, event.seq, event.body);
    remember(t.events, event);
    t.lastSeq = event.seq;
  }
  return t;
}

/** Consecutive text deltas are kept as one event (the later seq): the saved state stays small. */
function remember(events: ChatEvent[], event: ChatEvent): void {
  const previous = events.at(-1);
  if (previous?.body.type === 'text_delta' && event.body.type === 'text_delta') {
    events[events.length - 1] = { ...event, body: { type: 'text_delta', text: previous.body.text + event.body.text } };
  } else {
    events.push(event);
  }
}

const PORT_HINTS = [/port (\d{1,5}) is listening/g, /(\d{1,5}) → preview/g, /listening on (?:https?:\/\/[\w.-]+:)?(\d{2,5})\b/gi];

function apply(t: Transcript, seq: number, body: ChatEventBody): void {
  const push = (item: Item): void => void t.items.push(item);
  const note = (level: 'info' | 'warn' | 'error', text: string) => push({ kind: 'note', key: seq, level, text });
  switch (body.type) {
    case 'user_message':
      closeText(t);
      if (body.mode) t.lastMode = body.mode;
      return push({ kind: 'user', key: seq, text: body.text, source: body.source, ...(body.attachments?.length && { attachments: body.attachments }), ...(body.mode === 'plan' && { mode: body.mode }) });
    case 'turn_started':
      closeText(t);
      t.running = true;
      t.needsModel = false;
      t.turn = { checkpointId: null, paths: [], failed: false };
      return;
    case 'text_delta': {
      const open = t.openText === null ? undefined : t.items[t.openText];
      if (open?.kind === 'text') t.items[t.openText!] = { ...open, text: open.text + body.text };
      else {
        t.openText = t.items.length;
        push({ kind: 'text', key: seq, text: body.text, streaming: true });
      }
      return;
    }
    case 'assistant_message': {
      const text = body.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
      const open = t.openText === null ? undefined : t.items[t.openText];
      if (open?.kind === 'text') t.items[t.openText!] = { ...open, text: text || open.text, streaming: false };
      else if (text.trim()) push({ kind: 'text', key: seq, text, streaming: false });
      t.openText = null;
      return;
    }
    case 'tool_call_start':
      return push({ kind: 'tool', key: seq, callId: body.callId, name: body.name, input: JSON.stringify(body.input), output: null, isError: false, durationMs: null });
    case 'tool_call_result': {
      const index = t.items.findLastIndex((item) => item.kind === 'tool' && item.callId === body.callId);
      const done = { output: body.output, isError: body.isError, durationMs: body.durationMs };
      const current = t.items[index];
      if (current?.kind === 'tool') t.items[index] = { ...current, ...done };
      else push({ kind: 'tool', key: seq, callId: body.callId, name: body.name, input: '', ...done });
      addPorts(t, body.output);
      return;
    }
    case 'file_change': {
      const checkpointId = t.turn.paths.length ? t.turn.checkpointId : t.lastCheckpoint;
      t.turn = { ...t.turn, checkpointId, paths: t.turn.paths.includes(body.path) ? t.turn.paths : [...t.turn.paths, body.path] };
      return push({ kind: 'file', key: seq, path: body.path, change: body.kind, diff: body.diff, truncated: body.truncated, checkpointId, undone: false });
    }
    case 'todo_update':
      t.todos = body.todos;
      return;
    case 'mcp_status': {
      const { type: _type, ...report } = body;
      const newlyFailed = report.servers.filter((s) => s.state === 'failed' && t.mcp?.servers.find((o) => o.name === s.name)?.state !== 'failed');
      t.mcp = report;
      if (newlyFailed.length) note('warn', `MCP server ${newlyFailed.map((s) => `"${s.name}"`).join(', ')} failed: ${newlyFailed[0]!.error ?? 'no reason given'}`);
      return;
    }
    case 'approval_request':
      return push({ kind: 'approval', key: seq, approvalId: body.approvalId, tool: body.tool, category: body.category, summary: body.summary, answer: null });
    case 'approval_answer': {
      const index = t.items.findIndex((item) => item.kind === 'approval' && item.approvalId === body.approvalId);
      const current = t.items[index];
      if (current?.kind === 'approval') t.items[index] = { ...current, answer: body.approved };
      return;
    }
    case 'usage': {
      const cost = body.costUsd === null ? t.usage.costUsd : (t.usage.costUsd ?? 0) + body.costUsd;
      t.usage = { inputTokens: t.usage.inputTokens + body.inputTokens, outputTokens: t.usage.outputTokens + body.outputTokens, costUsd: cost };
      return;
    }
    case 'compaction':
      return note('info', `Earlier conversation summarised (${body.tokensBefore} → ${body.tokensAfter} tokens).`);
    case 'stage':
      return note(body.stage === 'verify_failed' ? 'warn' : 'info', `${STAGES[body.stage]}: ${body.message}`);
    case 'test_result':
      return note(body.passed ? 'info' : 'warn', `${body.passed ? '✓' : '✗'} ${body.name} (${body.command})${body.passed ? '' : `\n${body.output.slice(-2000)}`}`);
    case 'checkpoint':
      t.lastCheckpoint = body.checkpointId;
      return;
    case 'restored': {
      if (body.paths) {
        markUndone(t, body.checkpointId, body.paths);
        return note('info', `Undid the change to ${body.paths.length === 1 ? body.paths[0] : `${body.paths.length} files`}${body.by ? ` (by ${body.by.name})` : ''}.`);
      }
      return note('info', `Restored a checkpoint${body.conversationSeq === null ? '' : ' and the conversation'}${body.by ? ` (by ${body.by.name})` : ''}.`);
    }
    case 'notice':
      return note('info', body.message);
    case 'rules':
      return note('info', rulesNote(body.files, body.cut));
    case 'cancel_requested':
      return note('info', `Stopping…${body.by ? ` (asked by ${body.by.name})` : ''}`);
    case 'error':
      closeText(t);
      t.turn = { ...t.turn, failed: true };
      if (body.code === 'no_model') {
        t.needsModel = true;
        return push({ kind: 'note', key: seq, level: 'warn', text: 'No AI model is set up for this team yet, so the agent cannot answer. A team admin can choose one.', action: 'changeModel' });
      }
      return note('error', body.message);
    case 'done':
      closeText(t);
      t.running = false;
      t.lastStatus = body.status;
      // A failure already explained by an error event is not told twice.
      if (body.status !== 'completed' && !(body.status === 'failed' && t.turn.failed)) note(body.status === 'cancelled' ? 'info' : 'warn', `Turn ${body.status}${body.message ? `: ${body.message}` : '.'}`);
      if (t.turn.paths.length > 1) push({ kind: 'changes', key: seq, checkpointId: t.turn.checkpointId, paths: t.turn.paths, undone: false });
      t.turn = { checkpointId: null, paths: [], failed: false };
      return;
  }
}

/** "Project rules active: AGENTS.md (1.2 KB) · …", with what the cap left out. */
export function rulesNote(files: { path: string; bytes: number; includedBytes: number }[], cut: string | null): string {
  const size = (n: number) => (n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`);
  if (!files.length) return 'No project rules are active now (no AGENTS.md or .slipway/rules/*.md).';
  const list = files.map((f) => `${f.path} (${size(f.bytes)}${f.includedBytes < f.bytes ? `, ${f.includedBytes ? `${size(f.includedBytes)} used` : 'not used'}` : ''})`).join(' · ');
  return `Project rules active: ${list}${cut ? `. Cut: ${cut}.` : ''}`;
}

const STAGES = { verify: 'Verifying', repair: 'Repairing', verified: 'Verified', verify_failed: 'Verification failed' } as const;

/** Files of a checkpoint that were restored: their cards (and a turn's card when all of its files are) say so. */
function markUndone(t: Transcript, checkpointId: string, paths: string[]): void {
  const restored = new Set(paths);
  t.items = t.items.map((item) => {
    if (item.kind === 'file' && item.checkpointId === checkpointId && restored.has(item.path) && !item.undone) return { ...item, undone: true };
    if (item.kind === 'changes' && item.checkpointId === checkpointId && !item.undone && item.paths.every((p) => restored.has(p) || fileUndone(t, checkpointId, p))) return { ...item, undone: true };
    return item;
  });
}

const fileUndone = (t: Transcript, checkpointId: string, path: string): boolean =>
  t.items.some((item) => item.kind === 'file' && item.checkpointId === checkpointId && item.path === path && item.undone);

function closeText(t: Transcript): void {
  const open = t.openText === null ? undefined : t.items[t.openText];
  if (open?.kind === 'text' && open.streaming) t.items[t.openText!] = { ...open, streaming: false };
  t.openText = null;
}

function addPorts(t: Transcript, output: string): void {
  const found = new Set(t.ports);
  for (const hint of PORT_HINTS) {
    for (const match of output.matchAll(hint)) {
      const port = Number(match[1]);
      if (port > 0 && port < 65_536) found.add(port);
    }
  }
  if (found.size !== t.ports.length) t.ports = [...found].sort((a, b) => a - b);
}
