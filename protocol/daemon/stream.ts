import { z } from 'zod';
import { ErrorInfo } from '../errors';
import * as E from './exec';
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
} as const;
export type DaemonEvents = typeof daemonEvents;
export type DaemonEventName = keyof DaemonEvents;
export type DaemonEventData<E extends DaemonEventName> = z.output<DaemonEvents[E]>;
export const isDaemonEvent = (name: string): name is DaemonEventName => Object.hasOwn(daemonEvents, name);

export const StreamRequest = z.object({
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(100),
  params: z.unknown().optional(),
});
export type StreamRequest = z.infer<typeof StreamRequest>;

export const StreamReply = z.union([
  z.object({ id: z.number().nullable(), result: z.unknown() }),
  z.object({ id: z.number().nullable(), error: ErrorInfo }),
]);
export const StreamEvent = z.object({ event: z.string(), data: z.unknown() });
export const StreamServerFrame = z.union([StreamReply, StreamEvent]);
export type StreamServerFrame = z.infer<typeof StreamServerFrame>;

/** Close code the daemon uses when a client reads too slowly to keep up. */
export const CLOSE_TOO_SLOW = 4008;
