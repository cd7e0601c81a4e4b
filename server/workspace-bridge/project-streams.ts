import type { DaemonClient, DaemonStream } from '../daemon-client';
import type { WsConnection } from '../ws/ws-connection';

/**
 * For one client socket: one daemon stream per project it watches or has terminals attached in.
 * The daemon's events come back tagged with the project; everything closes with the socket, while
 * the terminals themselves keep running in the sandbox for the next attach.
 */
export class ProjectStreams {
  private readonly streams = new Map<string, Promise<DaemonStream>>();

  constructor(private readonly connection: WsConnection) {
    connection.onClose(() => this.closeAll());
  }

  async get(projectId: string, client: DaemonClient): Promise<DaemonStream> {
    const known = this.streams.get(projectId);
    if (known) {
      const stream = await known.catch(() => undefined);
      if (stream?.open) return stream;
      this.streams.delete(projectId);
    }
    const opening = client.connect().then((stream) => this.relay(projectId, stream));
    this.streams.set(projectId, opening);
    opening.catch(() => this.streams.delete(projectId));
    return opening;
  }

  private relay(projectId: string, stream: DaemonStream): DaemonStream {
    const c = this.connection;
    stream.on('watch.batch', (d) => c.sendEvent('workspace.changes', { ...d, projectId }));
    stream.on('watch.resync', (d) => c.sendEvent('workspace.resync', { ...d, projectId }));
    stream.on('pty.output', (d) => c.sendEvent('terminal.output', { ...d, projectId }));
    stream.on('pty.exit', (d) => c.sendEvent('terminal.exit', { ...d, projectId }));
    stream.onClose(() => this.streams.delete(projectId));
    return stream;
  }

  closeAll(): void {
    for (const opening of this.streams.values()) void opening.then((s) => s.close(), () => {});
    this.streams.clear();
  }
}
