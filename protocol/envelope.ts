import { z } from 'zod';
import { ErrorInfo } from './errors';

/**
 * The frames of every request/reply WebSocket in Slipway (extension <-> server, server <-> daemon):
 * `{id, method, params}` requests, one `{id, result}` or `{id, error}` reply each (`id` null when the
 * request could not even be read), and `{event, data}` pushes. Each boundary checks `method`,
 * `params` and `data` against its own map once the envelope parses.
 */
export const RequestEnvelope = z.object({
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(100),
  params: z.unknown().optional(),
});
export type RequestEnvelope = z.infer<typeof RequestEnvelope>;

export const ReplyEnvelope = z.union([
  z.object({ id: z.number().nullable(), result: z.unknown() }),
  z.object({ id: z.number().nullable(), error: ErrorInfo }),
]);
export const EventEnvelope = z.object({ event: z.string(), data: z.unknown() });
export const ServerFrame = z.union([ReplyEnvelope, EventEnvelope]);
export type ServerFrame = z.infer<typeof ServerFrame>;
