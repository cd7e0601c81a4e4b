import { argumentText, DEFAULT_USAGE, fragmentsOf, stopOf, textChunks, type FaultTurn, type ReplyTurn, type ScriptTurn } from './script';
import {
  startScriptServer, type ErrorReply, type RecordedRequest, type ScriptServer, type ScriptServerOptions, type WireFormat,
} from './script-server';
import { anthropicImages } from './image-parts';

/**
 * A scripted Anthropic Messages server: `POST /v1/messages` with `stream: true`, answered with
 * `event: message_start` … `event: message_stop` frames, or Anthropic's error JSON.
 */
export function startAnthropicScriptServer(turns: ScriptTurn[], options: ScriptServerOptions = {}): Promise<ScriptServer> {
  return startScriptServer(anthropicWire, turns, options);
}

const error = (status: number, type: string, message: string, headers: Record<string, string> = {}): ErrorReply => {
  const requestId = `req_script${Date.now()}`;
  return {
    status,
    headers: { 'request-id': requestId, ...headers },
    body: { type: 'error', error: { type, message }, request_id: requestId },
  };
};

const event = (type: string, payload: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;

export const anthropicWire: WireFormat = {
  path: '/v1/messages',
  basePath: '',

  check(request, apiKey, options) {
    // API version 2026-10-21 clients (SDK 1.x) send the key as a bearer token, older ones as x-api-key.
    const given = request.headers['x-api-key'] ?? request.headers.authorization?.replace(/^Bearer\s+/i, '');
    if (apiKey !== undefined && given !== apiKey) return error(401, 'authentication_error', 'invalid x-api-key');
    if (!request.headers['anthropic-version']) return error(400, 'invalid_request_error', 'anthropic-version: header is required');
    for (const field of ['model', 'max_tokens', 'messages']) {
      if (request.body[field] === undefined) return error(400, 'invalid_request_error', `${field}: Field required`);
    }
    if (request.body.stream !== true) return error(400, 'invalid_request_error', 'this scripted server only streams');
    const badImage = anthropicImages.check(request.body, options.images !== false);
    if (badImage) return error(400, 'invalid_request_error', badImage);
    return undefined;
  },

  notFound: () => error(404, 'not_found_error', 'Not Found'),

  fault(turn: FaultTurn, request: RecordedRequest): ErrorReply {
    const retryAfter = { 'retry-after': String(turn.retryAfterSeconds ?? 1) };
    switch (turn.fault) {
      case 'rate_limited':
        return error(429, 'rate_limit_error',
          'This request would exceed the rate limit for your organization of 30,000 input tokens per minute.', retryAfter);
      case 'server_error':
        return error(500, 'api_error', 'Internal server error');
      case 'overloaded':
        return error(529, 'overloaded_error', 'Overloaded', turn.retryAfterSeconds === undefined ? {} : retryAfter);
      case 'bad_key':
        return error(401, 'authentication_error', 'invalid x-api-key');
      case 'unknown_model':
        return error(404, 'not_found_error', `model: ${String(request.body.model)}`);
      case 'context_too_long':
        return error(400, 'invalid_request_error', 'prompt is too long: 212345 tokens > 200000 maximum');
    }
  },

  frames(turn: ReplyTurn, request: RecordedRequest, turnNumber: number): string[] {
    const usage = turn.usage ?? DEFAULT_USAGE;
    const frames = [event('message_start', {
      message: {
        id: `msg_script${turnNumber}`,
        type: 'message',
        role: 'assistant',
        model: String(request.body.model),
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input,
          cache_creation_input_tokens: usage.cacheWrite ?? 0,
          cache_read_input_tokens: usage.cacheRead ?? 0,
          output_tokens: 1,
          service_tier: 'standard',
        },
      },
    })];
    turn.reply.forEach((part, index) => {
      if ('text' in part) {
        frames.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
        if (index === 0) frames.push(event('ping', {}));
        for (const text of textChunks(part.text)) {
          frames.push(event('content_block_delta', { index, delta: { type: 'text_delta', text } }));
        }
      } else {
        const { name, id, fragments } = part.toolCall;
        frames.push(event('content_block_start', {
          index,
          content_block: { type: 'tool_use', id: id ?? `toolu_script${turnNumber}x${index}`, name, input: {} },
        }));
        if (index === 0) frames.push(event('ping', {}));
        // The real API opens every tool input with an empty fragment.
        for (const piece of ['', ...fragmentsOf(argumentText(part.toolCall), fragments)]) {
          frames.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } }));
        }
      }
      frames.push(event('content_block_stop', { index }));
    });
    frames.push(event('message_delta', { delta: { stop_reason: stopOf(turn), stop_sequence: null }, usage: { output_tokens: usage.output } }));
    frames.push(event('message_stop', {}));
    return frames;
  },

  streamError: () => event('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }),
};
