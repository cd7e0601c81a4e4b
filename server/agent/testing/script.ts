/**
 * The transcript a scripted provider server plays: one turn per request it receives, in
 * order. A turn is either a streamed reply or a fault. The same transcript can be played in
 * the OpenAI or the Anthropic wire format.
 */

export interface ScriptToolCall {
  name: string;
  args: Record<string, unknown>;
  /** Defaults to a generated `call_…` / `toolu_…` id. */
  id?: string;
  /** How many pieces the JSON arguments are streamed in (default 3). */
  fragments?: number;
  /** Streamed instead of `args` verbatim: e.g. JSON cut off by max_tokens. */
  rawArgs?: string;
}

/** Text (a string is one chunk, an array is several) or a tool call. */
export type ReplyPart = { text: string | string[] } | { toolCall: ScriptToolCall };

/**
 * Token counts as the wire reports them. OpenAI: `input` is prompt_tokens (cached included) and
 * `cacheRead` is prompt_tokens_details.cached_tokens. Anthropic: `input` is input_tokens (cache
 * excluded), `cacheRead` / `cacheWrite` are cache_read_input_tokens / cache_creation_input_tokens.
 */
export interface ScriptUsage {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export type ScriptStop = 'end_turn' | 'tool_use' | 'max_tokens';

export interface ReplyTurn {
  reply: ReplyPart[];
  /** Defaults to `tool_use` when the reply calls a tool, else `end_turn`. */
  stop?: ScriptStop;
  usage?: ScriptUsage;
  /** Pause before each SSE frame: a slow stream, for cancellation tests. */
  delayMs?: number;
  /**
   * Break the connection after this many SSE frames. Frame 1 is OpenAI's role-only chunk or
   * Anthropic's message_start, neither of which carries output; so `dropAfter: 1` drops before
   * any output and a larger number after some.
   */
  dropAfter?: number;
  /** `reset` destroys the socket (default); `end` finishes the HTTP response cleanly, mid-message. */
  dropHow?: 'reset' | 'end';
  /** Send the wire's in-stream error (overloaded / server error) after this many frames. */
  errorAfter?: number;
}

export type FaultKind = 'rate_limited' | 'server_error' | 'overloaded' | 'bad_key' | 'unknown_model' | 'context_too_long';

export interface FaultTurn {
  fault: FaultKind;
  /** For `rate_limited` (and `overloaded`): the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
}

export type ScriptTurn = ReplyTurn | FaultTurn;

export const isFault = (turn: ScriptTurn): turn is FaultTurn => 'fault' in turn;

export const DEFAULT_USAGE: ScriptUsage = { input: 10, output: 5 };

export function stopOf(turn: ReplyTurn): ScriptStop {
  return turn.stop ?? (turn.reply.some((part) => 'toolCall' in part) ? 'tool_use' : 'end_turn');
}

export function argumentText(call: ScriptToolCall): string {
  return call.rawArgs ?? JSON.stringify(call.args);
}

export function textChunks(text: string | string[]): string[] {
  return typeof text === 'string' ? [text] : text;
}

/** Splits `text` into `count` non-empty pieces (fewer when it is shorter). */
export function fragmentsOf(text: string, count = 3): string[] {
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, count)));
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces;
}
