import { connect, createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { PortForward } from '@kubernetes/client-node';
import type { Logger } from '../../log';
import type { KubeClient } from './kube-client';
import { isDeleting, sandboxOf, type SandboxPods } from './sandbox-pods';

/**
 * Reaching pods from outside the cluster (a laptop with a kubeconfig, tests): a connection to a
 * sandbox's `podIP:port` goes through the API server's port-forward (WebSocket). Each (sandbox, pod
 * IP, port) gets a loopback listener; every connection to it is one port-forward stream to that
 * sandbox's pod, only while the pod has that IP (from the pod watch): an address another pod took
 * over since is refused, never reached. Addresses stay the pods' own, identical for every server process.
 */
export class PodTunnels {
  private readonly forward: PortForward;
  private readonly listeners = new Map<string, Promise<{ server: Server; port: number }>>();

  constructor(kube: KubeClient, private readonly pods: SandboxPods, private readonly log: Logger) {
    this.forward = new kube.lib.PortForward(kube.kc);
    // A pod that is gone takes its listeners with it.
    pods.onChange((pod, gone) => {
      const id = sandboxOf(pod);
      if (gone && id) this.closeSandbox(id);
    });
  }

  /** A socket to the sandbox's `host:port` through the API server. */
  async dial(sandboxId: string, host: string, port: number): Promise<Socket> {
    const key = `${sandboxId}/${host}:${port}`;
    let listener = this.listeners.get(key);
    if (!listener) {
      listener = this.listen(sandboxId, host, port);
      this.listeners.set(key, listener);
      listener.catch(() => this.listeners.delete(key));
    }
    const { port: local } = await listener;
    return connect(local, '127.0.0.1');
  }

  private listen(sandboxId: string, ip: string, port: number): Promise<{ server: Server; port: number }> {
    const server = createServer((socket) => this.pipe(socket, sandboxId, ip, port));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.unref();
        resolve({ server, port: (server.address() as { port: number }).port });
      });
    });
  }

  private pipe(socket: Socket, sandboxId: string, ip: string, port: number): void {
    socket.on('error', () => socket.destroy());
    const pod = this.pods.get(sandboxId);
    if (!pod || pod.status?.podIP !== ip || isDeleting(pod)) return void socket.destroy();
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

  private closeSandbox(sandboxId: string): void {
    for (const [key, listener] of this.listeners) {
      if (!key.startsWith(`${sandboxId}/`)) continue;
      this.listeners.delete(key);
      void listener.then(({ server }) => server.close(), () => {});
    }
  }

  close(): void {
    for (const listener of this.listeners.values()) void listener.then(({ server }) => server.close(), () => {});
    this.listeners.clear();
  }
}
