import { connect, createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { PortForward } from '@kubernetes/client-node';
import type { Logger } from '../../log';
import type { KubeClient } from './kube-client';
import type { SandboxPods } from './sandbox-pods';

/**
 * Reaching pods from outside the cluster (a laptop with a kubeconfig, tests): a connection to
 * `podIP:port` goes through the API server's port-forward (WebSocket). Each (pod IP, port) gets a
 * loopback listener; every connection to it is one port-forward stream to the pod that has that IP
 * now (from the pod watch). Addresses stay the pods' own, identical for every server process.
 */
export class PodTunnels {
  private readonly forward: PortForward;
  private readonly listeners = new Map<string, Promise<{ server: Server; port: number }>>();

  constructor(kube: KubeClient, private readonly pods: SandboxPods, private readonly log: Logger) {
    this.forward = new kube.lib.PortForward(kube.kc);
    // A pod that is gone takes its listeners with it.
    pods.onChange((pod, gone) => {
      const ip = pod.status?.podIP;
      if (gone && ip && !pods.byIp(ip)) this.closeIp(ip);
    });
  }

  /** A socket to `host:port` through the API server. */
  async dial(host: string, port: number): Promise<Socket> {
    const key = `${host}:${port}`;
    let listener = this.listeners.get(key);
    if (!listener) {
      listener = this.listen(host, port);
      this.listeners.set(key, listener);
      listener.catch(() => this.listeners.delete(key));
    }
    const { port: local } = await listener;
    return connect(local, '127.0.0.1');
  }

  private listen(ip: string, port: number): Promise<{ server: Server; port: number }> {
    const server = createServer((socket) => this.pipe(socket, ip, port));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.unref();
        resolve({ server, port: (server.address() as { port: number }).port });
      });
    });
  }

  private pipe(socket: Socket, ip: string, port: number): void {
    socket.on('error', () => socket.destroy());
    const pod = this.pods.byIp(ip);
    if (!pod) return void socket.destroy();
    // The error channel carries kubelet's message when the port is closed in the pod.
    const errors = new Writable({ write: (chunk: Buffer, _enc, done) => { if (chunk.length) socket.destroy(); done(); } });
    this.forward.portForward(pod.metadata!.namespace!, pod.metadata!.name!, [port], socket, errors, socket).then((ws) => {
      const web = typeof ws === 'function' ? ws() : ws;
      if (!web) return void socket.destroy();
      web.on('close', () => socket.end());
      web.on('error', () => socket.destroy());
      socket.on('close', () => web.close());
      if (socket.destroyed) web.close();
    }, (err: unknown) => {
      this.log.debug({ err, ip, port }, 'port-forward failed');
      socket.destroy();
    });
  }

  private closeIp(ip: string): void {
    for (const [key, listener] of this.listeners) {
      if (!key.startsWith(`${ip}:`)) continue;
      this.listeners.delete(key);
      void listener.then(({ server }) => server.close(), () => {});
    }
  }

  close(): void {
    for (const listener of this.listeners.values()) void listener.then(({ server }) => server.close(), () => {});
    this.listeners.clear();
  }
}
