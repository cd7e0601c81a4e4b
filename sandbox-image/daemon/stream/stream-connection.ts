import type { RawData, WebSocket } from 'ws';
import type { DaemonEventName } from '../../../protocol/daemon/stream';
import { CLOSE_TOO_SLOW, StreamRequest } from '../../../protocol/daemon/stream';
import { describeIssues } from '../../../protocol/errors';
import type { Outcome } from '../rpc/dispatch';
import { dispatch } from '../rpc/dispatch';
import type { HandlerMap, StreamSink } from '../rpc/handler';

/** A client this far behind is cut off; it reconnects and resumes from scrollback, offsets or cursors. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

type Frame = ({ id: number | null } & Outcome) | { event: DaemonEventName; data: unknown };

/**
 * Serves one /stream WebSocket: requests in, replies and subscribed events out. Requests start
 * in arrival order; a subscription's events are held until its reply has been sent.
 */
export function serveStream(socket: WebSocket, handlers: HandlerMap): void {
  const subscriptions = new Map<string, () => void>();
  const connection = {};
  let closed = false;

  const send = (frame: Frame): void => {
    if (closed || socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      socket.close(CLOSE_TOO_SLOW, 'client reads too slowly');
      return;
    }
    socket.send(JSON.stringify(frame));
  };

  const sinkFor = (held: Frame[] | null): { sink: StreamSink; release(): void } => {
    let queue = held;
    const sink: StreamSink = {
      connection,
      send: (event, data) => (queue ? queue.push({ event, data }) : send({ event, data })),
      subscribe: (key, cleanup) => {
        subscriptions.get(key)?.();
        if (closed) cleanup();
        else subscriptions.set(key, cleanup);
      },
      unsubscribe: (key) => {
        const cleanup = subscriptions.get(key);
        subscriptions.delete(key);
        cleanup?.();
        return cleanup !== undefined;
      },
    };
    return {
      sink,
      release: () => {
        const frames = queue ?? [];
        queue = null;
        for (const frame of frames) send(frame);
      },
    };
  };

  const onMessage = async (raw: RawData, isBinary: boolean): Promise<void> => {
    if (isBinary) return send({ id: null, error: { code: 'bad_request', message: 'send JSON text frames' } });
    let message: unknown;
    try {
      message = JSON.parse(raw.toString());
    } catch {
      return send({ id: null, error: { code: 'bad_request', message: 'message is not valid JSON' } });
    }
    const request = StreamRequest.safeParse(message);
    if (!request.success) return send({ id: null, error: { code: 'validation_failed', message: describeIssues(request.error) } });
    const { sink, release } = sinkFor([]);
    const outcome = await dispatch(handlers, request.data.method, request.data.params, { stream: sink });
    send({ id: request.data.id, ...outcome });
    release();
  };

  socket.on('message', (raw, isBinary) => void onMessage(raw, isBinary));
  socket.on('error', () => socket.terminate());
  socket.on('close', () => {
    closed = true;
    for (const cleanup of subscriptions.values()) cleanup();
    subscriptions.clear();
  });
}
