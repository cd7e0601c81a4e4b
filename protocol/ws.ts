import { z } from 'zod';
import { ErrorInfo } from './errors';
import { Uuid } from './common';
import { Project } from './rest/projects';
import { workspaceWsEvents, workspaceWsMethods } from './workspace';
import { chatWsEvents, chatWsMethods } from './chat';

/**
 * The extension <-> server WebSocket. Clients send requests; the server answers each one once
 * (result or error, same id) and pushes events for what the client subscribed to.
 */
export const wsMethods = {
  ping: { params: z.object({}), result: z.object({ at: z.number() }) },
  'projects.subscribe': {
    params: z.object({ teamId: Uuid }),
    result: z.object({ projects: z.array(Project) }),
  },
  'projects.unsubscribe': { params: z.object({ teamId: Uuid }), result: z.object({ ok: z.literal(true) }) },
  ...workspaceWsMethods,
  ...chatWsMethods,
} as const;

export const wsEvents = {
  'project.updated': z.object({ project: Project }),
  ...workspaceWsEvents,
  ...chatWsEvents,
} as const;

export type WsMethods = typeof wsMethods;
export type WsMethod = keyof WsMethods;
export type WsParams<M extends WsMethod> = z.infer<WsMethods[M]['params']>;
export type WsResult<M extends WsMethod> = z.infer<WsMethods[M]['result']>;
export type WsEventName = keyof typeof wsEvents;
export type WsEventData<E extends WsEventName> = z.infer<(typeof wsEvents)[E]>;

export const MAX_WS_MESSAGE_BYTES = 1024 * 1024;

/** Client -> server. `method` is checked against the map after the envelope parses. */
export const WsRequest = z.object({
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(100),
  params: z.unknown().optional(),
});
export type WsRequest = z.infer<typeof WsRequest>;

/** Server -> client frames. `id` is null when the request could not even be read. */
export const WsReply = z.union([
  z.object({ id: z.number().nullable(), result: z.unknown() }),
  z.object({ id: z.number().nullable(), error: ErrorInfo }),
]);
export const WsEvent = z.object({ event: z.string(), data: z.unknown() });
export const WsServerFrame = z.union([WsReply, WsEvent]);
export type WsServerFrame = z.infer<typeof WsServerFrame>;

export const isWsMethod = (name: string): name is WsMethod => Object.hasOwn(wsMethods, name);
export const isWsEvent = (name: string): name is WsEventName => Object.hasOwn(wsEvents, name);
