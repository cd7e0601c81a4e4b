import WebSocket from 'ws';
import type { WsConnect } from '../../protocol/client/socket-client';

/** The socket client's transport on the `ws` package (the extension host has no DOM WebSocket with headers). */
export const connectWithWs: WsConnect = ({ url, protocols, headers }, events) => {
  const ws = new WebSocket(url, protocols, { headers, handshakeTimeout: 15_000, maxPayload: 16 * 1024 * 1024 });
  ws.on('open', () => events.open());
  ws.on('message', (data, isBinary) => {
    if (!isBinary) events.message(data.toString());
  });
  ws.on('close', (code, reason) => events.close(code, reason.toString()));
  ws.on('error', (error) => events.error(error));
  // A refused upgrade: read the JSON error body, then give up this socket.
  ws.on('unexpected-response', (request, response) => {
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      if (body.length < 64 * 1024) body += chunk;
    });
    response.on('end', () => {
      events.refused(response.statusCode ?? 0, body);
      request.destroy();
    });
    response.on('error', () => events.refused(response.statusCode ?? 0, body));
  });
  return {
    send: (text) => ws.send(text),
    close: (code, reason) => {
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(code, reason);
    },
  };
};
