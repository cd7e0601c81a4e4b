import {
  argumentText, DEFAULT_USAGE, fragmentsOf, stopOf, textChunks,
  type FaultTurn, type ReplyTurn, type ScriptStop, type ScriptTurn,
} from './script';
import {
  startScriptServer, type ErrorReply, type RecordedRequest, type ScriptServer, type ScriptServerOptions, type WireFormat,
} from './script-server';
import { openaiImages } from './image-parts';

/**
 * A scripted OpenAI Chat Completions server: `POST /v1/chat/completions` with `stream: true`,
 * answered with `data: {chat.completion.chunk}` frames and `data: [DONE]`, or OpenAI's error JSON.
 */
export function startOpenAIScriptServer(turns: ScriptTurn[], options: ScriptServerOptions = {}): Promise<ScriptServer> {
  return startScriptServer(openaiWire, turns, options);
}

const FINISH: Record<ScriptStop, string> = { end_turn: 'stop', tool_use: 'tool_calls', max_tokens: 'length' };

const error = (status: number, message: string, type: string, code: string | null, param: string | null = null,
  headers: Record<string, string> = {}): ErrorReply => ({
  status,
  headers: { 'x-request-id': `req_script_${Date.now()}`, ...headers },
  body: { error: { message, type, param, code } },
});

const data = (payload: unknown) => `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;

export const openaiWire: WireFormat = {
  path: '/v1/chat/completions',
  basePath: '/v1',

  check(request, apiKey, options) {
    const auth = request.headers.authorization ?? '';
    if (apiKey !== undefined && auth !== `Bearer ${apiKey}`) {
      // The real API masks the key; echoing it whole makes redaction tests stricter.
      const given = auth.replace(/^Bearer\s+/i, '');
      return error(401, `Incorrect API key provided: ${given}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        'invalid_request_error', 'invalid_api_key');
    }
    if (typeof request.body.model !== 'string') return error(400, 'you must provide a model parameter', 'invalid_request_error', null);
    if (!Array.isArray(request.body.messages)) {
      return error(400, "Missing required parameter: 'messages'.", 'invalid_request_error', 'missing_required_parameter', 'messages');
    }
    if (request.body.stream !== true) return error(400, 'this scripted server only streams', 'invalid_request_error', null, 'stream');
    const badImage = openaiImages.check(request.body, options.images !== false);
    if (badImage) return error(400, badImage, 'invalid_request_error', 'invalid_value', 'messages');
    return undefined;
  },

  notFound: (request) => error(404, `Invalid URL (${request.method} ${request.path})`, 'invalid_request_error', null),

  fault(turn: FaultTurn, request: RecordedRequest): ErrorReply {
    const model = String(request.body.model);
    const retryAfter = { 'retry-after': String(turn.retryAfterSeconds ?? 1) };
    switch (turn.fault) {
      case 'rate_limited':
        return error(429, `Rate limit reached for ${model} on tokens per min (TPM): Limit 30000, Used 30000, Requested 1200. Please try again in ${turn.retryAfterSeconds ?? 1}s.`,
          'tokens', 'rate_limit_exceeded', null, retryAfter);
      case 'server_error':
        return error(500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null);
      case 'overloaded':
        return error(503, 'The engine is currently overloaded, please try again later.', 'server_error', null, null, retryAfter);
      case 'bad_key':
        return error(401, 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
          'invalid_request_error', 'invalid_api_key');
      case 'unknown_model':
        return error(404, `The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
      case 'context_too_long':
        return error(400, "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
          'invalid_request_error', 'context_length_exceeded', 'messages');
    }
  },

  frames(turn: ReplyTurn, request: RecordedRequest, turnNumber: number): string[] {
    const includeUsage = isRecord(request.body.stream_options) && request.body.stream_options.include_usage === true;
    const envelope = {
      id: `chatcmpl-script${turnNumber}`,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: String(request.body.model),
      service_tier: 'default',
      system_fingerprint: 'fp_script',
    };
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => data({
      ...envelope,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage && { usage: null }),
    });

    const frames = [chunk({ role: 'assistant', content: '', refusal: null })];
    let toolIndex = 0;
    for (const part of turn.reply) {
      if ('text' in part) {
        for (const text of textChunks(part.text)) frames.push(chunk({ content: text }));
        continue;
      }
      const { name, id, fragments } = part.toolCall;
      const index = toolIndex++;
      frames.push(chunk({
        tool_calls: [{ index, id: id ?? `call_script${turnNumber}x${index}`, type: 'function', function: { name, arguments: '' } }],
      }));
      for (const piece of fragmentsOf(argumentText(part.toolCall), fragments)) {
        frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
      }
    }
    frames.push(chunk({}, FINISH[stopOf(turn)]));
    if (includeUsage) {
      const usage = turn.usage ?? DEFAULT_USAGE;
      frames.push(data({
        ...envelope,
        choices: [],
        usage: {
          prompt_tokens: usage.input,
          completion_tokens: usage.output,
          total_tokens: usage.input + usage.output,
          prompt_tokens_details: { cached_tokens: usage.cacheRead ?? 0, audio_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
        },
      }));
    }
    frames.push(data('[DONE]'));
    return frames;
  },

  streamError: () => data({ error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } }),
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
