import { z } from 'zod';
import * as E from './exec';
import * as G from './git';
import * as M from './mcp';
import * as T from './pty';
import * as W from './watch';

/**
 * The `/stream` WebSocket (Authorization header on the upgrade). Text frames, one JSON message each.
 * Client -> daemon: `{id, method, params}` for any daemon method. Daemon -> client: one reply per
 * request (`{id, result}` or `{id, error}`), and events for what the connection subscribed to. A
 * subscription's events never arrive before its reply. Subscriptions end with the connection; the
 * processes, terminals and watcher behind them keep running.
 */
export const STREAM_PATH = '/stream';

export const daemonEvents = {
  'exec.output': E.OutputEvent,
  'exec.exit': E.ExitEvent,
  'pty.output': T.OutputEvent,
  'pty.exit': T.ExitEvent,
  'watch.batch': W.BatchEvent,
  'watch.resync': W.ResyncEvent,
  'git.progress': G.ProgressEvent,
  'mcp.message': M.MessageEvent,
  'mcp.closed': M.ClosedEvent,
} as const;
export type DaemonEvents = typeof daemonEvents;
export type DaemonEventName = keyof DaemonEvents;
export type DaemonEventData<E extends DaemonEventName> = z.output<DaemonEvents[E]>;
export const isDaemonEvent = (name: string): name is DaemonEventName => Object.hasOwn(daemonEvents, name);

// The frames are Slipway's common envelope (protocol/envelope.ts).
export { RequestEnvelope as StreamRequest, ReplyEnvelope as StreamReply, EventEnvelope as StreamEvent, ServerFrame as StreamServerFrame } from '../envelope';

/** Close code the daemon uses when a client reads too slowly to keep up. */
export const CLOSE_TOO_SLOW = 4008;
