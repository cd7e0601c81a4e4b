import { createServer, connect, type Server, type Socket } from 'node:net';

/** A loopback TCP proxy whose connections a test can cut, to play a network drop. */
export async function startProxy(targetPort: number): Promise<{ url: string; cut(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const cut = () => { for (const s of sockets) s.destroy(); };
  return {
    url: `http://127.0.0.1:${port}`,
    cut,
    close: () => new Promise((resolve) => { cut(); server.close(() => resolve()); }),
  };
}
