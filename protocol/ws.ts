import { z } from 'zod';
import { Uuid } from './common';
import { Project } from './rest/projects';
import { workspaceWsEvents, workspaceWsMethods } from './workspace';
import { chatWsEvents, chatWsMethods } from './chat';
import { chatCommandWsMethods } from './chat-commands';
import { gitWsEvents, gitWsMethods } from './git';

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
  ...chatCommandWsMethods,
  ...gitWsMethods,
} as const;

export const wsEvents = {
  'project.updated': z.object({ project: Project }),
  ...workspaceWsEvents,
  ...chatWsEvents,
  ...gitWsEvents,
} as const;

export type WsMethods = typeof wsMethods;
export type WsMethod = keyof WsMethods;
export type WsParams<M extends WsMethod> = z.infer<WsMethods[M]['params']>;
export type WsResult<M extends WsMethod> = z.infer<WsMethods[M]['result']>;
export type WsEventName = keyof typeof wsEvents;
export type WsEventData<E extends WsEventName> = z.infer<(typeof wsEvents)[E]>;

export const MAX_WS_MESSAGE_BYTES = 1024 * 1024;

/** Close codes the server uses; clients act on them. */
export const WS_CLOSE = {
  /** Team membership changed: reconnect and subscribe again (you see less now). */
  accessChanged: 4001,
  /** The credential the socket opened with was revoked, signed out or expired (the reason says which): sign in again, refreshing first if you can. */
  credentials: 4401,
} as const;
export type WsCredentialsCloseReason = 'credentials_revoked' | 'credentials_expired';

// Frames are Slipway's common envelope (protocol/envelope.ts).
export { RequestEnvelope as WsRequest, ReplyEnvelope as WsReply, EventEnvelope as WsEvent, ServerFrame as WsServerFrame } from './envelope';

export const isWsMethod = (name: string): name is WsMethod => Object.hasOwn(wsMethods, name);
export const isWsEvent = (name: string): name is WsEventName => Object.hasOwn(wsEvents, name);
