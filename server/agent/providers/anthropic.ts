import Anthropic from '@anthropic-ai/sdk';
import type { MessageDeltaUsage, RawMessageStreamEvent, Usage } from '@anthropic-ai/sdk/resources/messages';
import { messagesBody } from './anthropic-request';
import { egressRefusal } from '../../net/egress-policy';
import { classifyFailure, connectionFailure } from './failure-classifier';
import { guardedStream } from './guarded-stream';
import type { ModelProvider, ModelRequest, StopReason, StreamEvent, TokenUsage } from './provider';
import { ProviderError, type ProviderContext } from './provider-errors';
import { ToolInputBuffer } from './tool-input';

export interface AnthropicProviderConfig {
  apiKey: string;
  model: string;
  /** Anthropic itself when absent. */
  baseUrl?: string;
  /** Time allowed until response headers. */
  timeoutMs?: number;
  /** The transport; a team's endpoint gets one that refuses private addresses (server/net/guarded-fetch.ts). */
  fetch?: typeof fetch;
  /** A stream silent this long counts as dropped (Anthropic pings every few seconds). */
  idleTimeoutMs?: number;
}

/** Messages API streaming with tool use and prompt caching, one attempt per call. */
export function createAnthropicProvider(config: AnthropicProviderConfig): ModelProvider {
  // Explicit settings only: the SDK's environment variables and credential profiles stay unused.
  const client = new Anthropic({
    apiKey: config.apiKey || 'unused',
    baseURL: config.baseUrl ?? null,
    maxRetries: 0,
    timeout: config.timeoutMs ?? 10 * 60_000,
    ...(config.fetch && { fetch: config.fetch }),
  });
  const label = config.baseUrl ? `The model endpoint at ${new URL(config.baseUrl).host}` : 'Anthropic';
  return {
    kind: 'anthropic',
    model: config.model,
    stream(request: ModelRequest): AsyncIterable<StreamEvent> {
      const model = request.model ?? config.model;
      const context: ProviderContext = { label, model, apiKey: config.apiKey };
      const events = guardedStream<RawMessageStreamEvent>(
        (signal) => client.messages.create(messagesBody(request, model), { signal }),
        { signal: request.signal, idleTimeoutMs: config.idleTimeoutMs ?? 5 * 60_000, context, toError: (e) => toProviderError(e, context) },
      );
      return normalize(events, context);
    },
  };
}

type Counts = Pick<Usage, 'input_tokens' | 'output_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens'>;

async function* normalize(events: AsyncIterable<RawMessageStreamEvent>, context: ProviderContext): AsyncGenerator<StreamEvent> {
  const tools = new Map<number, ToolInputBuffer>();
  const counts: Counts = { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
  let stop: StopReason = 'other';
  let complete = false;
  for await (const event of events) {
    switch (event.type) {
      case 'message_start':
        addCounts(counts, event.message.usage);
        break;
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text' && block.text) yield { type: 'text_delta', text: block.text };
        if (block.type === 'tool_use') {
          tools.set(event.index, new ToolInputBuffer(block.id, block.name, objectOrEmpty(block.input)));
          yield { type: 'tool_call_start', id: block.id, name: block.name };
        }
        break;
      }
      case 'content_block_delta': {
        const { delta } = event;
        if (delta.type === 'text_delta' && delta.text) yield { type: 'text_delta', text: delta.text };
        const tool = tools.get(event.index);
        if (delta.type === 'input_json_delta' && tool && delta.partial_json) {
          tool.append(delta.partial_json);
          yield { type: 'tool_call_delta', id: tool.id, inputDelta: delta.partial_json };
        }
        break;
      }
      case 'content_block_stop': {
        const tool = tools.get(event.index);
        if (tool) yield tool.done();
        break;
      }
      case 'message_delta':
        addCounts(counts, event.usage);
        stop = stopReason(event.delta.stop_reason);
        break;
      case 'message_stop':
        complete = true;
        break;
    }
  }
  if (!complete) throw connectionFailure(new Error('the stream ended before message_stop'), context);
  yield { type: 'usage', usage: tokenUsage(counts) };
  yield { type: 'stop', reason: stop };
}

/** message_start carries the prompt counts, message_delta the (cumulative) output and any updates. */
function addCounts(counts: Counts, usage: Usage | MessageDeltaUsage): void {
  if (usage.input_tokens != null) counts.input_tokens = usage.input_tokens;
  if (usage.output_tokens != null) counts.output_tokens = usage.output_tokens;
  if (usage.cache_read_input_tokens != null) counts.cache_read_input_tokens = usage.cache_read_input_tokens;
  if (usage.cache_creation_input_tokens != null) counts.cache_creation_input_tokens = usage.cache_creation_input_tokens;
}

/** Anthropic's input_tokens excludes cached tokens; ours is the whole prompt. */
function tokenUsage(counts: Counts): TokenUsage {
  const cacheRead = counts.cache_read_input_tokens ?? 0;
  const cacheWrite = counts.cache_creation_input_tokens ?? 0;
  return {
    inputTokens: counts.input_tokens + cacheRead + cacheWrite,
    outputTokens: counts.output_tokens,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
  };
}

function stopReason(reason: string | null): StopReason {
  switch (reason) {
    case 'end_turn':
    case 'tool_use':
    case 'max_tokens':
    case 'stop_sequence':
    case 'refusal':
      return reason;
    case 'model_context_window_exceeded':
      return 'context_window';
    default:
      return 'other';
  }
}

function objectOrEmpty(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : {};
}

function toProviderError(error: unknown, context: ProviderContext): ProviderError {
  const refused = egressRefusal(error);
  if (refused) return new ProviderError('endpoint_not_allowed', context, { refusedHost: refused.host });
  if (error instanceof Anthropic.APIUserAbortError) return new ProviderError('aborted', context);
  if (error instanceof Anthropic.APIConnectionError) return connectionFailure(error, context);
  if (error instanceof Anthropic.APIError) {
    return classifyFailure(
      { status: error.status, headers: error.headers, type: error.type ?? undefined, message: error.apiMessage ?? error.message },
      context,
    );
  }
  return connectionFailure(error, context);
}
