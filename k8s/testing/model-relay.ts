import { createServer, connect, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * Makes a scripted model server (which listens on 127.0.0.1) reachable from pods: a TCP relay on the
 * node's own address (pods reach their node), to the loopback port. Returns the relayed base URL.
 */
export async function relayToPods(baseUrl: string, nodeIp: string): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const target = new URL(baseUrl);
  const server: Server = createServer((socket) => {
    const upstream = connect(Number(target.port), target.hostname);
    socket.pipe(upstream).pipe(socket);
    const end = () => { socket.destroy(); upstream.destroy(); };
    socket.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, nodeIp, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `${target.protocol}//${nodeIp}:${port}${target.pathname}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
