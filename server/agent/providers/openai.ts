import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { egressRefusal } from '../../net/egress-policy';
import { classifyFailure, connectionFailure } from './failure-classifier';
import { guardedStream } from './guarded-stream';
import { chatCompletionBody, type MaxTokensField } from './openai-request';
import type { ModelProvider, ModelRequest, StopReason, StreamEvent, TokenUsage } from './provider';
import { ProviderError, type ProviderContext } from './provider-errors';
import { ToolInputBuffer } from './tool-input';

export interface OpenAIProviderConfig {
  apiKey: string;
  model: string;
  /** Any OpenAI-compatible endpoint (Ollama, vLLM, LiteLLM, …); OpenAI itself when absent. */
  baseUrl?: string;
  /** Defaults to `max_completion_tokens` for OpenAI and `max_tokens` for other endpoints. */
  maxTokensField?: MaxTokensField;
  /** Time allowed until response headers. */
  timeoutMs?: number;
  /** The transport; a team's endpoint gets one that refuses private addresses (server/net/guarded-fetch.ts). */
  fetch?: typeof fetch;
  /** A stream silent this long counts as dropped. */
  idleTimeoutMs?: number;
}

/** Chat Completions streaming, one attempt per call (retries live in retry.ts). */
export function createOpenAIProvider(config: OpenAIProviderConfig): ModelProvider {
  // Explicit settings only: OPENAI_BASE_URL and friends are read by the registry, not the SDK.
  const client = new OpenAI({
    // Local endpoints often need no key, but the SDK insists on one.
    apiKey: config.apiKey || 'unused',
    baseURL: config.baseUrl ?? null,
    maxRetries: 0,
    timeout: config.timeoutMs ?? 10 * 60_000,
    ...(config.fetch && { fetch: config.fetch }),
  });
  const label = config.baseUrl ? `The model endpoint at ${new URL(config.baseUrl).host}` : 'OpenAI';
  const maxTokensField = config.maxTokensField ?? (config.baseUrl ? 'max_tokens' : 'max_completion_tokens');
  return {
    kind: 'openai',
    model: config.model,
    stream(request: ModelRequest): AsyncIterable<StreamEvent> {
      const model = request.model ?? config.model;
      const context: ProviderContext = { label, model, apiKey: config.apiKey };
      const chunks = guardedStream<ChatCompletionChunk>(
        (signal) => client.chat.completions.create(chatCompletionBody(request, model, maxTokensField), { signal }),
        { signal: request.signal, idleTimeoutMs: config.idleTimeoutMs ?? 5 * 60_000, context, toError: (e) => toProviderError(e, context) },
      );
      return normalize(chunks, context);
    },
  };
}

async function* normalize(chunks: AsyncIterable<ChatCompletionChunk>, context: ProviderContext): AsyncGenerator<StreamEvent> {
  const calls = new Map<number, ToolInputBuffer>();
  let finish: string | undefined;
  let usage: TokenUsage | undefined;
  for await (const chunk of chunks) {
    if (chunk.usage) usage = tokenUsage(chunk.usage);
    for (const choice of chunk.choices) {
      const { content, tool_calls: toolCalls } = choice.delta;
      if (content) yield { type: 'text_delta', text: content };
      for (const delta of toolCalls ?? []) {
        let call = calls.get(delta.index);
        if (!call) {
          const name = delta.function?.name;
          if (!name) continue;
          call = new ToolInputBuffer(delta.id || `call_${delta.index}_${Date.now().toString(36)}`, name);
          calls.set(delta.index, call);
          yield { type: 'tool_call_start', id: call.id, name: call.name };
        }
        const fragment = delta.function?.arguments;
        if (fragment) {
          call.append(fragment);
          yield { type: 'tool_call_delta', id: call.id, inputDelta: fragment };
        }
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  // A stream that ends without a finish_reason was cut off, whatever the transport said.
  if (finish === undefined) throw connectionFailure(new Error('the stream ended before the response was complete'), context);
  for (const [, call] of [...calls].sort(([a], [b]) => a - b)) yield call.done();
  if (usage) yield { type: 'usage', usage };
  yield { type: 'stop', reason: stopReason(finish, calls.size > 0) };
}

function stopReason(finish: string, calledTools: boolean): StopReason {
  if (finish === 'tool_calls' || finish === 'function_call') return 'tool_use';
  if (finish === 'length') return 'max_tokens';
  if (finish === 'content_filter') return 'refusal';
  // Some compatible servers say `stop` after tool calls.
  if (finish === 'stop') return calledTools ? 'tool_use' : 'end_turn';
  return 'other';
}

function tokenUsage(usage: NonNullable<ChatCompletionChunk['usage']>): TokenUsage {
  return {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    cacheReadTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: 0,
  };
}

function toProviderError(error: unknown, context: ProviderContext): ProviderError {
  const refused = egressRefusal(error);
  if (refused) return new ProviderError('endpoint_not_allowed', context, { refusedHost: refused.host });
  if (error instanceof OpenAI.APIUserAbortError) return new ProviderError('aborted', context);
  if (error instanceof OpenAI.APIConnectionError) return connectionFailure(error, context);
  if (error instanceof OpenAI.APIError) {
    return classifyFailure(
      { status: error.status, headers: error.headers, type: error.type, code: error.code ?? undefined, message: errorText(error) },
      context,
    );
  }
  return connectionFailure(error, context);
}

/** The provider's own words: the body's `error.message` (the SDK prefixes the status otherwise). */
function errorText(error: InstanceType<typeof OpenAI.APIError>): string {
  const body: unknown = error.error;
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') return body.message;
  return error.message;
}
